"""Changing actions. Each service is one transaction with its audit event and history entry.

Who may do what (checked here, so that the meeting screen and the case page share the rules):

* propose — anyone who may see the case: an agency representative, the chair or the hub.
  The owning agency must be active in the case (a standing member of the area, or invited to
  the case) and, before the action is agreed, must have agreed to own it: by volunteering it,
  by one of its users agreeing in advance (recorded with who and when), or by attending the
  meeting that agrees it.
* agree or decline — the chair, or the hub coordinator recording a meeting. Without a meeting,
  only where the area plans actions online between meetings.
* update, complete, mark not feasible — users of the owning agency only. Nothing is deleted.
* comment — anyone who may see the case, while the action is a proposal or open.

A frozen case (a death recorded) refuses every change.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from openmarac.agencies.models import Agency
from openmarac.agencies.selectors import agencies_active_in
from openmarac.audit.services import audit_record
from openmarac.cases import lifecycle
from openmarac.cases.models import Case, CaseInvitation, CaseParticipant
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.workdays import calendar_for, local_date
from openmarac.meetings.models import Meeting
from openmarac.notifications.services import notice_record

from .models import (
    Action,
    ActionEntry,
    ActionStatus,
    EntryKind,
    EscalationContact,
    NotFeasibleReason,
    OwnerAgreement,
    PlanningStage,
    ProfessionalsMeetingReason,
    ProfessionalsMeetingRequest,
)

MAX_TEXT = 4000


class ActionError(Exception):
    """A change the rules do not allow; the message is safe to show to the user."""


# ---------------------------------------------------------------------------------------------
# Rules shared by the services and the forms.


def agencies_for_actions(case: Case) -> QuerySet[Agency]:
    """Agencies that may own an action on ``case``: standing members of its area that take part
    today, and agencies currently invited to the case."""
    now = timezone.now()
    invited = CaseInvitation.objects.filter(case=case).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    standing = agencies_active_in(case.area).values("pk")
    return (
        Agency.objects.filter(
            Q(pk__in=standing) | Q(pk__in=invited.values("agency_id")),
            partnership_id=case.partnership_id,
            is_hub=False,
        )
        .distinct()
        .order_by("name")
    )


def default_due_on(case: Case, *, today: datetime.date | None = None) -> datetime.date:
    """The area's default due date: its number of working days from today (Lincolnshire 5)."""
    today = today or local_date(timezone.now())
    days = case.area.policy.action_default_due_working_days
    return calendar_for(case.partnership).add_working_days(today, days)


def case_is_frozen(case: Case) -> bool:
    """Whether the case's record is frozen (a death recorded), per ``cases.lifecycle``."""
    return lifecycle.case_is_frozen(case)


def _require_not_frozen(case: Case) -> None:
    if case_is_frozen(case):
        raise ActionError("This case's record is frozen: actions can no longer be changed")


def _sees(user: Any, case: Case) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def _require_sees(user: Any, case: Case) -> None:
    if not _sees(user, case):
        raise ActionError("You do not have access to this case")


def _is_agreer(user: Any) -> bool:
    return bool(user.is_chair or user.is_hub_coordinator)


def _clean_text(value: str, *, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionError(message)
    if len(value) > MAX_TEXT:
        raise ActionError(f"Use {MAX_TEXT} characters or fewer")
    return value


def _entry(
    action: Action,
    kind: str,
    *,
    by: Any = None,
    text: str = "",
    at: datetime.datetime | None = None,
) -> ActionEntry:
    return ActionEntry.objects.create(
        action=action,
        kind=kind,
        text=text,
        at=at or timezone.now(),
        by=by if getattr(by, "pk", None) else None,
        by_agency_id=getattr(by, "agency_id", None),
    )


def _locked(action: Action) -> Action:
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("case__area__policy")
        .get(pk=action.pk)
    )


def _notify_owner(action: Action, *, event: str, subject: str, body: str) -> None:
    """Tell the owner (the named person, else the agency's representatives); no case data."""
    recipients = (
        [action.owner_user]
        if action.owner_user is not None
        else list(action.owner_agency.users.filter(is_active=True, is_agency_rep=True))
    )
    for user in recipients:
        notice_record(
            event=event,
            instance=f"action:{action.pk}",
            recipient_email=user.email,
            recipient_user=user,
            subject=subject,
            body=body,
            obj=action,
        )


def manager_link() -> str:
    from django.conf import settings

    return f"{settings.SITE_URL.rstrip('/')}{reverse('actions:manager')}"


# ---------------------------------------------------------------------------------------------
# Proposing and agreeing.


@transaction.atomic
def action_propose(
    *,
    case: Case,
    owner_agency: Agency,
    what: str,
    addresses: CaseParticipant | str,
    due_on: datetime.date | None,
    rationale: str,
    proposed_by: Any,
    request: Any,
    meeting: Meeting | None = None,
    owner_user: Any = None,
    intervention: str = "",
) -> Action:
    """Propose a SMART action. ``addresses`` is a participant of the case or a named risk;
    ``due_on`` ``None`` takes the area's default. Returns the proposal (not yet agreed)."""
    _require_not_frozen(case)
    _require_sees(proposed_by, case)
    what = _clean_text(what, message="Enter what is to be done")
    rationale = _clean_text(rationale, message="Enter the rationale for the action")
    participant: CaseParticipant | None = None
    risk = ""
    if isinstance(addresses, CaseParticipant):
        if addresses.case_id != case.pk:
            raise ActionError("Choose a person in this case")
        participant = addresses
    else:
        risk = _clean_text(
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
    _entry(action, EntryKind.PROPOSED, by=proposed_by, at=now)
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
def action_owner_agree(*, action: Action, user: Any, request: Any) -> Action:
    """A user of the owning agency agrees, in advance, that their agency will own the action."""
    action = _locked(action)
    _require_not_frozen(action.case)
    _require_sees(user, action.case)
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
    _entry(action, EntryKind.OWNER_AGREED, by=user, at=action.owner_agreed_at)
    audit_record(action="action.owner_agree", request=request, actor=user, obj=action)
    return action


@transaction.atomic
def action_agree(
    *,
    action: Action,
    agreed_by: Any,
    request: Any,
    meeting: Meeting | None = None,
    due_on: datetime.date | None = None,
) -> Action:
    """The chair (or the hub recording a meeting) agrees a proposed action; it becomes open.

    At a meeting, an owner agency that has not agreed beforehand is taken to agree by attending
    (the meeting screen only offers agencies present). Without a meeting, the area must plan
    actions online and the owning agency must already have agreed.
    """
    action = _locked(action)
    case = action.case
    _require_not_frozen(case)
    if not _is_agreer(agreed_by):
        raise ActionError("Only the chair or the hub can agree actions")
    _require_sees(agreed_by, case)
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
    _entry(action, EntryKind.AGREED, by=agreed_by, at=now)
    audit_record(
        action="action.agree",
        request=request,
        actor=agreed_by,
        obj=action,
        detail={"meeting": getattr(meeting, "pk", None)},
    )
    _notify_owner(
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
def action_decline(*, action: Action, by: Any, reason: str, request: Any) -> Action:
    """The chair does not agree a proposal. It stays in the case's history with the reason."""
    action = _locked(action)
    _require_not_frozen(action.case)
    if not _is_agreer(by):
        raise ActionError("Only the chair or the hub can decide on proposed actions")
    _require_sees(by, action.case)
    if action.status != ActionStatus.PROPOSED:
        raise ActionError("Only a proposed action can be declined")
    reason = _clean_text(reason, message="Enter why the action is not agreed")
    now = timezone.now()
    action.status = ActionStatus.DECLINED
    action.closed_by = by
    action.closed_at = now
    action.outcome = reason
    action.save(update_fields=["status", "closed_by", "closed_at", "outcome"])
    _entry(action, EntryKind.DECLINED, by=by, text=reason, at=now)
    audit_record(action="action.decline", request=request, actor=by, obj=action)
    return action


@transaction.atomic
def action_comment(*, action: Action, by: Any, text: str, request: Any) -> ActionEntry:
    """Discussion on a proposal or an open action, by anyone who may see the case."""
    action = _locked(action)
    _require_not_frozen(action.case)
    _require_sees(by, action.case)
    if action.status not in (ActionStatus.PROPOSED, ActionStatus.AGREED):
        raise ActionError("This action is closed")
    text = _clean_text(text, message="Enter your comment")
    entry = _entry(action, EntryKind.COMMENT, by=by, text=text)
    audit_record(action="action.comment", request=request, actor=by, obj=action)
    return entry


# ---------------------------------------------------------------------------------------------
# The owning agency's updates.


def _require_owner(action: Action, user: Any) -> None:
    _require_sees(user, action.case)
    if user.agency_id != action.owner_agency_id:
        raise ActionError("Only the agency that owns the action can update it")


def can_update(user: Any, action: Action) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.agency_id == action.owner_agency_id
        and action.status == ActionStatus.AGREED
    )


@transaction.atomic
def action_update_add(*, action: Action, by: Any, text: str, request: Any) -> ActionEntry:
    """A timestamped progress update by the owning agency. After an overdue escalation the
    first update is recorded as the rationale the protocol asks for."""
    action = _locked(action)
    _require_not_frozen(action.case)
    _require_owner(action, by)
    if action.status != ActionStatus.AGREED:
        raise ActionError("Only an open action can be updated")
    text = _clean_text(text, message="Enter the update")
    now = timezone.now()
    kind = EntryKind.UPDATE
    if (
        action.escalated_at is not None
        and not action.entries.filter(kind=EntryKind.RATIONALE).exists()
    ):
        kind = EntryKind.RATIONALE
    entry = _entry(action, kind, by=by, text=text, at=now)
    action.last_update_at = now
    action.no_update_marked_at = None
    action.save(update_fields=["last_update_at", "no_update_marked_at"])
    audit_record(
        action="action.update", request=request, actor=by, obj=action, detail={"kind": kind}
    )
    return entry


@transaction.atomic
def action_complete(*, action: Action, by: Any, outcome: str, request: Any) -> Action:
    """The owning agency completes the action, saying what was done."""
    action = _locked(action)
    _require_not_frozen(action.case)
    _require_owner(action, by)
    if action.status != ActionStatus.AGREED:
        raise ActionError("Only an open action can be completed")
    outcome = _clean_text(outcome, message="Enter the outcome of the action")
    now = timezone.now()
    action.status = ActionStatus.COMPLETED
    action.outcome = outcome
    action.closed_by = by
    action.closed_at = now
    action.last_update_at = now
    action.save(update_fields=["status", "outcome", "closed_by", "closed_at", "last_update_at"])
    _entry(action, EntryKind.COMPLETED, by=by, text=outcome, at=now)
    audit_record(action="action.complete", request=request, actor=by, obj=action)
    return action


@transaction.atomic
def action_mark_not_feasible(
    *, action: Action, by: Any, reason: str, explanation: str, request: Any
) -> Action:
    """The owning agency cannot do the action (legal reasons, remit, change of circumstances).
    The action stays on the record with the reason; it is never dropped."""
    action = _locked(action)
    _require_not_frozen(action.case)
    _require_owner(action, by)
    if action.status != ActionStatus.AGREED:
        raise ActionError("Only an open action can be marked not feasible")
    if reason not in NotFeasibleReason.values:
        raise ActionError("Choose why the action is not feasible")
    explanation = _clean_text(explanation, message="Explain why the action is not feasible")
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
    _entry(action, EntryKind.NOT_FEASIBLE, by=by, text=f"{label}: {explanation}", at=now)
    audit_record(
        action="action.not_feasible",
        request=request,
        actor=by,
        obj=action,
        detail={"reason": reason},
    )
    return action


# ---------------------------------------------------------------------------------------------
# Online action planning between meetings (Kent hub model, 000 §3.6 and §4.3).


@transaction.atomic
def planning_stage_open(
    *, case: Case, actor: Any, request: Any = None, now: datetime.datetime | None = None
) -> PlanningStage:
    """Open the case's online action-planning stage for the area's number of working days.

    Called by the hub coordinator, or with no actor once research is in. Opening a stage that
    is already open returns it unchanged.
    """
    _require_not_frozen(case)
    policy = case.area.policy
    if not policy.online_action_planning:
        raise ActionError(f"{case.area.name} agrees actions at its meetings, not online")
    if actor is not None and not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can open action planning")
    if actor is not None:
        _require_sees(actor, case)
    existing = planning_stage_current(case)
    if existing is not None:
        return existing
    now = now or timezone.now()
    closes_on = calendar_for(case.partnership).add_working_days(
        local_date(now), policy.action_planning_working_days
    )
    stage = PlanningStage.objects.create(
        case=case,
        opened_at=now,
        opened_by=actor if getattr(actor, "pk", None) else None,
        closes_on=closes_on,
    )
    audit_record(
        action="action_planning.open",
        request=request,
        actor=actor,
        obj=stage,
        detail={"case": case.pk, "closes_on": closes_on.isoformat()},
    )
    for user in _area_members(case):
        notice_record(
            event="action_planning.open",
            instance=f"planning:{stage.pk}",
            recipient_email=user.email,
            recipient_user=user,
            subject="Online action planning has started on a MARAC case",
            body=(
                "Online action planning has started on a MARAC case in your area.\n\n"
                f"Sign in to propose and discuss actions: {manager_link()}\n"
            ),
            obj=stage,
        )
    return stage


def planning_stage_current(case: Case) -> PlanningStage | None:
    return PlanningStage.objects.filter(case=case, closed_at__isnull=True).first()


def _area_members(case: Case) -> list[Any]:
    """Active representatives of the agencies that may own actions on the case."""
    from openmarac.accounts.models import User

    return list(
        User.objects.filter(
            agency__in=agencies_for_actions(case), is_active=True, is_agency_rep=True
        ).order_by("pk")
    )


@transaction.atomic
def planning_stage_close(
    *, stage: PlanningStage, actor: Any = None, request: Any = None
) -> PlanningStage:
    """End the stage: by the sweep after its last working day, or by the hub. Proposals not yet
    agreed stay proposals, for the area meeting."""
    stage = PlanningStage.objects.select_for_update().get(pk=stage.pk)
    if stage.closed_at is not None:
        return stage
    if actor is not None and not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can close action planning")
    stage.closed_at = timezone.now()
    stage.save(update_fields=["closed_at"])
    audit_record(action="action_planning.close", request=request, actor=actor, obj=stage)
    return stage


@transaction.atomic
def professionals_meeting_request(
    *, case: Case, by: Any, reason: str, note: str, request: Any
) -> ProfessionalsMeetingRequest:
    """Any member who may see the case asks for a professionals' meeting (complex or urgent).
    The hub is told; the request records how many agencies were involved at the time."""
    from .selectors import agencies_involved

    _require_not_frozen(case)
    _require_sees(by, case)
    if reason not in ProfessionalsMeetingReason.values:
        raise ActionError("Choose why a professionals' meeting is needed")
    if ProfessionalsMeetingRequest.objects.filter(case=case, meeting__isnull=True).exists():
        raise ActionError("A professionals' meeting has already been asked for on this case")
    asked = ProfessionalsMeetingRequest.objects.create(
        case=case,
        reason=reason,
        note=(note or "").strip()[:MAX_TEXT],
        requested_by=by,
        requested_at=timezone.now(),
        agencies_involved=agencies_involved(case),
    )
    audit_record(
        action="professionals_meeting.request",
        request=request,
        actor=by,
        obj=asked,
        detail={"case": case.pk, "reason": reason},
    )
    from django.conf import settings

    notice_record(
        event="professionals_meeting.request",
        instance=f"pmr:{asked.pk}",
        recipient_email=case.partnership.hub_email,
        subject="A professionals' meeting has been asked for",
        body=(
            "A member has asked for a professionals' meeting on a MARAC case.\n\n"
            f"Sign in to schedule it: {settings.SITE_URL.rstrip('/')}"
            f"{reverse('actions:professionals_list')}\n"
        ),
        obj=asked,
    )
    return asked


@transaction.atomic
def professionals_meeting_schedule(
    *,
    asked: ProfessionalsMeetingRequest,
    starts_on: datetime.date,
    start_time: datetime.time | None,
    actor: Any,
    request: Any,
) -> ProfessionalsMeetingRequest:
    """The hub schedules the requested professionals' meeting: a meeting of the professionals'
    kind in the case's area, with the case listed at it, minuted like any meeting."""
    from openmarac.meetings.models import ListingReason, MeetingKind
    from openmarac.meetings.services import MeetingError, case_list, meeting_add

    asked = ProfessionalsMeetingRequest.objects.select_for_update().get(pk=asked.pk)
    case = asked.case
    _require_not_frozen(case)
    if not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can schedule a professionals' meeting")
    _require_sees(actor, case)
    if asked.meeting_id is not None:
        raise ActionError("This professionals' meeting has already been scheduled")
    try:
        meeting = meeting_add(
            area=case.area,
            starts_on=starts_on,
            start_time=start_time,
            kind=MeetingKind.PROFESSIONALS,
            actor=actor,
            request=request,
        )
        case_list(
            case=case,
            actor=actor,
            reason=ListingReason.REVIEW,
            meeting=meeting,
            request=request,
        )
    except MeetingError as exc:
        raise ActionError(str(exc)) from exc
    asked.meeting = meeting
    asked.scheduled_by = actor
    asked.scheduled_at = timezone.now()
    asked.save(update_fields=["meeting", "scheduled_by", "scheduled_at"])
    audit_record(
        action="professionals_meeting.schedule",
        request=request,
        actor=actor,
        obj=asked,
        detail={"meeting": meeting.pk},
    )
    for user in _area_members(case):
        notice_record(
            event="professionals_meeting.scheduled",
            instance=f"pmr:{asked.pk}",
            recipient_email=user.email,
            recipient_user=user,
            subject="A professionals' meeting has been arranged",
            body=(
                "A professionals' meeting has been arranged on a MARAC case in your area.\n\n"
                "Sign in to see the date and the case.\n"
            ),
            obj=asked,
        )
    return asked


# ---------------------------------------------------------------------------------------------
# Escalation contacts and the intervention library (hub).


@transaction.atomic
def escalation_contact_set(
    *, agency: Agency, user: Any, email: str, actor: Any, request: Any
) -> EscalationContact:
    """Record the line manager of ``user`` (or, with no user, the agency's MARAC lead) to be
    copied when one of their actions is escalated as overdue."""
    if not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can record line managers")
    if user is not None and user.agency_id != agency.pk:
        raise ActionError("The user must belong to the agency")
    email = (email or "").strip()
    if not email:
        raise ActionError("Enter the line manager's e-mail address")
    contact, _ = EscalationContact.objects.update_or_create(
        agency=agency,
        user=user,
        defaults={"email": email, "updated_by": actor},
    )
    audit_record(action="escalation_contact.set", request=request, actor=actor, obj=contact)
    return contact


def escalation_contact_for(user: Any, agency: Agency) -> str:
    """The e-mail to copy on escalation: the user's line manager, else the agency's lead."""
    contact = None
    if user is not None:
        contact = EscalationContact.objects.filter(user=user).first()
    if contact is None:
        contact = EscalationContact.objects.filter(agency=agency, user__isnull=True).first()
    return contact.email if contact else ""


@transaction.atomic
def library_save(
    *, partnership: Any, entries: list[dict[str, Any]], actor: Any, request: Any
) -> int:
    """Replace the partnership's intervention library (the hub's edit). Entries no longer in the
    list are kept but made inactive, so actions that name them still read sensibly."""
    from .models import Intervention

    if not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can edit the library")
    seen = []
    for position, entry in enumerate(entries):
        slug = str(entry["slug"])[:40]
        Intervention.objects.update_or_create(
            partnership=partnership,
            slug=slug,
            defaults={
                "title": str(entry["title"]).strip()[:120],
                "what": str(entry["what"]).strip(),
                "sector": str(entry.get("sector", ""))[:20],
                "position": position,
                "active": True,
            },
        )
        seen.append(slug)
    Intervention.objects.filter(partnership=partnership).exclude(slug__in=seen).update(active=False)
    audit_record(
        action="intervention_library.save",
        request=request,
        actor=actor,
        obj=partnership,
        detail={"entries": len(seen)},
    )
    return len(seen)


@transaction.atomic
def intervention_save(
    *,
    partnership: Any,
    slug: str | None,
    title: str,
    what: str,
    active: bool,
    actor: Any,
    request: Any,
) -> Any:
    """Add (``slug`` None) or change one entry of the partnership's library. The first change
    copies the built-in list, so the partnership's own library starts complete."""
    from django.utils.text import slugify

    from .library import BUILT_IN
    from .models import Intervention

    if not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can edit the library")
    title = _clean_text(title, message="Enter the intervention's name")[:120]
    what = _clean_text(what, message="Enter the text the action starts from")
    rows = Intervention.objects.filter(partnership=partnership)
    if not rows.exists():
        Intervention.objects.bulk_create(
            Intervention(
                partnership=partnership,
                slug=entry.slug,
                title=entry.title,
                what=entry.what,
                sector=entry.sector,
                position=position,
            )
            for position, entry in enumerate(BUILT_IN)
        )
    if slug is None:
        base = slugify(title)[:34] or "intervention"
        slug = base
        number = 1
        while rows.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        entry = Intervention.objects.create(
            partnership=partnership,
            slug=slug,
            title=title,
            what=what,
            active=active,
            position=rows.count(),
        )
    else:
        entry = rows.get(slug=slug)
        entry.title, entry.what, entry.active = title, what, active
        entry.save(update_fields=["title", "what", "active"])
    audit_record(action="intervention.save", request=request, actor=actor, obj=entry)
    return entry
