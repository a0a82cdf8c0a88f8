"""Permission-matrix rows for the meeting screen, the per-case record, minutes and PDFs.

The demo has a Mid-Kent meeting today with two cases listed. Police and children's services are
standing members in Mid-Kent; housing is there only by invitation (and not invited), and the
invited agency is invited to a North Kent case only. Rows that need a meeting under way or
minutes published build it first, through the services. The minutes of a case a stand-in
chaired are tried with the chair conflicted in the second case and police chairing it.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from openmarac.meetings.models import Meeting, MeetingKind
from openmarac.proceedings.actions_app import actions_available
from openmarac.proceedings.models import (
    AttendeeRole,
    ConflictDeclaration,
    Hearing,
    Outcome,
    SharedInformation,
)
from openmarac.proceedings.services.attendance import attendee_add, attendee_confirm
from openmarac.proceedings.services.conduct import meeting_close, meeting_open
from openmarac.proceedings.services.conflicts import conflict_declare
from openmarac.proceedings.services.corrections import correction_request
from openmarac.proceedings.services.guards import record_for
from openmarac.proceedings.services.hearings import hearing_decide, hearing_open, information_record
from openmarac.proceedings.services.minutes import minutes_approve, minutes_publish

from .common import SIGN_IN, everyone

if TYPE_CHECKING:
    from tests.conftest import Cast

DENIED = {"revoked": SIGN_IN, "anonymous": SIGN_IN}
RUNNERS = {**everyone(404), "coordinator": 200, "chair": 200, **DENIED}
POST_ONLY = everyone(405)


def demo_meeting() -> Meeting:
    return Meeting.objects.get(area__code="MK", listings__case__reference__endswith="D0005")


def _first_listing(meeting: Meeting) -> Any:
    return meeting.listings.order_by("pk").first()


def under_way(cast: Cast) -> dict[str, Any]:
    """The demo meeting opened with the chair, the minute taker and police, and a case opened.
    Safe to call again (every row's arguments may be built more than once in one test)."""
    meeting = demo_meeting()
    for role, user in (
        (AttendeeRole.CHAIR, cast.chair),
        (AttendeeRole.MINUTE_TAKER, cast.coordinator),
        (AttendeeRole.REPRESENTATIVE, cast.police_rep),
    ):
        attendee = meeting.attendees.filter(user=user).first() or attendee_add(
            meeting=meeting, role=role, user=user, actor=cast.coordinator
        )
        attendee_confirm(attendee=attendee, actor=cast.coordinator)
    # A test on another clock may find the meeting days ahead: its chair confirms opening it.
    meeting_open(meeting=meeting, actor=cast.chair, early_confirmed=True)
    listing = _first_listing(meeting)
    if not Hearing.objects.filter(listing=listing).exists():
        hearing_open(listing=listing, actor=cast.coordinator)
    return {"meeting": meeting, "listing": listing}


def published(cast: Cast) -> dict[str, Any]:
    """The demo meeting heard, closed, approved and published, with what police shared."""
    state = under_way(cast)
    meeting = state["meeting"]
    record = record_for(meeting)
    if record.closed_at is None:
        for listing in meeting.listings.order_by("pk"):
            hearing = Hearing.objects.filter(listing=listing).first() or hearing_open(
                listing=listing, actor=cast.coordinator
            )
            if not hearing.information.exists():
                information_record(
                    hearing=hearing,
                    agency=cast.police_rep.agency,
                    text="Police information.",
                    in_writing=False,
                    actor=cast.coordinator,
                )
            hearing_decide(hearing=hearing, outcome=Outcome.CLOSE, actor=cast.chair)
        meeting_close(meeting=meeting, actor=cast.coordinator)
        minutes_approve(meeting=meeting, actor=cast.chair)
        minutes_publish(meeting=meeting, actor=cast.coordinator)
    info = SharedInformation.objects.filter(hearing__listing=state["listing"]).get()
    return {**state, "info": info}


def stood_in_args(cast: Cast) -> dict[str, Any]:
    """The demo meeting closed after the chair declared a conflict in its second case, which the
    police representative chaired instead: that case's minutes are theirs to approve."""
    state = under_way(cast)
    meeting = state["meeting"]
    second = meeting.listings.order_by("pk")[1]
    # A conflict can only be declared before the case opens: when an earlier row's set-up on the
    # same cast (the security-headers test walks every row) has already heard it, the URL is
    # still well formed, and the permission matrix, which sets up each row afresh, checks access.
    opened = Hearing.objects.filter(listing=second).exists()
    if not opened and not ConflictDeclaration.objects.filter(listing=second).exists():
        conflict_declare(
            listing=second,
            attendee=meeting.attendees.get(user=cast.chair),
            stand_in=meeting.attendees.get(user=cast.police_rep),
            actor=cast.coordinator,
        )
    if record_for(meeting).closed_at is None:
        for listing in meeting.listings.order_by("pk"):
            hearing = Hearing.objects.filter(listing=listing).first() or hearing_open(
                listing=listing, actor=cast.coordinator
            )
            hearing_decide(hearing=hearing, outcome=Outcome.CLOSE, actor=cast.coordinator)
        meeting_close(meeting=meeting, actor=cast.coordinator)
    return {"meeting_id": meeting.pk, "listing_id": second.pk}


def meeting_args(cast: Cast) -> dict[str, Any]:
    return {"meeting_id": demo_meeting().pk}


def future_meeting_args(cast: Cast) -> dict[str, Any]:
    """The demo meeting's area meets again in three weeks: opening that meeting today needs its
    chair to confirm, so its confirm page is shown rather than a way back to the meeting."""
    today = demo_meeting()
    on = today.starts_on + datetime.timedelta(days=21)
    meeting, _ = Meeting.objects.get_or_create(
        area=today.area,
        starts_on=on,
        defaults={"ends_on": on, "start_time": today.start_time, "kind": MeetingKind.EXTRA},
    )
    return {"meeting_id": meeting.pk}


def listing_args(cast: Cast) -> dict[str, Any]:
    meeting = demo_meeting()
    return {"meeting_id": meeting.pk, "listing_id": _first_listing(meeting).pk}


def open_listing_args(cast: Cast) -> dict[str, Any]:
    state = under_way(cast)
    return {"meeting_id": state["meeting"].pk, "listing_id": state["listing"].pk}


def published_args(cast: Cast) -> dict[str, Any]:
    return {"meeting_id": published(cast)["meeting"].pk}


def correction_new_args(cast: Cast) -> dict[str, Any]:
    return {"information_id": published(cast)["info"].pk}


def correction_args(cast: Cast) -> dict[str, Any]:
    info = published(cast)["info"]
    correction = correction_request(
        information=info, proposed_text="Corrected.", reason="Typo", actor=cast.police_rep
    )
    return {"correction_id": correction.pk}


ATTENDED = {**everyone(404), "coordinator": 200, "chair": 200, "police_rep": 200, **DENIED}

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "proceedings:index": (
        lambda cast: {},
        {**everyone(200), "lead": 404, **DENIED},
    ),
    "proceedings:meeting": (meeting_args, RUNNERS),
    "proceedings:attendee_add": (meeting_args, RUNNERS),
    "proceedings:apology_add": (meeting_args, RUNNERS),
    "proceedings:attendee_confirm": (lambda c: {**meeting_args(c), "attendee_id": 1}, POST_ONLY),
    "proceedings:order": (meeting_args, POST_ONLY),
    "proceedings:meeting_open": (meeting_args, POST_ONLY),
    "proceedings:meeting_open_early": (future_meeting_args, RUNNERS),
    "proceedings:meeting_close": (meeting_args, POST_ONLY),
    # Runners record conflicts for anyone; an attendee declares their own (none attend yet).
    "proceedings:conflict_add": (meeting_args, RUNNERS),
    "proceedings:hearing": (listing_args, RUNNERS),
    "proceedings:hearing_open": (listing_args, POST_ONLY),
    "proceedings:information_add": (listing_args, POST_ONLY),
    # Agreeing actions at the meeting needs the actions app's models.
    "proceedings:action_add": (
        open_listing_args,
        RUNNERS if actions_available() else {**everyone(404), **DENIED},
    ),
    "proceedings:action_agree": (
        lambda c: {**listing_args(c), "action_id": "00000000-0000-0000-0000-000000000000"},
        POST_ONLY,
    ),
    "proceedings:outcome": (open_listing_args, RUNNERS),
    "proceedings:minutes": (published_args, ATTENDED),
    "proceedings:minutes_notes": (meeting_args, POST_ONLY),
    "proceedings:minutes_approve": (meeting_args, POST_ONLY),
    # The stand-in who chaired the case approves it; the conflicted chair may not even read it.
    "proceedings:minutes_section": (
        stood_in_args,
        {**everyone(404), "coordinator": 200, "police_rep": 200, **DENIED},
    ),
    "proceedings:minutes_section_approve": (stood_in_args, POST_ONLY),
    "proceedings:minutes_publish": (meeting_args, POST_ONLY),
    "proceedings:actions_publish": (meeting_args, POST_ONLY),
    "proceedings:minutes_pdf": (published_args, ATTENDED),
    # Police are standing members in Mid-Kent; housing and the invited agency are not.
    "proceedings:agenda_pdf": (
        meeting_args,
        {**RUNNERS, "police_rep": 200},
    ),
    # Only the agency that shared it (police: the police representative and the police chair).
    "proceedings:correction_new": (
        correction_new_args,
        {**everyone(404), "chair": 200, "police_rep": 200, **DENIED},
    ),
    "proceedings:correction": (
        correction_args,
        {**everyone(404), "coordinator": 200, **DENIED},
    ),
}
