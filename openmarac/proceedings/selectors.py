"""Scoped reads for meetings and their minutes.

* The meeting screen is for the partnership's hub coordinators and for chairs whose agency is a
  standing member of the meeting's area.
* The minutes are approved in parts: a case a stand-in chaired because the meeting's chair
  declared a conflict in it is approved by that stand-in (``section_approvers``); the meeting's
  chair approves the rest.
* Minutes are for the meeting's access list: the hub coordinators whose active licence covers
  the meeting's area, and the people recorded as attending it (not observers). An agency that referred a case but did not attend sees that
  case's minutes only. Every case in them is further limited by ``cases_visible_to``, so a
  restricted case or one the reader declared a conflict in is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from openmarac.accounts.models import User
from openmarac.cases.selectors import areas_followed_by, cases_visible_to
from openmarac.core.decorators import is_hub
from openmarac.meetings.models import Listing, ListingStatus, Meeting

from .models import (
    Attendee,
    AttendeeRole,
    ConflictDeclaration,
    Hearing,
    MeetingRecord,
    MinutesStatus,
    SectionApproval,
)


def meetings_run_by(user: User) -> QuerySet[Meeting]:
    """Meetings ``user`` may run (record attendance, cases, minutes) as coordinator or chair.

    Only in the areas their active licence covers (``areas_followed_by``): the hub in every such
    area, a chair in those where their agency is a standing member. A licence moved out of an
    area, suspended or ended takes that area's meetings away, as it takes its cases.
    """
    if not getattr(user, "is_authenticated", False) or not (is_hub(user) or user.is_chair):
        return Meeting.objects.none()
    return Meeting.objects.filter(area__in=areas_followed_by(user))


def meetings_attended_by(user: User) -> QuerySet[Meeting]:
    """Meetings where ``user`` is recorded as an attendee."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Meeting.objects.none()
    return Meeting.objects.filter(attendees__user=user).distinct()


def can_approve_minutes(user: User, meeting: Meeting) -> bool:
    """The chair of the meeting, as recorded in its attendance, approves its minutes."""
    return Attendee.objects.filter(meeting=meeting, user=user, role=AttendeeRole.CHAIR).exists()


def section_approvers(meeting: Meeting) -> dict[int, set[int]]:
    """The case sections of ``meeting``'s minutes that are not the chair's to approve: by hearing
    id, the users who chaired that case in place of a conflicted chair (its stand-ins)."""
    approvers: dict[int, set[int]] = {}
    rows = ConflictDeclaration.objects.filter(
        meeting=meeting,
        attendee__role=AttendeeRole.CHAIR,
        stand_in__isnull=False,
        listing__hearing__isnull=False,
    ).values_list("listing__hearing", "stand_in__user_id")
    for hearing_id, user_id in rows:
        users = approvers.setdefault(hearing_id, set())
        if user_id is not None:
            users.add(user_id)
    return approvers


def sections_waiting(meeting: Meeting) -> set[int]:
    """Hearing ids of the stand-in-chaired sections not yet approved."""
    sections = set(section_approvers(meeting))
    approved = SectionApproval.objects.filter(hearing_id__in=sections).values_list(
        "hearing_id", flat=True
    )
    return sections - set(approved)


def sections_to_approve(user: User) -> QuerySet[Hearing]:
    """Case sections of closed meetings' minutes waiting for ``user`` to approve them, as the
    stand-in who chaired the case in place of a conflicted chair."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.agency is None:
        return Hearing.objects.none()
    return (
        Hearing.objects.filter(
            listing__meeting__area__partnership_id=user.agency.partnership_id,
            listing__meeting__record__closed_at__isnull=False,
            listing__conflicts__attendee__role=AttendeeRole.CHAIR,
            listing__conflicts__stand_in__user=user,
            listing__case__in=cases_visible_to(user),
            section_approval__isnull=True,
        )
        .select_related("listing__meeting__area", "listing__case")
        .distinct()
        .order_by("listing__meeting__starts_on", "listing__position", "pk")
    )


def meetings_with_minutes_for(user: User) -> QuerySet[Meeting]:
    """The meetings whose published minutes ``user`` may read some of, as ``minutes_access``
    decides one meeting at a time, but as one query for a whole list: meetings they attended
    (not as an observer); for the hub, those it runs that it attended or where its agency
    referred a case; for an agency representative, those where their agency referred a case
    that was heard and that they may see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.agency is None:
        return Meeting.objects.none()
    attended = Attendee.objects.filter(user=user)
    readers = Q(pk__in=attended.exclude(role=AttendeeRole.OBSERVER).values("meeting_id"))
    if is_hub(user):
        referred = Listing.objects.filter(referral__referrer_agency_id=user.agency_id)
        readers |= Q(pk__in=meetings_run_by(user).values("pk")) & (
            Q(pk__in=attended.values("meeting_id")) | Q(pk__in=referred.values("meeting_id"))
        )
    if user.is_agency_rep and user.agency_id:
        own = Listing.objects.filter(
            hearing__isnull=False,
            referral__referrer_agency_id=user.agency_id,
            case__in=cases_visible_to(user),
        )
        readers |= Q(pk__in=own.values("meeting_id"))
    return Meeting.objects.filter(
        area__partnership_id=user.agency.partnership_id,
        record__minutes_status=MinutesStatus.PUBLISHED,
    ).filter(readers)


@dataclass
class MinutesAccess:
    full: bool = False
    listing_ids: set[int] = field(default_factory=set)
    drafts: bool = False
    record: MeetingRecord | None = None

    @property
    def any(self) -> bool:
        return bool(self.listing_ids) or self.full


def minutes_access(user: User, meeting: Meeting) -> MinutesAccess:
    """What of ``meeting``'s minutes ``user`` may read (see the module's rules)."""
    # A page that read the meeting with its record (``select_related``) is not asked again.
    record = (
        getattr(meeting, "record", None)
        if Meeting.record.is_cached(meeting)
        else MeetingRecord.objects.filter(meeting=meeting).first()
    )
    if record is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return MinutesAccess()
    heard = Listing.objects.filter(meeting=meeting, hearing__isnull=False)
    visible = set(heard.filter(case__in=cases_visible_to(user)).values_list("pk", flat=True))
    runs = meetings_run_by(user).filter(pk=meeting.pk).exists()
    attended = Attendee.objects.filter(meeting=meeting, user=user).exclude(
        role=AttendeeRole.OBSERVER
    )
    in_partnership = (
        user.agency is not None and user.agency.partnership_id == meeting.area.partnership_id
    )
    # The hub reads the minutes of the meetings it runs: those of the areas its licence covers.
    if in_partnership and runs and (is_hub(user) or attended.exists()):
        return MinutesAccess(full=True, listing_ids=visible, drafts=True, record=record)
    if record.minutes_status != MinutesStatus.PUBLISHED:
        return MinutesAccess()
    if attended.exists():
        return MinutesAccess(full=True, listing_ids=visible, record=record)
    if user.is_agency_rep and user.agency_id:
        own = set(
            heard.filter(referral__referrer_agency_id=user.agency_id).values_list("pk", flat=True)
        )
        return MinutesAccess(full=False, listing_ids=own & visible, record=record)
    return MinutesAccess()


def minutes_sections_readable(user: User, listings: list[Listing]) -> set[int]:
    """Which of ``listings`` (heard, of cases ``user`` may see) have a minutes section ``user``
    may read: ``minutes_access``'s rules for many meetings at once, in a fixed number of queries
    however many listings there are. Each listing needs ``meeting__area`` and
    ``meeting__record`` selected; a case the user may not see is the caller's to leave out."""
    heard = [listing for listing in listings if hasattr(listing, "hearing")]
    if not heard or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    meeting_ids = {listing.meeting_id for listing in heard}
    runs = set(meetings_run_by(user).filter(pk__in=meeting_ids).values_list("pk", flat=True))
    attended = set(
        Attendee.objects.filter(meeting_id__in=meeting_ids, user=user)
        .exclude(role=AttendeeRole.OBSERVER)
        .values_list("meeting_id", flat=True)
    )
    hub = is_hub(user)
    readable: set[int] = set()
    for listing in heard:
        meeting = listing.meeting
        record = getattr(meeting, "record", None)
        if record is None:
            continue
        in_partnership = (
            user.agency is not None and user.agency.partnership_id == meeting.area.partnership_id
        )
        if in_partnership and meeting.pk in runs and (hub or meeting.pk in attended):
            readable.add(listing.pk)
        elif record.minutes_status != MinutesStatus.PUBLISHED:
            continue
        elif meeting.pk in attended or (
            user.is_agency_rep
            and user.agency_id
            and listing.referral is not None
            and listing.referral.referrer_agency_id == user.agency_id
        ):
            readable.add(listing.pk)
    return readable


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
