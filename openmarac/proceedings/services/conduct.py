"""Running the meeting: the order of its cases, the running timetable, opening it and
closing it (which sets when the minutes and the actions are due)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.core.types import JSONObject
from openmarac.core.workdays import calendar_for, local_date, local_midnight
from openmarac.meetings.models import Listing, ListingReason, ListingStatus, Meeting, MeetingStatus
from openmarac.partnerships.models import CaseOrder

from ..models import AttendeeRole, Hearing, MeetingRecord
from .attendance import quorum_check, unconfirmed
from .guards import ProceedingsError, record_for

SortPart = int | str | datetime.datetime


@dataclass(frozen=True)
class Slot:
    listing: Listing
    starts_at: datetime.datetime
    minutes: int
    cluster: str


def _cluster(listing: Listing) -> str:
    agency = getattr(listing.referral, "referrer_agency", None) if listing.referral_id else None
    return agency.name if agency is not None else "No referring agency"


def _sort_key(mode: str) -> Callable[[Listing], tuple[SortPart, ...]]:
    def key(listing: Listing) -> tuple[SortPart, ...]:
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
    *, meeting: Meeting, mode: str, actor: User, request: HttpRequest | None = None
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


class MeetingOpensEarly(ProceedingsError):
    """The meeting is further ahead than its area lets it open without its chair confirming."""

    def __init__(self, *, days: int, allowed: int) -> None:
        self.days = days
        self.allowed = allowed
        day_word = "day" if allowed == 1 else "days"
        super().__init__(
            f"The meeting is {days} days away: it can open no more than {allowed} {day_word} "
            "before its date unless its chair confirms"
        )


def days_until(meeting: Meeting) -> int:
    """Days from today to the meeting's first day (negative once it has passed)."""
    return (meeting.starts_on - local_date(timezone.now())).days


def opens_early(meeting: Meeting) -> bool:
    """Whether opening ``meeting`` today needs its chair to confirm: it is further ahead than
    its area's ``open_days_before``."""
    return days_until(meeting) > meeting.area.policy.open_days_before


def meeting_chaired_by(meeting: Meeting, user: User) -> bool:
    """Whether ``user`` is recorded as the chair of ``meeting``."""
    return meeting.attendees.filter(user=user, role=AttendeeRole.CHAIR).exists()


@transaction.atomic
def meeting_open(
    *,
    meeting: Meeting,
    actor: User,
    request: HttpRequest | None = None,
    early_confirmed: bool = False,
) -> MeetingRecord:
    """Start the meeting. Every attendee must have confirmed the confidentiality statement and
    at least one case must be listed. A meeting further ahead than its area's
    ``open_days_before`` opens only when its chair confirms (``early_confirmed``, with the chair
    as ``actor``); otherwise ``MeetingOpensEarly`` is raised."""
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
    if not meeting.listings.exclude(status=ListingStatus.WITHDRAWN).exists():
        raise ProceedingsError(
            "There are no cases listed for this meeting: list a case before you run it"
        )
    days = days_until(meeting)
    early = opens_early(meeting)
    if early:
        if not early_confirmed:
            raise MeetingOpensEarly(days=days, allowed=meeting.area.policy.open_days_before)
        if not meeting_chaired_by(meeting, actor):
            raise ProceedingsError("Only the meeting's chair can confirm opening it early")
    if not any(listing.position for listing in meeting.listings.all()):
        meeting_order_apply(
            meeting=meeting, mode=meeting.area.policy.case_order, actor=actor, request=request
        )
    record.opened_at = timezone.now()
    record.opened_by = actor
    record.save(update_fields=["opened_at", "opened_by"])
    quorum = quorum_check(meeting)
    detail: JSONObject = (
        {"quorate": quorum.met, "early_days": days} if early else {"quorate": quorum.met}
    )
    audit_record(
        action="meeting.open",
        request=request,
        actor=actor,
        obj=meeting,
        detail=detail,
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
def meeting_close(
    *, meeting: Meeting, actor: User, request: HttpRequest | None = None
) -> MeetingRecord:
    record = MeetingRecord.objects.select_for_update().get(pk=record_for(meeting).pk)
    if not record.opened_at:
        raise ProceedingsError("The meeting has not opened")
    if record.closed_at:
        return record
    open_hearings = Hearing.objects.filter(listing__meeting=meeting, outcome="").count()
    if open_hearings:
        raise ProceedingsError(f"Record the outcome of the {open_hearings} case(s) still open")
    now = timezone.now()
    record.closed_at = now
    record.minutes_due_at = minutes_due_at(meeting, now)
    record.actions_due_at = actions_due_at(meeting)
    record.save(update_fields=["closed_at", "minutes_due_at", "actions_due_at"])
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    audit_record(action="meeting.close", request=request, actor=actor, obj=meeting)
    return record
