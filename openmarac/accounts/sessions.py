"""Ending a user's sessions. Used when a licence is deactivated or suspended, when the hub resets a
user's second factor, and when the hub or the user asks for it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from openmarac.audit.services import audit_record

from .models import User


@transaction.atomic
def end_all_sessions(*, user: User, actor: Any = None, reason: str, request: Any = None) -> None:
    """End every session of ``user`` at once, on whatever device it is.

    Raising the epoch changes the hash each session carries, so Django signs each one out on its
    next request; nothing needs to find the sessions themselves. ``reason`` is a short code
    (``"deactivated"``, ``"mfa_reset"``), never free text.
    """
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    audit_record(
        action="auth.sessions_ended",
        request=request,
        actor=actor,
        obj=user,
        detail={"reason": reason},
    )
