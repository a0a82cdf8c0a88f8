"""Changing meetings and listing cases at them. Each service is one transaction with its audit.

Who may call what:

* ``meetings_generate`` — the sweep and installers (no user): idempotent.
* ``meeting_add``, ``meeting_move``, ``meeting_cancel``, ``listing_move`` — hub coordinators.
* ``case_list`` — triage (accepting a referral, a repeat) and hub coordinators.

The caller checks the actor's role; these check the state of the meeting and the case.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.audit.services import audit_record
from openmarac.cases.lifecycle import case_is_frozen
from openmarac.cases.models import Case, CaseStatus
from openmarac.core.workdays import calendar_for, local_date
from openmarac.partnerships.models import Area

from .cadence import meeting_slots
from .models import (
    ALLOCATABLE_KINDS,
    Listing,
    ListingMove,
    ListingReason,
    ListingStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)

if TYPE_CHECKING:
    from openmarac.accounts.models import User
    from openmarac.referrals.models import Referral

GENERATE_MONTHS_AHEAD = 6


class MeetingError(Exception):
    """A change the rules do not allow; the message is safe to show to the user."""


@dataclass(frozen=True)
class ListingResult:
    listing: Listing
    listed_count: int
    case_limit: int | None

    @property
    def over_limit(self) -> bool:
        """The meeting now has more cases than the area's limit (Cambridgeshire: 9)."""
        return self.case_limit is not None and self.listed_count > self.case_limit


def _months_after(day: datetime.date, months: int) -> datetime.date:
    return day + relativedelta(months=months)


@transaction.atomic
def meetings_generate(
    *, area: Area, until: datetime.date | None = None, start: datetime.date | None = None
) -> int:
    """Create the regular meetings the area's cadence gives from ``start`` to ``until``.

    Idempotent: a slot that already has a meeting (moved, cancelled or not) is left alone.
    Returns how many meetings were created.
    """
    today = local_date(timezone.now())
    start = start or today
    until = until or _months_after(today, GENERATE_MONTHS_AHEAD)
    policy = area.policy
    slots = meeting_slots(policy, calendar_for(area.partnership), start, until)
    existing = set(
        Meeting.objects.filter(area=area, slot_date__in=[s.slot_date for s in slots]).values_list(
            "slot_date", flat=True
        )
    )
    new = [
        Meeting(
            area=area,
            kind=MeetingKind.REGULAR,
            slot_date=slot.slot_date,
            starts_on=slot.starts_on,
            ends_on=slot.ends_on,
            start_time=policy.meeting_start_time,
        )
        for slot in slots
        if slot.slot_date not in existing
    ]
    Meeting.objects.bulk_create(new, ignore_conflicts=True)
    if new:
        audit_record(
            action="meetings.generate",
            object_type="partnerships.area",
            object_id=area.pk,
            detail={"created": len(new), "until": until.isoformat()},
        )
    return len(new)


def _check_dates(starts_on: datetime.date, ends_on: datetime.date) -> None:
    if ends_on < starts_on:
        raise MeetingError("The last day of the meeting must be on or after its first day")


@transaction.atomic
def meeting_add(
    *,
    area: Area,
    starts_on: datetime.date,
    actor: User,
    ends_on: datetime.date | None = None,
    start_time: datetime.time | None = None,
    kind: str = MeetingKind.EXTRA,
    request: HttpRequest | None = None,
) -> Meeting:
    """Add a meeting outside the cadence (an extra, emergency, professionals' or closed one)."""
    if kind == MeetingKind.REGULAR:
        raise MeetingError("Regular meetings come from the area's cadence; add an extra meeting")
    ends_on = ends_on or starts_on
    _check_dates(starts_on, ends_on)
    if starts_on < local_date(timezone.now()):
        raise MeetingError("A new meeting cannot be in the past")
    meeting = Meeting.objects.create(
        area=area,
        kind=kind,
        starts_on=starts_on,
        ends_on=ends_on,
        start_time=start_time or area.policy.meeting_start_time,
        created_by=actor,
    )
    audit_record(action="meeting.add", request=request, actor=actor, obj=meeting)
    return meeting


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    starts_on: datetime.date,
    actor: User,
    ends_on: datetime.date | None = None,
    start_time: datetime.time | None = None,
    request: HttpRequest | None = None,
) -> Meeting:
    """Move a scheduled meeting to another date (and time). Its listings move with it."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise MeetingError("Only a scheduled meeting can be moved")
    length = (meeting.ends_on - meeting.starts_on).days
    ends_on = ends_on or starts_on + datetime.timedelta(days=length)
    _check_dates(starts_on, ends_on)
    if starts_on < local_date(timezone.now()):
        raise MeetingError("A meeting cannot be moved into the past")
    before = meeting.starts_on
    meeting.starts_on, meeting.ends_on = starts_on, ends_on
    if start_time is not None:
        meeting.start_time = start_time
    meeting.save()
    audit_record(
        action="meeting.move",
        request=request,
        actor=actor,
        obj=meeting,
        detail={"from": before.isoformat(), "to": starts_on.isoformat()},
    )
    return meeting


def listed_count(meeting: Meeting) -> int:
    return meeting.listings.exclude(status=ListingStatus.WITHDRAWN).count()


def meeting_for_allocation(*, area: Area, on: datetime.date) -> Meeting | None:
    """The meeting a case accepted on ``on`` goes to.

    The next scheduled regular or extra meeting whose agenda has not been published and which is
    at least the area's research cut-off after ``on`` (Kent: a case accepted within a week of a
    meeting goes to the one after). Generates the calendar if it has run out.
    """
    cutoff = on + datetime.timedelta(days=area.policy.research_cutoff_days)

    def first() -> Meeting | None:
        return (
            Meeting.objects.filter(
                area=area,
                status=MeetingStatus.SCHEDULED,
                kind__in=ALLOCATABLE_KINDS,
                agenda_published_at__isnull=True,
                starts_on__gte=cutoff,
            )
            .order_by("starts_on", "start_time", "pk")
            .first()
        )

    meeting = first()
    if meeting is None:
        meetings_generate(area=area, start=on, until=_months_after(cutoff, GENERATE_MONTHS_AHEAD))
        meeting = first()
    return meeting


def _result(listing: Listing) -> ListingResult:
    return ListingResult(
        listing=listing,
        listed_count=listed_count(listing.meeting),
        case_limit=listing.meeting.area.policy.max_cases_per_meeting,
    )


@transaction.atomic
def case_list(
    *,
    case: Case,
    actor: User | None,
    reason: str = ListingReason.NEW,
    referral: Referral | None = None,
    meeting: Meeting | None = None,
    request: HttpRequest | None = None,
    on: datetime.date | None = None,
) -> ListingResult:
    """List ``case`` at ``meeting``, or at the next meeting open to it (see above).

    Listing a case already listed at that meeting returns the existing listing. The result says
    whether the meeting is now over the area's case limit, for the coordinator to be warned.
    """
    if meeting is None:
        meeting = meeting_for_allocation(area=case.area, on=on or local_date(timezone.now()))
        if meeting is None:
            raise MeetingError(
                f"{case.area.name} has no meeting to list the case at: check its meeting cadence"
            )
    if meeting.area_id != case.area_id:
        raise MeetingError("A case can only be listed at a meeting of its own area")
    if meeting.status != MeetingStatus.SCHEDULED:
        raise MeetingError("Cases can only be listed at a scheduled meeting")
    listing, created = Listing.objects.get_or_create(
        meeting=meeting,
        case=case,
        defaults={
            "reason": reason,
            "referral": referral,
            "listed_at": timezone.now(),
            "listed_by": actor if getattr(actor, "pk", None) else None,
        },
    )
    if not created and listing.status == ListingStatus.WITHDRAWN:
        listing.status = ListingStatus.LISTED
        listing.reason = reason
        listing.referral = referral or listing.referral
        listing.save(update_fields=["status", "reason", "referral"])
        created = True
    if created:
        audit_record(
            action="listing.create",
            request=request,
            actor=actor,
            obj=listing,
            detail={"case": case.pk, "meeting": meeting.pk, "reason": reason},
        )
    return _result(listing)


def case_move_refusal(case: Case, *, today: datetime.date | None = None) -> str:
    """Why ``case`` may not move to another meeting, or "" when it may.

    A case whose record is frozen (a death recorded, ``case_is_frozen``), a closed case and a
    case whose period open to MARAC has ended (before the sweep closes it) stay where they are.
    """
    today = today or local_date(timezone.now())
    if case_is_frozen(case):
        return (
            f"Case {case.reference} cannot be moved to another meeting: its record is frozen "
            "because a death has been recorded"
        )
    if case.status != CaseStatus.OPEN:
        return f"Case {case.reference} cannot be moved to another meeting: the case is closed"
    if case.open_until is not None and case.open_until < today:
        return (
            f"Case {case.reference} cannot be moved to another meeting: its period open to "
            f"MARAC ended on {case.open_until:%-d %B %Y}"
        )
    return ""


@transaction.atomic
def listing_move(
    *,
    listing: Listing,
    to_meeting: Meeting,
    actor: User | None,
    reason: str,
    request: HttpRequest | None = None,
) -> ListingResult:
    """Move a listed case to another scheduled meeting of its area, with a reason. A frozen,
    closed or ended case cannot move (``case_move_refusal``)."""
    listing = (
        Listing.objects.select_for_update(of=("self",))
        .select_related("meeting", "case")
        .get(pk=listing.pk)
    )
    if not reason.strip():
        raise MeetingError("Enter why the case is moving to another meeting")
    if listing.status != ListingStatus.LISTED:
        raise MeetingError("Only a case still waiting to be heard can be moved")
    if to_meeting.pk == listing.meeting_id:
        raise MeetingError("The case is already listed at that meeting")
    if to_meeting.area_id != listing.meeting.area_id:
        raise MeetingError("A case can only move to a meeting of its own area")
    if to_meeting.status != MeetingStatus.SCHEDULED:
        raise MeetingError("Cases can only move to a scheduled meeting")
    if Listing.objects.filter(meeting=to_meeting, case_id=listing.case_id).exists():
        raise MeetingError("The case is already listed at that meeting")
    refusal = case_move_refusal(listing.case)
    if refusal:
        raise MeetingError(refusal)
    from_meeting = listing.meeting
    listing.meeting = to_meeting
    listing.position = None
    listing.save(update_fields=["meeting", "position"])
    ListingMove.objects.create(
        listing=listing,
        from_meeting=from_meeting,
        to_meeting=to_meeting,
        reason=reason.strip(),
        moved_by=actor if getattr(actor, "pk", None) else None,
        moved_at=timezone.now(),
    )
    audit_record(
        action="listing.move",
        request=request,
        actor=actor,
        obj=listing,
        detail={"from": from_meeting.pk, "to": to_meeting.pk},
    )
    return _result(listing)


@transaction.atomic
def meeting_cancel(
    *, meeting: Meeting, actor: User, reason: str, request: HttpRequest | None = None
) -> list[ListingResult]:
    """Cancel a scheduled meeting. Every case listed at it moves to the next meeting open to it,
    so no case is left without a meeting; a case that may not move (frozen, closed or ended, see
    ``case_move_refusal``) is withdrawn from the meeting instead. ``reason`` must hold no
    personal details."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise MeetingError("Only a scheduled meeting can be cancelled")
    if not reason.strip():
        raise MeetingError("Enter why the meeting is cancelled")
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason.strip()[:200]
    meeting.save(update_fields=["status", "cancelled_reason"])
    audit_record(action="meeting.cancel", request=request, actor=actor, obj=meeting)
    moved = []
    for listing in meeting.listings.filter(status=ListingStatus.LISTED).select_related("case"):
        if case_move_refusal(listing.case):
            listing.status = ListingStatus.WITHDRAWN
            listing.save(update_fields=["status"])
            audit_record(
                action="listing.withdraw",
                request=request,
                actor=actor,
                obj=listing,
                detail={"case": listing.case_id, "meeting": meeting.pk, "why": "case_not_movable"},
            )
            continue
        target = meeting_for_allocation(area=meeting.area, on=local_date(timezone.now()))
        if target is None:
            raise MeetingError(
                "There is no later meeting to move this meeting's cases to: add one first"
            )
        moved.append(
            listing_move(
                listing=listing,
                to_meeting=target,
                actor=actor,
                reason="The meeting was cancelled",
                request=request,
            )
        )
    return moved
