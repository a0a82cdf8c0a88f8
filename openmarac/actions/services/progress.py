"""The owning agency's work on an agreed action: progress updates, completing it, or marking it
not feasible. Only users of the owning agency may do these; nothing is ever deleted. Each
service is one transaction with its audit event and history entry.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record

from ..models import Action, ActionEntry, ActionStatus, EntryKind, NotFeasibleReason
from .rules import (
    ActionError,
    action_locked,
    clean_text,
    history_add,
    require_not_frozen,
    require_owner,
)


@transaction.atomic
def action_update_add(
    *, action: Action, by: User, text: str, request: HttpRequest | None
) -> ActionEntry:
    """A timestamped progress update by the owning agency. After an overdue escalation the
    first update is recorded as the rationale the protocol asks for."""
    action = action_locked(action)
    require_not_frozen(action.case)
    require_owner(action, by)
    if action.status != ActionStatus.AGREED:
        raise ActionError("Only an open action can be updated")
    text = clean_text(text, message="Enter the update")
    now = timezone.now()
    kind = EntryKind.UPDATE
    if (
        action.escalated_at is not None
        and not action.entries.filter(kind=EntryKind.RATIONALE).exists()
    ):
        kind = EntryKind.RATIONALE
    entry = history_add(action, kind, by=by, text=text, at=now)
    action.last_update_at = now
    action.no_update_marked_at = None
    action.save(update_fields=["last_update_at", "no_update_marked_at"])
    audit_record(
        action="action.update", request=request, actor=by, obj=action, detail={"kind": kind}
    )
    return entry


@transaction.atomic
def action_complete(
    *, action: Action, by: User, outcome: str, request: HttpRequest | None
) -> Action:
    """The owning agency completes the action, saying what was done."""
    action = action_locked(action)
    require_not_frozen(action.case)
    require_owner(action, by)
    if action.status != ActionStatus.AGREED:
        raise ActionError("Only an open action can be completed")
    outcome = clean_text(outcome, message="Enter the outcome of the action")
    now = timezone.now()
    action.status = ActionStatus.COMPLETED
    action.outcome = outcome
    action.closed_by = by
    action.closed_at = now
    action.last_update_at = now
    action.save(update_fields=["status", "outcome", "closed_by", "closed_at", "last_update_at"])
    history_add(action, EntryKind.COMPLETED, by=by, text=outcome, at=now)
    audit_record(action="action.complete", request=request, actor=by, obj=action)
    return action


@transaction.atomic
def action_mark_not_feasible(
    *, action: Action, by: User, reason: str, explanation: str, request: HttpRequest | None
) -> Action:
    """The owning agency cannot do the action (legal reasons, remit, change of circumstances).
    The action stays on the record with the reason; it is never dropped."""
    action = action_locked(action)
    require_not_frozen(action.case)
    require_owner(action, by)
    if action.status != ActionStatus.AGREED:
        raise ActionError("Only an open action can be marked not feasible")
    if reason not in NotFeasibleReason.values:
        raise ActionError("Choose why the action is not feasible")
    explanation = clean_text(explanation, message="Explain why the action is not feasible")
    now = timezone.now()
    action.status = ActionStatus.NOT_FEASIBLE
    action.not_feasible_reason = reason
    action.outcome = explanation
    action.closed_by = by
    action.closed_at = now
    action.last_update_at = now
    action.save(
        update_fields=[
            "status",
            "not_feasible_reason",
            "outcome",
            "closed_by",
            "closed_at",
            "last_update_at",
        ]
    )
    label = NotFeasibleReason(reason).label
    history_add(action, EntryKind.NOT_FEASIBLE, by=by, text=f"{label}: {explanation}", at=now)
    audit_record(
        action="action.not_feasible",
        request=request,
        actor=by,
        obj=action,
        detail={"reason": reason},
    )
    return action
