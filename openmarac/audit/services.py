"""Writing audit events. Call inside the transaction of the change being recorded."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from django.db import connection, models, transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.core.types import JSONObject

from .models import AuditEvent, Outcome

if TYPE_CHECKING:
    from openmarac.accounts.models import User

GENESIS = "0" * 64
# Any constant works: it names the advisory lock that serialises writers on PostgreSQL.
_CHAIN_LOCK_ID = 0x4F4D4152


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # REMOTE_ADDR is set by the WSGI server; a proxy in front must be trusted to rewrite it.
    return request.META.get("REMOTE_ADDR") or None


def entry_digest(event: AuditEvent) -> str:
    payload = json.dumps(
        {
            "at": event.at.isoformat(),
            "actor": event.actor_id,
            "actor_label": event.actor_label,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "ip": event.ip_address,
            "outcome": event.outcome,
            "detail": event.detail,
            "previous": event.previous_hash,
        },
        sort_keys=True,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_ID])
    # SQLite runs every write transaction IMMEDIATE (see settings), which serialises writers.


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: User | None = None,
    actor_label: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    outcome: str = Outcome.SUCCESS,
    detail: JSONObject | None = None,
) -> AuditEvent:
    """Append one event. ``detail`` must hold identifiers and codes only, never personal data."""
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    with transaction.atomic():
        _lock_chain()
        last = AuditEvent.objects.order_by("-id").values_list("entry_hash", flat=True).first()
        event = AuditEvent(
            at=timezone.now(),
            actor=actor if actor is not None and getattr(actor, "pk", None) else None,
            actor_label=actor_label[:80],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            ip_address=client_ip(request),
            outcome=outcome,
            detail=detail or {},
            previous_hash=last or GENESIS,
        )
        event.entry_hash = entry_digest(event)
        event.save(force_insert=True)
    return event
