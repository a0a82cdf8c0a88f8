"""Meetings, agendas and research."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.meetings.models import Listing, Meeting
from openmarac.meetings.services import meetings_generate
from openmarac.research.models import ResearchEntry, ResearchRequest

from .common import Row, World, by_case, same_for_all


def _setup(world: World) -> dict[str, Any]:
    """Two North Kent meetings: the first lists every world case, the second only the uninvited
    one; the police agency has a research request and an entry on each listed case."""
    if "meetings" in world.extra:
        return world.extra["meetings"]
    cast = world.cast
    if not Meeting.objects.filter(area=cast.area_a).exists():
        meetings_generate(area=cast.area_a)
    first, second = Meeting.objects.filter(area=cast.area_a).order_by("starts_on")[:2]
    police = cast.police_rep.agency
    victim = CaseParticipant.objects.filter(case=cast.case_a, role=ParticipantRole.VICTIM).first()
    now = timezone.now()
    listings: dict[int, Listing] = {}
    requests: dict[int, ResearchRequest] = {}
    entries: dict[int, ResearchEntry] = {}
    cases: list[Case] = [world.ordinary_case, world.uninvited_case, world.restricted_case]
    for position, case in enumerate(cases):
        participant, _ = CaseParticipant.objects.get_or_create(
            case=case, person=victim.person, role=ParticipantRole.VICTIM
        )
        listing = Listing.objects.create(
            meeting=first, case=case, position=position, reason="new", listed_at=now
        )
        listings[case.pk] = listing
        research = ResearchRequest.objects.create(
            listing=listing, agency=police, requested_at=now, due_on=first.starts_on
        )
        requests[case.pk] = research
        entries[case.pk] = ResearchEntry.objects.create(
            request=research,
            participant=participant,
            finding="not_known",
            updated_by=cast.police_rep,
            updated_at=now,
        )
    Listing.objects.create(
        meeting=second, case=world.uninvited_case, position=0, reason="new", listed_at=now
    )
    world.extra["meetings"] = {
        "first": first,
        "second": second,
        "listings": listings,
        "requests": requests,
        "entries": entries,
    }
    return world.extra["meetings"]


def _meeting_each_may_not_see(world: World, attacker: str) -> dict[str, Any] | None:
    """Standing members of North Kent (and its partnership's hub) may see its meetings; the others
    may not."""
    m = _setup(world)
    meeting = {
        "other_area": m["first"],  # housing stands only in West Kent
        "invite_other_case": m["second"],  # only a case the invited agency is not invited to
        "deactivated": m["first"],
        "other_referrer": m["first"],
        "other_partnership_hub": m["first"],
        "other_partnership_chair": m["first"],
    }.get(attacker)
    return None if meeting is None else {"meeting_id": meeting.pk}


def _police_request(world: World, attacker: str) -> dict[str, Any] | None:
    """The police agency's own research request: other agencies and those who lost the case."""
    if attacker == "not_invited":
        return None  # the police representative owns this request
    m = _setup(world)
    return {"request_id": m["requests"][world.ordinary_case.pk].pk}


def _entry(world: World, attacker: str) -> dict[str, Any] | None:
    m = _setup(world)
    # Research on a case is shared with everyone who may see the case.
    return by_case(lambda w, case: {"entry_id": m["entries"][case.pk].pk})(world, attacker)


def _hub_meeting(world: World) -> dict[str, Any]:
    return {"meeting_id": _setup(world)["first"].pk}


ROWS = {
    "meetings:add": Row(same_for_all(lambda w: {"area_id": w.cast.area_a.pk})),
    "meetings:detail": Row(_meeting_each_may_not_see),
    "meetings:move": Row(same_for_all(_hub_meeting)),
    "meetings:cancel": Row(same_for_all(_hub_meeting)),
    "meetings:publish": Row(same_for_all(_hub_meeting), method="post"),
    "meetings:listing_move": Row(
        same_for_all(lambda w: {"listing_id": _setup(w)["listings"][w.ordinary_case.pk].pk})
    ),
    "research:board": Row(_meeting_each_may_not_see),
    "research:case": Row(
        by_case(lambda w, case: {"listing_id": _setup(w)["listings"][case.pk].pk})
    ),
    "research:entry": Row(
        lambda w, a: (
            None
            if (k := _police_request(w, a)) is None
            else {
                **k,
                "participant_id": _setup(w)["entries"][w.ordinary_case.pk].participant_id,
            }
        )
    ),
    "research:submit": Row(_police_request, method="post"),
    "research:history": Row(_entry),
}
