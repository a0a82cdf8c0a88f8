"""Ending a user's sessions. Used when a licence is deactivated or suspended, when the hub resets a
user's second factor, and when the hub or the user asks for it."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from openmarac.audit.services import audit_record

from .models import User, UserSession


@transaction.atomic
def end_all_sessions(
    *,
    user: User,
    actor: User | None = None,
    reason: str,
    request: HttpRequest | None = None,
) -> None:
    """End every session of ``user`` at once, on whatever device it is.

    Raising the epoch changes the hash each session carries, so Django signs each one out on its
    next request; nothing needs to find the sessions themselves. ``reason`` is a short code
    (``"deactivated"``, ``"mfa_reset"``), never free text.
    """
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    # The session list shows them ended, and their stored sessions go at once.
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    for record in UserSession.objects.filter(user=user, ended_at__isnull=True):
        store(record.session_key).delete(record.session_key)
    UserSession.objects.filter(user=user, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=reason[:30]
    )
    audit_record(
        action="auth.sessions_ended",
        request=request,
        actor=actor,
        obj=user,
        detail={"reason": reason},
    )
