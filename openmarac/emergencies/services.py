"""Changing emergency MARAC requests. Each service is one transaction with its audit event.

Who may call what:

* ``emergency_request`` — the hub, on an open case; ``emergency_request_from_referral`` — triage,
  when it accepts a referral whose referrer asked for an emergency MARAC.
* ``emergency_approve`` and ``emergency_refuse`` — the role the area's policy names (the MARAC
  manager or DA operational lead, who hold the hub manager role, or the chair).
* ``emergency_urgent_action`` — the chair or the hub, recording an action at the emergency MARAC.

Notices name no person: they point to the request's page, which only those who may see the case
can open.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.actions.models import Action
from openmarac.actions.services.proposals import action_agree, action_propose
from openmarac.actions.services.rules import ActionError
from openmarac.agencies.models import Agency
from openmarac.audit.services import audit_record
from openmarac.cases.lifecycle import case_agencies, case_agency_users, case_is_frozen
from openmarac.cases.models import Case, CaseParticipant, CaseStatus, ParticipantRole
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.workdays import local_date
from openmarac.meetings.models import ListingReason, ListingStatus, MeetingKind, MeetingStatus
from openmarac.meetings.services import MeetingError, case_list, meeting_add
from openmarac.notifications.services import notice_record
from openmarac.partnerships.models import EmergencyDecider
from openmarac.referrals.models import Referral
from openmarac.research.models import ResearchRequest
from openmarac.research.services import ResearchError, agenda_publish

from .models import EmergencyRequest, EmergencyStatus

MAX_TEXT = 5000


class EmergencyError(Exception):
    """A change the rules do not allow; the message is safe to show to the user."""


def _site(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _link(asked: EmergencyRequest) -> str:
    return _site(reverse("emergencies:detail", kwargs={"public_id": asked.public_id}))


def _text(value: str, *, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise EmergencyError(message)
    if len(value) > MAX_TEXT:
        raise EmergencyError(f"Enter no more than {MAX_TEXT} characters")
    return value


def _sees(user: User, case: Case) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def may_decide(user: User, case: Case) -> bool:
    """Whether ``user`` holds the role the area's policy names to decide, and may see the case."""
    decider = case.area.policy.emergency_decided_by
    if decider == EmergencyDecider.CHAIR:
        holds = bool(user.is_chair)
    else:
        holds = bool(user.is_hub_manager and user.is_hub_coordinator)
    return holds and user.is_active and _sees(user, case)


def deciders_for(case: Case) -> list[User]:
    """The active users who may decide a request on ``case``."""
    if case.area.policy.emergency_decided_by == EmergencyDecider.CHAIR:
        users = User.objects.filter(is_chair=True)
    else:
        users = User.objects.filter(is_hub_manager=True, is_hub_coordinator=True)
    users = users.filter(is_active=True, agency__partnership_id=case.partnership_id)
    return [user for user in users.order_by("pk") if _sees(user, case)]


def _require_open_case(case: Case) -> None:
    if case_is_frozen(case):
        raise EmergencyError("This case's record is frozen because a death has been recorded")
    if case.status != CaseStatus.OPEN:
        raise EmergencyError("An emergency MARAC can only be asked for on an open case")


@transaction.atomic
def emergency_request(
    *,
    case: Case,
    reason: str,
    actor: User,
    request: HttpRequest | None,
    referral: Referral | None = None,
    referring_agency: Agency | None = None,
    requested_at: datetime.datetime | None = None,
) -> EmergencyRequest:
    """Ask for an emergency MARAC on ``case`` with the reason. The deciders and the hub are told.

    A case has at most one request waiting for a decision.
    """
    if not actor.is_hub_coordinator or not _sees(actor, case):
        raise EmergencyError("Only the hub can ask for an emergency MARAC on a case")
    _require_open_case(case)
    reason = _text(reason, message="Enter why the case cannot wait for the next meeting")
    if EmergencyRequest.objects.filter(case=case, status=EmergencyStatus.REQUESTED).exists():
        raise EmergencyError("An emergency MARAC has already been asked for on this case")
    asked = EmergencyRequest.objects.create(
        case=case,
        referral=referral,
        reason=reason,
        referring_agency=referring_agency,
        requested_by=actor,
        requested_at=requested_at or timezone.now(),
    )
    audit_record(
        action="emergency.request",
        request=request,
        actor=actor,
        obj=asked,
        detail={"case": case.pk, "referral": getattr(referral, "pk", None)},
    )
    recipients: list[tuple[str, User | None]] = [(u.email, u) for u in deciders_for(case)]
    recipients.append((case.partnership.hub_email, None))
    for email, user in recipients:
        notice_record(
            event="emergency.requested",
            instance=f"emergency:{asked.pk}",
            recipient_email=email,
            recipient_user=user,
            subject="An emergency MARAC has been asked for",
            body=(
                "An emergency MARAC has been asked for on a MARAC case. It needs a decision "
                f"now.\n\nSign in to decide: {_link(asked)}\n"
            ),
            obj=asked,
        )
    return asked


def emergency_request_from_referral(
    *, referral: Referral, case: Case, actor: User, request: HttpRequest | None
) -> EmergencyRequest:
    """The request the referrer made in the referral journey, once the hub accepts it: its clock
    runs from the referral's submission. A request already waiting on the case (a repeat)
    stands."""
    waiting = EmergencyRequest.objects.filter(case=case, status=EmergencyStatus.REQUESTED).first()
    if waiting is not None:
        return waiting
    handling = referral.answers.get("handling", {})
    return emergency_request(
        case=case,
        reason=str(handling.get("emergency_reason") or "Asked for on the referral"),
        actor=actor,
        request=request,
        referral=referral,
        referring_agency=referral.referrer_agency,
        requested_at=referral.submitted_at,
    )


def _locked(asked: EmergencyRequest, actor: User) -> EmergencyRequest:
    asked = (
        EmergencyRequest.objects.select_for_update(of=("self",))
        .select_related("case__area__policy", "case__partnership")
        .get(pk=asked.pk)
    )
    if asked.status != EmergencyStatus.REQUESTED:
        raise EmergencyError("This request has already been decided")
    if not may_decide(actor, asked.case):
        raise EmergencyError(
            f"Only {asked.case.area.policy.get_emergency_decided_by_display().lower()} can "
            "decide this request"
        )
    _require_open_case(asked.case)
    return asked


def _local(day: datetime.date, at: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, at))


def _invite(asked: EmergencyRequest) -> int:
    """Tell the statutory agencies taking part in the case, and the referring agency, at once
    (001 S2 Part 4 step 3). Non-statutory agencies are not expected to attend."""
    case = asked.case
    meeting = asked.meeting
    assert meeting is not None
    sent = 0
    for agency in case_agencies(case):
        must_attend = agency.pk == asked.referring_agency_id
        if not (agency.statutory or must_attend):
            continue
        for user in case_agency_users(case, agency):
            notice = notice_record(
                event="emergency.invited",
                instance=f"emergency:{asked.pk}:agency:{agency.pk}",
                recipient_email=user.email,
                recipient_user=user,
                subject="An emergency MARAC has been called",
                body=(
                    f"An emergency MARAC has been called in {case.area.name} on "
                    f"{meeting.starts_on:%A %-d %B %Y} at {meeting.start_time:%H:%M}. "
                    + (
                        "Your agency asked for it and must attend."
                        if must_attend
                        else "Your agency is invited to attend."
                    )
                    + f"\n\nSign in to see it: {_link(asked)}\n"
                ),
                obj=asked,
            )
            sent += notice is not None
    return sent


def _list_for_review(asked: EmergencyRequest, actor: User, request: HttpRequest | None) -> None:
    """List the case first on the next regular agenda after the emergency MARAC, for review
    (001 S2 Part 4 step 7): an existing listing takes the emergency reason."""
    assert asked.meeting is not None
    later = (
        asked.case.listings.filter(
            status=ListingStatus.LISTED,
            meeting__status=MeetingStatus.SCHEDULED,
            meeting__kind__in=(MeetingKind.REGULAR, MeetingKind.EXTRA),
            meeting__starts_on__gt=asked.meeting.starts_on,
        )
        .select_related("meeting")
        .order_by("meeting__starts_on")
        .first()
    )
    if later is not None:
        later.reason = ListingReason.EMERGENCY
        later.save(update_fields=["reason"])
        audit_record(
            action="listing.reason",
            request=request,
            actor=actor,
            obj=later,
            detail={"reason": ListingReason.EMERGENCY},
        )
        return
    case_list(
        case=asked.case,
        actor=actor,
        reason=ListingReason.EMERGENCY,
        referral=asked.referral,
        request=request,
        on=asked.meeting.starts_on,
    )


@transaction.atomic
def emergency_approve(
    *,
    asked: EmergencyRequest,
    starts_on: datetime.date,
    start_time: datetime.time,
    actor: User,
    request: HttpRequest | None,
    note: str = "",
) -> EmergencyRequest:
    """Approve the request: an emergency meeting within the area's limit with the case listed
    at it, its agenda published at once so research is asked for with an hours deadline, the
    statutory and referring agencies told, and the case listed first on its next regular agenda.
    """
    asked = _locked(asked, actor)
    case = asked.case
    policy = case.area.policy
    now = timezone.now()
    starts_at = _local(starts_on, start_time)
    if starts_at < now:
        raise EmergencyError("The emergency MARAC cannot start in the past")
    held_by = None
    if policy.emergency_within_hours is not None:
        held_by = now + datetime.timedelta(hours=policy.emergency_within_hours)
        if starts_at > held_by:
            raise EmergencyError(
                f"{case.area.name} holds an emergency MARAC within "
                f"{policy.emergency_within_hours} hours: choose a time by "
                f"{timezone.localtime(held_by):%-d %B %Y %H:%M}"
            )
    try:
        meeting = meeting_add(
            area=case.area,
            starts_on=starts_on,
            start_time=start_time,
            kind=MeetingKind.EMERGENCY,
            actor=actor,
            request=request,
        )
        case_list(
            case=case,
            actor=actor,
            reason=ListingReason.EMERGENCY,
            referral=asked.referral,
            meeting=meeting,
            request=request,
        )
        agenda_publish(meeting=meeting, actor=actor, request=request)
    except (MeetingError, ResearchError) as exc:
        raise EmergencyError(str(exc)) from exc
    research_due_at = min(
        now + datetime.timedelta(hours=policy.emergency_research_hours), starts_at
    )
    ResearchRequest.objects.filter(listing__meeting=meeting).update(
        due_on=local_date(research_due_at)
    )
    asked.status = EmergencyStatus.APPROVED
    asked.decided_by = actor
    asked.decided_at = now
    asked.decision_note = (note or "").strip()[:MAX_TEXT]
    asked.meeting = meeting
    asked.held_by = held_by
    asked.slot_minutes = policy.emergency_slot_minutes
    asked.research_due_at = research_due_at
    asked.save()
    audit_record(
        action="emergency.approve",
        request=request,
        actor=actor,
        obj=asked,
        detail={"case": case.pk, "meeting": meeting.pk},
    )
    try:
        _list_for_review(asked, actor, request)
    except MeetingError as exc:
        raise EmergencyError(str(exc)) from exc
    _invite(asked)
    return asked


@transaction.atomic
def emergency_refuse(
    *, asked: EmergencyRequest, note: str, actor: User, request: HttpRequest | None
) -> EmergencyRequest:
    """Refuse the request, saying why. The case takes the normal route: it keeps its regular
    meeting, or is listed at the next one open to it."""
    asked = _locked(asked, actor)
    note = _text(note, message="Enter why the emergency MARAC is refused")
    case = asked.case
    upcoming = case.listings.filter(
        status=ListingStatus.LISTED, meeting__status=MeetingStatus.SCHEDULED
    ).exists()
    if not upcoming:
        try:
            case_list(case=case, actor=actor, reason=ListingReason.REVIEW, request=request)
        except MeetingError as exc:
            raise EmergencyError(str(exc)) from exc
    asked.status = EmergencyStatus.REFUSED
    asked.decided_by = actor
    asked.decided_at = timezone.now()
    asked.decision_note = note
    asked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(action="emergency.refuse", request=request, actor=actor, obj=asked)
    notice_record(
        event="emergency.refused",
        instance=f"emergency:{asked.pk}",
        recipient_email=case.partnership.hub_email,
        subject="An emergency MARAC request was refused",
        body=(
            "A request for an emergency MARAC was refused; the case goes to its regular "
            f"meeting. Sign in to see why: {_link(asked)}\n"
        ),
        obj=asked,
    )
    return asked


def _addresses(case: Case) -> CaseParticipant | str:
    victim = case.participants.filter(role=ParticipantRole.VICTIM).order_by("pk").first()
    return victim or "Imminent risk of serious harm"


@transaction.atomic
def emergency_urgent_action(
    *,
    asked: EmergencyRequest,
    owner_agency: Agency,
    what: str,
    rationale: str,
    due_on: datetime.date,
    actor: User,
    request: HttpRequest | None,
) -> Action:
    """Record an urgent action agreed at the emergency MARAC and send it to its owner at once,
    through the actions app's services (proposed, then agreed at the meeting)."""
    if asked.status != EmergencyStatus.APPROVED or asked.meeting is None:
        raise EmergencyError("Urgent actions are recorded once the emergency MARAC is approved")
    try:
        action = action_propose(
            case=asked.case,
            owner_agency=owner_agency,
            what=what,
            addresses=_addresses(asked.case),
            due_on=due_on,
            rationale=rationale,
            proposed_by=actor,
            request=request,
            meeting=asked.meeting,
        )
        action = action_agree(
            action=action, agreed_by=actor, request=request, meeting=asked.meeting
        )
    except ActionError as exc:
        raise EmergencyError(str(exc)) from exc
    audit_record(
        action="emergency.urgent_action",
        request=request,
        actor=actor,
        obj=asked,
        detail={"action": action.pk},
    )
    return action
