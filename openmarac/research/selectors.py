"""Scoped reads of meetings, agendas and research. Every case read starts from the user's scope."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from openmarac.agencies.models import Agency
from openmarac.cases.selectors import (
    CaseLabel,
    areas_followed_by,
    case_labels_for,
    cases_visible_to,
)
from openmarac.core.decorators import is_hub
from openmarac.meetings.models import Listing, ListingStatus, Meeting

from .models import ResearchEntry, ResearchRequest

if TYPE_CHECKING:
    from openmarac.accounts.models import User
    from openmarac.core.types import Viewer


def meetings_visible_to(user: Viewer) -> QuerySet[Meeting]:
    """Meetings of the areas the user follows (``areas_followed_by``: the areas their active
    licence covers, where their agency is a standing member; every licensed area for the hub),
    and meetings where a case the user may see is listed (an invited agency's cases).

    The same licence rule as ``cases_visible_to``: without an active licence (or signed out), no
    meetings."""
    if user is None or not user.is_authenticated or not user.is_active or not user.agency_id:
        return Meeting.objects.none()
    followed = areas_followed_by(user).values("pk")
    with_cases = Listing.objects.filter(case__in=cases_visible_to(user)).values("meeting_id")
    agency = user.agency
    if agency is None:  # never: the user has an agency id
        return Meeting.objects.none()
    return Meeting.objects.filter(area__partnership_id=agency.partnership_id).filter(
        Q(area_id__in=followed) | Q(pk__in=with_cases)
    )


def agenda_visible_to(user: User, meeting: Meeting) -> bool:
    """The hub sees a meeting's case list as it forms; members once the agenda is published."""
    return is_hub(user) or meeting.agenda_published_at is not None


@dataclass
class AgendaRow:
    listing: Listing
    label: CaseLabel
    moves: int = 0


def agenda_rows(user: User, meeting: Meeting) -> list[AgendaRow]:
    """The meeting's case list as ``user`` may see it: restricted cases masked or left out."""
    listings = list(
        meeting.listings.exclude(status=ListingStatus.WITHDRAWN)
        .select_related("case")
        .annotate(move_count=Count("moves"))
        .order_by("position", "listed_at", "pk")
    )
    labels = case_labels_for(user, [listing.case for listing in listings])
    return [
        AgendaRow(listing=listing, label=labels[listing.case_id], moves=listing.move_count)
        for listing in listings
        if labels[listing.case_id].shown
    ]


def research_visible_to(user: User) -> QuerySet[ResearchRequest]:
    """Research requests on cases the user may see: never outside the area MARAC."""
    return ResearchRequest.objects.filter(listing__case__in=cases_visible_to(user))


def entries_visible_to(user: User) -> QuerySet[ResearchEntry]:
    return ResearchEntry.objects.filter(request__listing__case__in=cases_visible_to(user))


def listings_visible_to(user: User) -> QuerySet[Listing]:
    return Listing.objects.filter(case__in=cases_visible_to(user))


@dataclass
class BoardCell:
    research: ResearchRequest | None
    late: bool = False
    agency: Agency | None = None  # the column's agency, named on the cell when rows stack

    @property
    def state(self) -> str:
        if self.research is None:
            return "not asked"
        if self.research.completed_at:
            return "complete"
        return "late" if self.late else "outstanding"


@dataclass
class BoardRow:
    listing: Listing
    label: CaseLabel
    cells: list[BoardCell] = field(default_factory=list)

    @property
    def complete(self) -> int:
        return sum(1 for c in self.cells if c.state == "complete")

    @property
    def asked(self) -> int:
        return sum(1 for c in self.cells if c.research is not None)


@dataclass
class Board:
    agencies: list[Agency]
    rows: list[BoardRow]
    late_agencies: list[Agency]


def research_board(user: User, meeting: Meeting, *, today: datetime.date) -> Board:
    """Which agencies have and have not completed research for each case the user may see."""
    visible = cases_visible_to(user).values("pk")
    requests = list(
        ResearchRequest.objects.filter(listing__meeting=meeting, listing__case_id__in=visible)
        .select_related("agency")
        .order_by("agency__name")
    )
    agencies = sorted({r.agency for r in requests}, key=lambda a: a.name)
    by_key = {(r.listing_id, r.agency_id): r for r in requests}
    rows = []
    late: set[int] = set()
    listings = list(
        meeting.listings.filter(status=ListingStatus.LISTED, case_id__in=visible)
        .select_related("case")
        .order_by("position", "listed_at", "pk")
    )
    labels = case_labels_for(user, [listing.case for listing in listings])
    for listing in listings:
        row = BoardRow(listing=listing, label=labels[listing.case_id])
        for agency in agencies:
            research = by_key.get((listing.pk, agency.pk))
            is_late = bool(research and not research.completed_at and research.due_on < today)
            if is_late:
                late.add(agency.pk)
            row.cells.append(BoardCell(research=research, late=is_late, agency=agency))
        rows.append(row)
    return Board(agencies=agencies, rows=rows, late_agencies=[a for a in agencies if a.pk in late])
