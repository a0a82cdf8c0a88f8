"""Running a meeting: attendance, the per-case record, the minutes, corrections and the PDFs."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openmarac.actions.models import Action
from openmarac.actions.services.proposals import action_propose
from openmarac.proceedings.models import (
    Attendee,
    AttendeeRole,
    Hearing,
    MinutesCorrection,
    SharedInformation,
)
from openmarac.proceedings.services.guards import record_for

from .common import Row, World, by_area, by_case
from .meetings_research import _meeting_each_may_not_see
from .meetings_research import _setup as _meetings


def _setup(world: World) -> dict[str, Any]:
    """On the first North Kent meeting and the West Kent one (see ``meetings_research``): each
    one's record, an agenda sent out, the chair attending, and every world case heard with the
    police's information shared and a correction asked for; none of the attackers attends or
    runs them."""
    if "proceedings" in world.extra:
        return world.extra["proceedings"]
    cast = world.cast
    m = _meetings(world)
    now = timezone.now()
    attendees = {}
    for meeting in (m["first"], m["west"]):
        meeting.agenda_published_at = now
        meeting.save(update_fields=["agenda_published_at"])
        record_for(meeting)
        attendees[meeting.pk] = Attendee.objects.create(
            meeting=meeting,
            user=cast.chair,
            name=cast.chair.get_full_name() or cast.chair.username,
            agency=cast.chair.agency,
            role=AttendeeRole.CHAIR,
            recorded_by=cast.coordinator,
            recorded_at=now,
        )
    police = cast.police_rep.agency
    information: dict[int, SharedInformation] = {}
    corrections: dict[int, MinutesCorrection] = {}
    for case_pk, listing in m["listings"].items():
        hearing = Hearing.objects.create(listing=listing, opened_at=now, opened_by=cast.chair)
        shared = SharedInformation.objects.create(
            hearing=hearing,
            agency=police,
            text="Two call-outs this month",
            recorded_by=cast.coordinator,
            recorded_at=now,
        )
        information[case_pk] = shared
        corrections[case_pk] = MinutesCorrection.objects.create(
            information=shared,
            agency=police,
            requested_by=cast.police_rep,
            requested_at=now,
            proposed_text="Three call-outs this month",
            reason="Miscounted",
        )
    world.extra["proceedings"] = {
        "meeting": m["first"],
        "west": m["west"],
        "attendees": attendees,
        "information": information,
        "corrections": corrections,
    }
    return world.extra["proceedings"]


def _meeting_in(which: str) -> Any:
    return lambda world: {"meeting_id": _setup(world)[which].pk}


def _attendee_in(which: str) -> Any:
    def kwargs(world: World) -> dict[str, Any]:
        meeting = _setup(world)[which]
        return {"meeting_id": meeting.pk, "attendee_id": _setup(world)["attendees"][meeting.pk].pk}

    return kwargs


def _listing(world: World, attacker: str) -> dict[str, Any] | None:
    """The listing of each attacker's forbidden case at the meeting."""
    _setup(world)
    listings = _meetings(world)["listings"]
    return by_case(
        lambda w, case: {
            "meeting_id": listings[case.pk].meeting_id,
            "listing_id": listings[case.pk].pk,
        }
    )(world, attacker)


def _action(world: World, attacker: str) -> dict[str, Any] | None:
    """A proposed action on each attacker's forbidden case, to be agreed at the meeting."""
    kwargs = _listing(world, attacker)
    if kwargs is None:
        return None
    case = _meetings(world)["listings"]
    listing = next(item for item in case.values() if item.pk == kwargs["listing_id"])
    action = Action.objects.filter(case=listing.case).first() or action_propose(
        case=listing.case,
        owner_agency=world.cast.police_rep.agency,
        what="Check the address history",
        addresses="victim",
        due_on=None,
        rationale="Safety planning",
        proposed_by=world.cast.chair,  # named in the restricted case too
        request=None,
    )
    return {**kwargs, "action_id": str(action.public_id)}


def _information(world: World, attacker: str) -> dict[str, Any] | None:
    """The police's information on each attacker's forbidden case; the other agency tries the
    police's on the case it may see."""
    information = _setup(world)["information"]
    if attacker == "other_agency":
        return {"information_id": information[world.ordinary_case.pk].pk}
    return by_case(lambda w, case: {"information_id": information[case.pk].pk})(world, attacker)


CORRECTION = by_area(
    lambda w: {"correction_id": _setup(w)["corrections"][w.ordinary_case.pk].pk},
    lambda w: {"correction_id": _setup(w)["corrections"][w.west_case.pk].pk},
)


def _agenda(world: World, attacker: str) -> dict[str, Any] | None:
    """The sent-out agenda of a meeting listing only cases the attacker may not see."""
    _setup(world)
    return _meeting_each_may_not_see(world, attacker)


MEETING = by_area(_meeting_in("meeting"), _meeting_in("west"))

ROWS = {
    "proceedings:meeting": Row(MEETING),
    "proceedings:attendee_add": Row(MEETING),
    "proceedings:apology_add": Row(MEETING),
    "proceedings:attendee_confirm": Row(
        by_area(_attendee_in("meeting"), _attendee_in("west")), method="post"
    ),
    "proceedings:order": Row(MEETING, method="post", data={"mode": "risk"}),
    "proceedings:meeting_open": Row(MEETING, method="post"),
    "proceedings:meeting_open_early": Row(MEETING),
    "proceedings:meeting_close": Row(MEETING, method="post"),
    "proceedings:conflict_add": Row(MEETING),
    "proceedings:hearing": Row(_listing),
    "proceedings:hearing_open": Row(_listing, method="post"),
    "proceedings:information_add": Row(_listing, method="post"),
    "proceedings:action_add": Row(_listing),
    "proceedings:action_agree": Row(_action, method="post"),
    "proceedings:outcome": Row(_listing),
    "proceedings:minutes": Row(MEETING),
    "proceedings:minutes_notes": Row(MEETING, method="post", data={"notes": "Reviewed"}),
    "proceedings:minutes_approve": Row(MEETING, method="post"),
    "proceedings:minutes_section": Row(_listing),
    "proceedings:minutes_section_approve": Row(_listing, method="post"),
    "proceedings:minutes_publish": Row(MEETING, method="post"),
    "proceedings:actions_publish": Row(MEETING, method="post"),
    "proceedings:minutes_pdf": Row(MEETING),
    "proceedings:agenda_pdf": Row(_agenda),
    "proceedings:correction_new": Row(_information),
    "proceedings:correction": Row(CORRECTION),
}
