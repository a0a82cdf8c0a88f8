"""Minutes of a case chaired by a stand-in because the meeting's chair declared a conflict in it.

The stand-in approves that case's section; the conflicted chair neither sees nor approves it and
approves the rest; the minutes are approved, and can be published, only once both have.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from openmarac.audit.models import AuditEvent
from openmarac.audit.models import Outcome as AuditOutcome
from openmarac.cases.models import Case
from openmarac.meetings.models import Listing
from openmarac.proceedings.models import (
    AttendeeRole,
    Hearing,
    MeetingRecord,
    MinutesStatus,
    Outcome,
    SectionApproval,
)
from openmarac.proceedings.services.attendance import attendee_add
from openmarac.proceedings.services.conduct import meeting_close
from openmarac.proceedings.services.conflicts import conflict_declare
from openmarac.proceedings.services.guards import ProceedingsError, hearing_writable
from openmarac.proceedings.services.hearings import hearing_decide, information_record
from openmarac.proceedings.services.minutes import (
    minutes_approve,
    minutes_publish,
    minutes_section_approve,
)

from .conftest import client_for
from .test_proceedings import Room, listed

pytestmark = pytest.mark.django_db

SECRET = "Shared about NK-T-0042."


@dataclass
class StandIn:
    room: Room
    ordinary: Hearing  # chaired by the meeting's chair
    handed_over: Hearing  # the chair declared a conflict; police chaired it
    listing: Listing  # handed_over's listing

    def url(self, name: str, listing: Listing | None = None) -> str:
        listing = listing or self.listing
        return reverse(f"proceedings:{name}", args=[self.room.meeting.pk, listing.pk])

    @property
    def minutes(self) -> str:
        return reverse("proceedings:minutes", args=[self.room.meeting.pk])

    @property
    def approve(self) -> str:
        return reverse("proceedings:minutes_approve", args=[self.room.meeting.pk])

    def record(self) -> MeetingRecord:
        return MeetingRecord.objects.get(meeting=self.room.meeting)


def stand_in_meeting(cast) -> StandIn:
    """A closed North Kent meeting of two cases: the chair declared a conflict in the second and
    the police representative chaired it instead."""
    room = Room(cast)
    other = Case.objects.create(
        partnership=cast.partnership, area=cast.area_a, reference="NK-T-0042"
    )
    second = listed(cast, room.meeting, other)
    conflict_declare(
        listing=second, attendee=room.chair, stand_in=room.police, actor=cast.coordinator
    )
    room.open()
    hearings = []
    for listing in (room.listing, second):
        hearing = room.hear(listing)
        information_record(
            hearing=hearing,
            agency=room.health.agency,
            text=f"Shared about {listing.case.reference}.",
            in_writing=False,
            actor=cast.coordinator,
        )
        hearing_decide(hearing=hearing, outcome=Outcome.CLOSE, actor=cast.coordinator)
        hearings.append(hearing)
    meeting_close(meeting=room.meeting, actor=cast.coordinator)
    return StandIn(room=room, ordinary=hearings[0], handed_over=hearings[1], listing=second)


def test_the_stand_in_approves_the_case_they_chaired(cast):
    s = stand_in_meeting(cast)
    stand_in = client_for(cast.police_rep)
    # The section waits for them on their meetings page.
    index = stand_in.get(reverse("proceedings:index")).content.decode()
    assert "Minutes for you to approve" in index
    assert s.url("minutes_section") in index
    page = stand_in.get(s.url("minutes_section"))
    assert page.status_code == 200
    body = page.content.decode()
    assert SECRET in body
    assert "Approve the minutes of this case" in body
    assert f'action="{s.url("minutes_section_approve")}"' in body
    assert stand_in.post(s.url("minutes_section_approve")).status_code == 302
    approval = SectionApproval.objects.get(hearing=s.handed_over)
    assert approval.approved_by == cast.police_rep
    event = AuditEvent.objects.get(action="minutes.section_approve")
    assert event.actor == cast.police_rep
    assert event.outcome == AuditOutcome.SUCCESS
    assert event.object_id == str(approval.pk)
    assert event.detail["hearing"] == s.handed_over.pk
    # Approved: no second approval, the button goes and so does the to-do.
    with pytest.raises(ProceedingsError, match="already approved"):
        minutes_section_approve(hearing=s.handed_over, actor=cast.police_rep)
    assert (
        "Approve the minutes of this case"
        not in stand_in.get(s.url("minutes_section")).content.decode()
    )
    assert (
        "Minutes for you to approve"
        not in stand_in.get(reverse("proceedings:index")).content.decode()
    )
    # Approving the case they chaired freezes its record, not the chair's part.
    with pytest.raises(ProceedingsError, match="minutes of this case are approved"):
        hearing_writable(s.handed_over)
    hearing_writable(s.ordinary)


def test_the_conflicted_chair_can_neither_see_nor_approve_that_case_but_approves_the_rest(cast):
    s = stand_in_meeting(cast)
    chair = client_for(cast.chair)
    denials = AuditEvent.objects.filter(outcome=AuditOutcome.DENIED)
    before = denials.count()
    assert chair.get(s.url("minutes_section")).status_code == 404
    assert denials.filter(action="minutes_section.view.denied", actor=cast.chair).exists()
    assert chair.post(s.url("minutes_section_approve")).status_code == 404
    assert denials.filter(action="minutes_section.approve.denied", actor=cast.chair).exists()
    assert denials.count() == before + 2
    with pytest.raises(ProceedingsError, match="Only who chaired this case"):
        minutes_section_approve(hearing=s.handed_over, actor=cast.chair)
    # Nor can anyone else at the meeting, or the hub.
    assert client_for(s.room.health).post(s.url("minutes_section_approve")).status_code == 404
    assert client_for(cast.coordinator).post(s.url("minutes_section_approve")).status_code == 404
    assert not SectionApproval.objects.exists()
    # The chair's minutes leave the case out and say a stand-in approves it.
    body = chair.get(s.minutes).content.decode()
    assert SECRET not in body
    assert "NK-T-0042" not in body
    assert "A case you took no part in" in body
    assert s.url("minutes_section") not in body
    assert "Shared about " + cast.case_a.reference in body
    # The chair still approves the rest.
    assert chair.post(s.approve).status_code == 302
    record = s.record()
    assert record.approved_by == cast.chair
    assert record.minutes_status == MinutesStatus.DRAFT
    with pytest.raises(ProceedingsError, match="already approved"):
        minutes_approve(meeting=s.room.meeting, actor=cast.chair)
    with pytest.raises(ProceedingsError, match="approved this part"):
        hearing_writable(s.ordinary)
    hearing_writable(s.handed_over)


@pytest.mark.parametrize("chair_first", [True, False])
def test_the_minutes_are_approved_only_when_both_approvals_are_in(cast, chair_first):
    s = stand_in_meeting(cast)
    steps = [
        lambda: client_for(cast.chair).post(s.approve),
        lambda: client_for(cast.police_rep).post(s.url("minutes_section_approve")),
    ]
    first, second = steps if chair_first else steps[::-1]
    assert first().status_code == 302
    assert s.record().minutes_status == MinutesStatus.DRAFT
    with pytest.raises(ProceedingsError):
        minutes_publish(meeting=s.room.meeting, actor=cast.coordinator)
    hub = client_for(cast.coordinator)
    page = hub.get(s.minutes).content.decode()
    assert "Publish the minutes to attendees" not in page
    assert "Waiting" in page
    assert second().status_code == 302
    assert s.record().minutes_status == MinutesStatus.APPROVED
    page = hub.get(s.minutes).content.decode()
    assert "Waiting" not in page
    assert "Publish the minutes to attendees" in page
    assert (
        hub.post(reverse("proceedings:minutes_publish", args=[s.room.meeting.pk])).status_code
        == 302
    )
    assert s.record().minutes_status == MinutesStatus.PUBLISHED
    # Both approvals are audited, and the second says the minutes are complete.
    chair_event = AuditEvent.objects.get(action="minutes.approve")
    section_event = AuditEvent.objects.get(action="minutes.section_approve")
    assert chair_event.actor == cast.chair
    assert section_event.actor == cast.police_rep
    assert chair_event.detail["complete"] is not chair_first
    assert section_event.detail["complete"] is chair_first


def test_a_chair_hands_a_case_only_to_someone_who_can_approve_its_minutes(cast):
    room = Room(cast)
    named = attendee_add(
        meeting=room.meeting,
        role=AttendeeRole.REPRESENTATIVE,
        name="Named Practitioner",
        agency=room.health.agency,
        actor=cast.coordinator,
    )
    with pytest.raises(ProceedingsError, match="holds a licence"):
        conflict_declare(
            listing=room.listing, attendee=room.chair, stand_in=named, actor=cast.coordinator
        )
    # A minute taker's stand-in approves nothing, so anyone present may take the minutes.
    conflict_declare(
        listing=room.listing, attendee=room.minute_taker, stand_in=named, actor=cast.coordinator
    )


def test_the_case_record_offers_changes_only_to_parts_not_yet_approved(cast):
    s = stand_in_meeting(cast)
    hub = client_for(cast.coordinator)
    minutes_approve(meeting=s.room.meeting, actor=cast.chair)
    ordinary = hub.get(s.url("hearing", s.ordinary.listing)).content.decode()
    handed_over = hub.get(s.url("hearing")).content.decode()
    assert "Save the case record" not in ordinary
    assert "Record the information" not in ordinary
    assert "Save the case record" in handed_over
    minutes_section_approve(hearing=s.handed_over, actor=cast.police_rep)
    assert "Save the case record" not in hub.get(s.url("hearing")).content.decode()
