"""Permission-matrix rows for meetings, agendas, research and the case lifecycle.

The demo's Medway case is on a published agenda with the police's research on it. Police (and
the police chair) are standing members of Medway; housing and the substance-use service are
members only by invitation and are not invited to it, so they see nothing of it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from openmarac.meetings.models import Listing
from openmarac.research.models import ResearchEntry, ResearchRequest

from .common import CAST, SIGN_IN, Args, everyone, hub_only

if TYPE_CHECKING:
    from tests.conftest import Cast


def demo_listing() -> Listing:
    return Listing.objects.select_related("meeting").get(case__reference__startswith="MED-")


def police_request(cast: Cast) -> ResearchRequest:
    return ResearchRequest.objects.get(listing=demo_listing(), agency=cast.police_rep.agency)


def victim_entry(cast: Cast) -> ResearchEntry:
    return ResearchEntry.objects.get(request=police_request(cast), participant__role="victim")


def only(*members: str) -> dict[str, Any]:
    expected: dict[str, Any] = {**everyone(404), "revoked": SIGN_IN, "anonymous": SIGN_IN}
    expected.update(dict.fromkeys(members, 200))
    assert set(expected) == set(CAST)
    return expected


MEDWAY_MEMBERS = only("coordinator", "chair", "police_rep")
SIGNED_IN_MEMBERS = only("coordinator", "chair", "police_rep", "housing_rep", "invited_rep")
REPS = only("police_rep", "housing_rep", "invited_rep")

CASE_A: Args = lambda cast: {"reference": cast.case_a.reference}  # noqa: E731
MEETING: Args = lambda cast: {"meeting_id": demo_listing().meeting_id}  # noqa: E731
LISTING: Args = lambda cast: {"listing_id": demo_listing().pk}  # noqa: E731
AREA: Args = lambda cast: {"area_id": demo_listing().meeting.area_id}  # noqa: E731
REQUEST: Args = lambda cast: {"request_id": police_request(cast).pk}  # noqa: E731
ENTRY_ARGS: Args = lambda cast: {  # noqa: E731
    "request_id": police_request(cast).pk,
    "participant_id": victim_entry(cast).participant_id,
}
HISTORY: Args = lambda cast: {"entry_id": victim_entry(cast).pk}  # noqa: E731

ROWS: dict[str, tuple[Args, dict[str, Any]]] = {
    "cases:death": (CASE_A, hub_only()),
    "meetings:calendar": (lambda cast: {}, SIGNED_IN_MEMBERS),
    "meetings:detail": (MEETING, MEDWAY_MEMBERS),
    "meetings:add": (AREA, hub_only()),
    "meetings:move": (MEETING, hub_only()),
    "meetings:cancel": (MEETING, hub_only()),
    "meetings:publish": (MEETING, hub_only()),
    "meetings:listing_move": (LISTING, hub_only()),
    "research:mine": (lambda cast: {}, REPS),
    "research:case": (LISTING, MEDWAY_MEMBERS),
    # Only the supplying agency's representatives edit its research (not even the hub).
    "research:entry": (ENTRY_ARGS, only("police_rep")),
    "research:submit": (REQUEST, only("police_rep")),
    "research:history": (HISTORY, MEDWAY_MEMBERS),
    "research:board": (MEETING, MEDWAY_MEMBERS),
}
