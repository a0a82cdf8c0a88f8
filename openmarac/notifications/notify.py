"""Sending e-mail through GOV.UK Notify, as a Django e-mail backend beside SMTP.

Chosen with ``EMAIL_BACKEND=notify`` (README, "GOV.UK Notify"). Every message the service sends
goes through it: the outbox's notices and the few messages sent at once (sign-in codes, set-up
links, referrers' verification codes).

Notify sends from templates kept in the service's Notify account. Each message becomes one
``send email`` request per recipient, to the template its notice's event maps to
(``NOTIFY_TEMPLATES``, else ``NOTIFY_TEMPLATE_ID``), with two placeholders filled in:
``((subject))`` and ``((body))``. These are the notice's own subject and body, which hold
references and links only, never a name, address or narrative (``notice_record``); Notify is
told nothing else about the case. A notice's ``reference`` at Notify is its keyed hash, which
reveals nothing either, and lets Notify's dashboard be matched to the outbox.

Notify's refusal (a bad key, a missing template, its rate limit, an outage) is raised as
``NotifyRefused`` with the status code; the outbox records it and tries again later, as it does
for an SMTP failure (``services.notices_deliver``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient


class NotifyRefused(Exception):
    """Notify did not accept a message. Says the status and Notify's error names, nothing sent."""

    def __init__(self, status_code: int, errors: Sequence[str] = ()) -> None:
        self.status_code = status_code
        named = f": {', '.join(errors)}" if errors else ""
        super().__init__(f"GOV.UK Notify answered {status_code}{named}")


def template_for(event: str) -> str:
    """The Notify template for a notice's event: an exact entry in ``NOTIFY_TEMPLATES``, else
    the longest ``prefix.*`` entry that covers it, else ``NOTIFY_TEMPLATE_ID``."""
    templates: dict[str, str] = settings.NOTIFY_TEMPLATES
    if event in templates:
        return templates[event]
    covering = [
        pattern
        for pattern in templates
        if pattern.endswith("*") and event.startswith(pattern[:-1]) and event
    ]
    if covering:
        return templates[max(covering, key=len)]
    return str(settings.NOTIFY_TEMPLATE_ID)


def _error_names(error: APIError) -> list[str]:
    """Notify's error types ("BadRequestError", "AuthError"), not its messages."""
    try:
        body = error.response.json() if error.response is not None else {}
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return []
    return [str(e.get("error"))[:40] for e in errors if isinstance(e, dict) and e.get("error")]


class NotifyEmailBackend(BaseEmailBackend):
    """Django's e-mail backend interface over the official ``notifications-python-client``."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        self.client: NotificationsAPIClient | None = None

    def open(self) -> bool:
        if self.client is not None:
            return False
        self.client = NotificationsAPIClient(
            settings.NOTIFY_API_KEY,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.NOTIFY_TIMEOUT_SECONDS,
        )
        return True

    def close(self) -> None:
        if self.client is not None:
            self.client.request_session.close()
            self.client = None

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not email_messages:
            return 0
        opened = self.open()
        sent = 0
        try:
            for message in email_messages:
                try:
                    self._send(message)
                except (NotifyRefused, ValueError):
                    if not self.fail_silently:
                        raise
                    continue
                sent += 1
        finally:
            if opened:
                self.close()
        return sent

    def _send(self, message: EmailMessage) -> None:
        if message.attachments or getattr(message, "alternatives", None):
            # Notify sends its own template's text; nothing else would reach the recipient.
            raise ValueError("GOV.UK Notify sends plain template text only")
        event = str(getattr(message, "event", ""))
        key = str(getattr(message, "notice_key", ""))
        assert self.client is not None
        for address in message.recipients():
            try:
                self.client.send_email_notification(
                    email_address=address,
                    template_id=template_for(event),
                    personalisation={"subject": message.subject, "body": message.body},
                    reference=f"notice-{key}" if key else None,
                    email_reply_to_id=settings.NOTIFY_REPLY_TO_ID or None,
                )
            except APIError as error:
                raise NotifyRefused(error.status_code, _error_names(error)) from None
