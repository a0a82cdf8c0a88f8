"""Meetings, agendas and research."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.meetings.models import Listing, Meeting
from openmarac.meetings.services import meetings_generate
from openmarac.research.models import ResearchEntry, ResearchRequest

from .common import Row, World, by_area, by_case


def _setup(world: World) -> dict[str, Any]:
    """Two North Kent meetings: the first lists every North Kent world case, the second only the
    uninvited one; a West Kent meeting (``west``) lists the West Kent case. The police agency has
    a research request and an entry on each listed case."""
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
    if not Meeting.objects.filter(area=cast.area_b).exists():
        meetings_generate(area=cast.area_b)
    west = Meeting.objects.filter(area=cast.area_b).order_by("starts_on").first()
    cases: list[tuple[Meeting, Case]] = [
        (first, world.ordinary_case),
        (first, world.uninvited_case),
        (first, world.restricted_case),
        (west, world.west_case),
    ]
    for position, (meeting, case) in enumerate(cases):
        participant, _ = CaseParticipant.objects.get_or_create(
            case=case, person=victim.person, role=ParticipantRole.VICTIM
        )
        listing = Listing.objects.create(
            meeting=meeting, case=case, position=position, reason="new", listed_at=now
        )
        listings[case.pk] = listing
        research = ResearchRequest.objects.create(
            listing=listing, agency=police, requested_at=now, due_on=meeting.starts_on
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
        "west": west,
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
        "area_limited_hub": m["west"],  # licensed for North Kent only
        "expired_hub": m["first"],
    }.get(attacker)
    return None if meeting is None else {"meeting_id": meeting.pk}


def _police_case(world: World, attacker: str) -> Case:
    """The case of the police's research each attacker tries: West Kent's for the coordinator
    licensed for North Kent only, else the ordinary case."""
    return world.west_case if attacker == "area_limited_hub" else world.ordinary_case


def _police_request(world: World, attacker: str) -> dict[str, Any] | None:
    """The police agency's own research request: other agencies and those who lost the case."""
    if attacker == "not_invited":
        return None  # the police representative owns this request
    m = _setup(world)
    return {"request_id": m["requests"][_police_case(world, attacker).pk].pk}


def _entry(world: World, attacker: str) -> dict[str, Any] | None:
    m = _setup(world)
    # Research on a case is shared with everyone who may see the case.
    return by_case(lambda w, case: {"entry_id": m["entries"][case.pk].pk})(world, attacker)


HUB_MEETING = by_area(
    lambda w: {"meeting_id": _setup(w)["first"].pk},
    lambda w: {"meeting_id": _setup(w)["west"].pk},
)

ROWS = {
    "meetings:add": Row(
        by_area(lambda w: {"area_id": w.cast.area_a.pk}, lambda w: {"area_id": w.cast.area_b.pk})
    ),
    "meetings:detail": Row(_meeting_each_may_not_see),
    "meetings:move": Row(HUB_MEETING),
    "meetings:cancel": Row(HUB_MEETING),
    "meetings:publish": Row(HUB_MEETING, method="post"),
    "meetings:listing_move": Row(
        by_area(
            lambda w: {"listing_id": _setup(w)["listings"][w.ordinary_case.pk].pk},
            lambda w: {"listing_id": _setup(w)["listings"][w.west_case.pk].pk},
        )
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
                "participant_id": _setup(w)["entries"][_police_case(w, a).pk].participant_id,
            }
        )
    ),
    "research:submit": Row(_police_request, method="post"),
    "research:history": Row(_entry),
}
