"""Scoped reads for meetings and their minutes.

* The meeting screen is for the partnership's hub coordinators and for chairs whose agency is a
  standing member of the meeting's area.
* Minutes are for the meeting's access list: the hub coordinators, and the people recorded as
  attending it (not observers). An agency that referred a case but did not attend sees that
  case's minutes only. Every case in them is further limited by ``cases_visible_to``, so a
  restricted case or one the reader declared a conflict in is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from openmarac.agencies.models import AreaMembership, MembershipKind
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.decorators import is_hub
from openmarac.meetings.models import Listing, ListingStatus, Meeting

from .models import Attendee, AttendeeRole, Hearing, MeetingRecord, MinutesStatus


def meetings_run_by(user: Any) -> QuerySet[Meeting]:
    """Meetings ``user`` may run (record attendance, cases, minutes) as coordinator or chair."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or not user.agency_id:
        return Meeting.objects.none()
    partnership_id = user.agency.partnership_id
    meetings = Meeting.objects.filter(area__partnership_id=partnership_id)
    if is_hub(user):
        return meetings
    if user.is_chair:
        areas = AreaMembership.objects.filter(
            agency_id=user.agency_id, kind=MembershipKind.STANDING
        ).values("area_id")
        return meetings.filter(area_id__in=areas)
    return Meeting.objects.none()


def meetings_attended_by(user: Any) -> QuerySet[Meeting]:
    """Meetings where ``user`` is recorded as an attendee."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Meeting.objects.none()
    return Meeting.objects.filter(attendees__user=user).distinct()


def can_approve_minutes(user: Any, meeting: Meeting) -> bool:
    """The chair of the meeting, as recorded in its attendance, approves its minutes."""
    return Attendee.objects.filter(meeting=meeting, user=user, role=AttendeeRole.CHAIR).exists()


@dataclass
class MinutesAccess:
    full: bool = False
    listing_ids: set[int] = field(default_factory=set)
    drafts: bool = False

    @property
    def any(self) -> bool:
        return bool(self.listing_ids) or self.full


def minutes_access(user: Any, meeting: Meeting) -> MinutesAccess:
    """What of ``meeting``'s minutes ``user`` may read (see the module's rules)."""
    record = MeetingRecord.objects.filter(meeting=meeting).first()
    if record is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return MinutesAccess()
    heard = Listing.objects.filter(meeting=meeting, hearing__isnull=False)
    visible = set(heard.filter(case__in=cases_visible_to(user)).values_list("pk", flat=True))
    runs = meetings_run_by(user).filter(pk=meeting.pk).exists()
    attended = Attendee.objects.filter(meeting=meeting, user=user).exclude(
        role=AttendeeRole.OBSERVER
    )
    in_partnership = user.agency_id and user.agency.partnership_id == meeting.area.partnership_id
    if in_partnership and (is_hub(user) or (runs and attended.exists())):
        return MinutesAccess(full=True, listing_ids=visible, drafts=True)
    if record.minutes_status != MinutesStatus.PUBLISHED:
        return MinutesAccess()
    if attended.exists():
        return MinutesAccess(full=True, listing_ids=visible)
    if user.is_agency_rep and user.agency_id:
        own = set(
            heard.filter(referral__referrer_agency_id=user.agency_id).values_list("pk", flat=True)
        )
        return MinutesAccess(full=False, listing_ids=own & visible)
    return MinutesAccess()


def hearings_for(meeting: Meeting, listing_ids: set[int]) -> QuerySet[Hearing]:
    return (
        Hearing.objects.filter(listing__meeting=meeting, listing_id__in=listing_ids)
        .select_related("listing__case", "feedback_agency")
        .prefetch_related("information__agency", "consensus_agencies")
        .order_by("listing__position", "listing__listed_at", "pk")
    )


def listings_in_order(meeting: Meeting) -> list[Listing]:
    return list(
        meeting.listings.exclude(status=ListingStatus.WITHDRAWN)
        .select_related("case", "referral__referrer_agency")
        .order_by("position", "listed_at", "pk")
    )
