"""Running a meeting and its minutes. Each service is one transaction with its audit event.

Who may call what (views check the role; these check the state):

* attendance, apologies, confirmations, order, opening and closing the meeting, per-case records
  and outcomes: the hub coordinator or the area's chair running the meeting;
* ``conflict_declare``: the people running the meeting, or an attendee for themselves;
* ``minutes_approve``: the meeting's chair; ``minutes_section_approve``: the stand-in who chaired
  a case in place of a conflicted chair (checked here too); ``minutes_publish``, ``actions_publish``,
  ``correction_decide``: hub coordinators; ``correction_request``: the agency that shared it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency, Sector
from openmarac.audit.services import audit_record
from openmarac.cases import lifecycle
from openmarac.cases.models import Case, CaseStatus, ClosureReason
from openmarac.core.workdays import calendar_for, local_date, local_midnight
from openmarac.meetings.models import Listing, ListingReason, ListingStatus, Meeting, MeetingStatus
from openmarac.notifications.services import notice_record
from openmarac.partnerships.models import AreaPolicy, CaseOrder

from .actions_app import actions_available, actions_part
from .models import (
    Apology,
    Attendee,
    AttendeeRole,
    CaseAlert,
    ConflictDeclaration,
    CorrectionStatus,
    Hearing,
    MeetingRecord,
    MinutesCorrection,
    MinutesStatus,
    Outcome,
    SectionApproval,
    SharedInformation,
)
from .selectors import section_approvers, sections_waiting


class ProceedingsError(Exception):
    """A change the rules do not allow; the message is safe to show to the user."""


def _now() -> datetime.datetime:
    return timezone.now()


def record_for(meeting: Meeting) -> MeetingRecord:
    record, _ = MeetingRecord.objects.get_or_create(meeting=meeting)
    return record


def _writable(record: MeetingRecord) -> None:
    if record.minutes_status != MinutesStatus.DRAFT:
        raise ProceedingsError("The minutes are approved: ask for a correction instead")


def _part_writable(record: MeetingRecord, hearing: Hearing | None = None) -> None:
    """Refuse changes to a part of the minutes once whoever approves that part has: a case a
    stand-in chaired once the stand-in approved it, anything else once the chair approved."""
    _writable(record)
    if hearing is not None and hearing.pk in section_approvers(record.meeting):
        if SectionApproval.objects.filter(hearing=hearing).exists():
            raise ProceedingsError("The minutes of this case are approved")
    elif record.approved_at is not None:
        raise ProceedingsError("The chair has approved this part of the minutes")


def minutes_part_open(record: MeetingRecord, hearing: Hearing | None = None) -> bool:
    """Whether that part of the minutes can still be changed (see ``_part_writable``)."""
    try:
        _part_writable(record, hearing)
    except ProceedingsError:
        return False
    return True


def _case_writable(case: Case) -> None:
    if lifecycle.case_is_frozen(case):
        raise ProceedingsError(
            "This case's record is frozen after a death was recorded: ask the hub team"
        )


# Attendance.


@transaction.atomic
def attendee_add(
    *,
    meeting: Meeting,
    role: str,
    actor: Any,
    user: User | None = None,
    name: str = "",
    agency: Agency | None = None,
    request: Any = None,
) -> Attendee:
    """Record one person at the meeting: a licence holder (``user``) or someone named."""
    record = record_for(meeting)
    if record.closed_at:
        raise ProceedingsError("The meeting has closed")
    if role not in AttendeeRole.values:
        raise ProceedingsError("Choose the person's role at the meeting")
    partnership_id = meeting.area.partnership_id
    if user is not None:
        if (
            not user.is_active
            or user.agency is None
            or user.agency.partnership_id != partnership_id
        ):
            raise ProceedingsError("That person does not hold a licence in this partnership")
        if Attendee.objects.filter(meeting=meeting, user=user).exists():
            raise ProceedingsError("That person is already recorded as attending")
        name = user.get_full_name() or user.username
        agency = user.agency
    name = name.strip()
    if not name:
        raise ProceedingsError("Enter the person's name")
    if agency is not None and agency.partnership_id != partnership_id:
        raise ProceedingsError("Choose an agency of this partnership")
    if role != AttendeeRole.OBSERVER and agency is None:
        raise ProceedingsError("Choose the agency the person represents")
    attendee = Attendee.objects.create(
        meeting=meeting,
        user=user,
        name=name[:200],
        agency=agency,
        role=role,
        recorded_by=actor,
        recorded_at=_now(),
    )
    if agency is not None and role != AttendeeRole.OBSERVER:
        Apology.objects.filter(meeting=meeting, agency=agency).delete()
    audit_record(
        action="meeting.attendee_add",
        request=request,
        actor=actor,
        obj=attendee,
        detail={"meeting": meeting.pk, "role": role},
    )
    return attendee


@transaction.atomic
def apology_record(
    *,
    meeting: Meeting,
    agency: Agency,
    information_in_writing: bool,
    actor: Any,
    request: Any = None,
) -> Apology:
    if agency.partnership_id != meeting.area.partnership_id:
        raise ProceedingsError("Choose an agency of this partnership")
    if (
        Attendee.objects.filter(meeting=meeting, agency=agency)
        .exclude(role=AttendeeRole.OBSERVER)
        .exists()
    ):
        raise ProceedingsError(f"{agency.name} is recorded as attending")
    apology, _ = Apology.objects.update_or_create(
        meeting=meeting,
        agency=agency,
        defaults={
            "information_in_writing": information_in_writing,
            "recorded_by": actor,
            "recorded_at": _now(),
        },
    )
    audit_record(
        action="meeting.apology",
        request=request,
        actor=actor,
        obj=apology,
        detail={"meeting": meeting.pk, "in_writing": information_in_writing},
    )
    return apology


@transaction.atomic
def attendee_confirm(*, attendee: Attendee, actor: Any, request: Any = None) -> Attendee:
    """Record that the attendee confirmed the area's confidentiality statement."""
    attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if attendee.confidentiality_confirmed_at is None:
        attendee.confidentiality_confirmed_at = _now()
        attendee.save(update_fields=["confidentiality_confirmed_at"])
        audit_record(
            action="meeting.confidentiality_confirm",
            request=request,
            actor=actor,
            obj=attendee,
            detail={"meeting": attendee.meeting_id},
        )
    return attendee


def unconfirmed(meeting: Meeting) -> list[Attendee]:
    return list(meeting.attendees.filter(confidentiality_confirmed_at__isnull=True))


# Quorum.


SECTOR_LABELS = dict(Sector.choices)


@dataclass(frozen=True)
class Quorum:
    met: bool
    problems: list[str]
    statutory_present: int
    statutory_needed: int


def _counts_as_statutory(agency: Agency, policy: AreaPolicy) -> bool:
    # The protocol counts the named sectors (the DA/IDVA service among them) in its five.
    return agency.statutory or agency.sector in (policy.quorum_required_sectors or [])


def quorum_check(meeting: Meeting) -> Quorum:
    """Whether the people recorded as present make the meeting quorate under the area's rule."""
    policy = meeting.area.policy
    present = list(meeting.attendees.exclude(role=AttendeeRole.OBSERVER).select_related("agency"))
    roles = {a.role for a in present}
    agencies = {a.agency for a in present if a.agency is not None and not a.agency.is_hub}
    problems: list[str] = []
    if policy.quorum_requires_chair and AttendeeRole.CHAIR not in roles:
        problems.append("No chair is recorded")
    if policy.quorum_requires_administrator and AttendeeRole.MINUTE_TAKER not in roles:
        problems.append("No MARAC administrator (minute taker) is recorded")
    statutory = sum(1 for a in agencies if _counts_as_statutory(a, policy))
    if statutory < policy.quorum_min_statutory_agencies:
        problems.append(
            f"{statutory} of the {policy.quorum_min_statutory_agencies} statutory agencies "
            "needed are present"
        )
    sectors = {a.sector for a in agencies}
    needed = list(policy.quorum_required_sectors or [])
    if (
        policy.quorum_childrens_when_children
        and meeting.listings.filter(case__has_children=True)
        .exclude(status=ListingStatus.WITHDRAWN)
        .exists()
    ):
        needed.append(Sector.CHILDRENS_SOCIAL_CARE)
    for sector in needed:
        if sector not in sectors:
            label = SECTOR_LABELS.get(sector, sector)
            problems.append(f"{label} is not represented")
    return Quorum(
        met=not problems,
        problems=problems,
        statutory_present=statutory,
        statutory_needed=policy.quorum_min_statutory_agencies,
    )


# Case order and the running timetable.


@dataclass(frozen=True)
class Slot:
    listing: Listing
    starts_at: datetime.datetime
    minutes: int
    cluster: str


def _cluster(listing: Listing) -> str:
    agency = getattr(listing.referral, "referrer_agency", None) if listing.referral_id else None
    return agency.name if agency is not None else "No referring agency"


def _sort_key(mode: str) -> Any:
    def key(listing: Listing) -> tuple[Any, ...]:
        review_first = 0 if listing.reason == ListingReason.REVIEW else 1
        emergency_first = 0 if listing.reason == ListingReason.EMERGENCY else 1
        base = (review_first, emergency_first)
        listed = (listing.listed_at, listing.pk)
        if mode == CaseOrder.CHILDREN_FIRST:
            return (*base, 0 if listing.case.has_children else 1, *listed)
        if mode == CaseOrder.BY_AGENCY:
            return (*base, _cluster(listing), 0 if listing.case.has_children else 1, *listed)
        return (*base, *listed)

    return key


def case_order(meeting: Meeting, mode: str) -> list[Listing]:
    """The meeting's cases in ``mode`` order: reviews of incomplete actions from earlier
    meetings first, then emergencies, then the rest (children first, or clustered by agency)."""
    listings = (
        meeting.listings.exclude(status=ListingStatus.WITHDRAWN)
        .select_related("case", "referral__referrer_agency")
        .order_by("listed_at", "pk")
    )
    return sorted(listings, key=_sort_key(mode))


def timetable(meeting: Meeting) -> list[Slot]:
    """Each case in its current order with the time it is due to start, from the meeting's
    start time and the area's minutes per case (more where a case involves children)."""
    policy = meeting.area.policy
    listings = list(
        meeting.listings.exclude(status=ListingStatus.WITHDRAWN)
        .select_related("case", "referral__referrer_agency")
        .order_by("position", "listed_at", "pk")
    )
    if any(listing.position is None for listing in listings):
        listings = case_order(meeting, policy.case_order)
    clock = datetime.datetime.combine(
        meeting.starts_on, meeting.start_time, tzinfo=timezone.get_current_timezone()
    )
    slots = []
    for listing in listings:
        minutes = (
            policy.minutes_per_case_with_children
            if listing.case.has_children
            else policy.minutes_per_case
        )
        slots.append(
            Slot(listing=listing, starts_at=clock, minutes=minutes, cluster=_cluster(listing))
        )
        clock += datetime.timedelta(minutes=minutes)
    return slots


@transaction.atomic
def meeting_order_apply(
    *, meeting: Meeting, mode: str, actor: Any, request: Any = None
) -> list[Listing]:
    """Number the meeting's cases in ``mode`` order (cases already heard keep their place)."""
    if mode not in CaseOrder.values:
        raise ProceedingsError("Choose how to order the cases")
    ordered = case_order(meeting, mode)
    for position, listing in enumerate(ordered, start=1):
        if listing.position != position:
            listing.position = position
            listing.save(update_fields=["position"])
    audit_record(
        action="meeting.order", request=request, actor=actor, obj=meeting, detail={"mode": mode}
    )
    return ordered


# Opening and closing the meeting.


@transaction.atomic
def meeting_open(*, meeting: Meeting, actor: Any, request: Any = None) -> MeetingRecord:
    """Start the meeting. Every attendee must have confirmed the confidentiality statement."""
    record = MeetingRecord.objects.select_for_update().get(pk=record_for(meeting).pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ProceedingsError("The meeting was cancelled")
    if record.opened_at:
        return record
    if not meeting.attendees.exists():
        raise ProceedingsError("Record who is attending before the meeting opens")
    waiting = unconfirmed(meeting)
    if waiting:
        raise ProceedingsError(
            f"{len(waiting)} attendee(s) have not confirmed the confidentiality statement"
        )
    if not any(listing.position for listing in meeting.listings.all()):
        meeting_order_apply(
            meeting=meeting, mode=meeting.area.policy.case_order, actor=actor, request=request
        )
    record.opened_at = _now()
    record.opened_by = actor
    record.save(update_fields=["opened_at", "opened_by"])
    quorum = quorum_check(meeting)
    audit_record(
        action="meeting.open",
        request=request,
        actor=actor,
        obj=meeting,
        detail={"quorate": quorum.met},
    )
    return record


def minutes_due_at(meeting: Meeting, closed_at: datetime.datetime) -> datetime.datetime:
    """When the minutes are due: working hours from the close where the area sets hours
    (Cambridgeshire: 24), else the end of the n-th working day after the meeting."""
    policy = meeting.area.policy
    calendar = calendar_for(meeting.area.partnership)
    if policy.minutes_due_hours:
        return calendar.add_working_hours(closed_at, policy.minutes_due_hours)
    day = calendar.add_working_days(meeting.ends_on, policy.minutes_due_working_days)
    return local_midnight(day + datetime.timedelta(days=1))


def actions_due_at(meeting: Meeting) -> datetime.datetime:
    """Agreed actions go to their owners by the end of the area's working days (1)."""
    policy = meeting.area.policy
    day = calendar_for(meeting.area.partnership).add_working_days(
        meeting.ends_on, policy.actions_due_working_days
    )
    return local_midnight(day + datetime.timedelta(days=1))


@transaction.atomic
def meeting_close(*, meeting: Meeting, actor: Any, request: Any = None) -> MeetingRecord:
    record = MeetingRecord.objects.select_for_update().get(pk=record_for(meeting).pk)
    if not record.opened_at:
        raise ProceedingsError("The meeting has not opened")
    if record.closed_at:
        return record
    open_hearings = Hearing.objects.filter(listing__meeting=meeting, outcome="").count()
    if open_hearings:
        raise ProceedingsError(f"Record the outcome of the {open_hearings} case(s) still open")
    now = _now()
    record.closed_at = now
    record.minutes_due_at = minutes_due_at(meeting, now)
    record.actions_due_at = actions_due_at(meeting)
    record.save(update_fields=["closed_at", "minutes_due_at", "actions_due_at"])
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    audit_record(action="meeting.close", request=request, actor=actor, obj=meeting)
    return record


# Conflicts of interest.


@transaction.atomic
def conflict_declare(
    *,
    listing: Listing,
    attendee: Attendee,
    actor: Any,
    stand_in: Attendee | None = None,
    request: Any = None,
) -> ConflictDeclaration:
    """An attendee declares a conflict of interest in a case before it is heard.

    From then on the case is out of their scope. A conflicted chair or minute taker must name
    another attendee to take over for that case.
    """
    meeting = listing.meeting
    if attendee.meeting_id != meeting.pk:
        raise ProceedingsError("That person is not recorded at this meeting")
    if Hearing.objects.filter(listing=listing).exists():
        raise ProceedingsError("Declare a conflict before the case is opened")
    if attendee.role in (AttendeeRole.CHAIR, AttendeeRole.MINUTE_TAKER):
        if stand_in is None:
            raise ProceedingsError(
                f"Name who will act as {attendee.get_role_display().lower()} for this case"
            )
        if stand_in.meeting_id != meeting.pk or stand_in.pk == attendee.pk:
            raise ProceedingsError("Choose another person at this meeting to take over")
        if stand_in.role == AttendeeRole.OBSERVER:
            raise ProceedingsError("An observer cannot take over")
        if attendee.role == AttendeeRole.CHAIR and stand_in.user_id is None:
            # The stand-in approves the case's minutes in the chair's place.
            raise ProceedingsError("Choose someone who holds a licence to chair this case")
        if ConflictDeclaration.objects.filter(listing=listing, attendee=stand_in).exists():
            raise ProceedingsError("That person has also declared a conflict in this case")
    else:
        stand_in = None
    declaration, created = ConflictDeclaration.objects.get_or_create(
        listing=listing,
        attendee=attendee,
        defaults={
            "meeting": meeting,
            "case": listing.case,
            "user": attendee.user,
            "stand_in": stand_in,
            "declared_at": _now(),
            "recorded_by": actor,
        },
    )
    if created:
        audit_record(
            action="meeting.conflict_declare",
            request=request,
            actor=actor,
            obj=declaration,
            detail={"meeting": meeting.pk, "listing": listing.pk, "stand_in": bool(stand_in)},
        )
    return declaration


def conflicted_attendee_ids(listing: Listing) -> set[int]:
    return set(
        ConflictDeclaration.objects.filter(listing=listing).values_list("attendee_id", flat=True)
    )


def present_agencies(listing: Listing) -> list[Agency]:
    """Agencies present for this case: represented by an attendee who is not an observer, is
    not the hub team, and has not declared a conflict in the case."""
    conflicted = conflicted_attendee_ids(listing)
    agencies = {
        a.agency
        for a in listing.meeting.attendees.exclude(role=AttendeeRole.OBSERVER).select_related(
            "agency"
        )
        if a.agency is not None and not a.agency.is_hub and a.pk not in conflicted
    }
    return sorted(agencies, key=lambda a: a.name)


# Hearing a case.


def hearing_writable(hearing: Hearing) -> None:
    """Refuse changes to a case's record once its minutes are approved or its case is frozen."""
    _part_writable(record_for(hearing.listing.meeting), hearing)
    _case_writable(hearing.listing.case)


@transaction.atomic
def hearing_open(*, listing: Listing, actor: Any, request: Any = None) -> Hearing:
    """Open a case at the meeting. Only after the meeting opened and every attendee, including
    anyone who joined since, confirmed the confidentiality statement."""
    record = record_for(listing.meeting)
    if not record.opened_at or record.closed_at:
        raise ProceedingsError("Cases can be opened only while the meeting is open")
    if listing.status == ListingStatus.WITHDRAWN:
        raise ProceedingsError("The case was withdrawn from this meeting")
    waiting = unconfirmed(listing.meeting)
    if waiting:
        raise ProceedingsError(
            f"{len(waiting)} attendee(s) have not confirmed the confidentiality statement"
        )
    _case_writable(listing.case)
    hearing, created = Hearing.objects.get_or_create(
        listing=listing, defaults={"opened_at": _now(), "opened_by": actor}
    )
    if created:
        audit_record(
            action="hearing.open",
            request=request,
            actor=actor,
            obj=hearing,
            detail={"case": listing.case_id, "meeting": listing.meeting_id},
        )
    return hearing


@transaction.atomic
def hearing_update(
    *,
    hearing: Hearing,
    actor: Any,
    risks: str,
    victim_voice: str,
    discussion: str,
    feedback_agency: Agency | None,
    feedback_what: str,
    request: Any = None,
) -> Hearing:
    _part_writable(record_for(hearing.listing.meeting), hearing)
    _case_writable(hearing.listing.case)
    hearing.risks = risks.strip()
    hearing.victim_voice = victim_voice.strip()
    hearing.discussion = discussion.strip()
    hearing.feedback_agency = feedback_agency
    hearing.feedback_what = feedback_what.strip()
    hearing.save()
    audit_record(action="hearing.update", request=request, actor=actor, obj=hearing)
    return hearing


@transaction.atomic
def information_record(
    *,
    hearing: Hearing,
    agency: Agency,
    text: str,
    in_writing: bool,
    actor: Any,
    request: Any = None,
) -> SharedInformation:
    """Record what one agency shared (or sent in writing for the chair to read out)."""
    _part_writable(record_for(hearing.listing.meeting), hearing)
    _case_writable(hearing.listing.case)
    if not text.strip():
        raise ProceedingsError("Enter the information the agency shared")
    if agency.partnership_id != hearing.listing.case.partnership_id:
        raise ProceedingsError("Choose an agency of this partnership")
    info, _ = SharedInformation.objects.update_or_create(
        hearing=hearing,
        agency=agency,
        defaults={
            "text": text.strip(),
            "in_writing": in_writing,
            "recorded_by": actor,
            "recorded_at": _now(),
        },
    )
    audit_record(
        action="hearing.information",
        request=request,
        actor=actor,
        obj=info,
        detail={"hearing": hearing.pk, "agency": agency.pk},
    )
    return info


def hub_recipients(partnership_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            is_hub_coordinator=True,
            agency__is_hub=True,
            agency__partnership_id=partnership_id,
        )
    )


def _agency_reps(agencies: Iterable[Agency]) -> list[User]:
    return list(
        User.objects.filter(is_active=True, is_agency_rep=True, agency__in=list(agencies)).order_by(
            "pk"
        )
    )


def notify(users: Iterable[User], *, event: str, instance: str, subject: str, path: str) -> None:
    body = (
        "There is something for you in OpenMARAC.\n\n"
        f"Sign in to see it: {settings.SITE_URL}{path}\n"
    )
    for user in users:
        notice_record(
            event=event,
            instance=instance,
            recipient_email=user.email,
            recipient_user=user,
            subject=subject,
            body=body,
        )


@transaction.atomic
def hearing_decide(
    *,
    hearing: Hearing,
    outcome: str,
    actor: Any,
    reason: str = "",
    consensus: Iterable[Agency] = (),
    request: Any = None,
) -> Hearing:
    """Record the case's outcome and mark it heard.

    * keep open: a further period for actions (Kent: 2 weeks), then the hub reviews it;
    * close to MARAC: no further review; the case stays on the list, flagged, for its period.

    Both start the case's period open to MARAC from the hearing (``case_period_restart``).

    A case **not deemed high risk** needs the agreement of every agency present for it and a
    reason. It is closed at once: the referrer is told a decision was reached, every agency of
    the case is told to remove its flags, and an alert on the case says which meeting decided it
    and why.
    """
    hearing = Hearing.objects.select_for_update().select_related("listing__case").get(pk=hearing.pk)
    listing = hearing.listing
    meeting = listing.meeting
    case = Case.objects.select_for_update().get(pk=listing.case_id)
    _part_writable(record_for(meeting), hearing)
    _case_writable(case)
    if hearing.outcome:
        raise ProceedingsError("The outcome of this case is already recorded")
    if outcome not in Outcome.values:
        raise ProceedingsError("Choose the outcome")
    reason = reason.strip()
    now = _now()
    heard_on = local_date(now) if meeting.starts_on <= local_date(now) else meeting.starts_on
    policy = meeting.area.policy
    if outcome == Outcome.NOT_HIGH_RISK:
        present = {a.pk for a in present_agencies(listing)}
        agreed = {a.pk for a in consensus}
        if not reason:
            raise ProceedingsError("Enter why the case is not deemed high risk")
        if not present or agreed != present:
            missing = len(present - agreed)
            raise ProceedingsError(
                "Every agency present must agree that the case is not high risk "
                f"({missing} have not)"
            )
        hearing.consensus_agencies.set(list(consensus))
    hearing.outcome = outcome
    hearing.outcome_reason = reason
    hearing.decided_at = now
    hearing.decided_by = actor
    if outcome == Outcome.KEEP_OPEN:
        hearing.keep_open_until = heard_on + datetime.timedelta(days=policy.keep_open_days)
    hearing.save()

    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.HEARD)
    if outcome == Outcome.NOT_HIGH_RISK:
        case.last_heard_on = heard_on
        case.status = CaseStatus.CLOSED
        case.closed_at = now
        case.closure_reason = ClosureReason.NOT_HIGH_RISK
        case.open_until = heard_on
        case.save(
            update_fields=["last_heard_on", "status", "closed_at", "closure_reason", "open_until"]
        )
        _not_high_risk_follow_up(hearing=hearing, case=case, actor=actor, reason=reason, now=now)
    else:
        # Hearing the case starts its period open to MARAC (agencies are told to flag it).
        # Closing to MARAC ends the meeting's work on it; the case stays on the MARAC list,
        # flagged, for the area's period, and the period's end tells agencies to unflag.
        lifecycle.case_period_restart(case=case, heard_on=heard_on, actor=actor, request=request)
    audit_record(
        action="hearing.decide",
        request=request,
        actor=actor,
        obj=hearing,
        detail={"case": case.pk, "outcome": outcome, "meeting": meeting.pk},
    )
    return hearing


def _not_high_risk_follow_up(
    *, hearing: Hearing, case: Case, actor: Any, reason: str, now: datetime.datetime
) -> None:
    listing = hearing.listing
    meeting = listing.meeting
    CaseAlert.objects.create(
        case=case,
        meeting=meeting,
        text=(
            f"Not deemed high risk at the meeting of {meeting.starts_on:%-d %B %Y}, by the "
            f"agreement of every agency present. Reason: {reason}"
        ),
        created_at=now,
        created_by=actor,
    )
    referral = listing.referral or case.referrals.order_by("-submitted_at").first()
    if referral is not None and referral.referrer_email:
        notice_record(
            event="proceedings.not_high_risk.referrer",
            instance=f"hearing:{hearing.pk}",
            recipient_email=referral.referrer_email,
            subject=f"MARAC decision on referral {referral.reference}",
            body=(
                f"The MARAC has reached a decision on referral {referral.reference}.\n\n"
                "Your agency's MARAC representative will tell you what was decided and why.\n"
            ),
        )
    for agency in lifecycle.case_agencies(case):
        for user in lifecycle.case_agency_users(case, agency):
            notice_record(
                event="proceedings.remove_flags",
                instance=f"hearing:{hearing.pk}",
                recipient_email=user.email,
                recipient_user=user,
                subject=f"MARAC case {case.reference}: remove your flags",
                body=(
                    f"The MARAC found case {case.reference} not high risk. Remove any flags "
                    "your agency placed for it.\n\n"
                    f"Sign in for details: {settings.SITE_URL}{reverse('proceedings:index')}\n"
                ),
                obj=case,
            )


# Minutes.


@transaction.atomic
def outstanding_notes_save(
    *, meeting: Meeting, notes: str, actor: Any, request: Any = None
) -> MeetingRecord:
    record = record_for(meeting)
    _part_writable(record)
    record.outstanding_actions_notes = notes.strip()
    record.save(update_fields=["outstanding_actions_notes"])
    audit_record(action="minutes.outstanding_notes", request=request, actor=actor, obj=record)
    return record


@transaction.atomic
def minutes_approve(*, meeting: Meeting, actor: Any, request: Any = None) -> MeetingRecord:
    """The meeting's chair approves the minutes: all of them but the cases a stand-in chaired in
    the chair's place (``minutes_section_approve``). The minutes are approved once every part
    is."""
    record = MeetingRecord.objects.select_for_update().get(pk=record_for(meeting).pk)
    if not record.closed_at:
        raise ProceedingsError("Close the meeting before the minutes are approved")
    if record.minutes_status != MinutesStatus.DRAFT or record.approved_at is not None:
        raise ProceedingsError("The minutes are already approved")
    waiting = sections_waiting(meeting)
    record.approved_at = _now()
    record.approved_by = actor
    if not waiting:
        record.minutes_status = MinutesStatus.APPROVED
    record.save(update_fields=["minutes_status", "approved_at", "approved_by"])
    audit_record(
        action="minutes.approve",
        request=request,
        actor=actor,
        obj=record,
        detail={"sections_waiting": len(waiting), "complete": not waiting},
    )
    return record


@transaction.atomic
def minutes_section_approve(
    *, hearing: Hearing, actor: Any, request: Any = None
) -> SectionApproval:
    """The stand-in who chaired a case in place of a conflicted chair approves that case's
    minutes. The minutes are approved once the chair and every such stand-in have."""
    meeting = hearing.listing.meeting
    record = MeetingRecord.objects.select_for_update().get(pk=record_for(meeting).pk)
    if not record.closed_at:
        raise ProceedingsError("Close the meeting before the minutes are approved")
    approvers = section_approvers(meeting).get(hearing.pk)
    if approvers is None:
        raise ProceedingsError(
            "The meeting's chair approves this case with the rest of the minutes"
        )
    if getattr(actor, "pk", None) not in approvers:
        raise ProceedingsError("Only who chaired this case in the chair's place can approve it")
    if SectionApproval.objects.filter(hearing=hearing).exists():
        raise ProceedingsError("The minutes of this case are already approved")
    approval = SectionApproval.objects.create(
        hearing=hearing, approved_by=actor, approved_at=_now()
    )
    complete = record.approved_at is not None and not sections_waiting(meeting)
    if complete:
        record.minutes_status = MinutesStatus.APPROVED
        record.save(update_fields=["minutes_status"])
    audit_record(
        action="minutes.section_approve",
        request=request,
        actor=actor,
        obj=approval,
        detail={"meeting": meeting.pk, "hearing": hearing.pk, "complete": complete},
    )
    return approval


def minutes_readers(meeting: Meeting) -> list[User]:
    """Who is told the minutes are published: attendees (not observers) with a licence, and
    the representatives of referring agencies that did not attend (for their own case)."""
    attendees = list(
        User.objects.filter(
            is_active=True,
            meeting_attendances__meeting=meeting,
        )
        .exclude(meeting_attendances__role=AttendeeRole.OBSERVER)
        .distinct()
    )
    attending_agencies = {u.agency_id for u in attendees}
    referring = {
        listing.referral.referrer_agency
        for listing in meeting.listings.filter(hearing__isnull=False).select_related(
            "referral__referrer_agency"
        )
        if listing.referral is not None and listing.referral.referrer_agency_id
    }
    absent = [a for a in referring if a is not None and a.pk not in attending_agencies]
    return attendees + _agency_reps(absent)


@transaction.atomic
def minutes_publish(*, meeting: Meeting, actor: Any, request: Any = None) -> MeetingRecord:
    record = MeetingRecord.objects.select_for_update().get(pk=record_for(meeting).pk)
    if record.minutes_status == MinutesStatus.DRAFT:
        if record.approved_at is None:
            raise ProceedingsError("The chair must approve the minutes before they are published")
        raise ProceedingsError(
            f"{len(sections_waiting(meeting))} case(s) chaired by a stand-in are waiting for "
            "the stand-in to approve them"
        )
    if record.minutes_status == MinutesStatus.PUBLISHED:
        return record
    record.minutes_status = MinutesStatus.PUBLISHED
    record.published_at = _now()
    record.published_by = actor
    record.save(update_fields=["minutes_status", "published_at", "published_by"])
    notify(
        minutes_readers(meeting),
        event="proceedings.minutes_published",
        instance=f"meeting:{meeting.pk}",
        subject="MARAC minutes are available",
        path=reverse("proceedings:minutes", args=[meeting.pk]),
    )
    audit_record(
        action="minutes.publish",
        request=request,
        actor=actor,
        obj=record,
        detail={
            "late": bool(record.minutes_due_at and record.published_at > record.minutes_due_at)
        },
    )
    return record


@transaction.atomic
def actions_publish(*, meeting: Meeting, actor: Any, request: Any = None) -> MeetingRecord:
    """Send the meeting's agreed actions to the agencies that own them."""
    record = MeetingRecord.objects.select_for_update().get(pk=record_for(meeting).pk)
    if not record.closed_at:
        raise ProceedingsError("Close the meeting before its actions are sent")
    if record.actions_published_at:
        return record
    record.actions_published_at = _now()
    record.save(update_fields=["actions_published_at"])
    notify(
        _agency_reps(action_owner_agencies(meeting)),
        event="proceedings.actions_published",
        instance=f"meeting:{meeting.pk}",
        subject="MARAC actions for your agency",
        path=reverse("proceedings:index"),
    )
    audit_record(action="minutes.actions_publish", request=request, actor=actor, obj=record)
    return record


def action_owner_agencies(meeting: Meeting) -> list[Agency]:
    if not actions_available():
        return []
    ids = (
        actions_part("models")
        .Action.objects.filter(meeting=meeting)
        .values_list("owner_agency_id", flat=True)
    )
    return list(Agency.objects.filter(pk__in=set(ids)))


# Corrections.


@transaction.atomic
def correction_request(
    *,
    information: SharedInformation,
    actor: Any,
    proposed_text: str,
    reason: str,
    request: Any = None,
) -> MinutesCorrection:
    """The agency that shared the information asks for it to be corrected in the minutes."""
    if actor.agency_id != information.agency_id:
        raise ProceedingsError("Only the agency that shared the information can correct it")
    record = record_for(information.hearing.listing.meeting)
    if record.minutes_status == MinutesStatus.DRAFT:
        raise ProceedingsError("Corrections can be asked for once the minutes are approved")
    if not proposed_text.strip():
        raise ProceedingsError("Enter the corrected text")
    if not reason.strip():
        raise ProceedingsError("Enter why the minutes need correcting")
    correction = MinutesCorrection.objects.create(
        information=information,
        agency=information.agency,
        requested_by=actor,
        requested_at=_now(),
        proposed_text=proposed_text.strip(),
        reason=reason.strip(),
    )
    notify(
        hub_recipients(information.agency.partnership_id),
        event="proceedings.correction_requested",
        instance=f"correction:{correction.pk}",
        subject="A correction to MARAC minutes is waiting",
        path=reverse("proceedings:correction", args=[correction.pk]),
    )
    audit_record(action="minutes.correction_request", request=request, actor=actor, obj=correction)
    return correction


@transaction.atomic
def correction_decide(
    *,
    correction: MinutesCorrection,
    accept: bool,
    actor: Any,
    note: str = "",
    request: Any = None,
) -> MinutesCorrection:
    correction = MinutesCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.status != CorrectionStatus.REQUESTED:
        raise ProceedingsError("This correction has already been decided")
    if not accept and not note.strip():
        raise ProceedingsError("Enter why the correction is rejected")
    information = SharedInformation.objects.select_for_update().get(pk=correction.information_id)
    _case_writable(information.hearing.listing.case)
    if accept:
        correction.previous_text = information.text
        information.text = correction.proposed_text
        information.save(update_fields=["text"])
        correction.status = CorrectionStatus.ACCEPTED
    else:
        correction.status = CorrectionStatus.REJECTED
    correction.decided_by = actor
    correction.decided_at = _now()
    correction.decision_note = note.strip()
    correction.save()
    notify(
        [correction.requested_by],
        event="proceedings.correction_decided",
        instance=f"correction:{correction.pk}",
        subject="Your correction to MARAC minutes was decided",
        path=reverse("proceedings:minutes", args=[information.hearing.listing.meeting_id]),
    )
    audit_record(
        action="minutes.correction_decide",
        request=request,
        actor=actor,
        obj=correction,
        detail={"accepted": accept},
    )
    return correction
