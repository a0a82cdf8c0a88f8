"""Proposing, agreeing, declining and discussing actions. Each service is one transaction with
its audit event and history entry.

* propose — anyone who may see the case: an agency representative, the chair or the hub.
  The owning agency must be active in the case (a standing member of the area, or invited to
  the case) and, before the action is agreed, must have agreed to own it: by volunteering it,
  by one of its users agreeing in advance (recorded with who and when), or by attending the
  meeting that agrees it.
* agree or decline — the chair, or the hub coordinator recording a meeting. Without a meeting,
  only where the area plans actions online between meetings.
* comment — anyone who may see the case, while the action is a proposal or open.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case, CaseParticipant
from openmarac.core.workdays import local_date
from openmarac.meetings.models import Meeting

from ..models import Action, ActionEntry, ActionStatus, EntryKind, OwnerAgreement
from .rules import (
    ActionError,
    action_locked,
    agencies_for_actions,
    clean_text,
    default_due_on,
    history_add,
    is_agreer,
    manager_link,
    notify_owner,
    require_not_frozen,
    require_sees,
)


@transaction.atomic
def action_propose(
    *,
    case: Case,
    owner_agency: Agency,
    what: str,
    addresses: CaseParticipant | str,
    due_on: datetime.date | None,
    rationale: str,
    proposed_by: User,
    request: HttpRequest | None,
    meeting: Meeting | None = None,
    owner_user: User | None = None,
    intervention: str = "",
) -> Action:
    """Propose a SMART action. ``addresses`` is a participant of the case or a named risk;
    ``due_on`` ``None`` takes the area's default. Returns the proposal (not yet agreed)."""
    require_not_frozen(case)
    require_sees(proposed_by, case)
    what = clean_text(what, message="Enter what is to be done")
    rationale = clean_text(rationale, message="Enter the rationale for the action")
    participant: CaseParticipant | None = None
    risk = ""
    if isinstance(addresses, CaseParticipant):
        if addresses.case_id != case.pk:
            raise ActionError("Choose a person in this case")
        participant = addresses
    else:
        risk = clean_text(
            str(addresses or ""), message="Choose the person or name the risk the action addresses"
        )
    if not agencies_for_actions(case).filter(pk=owner_agency.pk).exists():
        raise ActionError(
            f"{owner_agency.name} is not active in this case, so it cannot own an action"
        )
    if owner_user is not None and (
        owner_user.agency_id != owner_agency.pk or not owner_user.is_active
    ):
        raise ActionError("The named person must be an active user of the owning agency")
    if meeting is not None and meeting.area_id != case.area_id:
        raise ActionError("The meeting must be a meeting of the case's area")
    today = local_date(timezone.now())
    if due_on is None:
        due_on = default_due_on(case, today=today)
    if due_on < today:
        raise ActionError("The due date must be today or in the future")
    now = timezone.now()
    volunteered = proposed_by.agency_id == owner_agency.pk
    action = Action.objects.create(
        case=case,
        meeting=meeting,
        owner_agency=owner_agency,
        owner_user=owner_user,
        intervention=intervention[:40],
        what=what,
        addresses_participant=participant,
        addresses_risk=risk,
        due_on=due_on,
        rationale=rationale,
        proposed_by=proposed_by,
        proposed_at=now,
        owner_agreement=OwnerAgreement.VOLUNTEERED if volunteered else "",
        owner_agreed_by=proposed_by if volunteered else None,
        owner_agreed_at=now if volunteered else None,
    )
    history_add(action, EntryKind.PROPOSED, by=proposed_by, at=now)
    audit_record(
        action="action.propose",
        request=request,
        actor=proposed_by,
        obj=action,
        detail={
            "case": case.pk,
            "owner_agency": owner_agency.pk,
            "meeting": getattr(meeting, "pk", None),
        },
    )
    return action


@transaction.atomic
def action_owner_agree(*, action: Action, user: User, request: HttpRequest | None) -> Action:
    """A user of the owning agency agrees, in advance, that their agency will own the action."""
    action = action_locked(action)
    require_not_frozen(action.case)
    require_sees(user, action.case)
    if action.status != ActionStatus.PROPOSED:
        raise ActionError("Only a proposed action can be agreed in advance")
    if user.agency_id != action.owner_agency_id:
        raise ActionError("Only the owning agency can agree to own the action")
    if action.owner_agreed_at is not None:
        return action
    action.owner_agreement = OwnerAgreement.IN_ADVANCE
    action.owner_agreed_by = user
    action.owner_agreed_at = timezone.now()
    action.save(update_fields=["owner_agreement", "owner_agreed_by", "owner_agreed_at"])
    history_add(action, EntryKind.OWNER_AGREED, by=user, at=action.owner_agreed_at)
    audit_record(action="action.owner_agree", request=request, actor=user, obj=action)
    return action


@transaction.atomic
def action_agree(
    *,
    action: Action,
    agreed_by: User,
    request: HttpRequest | None,
    meeting: Meeting | None = None,
    due_on: datetime.date | None = None,
) -> Action:
    """The chair (or the hub recording a meeting) agrees a proposed action; it becomes open.

    At a meeting, an owner agency that has not agreed beforehand is taken to agree by attending
    (the meeting screen only offers agencies present). Without a meeting, the area must plan
    actions online and the owning agency must already have agreed.
    """
    action = action_locked(action)
    case = action.case
    require_not_frozen(case)
    if not is_agreer(agreed_by):
        raise ActionError("Only the chair or the hub can agree actions")
    require_sees(agreed_by, case)
    if action.status != ActionStatus.PROPOSED:
        raise ActionError("Only a proposed action can be agreed")
    if meeting is not None and meeting.area_id != case.area_id:
        raise ActionError("The meeting must be a meeting of the case's area")
    if meeting is None and not case.area.policy.online_action_planning:
        raise ActionError(f"In {case.area.name} actions are agreed at the meeting")
    if not agencies_for_actions(case).filter(pk=action.owner_agency_id).exists():
        raise ActionError(
            f"{action.owner_agency.name} is no longer active in this case; it cannot own an action"
        )
    now = timezone.now()
    fields = ["status", "agreed_by", "agreed_at", "meeting", "due_on"]
    if action.owner_agreed_at is None:
        if meeting is None:
            raise ActionError(
                f"{action.owner_agency.name} has not agreed to own this action: "
                "ask them to agree it first"
            )
        action.owner_agreement = OwnerAgreement.ATTENDING
        action.owner_agreed_at = now
        fields += ["owner_agreement", "owner_agreed_at"]
    today = local_date(now)
    if due_on is not None:
        action.due_on = due_on
    if action.due_on < today:
        raise ActionError("The due date has passed: set a new due date")
    action.status = ActionStatus.AGREED
    action.agreed_by = agreed_by
    action.agreed_at = now
    if meeting is not None:
        action.meeting = meeting
    action.save(update_fields=fields)
    history_add(action, EntryKind.AGREED, by=agreed_by, at=now)
    audit_record(
        action="action.agree",
        request=request,
        actor=agreed_by,
        obj=action,
        detail={"meeting": getattr(meeting, "pk", None)},
    )
    notify_owner(
        action,
        event="action.agreed",
        subject="A MARAC action has been agreed for you",
        body=(
            "A MARAC action has been agreed for your agency.\n\n"
            f"Sign in to see it in the action manager: {manager_link()}\n"
        ),
    )
    return action


@transaction.atomic
def action_decline(*, action: Action, by: User, reason: str, request: HttpRequest | None) -> Action:
    """The chair does not agree a proposal. It stays in the case's history with the reason."""
    action = action_locked(action)
    require_not_frozen(action.case)
    if not is_agreer(by):
        raise ActionError("Only the chair or the hub can decide on proposed actions")
    require_sees(by, action.case)
    if action.status != ActionStatus.PROPOSED:
        raise ActionError("Only a proposed action can be declined")
    reason = clean_text(reason, message="Enter why the action is not agreed")
    now = timezone.now()
    action.status = ActionStatus.DECLINED
    action.closed_by = by
    action.closed_at = now
    action.outcome = reason
    action.save(update_fields=["status", "closed_by", "closed_at", "outcome"])
    history_add(action, EntryKind.DECLINED, by=by, text=reason, at=now)
    audit_record(action="action.decline", request=request, actor=by, obj=action)
    return action


@transaction.atomic
def action_comment(
    *, action: Action, by: User, text: str, request: HttpRequest | None
) -> ActionEntry:
    """Discussion on a proposal or an open action, by anyone who may see the case."""
    action = action_locked(action)
    require_not_frozen(action.case)
    require_sees(by, action.case)
    if action.status not in (ActionStatus.PROPOSED, ActionStatus.AGREED):
        raise ActionError("This action is closed")
    text = clean_text(text, message="Enter your comment")
    entry = history_add(action, EntryKind.COMMENT, by=by, text=text)
    audit_record(action="action.comment", request=request, actor=by, obj=action)
    return entry
