"""Recording notices once and delivering them through Django's e-mail backends.

Every e-mail a service sends goes through ``notice_record`` inside the transaction of the change
that causes it. The backend is SMTP or GOV.UK Notify (``notify.py``), by configuration. The notice is delivered right after that transaction commits; if delivery fails,
or the process dies first, the worker's sweep delivers it later (``notices_deliver``).

Guarantees, proved in ``tests/test_notifications.py``:

* **Recorded once.** The key is a keyed hash of (event, instance, recipient) under a unique
  constraint: recording it again, from a re-run sweep or a second worker, adds nothing.
* **Never lost.** A notice stays unsent until a send succeeds; a crash before or during sending
  leaves it claimed only until its claim expires, and the next sweep sends it.
* **Never sent twice by two workers.** A sender claims a notice with a conditional update before
  sending, and only the sender whose update changed the row sends it.
* At the mail-server boundary delivery is at least once: a crash after the server accepted a
  message but before it was marked sent repeats that one message, with the same Message-ID, so
  mail systems that de-duplicate by Message-ID show it once (see ADR 0003).
"""

from __future__ import annotations

import datetime
import logging
import os
import socket
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.utils import timezone

from openmarac.core.crypto import blind_index

from .models import Notice

if TYPE_CHECKING:
    from openmarac.accounts.models import User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 20
MAIL_DOMAIN = "openmarac.invalid"


def notice_key(event: str, instance: str, recipient_email: str) -> str:
    """The de-duplication key: keyed, so it reveals nothing about the address."""
    return blind_index(
        f"{event}\x1f{instance}\x1f{recipient_email.strip().lower()}", purpose="notice"
    )


def notice_record(
    *,
    event: str,
    instance: str,
    recipient_email: str,
    subject: str,
    body: str,
    recipient_user: User | None = None,
    obj: models.Model | None = None,
) -> Notice | None:
    """Record a notice unless the same (event, instance, recipient) was recorded before.

    Call inside the transaction of the change the notice is about. Returns the new notice, or
    ``None`` if it already existed or there is no address. ``subject`` and ``body`` must hold
    references and links only, never personal details.
    """
    address = (recipient_email or "").strip()
    if not address:
        return None
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                key=notice_key(event, instance, address),
                event=event,
                instance=instance[:120],
                recipient_user=recipient_user if getattr(recipient_user, "pk", None) else None,
                recipient_email=address,
                subject=subject[:200],
                body=body,
                object_type=obj._meta.label_lower if obj is not None else "",
                object_id=str(obj.pk) if obj is not None else "",
                created_at=timezone.now(),
            )
    except IntegrityError:
        return None
    transaction.on_commit(lambda: _deliver_after_commit(notice.pk), robust=True)
    return notice


def _deliver_after_commit(notice_id: int) -> None:
    notices_deliver(ids=[notice_id])


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:80]


def _claim(notice_id: int, *, now: datetime.datetime, who: str) -> bool:
    """Take a notice for sending; False if it is sent, or claimed by a live sender."""
    claimed = (
        Notice.objects.filter(pk=notice_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .update(
            claimed_until=now + datetime.timedelta(seconds=settings.NOTICE_CLAIM_SECONDS),
            claimed_by=who,
            attempts=F("attempts") + 1,
        )
    )
    return claimed == 1


class NoticeMessage(EmailMessage):
    """An e-mail made from a notice. Backends that send by template (GOV.UK Notify) read the
    notice's event and key from it; SMTP sends it as any other message."""

    def __init__(
        self,
        *,
        event: str,
        notice_key: str,
        subject: str,
        body: str,
        from_email: str | None,
        to: list[str],
        connection: BaseEmailBackend,
        headers: dict[str, str],
    ) -> None:
        super().__init__(
            subject=subject,
            body=body,
            from_email=from_email,
            to=to,
            connection=connection,
            headers=headers,
        )
        self.event = event
        self.notice_key = notice_key


def _message(notice: Notice, connection: BaseEmailBackend) -> EmailMessage:
    return NoticeMessage(
        event=notice.event,
        notice_key=notice.key,
        subject=notice.subject,
        body=notice.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.recipient_email],
        connection=connection,
        headers={"Message-ID": f"<notice-{notice.key}@{MAIL_DOMAIN}>"},
    )


def _failure(error: Exception) -> str:
    """What is recorded of a failed send: the error's type, and its status code if it has one
    (an HTTP service's answer), never its message, which may quote the message or address."""
    status = getattr(error, "status_code", None)
    label = type(error).__name__
    return f"{label} {status}"[:200] if isinstance(status, int) else label[:200]


def _retry_after(attempts: int) -> datetime.timedelta:
    """Back off 1, 2, 4 … minutes, up to an hour."""
    return datetime.timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


def pending_notice_ids(*, now: datetime.datetime, limit: int) -> list[int]:
    return list(
        Notice.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def notices_deliver(*, ids: list[int] | None = None, limit: int = 200) -> int:
    """Send unsent notices (all due ones, or just ``ids``); return how many were sent.

    Safe to run in several processes at once: each notice is claimed before it is sent.
    """
    now = timezone.now()
    who = worker_name()
    candidates = ids if ids is not None else pending_notice_ids(now=now, limit=limit)
    sent = 0
    connection = None
    try:
        for notice_id in candidates:
            if not _claim(notice_id, now=now, who=who):
                continue
            notice = Notice.objects.get(pk=notice_id)
            try:
                if connection is None:
                    connection = get_connection()
                _message(notice, connection).send()
            except Exception as exc:  # any backend failure: keep the notice for a later try
                logger.warning("notice %s not delivered (%s); will retry", notice_id, _failure(exc))
                Notice.objects.filter(pk=notice_id).update(
                    claimed_until=now + _retry_after(notice.attempts),
                    last_error=_failure(exc),
                )
                connection = None
                continue
            Notice.objects.filter(pk=notice_id).update(
                sent_at=timezone.now(), claimed_until=None, last_error=""
            )
            sent += 1
    finally:
        if connection is not None:
            try:
                connection.close()
            except Exception:  # closing a broken connection must not hide the sends done
                logger.warning("closing the mail connection failed")
    return sent
