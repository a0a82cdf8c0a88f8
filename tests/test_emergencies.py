"""Emergency MARACs (000 §5.1, 001 S2 Part 4, 002 §10, 004 §4.12): asked for on the referral or by
the hub, decided by the role the area's policy names, held within the area's limit with the
referring agency required and the statutory agencies invited at once, research due in hours,
urgent actions sent at once, and the case listed first on its next regular agenda."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.actions.models import ActionStatus
from openmarac.cases.models import Case
from openmarac.emergencies.models import EmergencyRequest, EmergencyStatus
from openmarac.emergencies.services import (
    EmergencyError,
    emergency_approve,
    emergency_refuse,
    emergency_request,
    emergency_urgent_action,
    may_decide,
)
from openmarac.meetings.models import Listing, ListingReason, ListingStatus, MeetingKind
from openmarac.notifications.models import Notice
from openmarac.partnerships.presets import PRESETS
from openmarac.proceedings.services.conduct import case_order
from openmarac.referrals.forms.start import HandlingForm
from openmarac.research.models import ResearchRequest
from openmarac.triage.services.acceptance import referral_accept

from .conftest import TEST_NOW, client_for
from .triage_helpers import resolve, submit_referral

pytestmark = pytest.mark.django_db

LONDON_TUESDAY = datetime.date(2026, 11, 24)


@pytest.fixture
def manager(cast) -> User:
    return User.objects.get(username="manager")


def _asked(cast, reason: str = "Threats to kill made last night") -> EmergencyRequest:
    return emergency_request(
        case=cast.case_a,
        reason=reason,
        actor=cast.coordinator,
        request=None,
        referring_agency=cast.police_rep.agency,
    )


def _approved(cast, manager, *, on=LONDON_TUESDAY, at=datetime.time(14, 0)) -> EmergencyRequest:
    return emergency_approve(
        asked=_asked(cast), starts_on=on, start_time=at, actor=manager, request=None
    )


# Asking for one.


def test_emergency_question_on_the_referral_needs_its_reason(cast):
    answers = {"victimless": "no", "transfer_in": "no", "restricted_handling": "none"}
    form = HandlingForm(data={**answers, "emergency": "yes"}, context={"partnership": None})
    assert not form.is_valid()
    assert form.errors["emergency_reason"] == [
        "Enter why the case cannot wait for the next meeting"
    ]
    form = HandlingForm(
        data={**answers, "emergency": "yes", "emergency_reason": "Imminent risk"},
        context={"partnership": None},
    )
    assert form.is_valid(), form.errors


def test_referral_asking_for_emergency_becomes_a_request_when_the_hub_accepts_it(cast):
    referral = submit_referral(cast.area_a, agency=cast.police_rep.agency)
    answers = dict(referral.answers)
    answers["handling"] = {**answers["handling"], "emergency": "yes"}
    answers["handling"]["emergency_reason"] = "Released from custody today, threats made"
    referral.answers = answers
    referral.emergency_requested = True
    referral.save()
    resolve(referral, cast.coordinator)
    with time_machine.travel(TEST_NOW + datetime.timedelta(hours=2), tick=False):
        result = referral_accept(referral=referral, actor=cast.coordinator, reason="Meets criteria")
    asked = EmergencyRequest.objects.get(case=result.case)
    assert asked.referral == referral
    assert asked.reason == "Released from custody today, threats made"
    assert asked.referring_agency == cast.police_rep.agency
    # The clock runs from the referral, not from the hub's acceptance.
    assert asked.requested_at == referral.submitted_at
    told = Notice.objects.filter(event="emergency.requested", object_id=str(asked.pk))
    assert {n.recipient_email for n in told} >= {
        cast.partnership.hub_email,
        User.objects.get(username="manager").email,
    }
    assert all("Released" not in n.body and "Released" not in n.subject for n in told)


def test_referral_submission_records_the_emergency_question(cast):
    referral = submit_referral(cast.area_a, agency=cast.police_rep.agency)
    assert referral.emergency_requested is False


def test_only_the_hub_asks_on_a_case_with_a_reason_and_once_at_a_time(cast):
    with pytest.raises(EmergencyError, match="Only the hub"):
        emergency_request(case=cast.case_a, reason="x", actor=cast.police_rep, request=None)
    with pytest.raises(EmergencyError, match="Enter why"):
        emergency_request(case=cast.case_a, reason="  ", actor=cast.coordinator, request=None)
    _asked(cast)
    with pytest.raises(EmergencyError, match="already been asked for"):
        _asked(cast)


# Deciding it.


def test_decided_by_the_role_the_area_policy_names(cast, manager):
    asked = _asked(cast)
    # Kent (000 §5.1): the MARAC manager, not a coordinator nor the chair.
    assert may_decide(manager, cast.case_a)
    assert not may_decide(cast.coordinator, cast.case_a)
    assert not may_decide(cast.chair, cast.case_a)
    with pytest.raises(EmergencyError, match="Only the marac manager"):
        emergency_refuse(asked=asked, note="No", actor=cast.chair, request=None)
    # Gwent (004 §4.12): the chair.
    cast.area_a.policy.emergency_decided_by = "chair"
    cast.area_a.policy.save()
    case = Case.objects.get(pk=cast.case_a.pk)
    assert may_decide(cast.chair, case)
    assert not may_decide(manager, case)


def test_presets_carry_each_protocols_emergency_rules():
    kent = PRESETS["kent-medway"]["areas"][0]["policy"]
    lincs = PRESETS["lincolnshire"]["areas"][0]["policy"]
    gwent = PRESETS["gwent"]["areas"][0]["policy"]
    assert (kent["emergency_decided_by"], kent["emergency_within_hours"]) == ("hub_manager", None)
    assert (lincs["emergency_decided_by"], lincs["emergency_within_hours"]) == ("hub_manager", 72)
    assert lincs["emergency_slot_minutes"] == 30
    assert gwent["emergency_decided_by"] == "chair"


def test_lincolnshire_emergency_marac_is_held_within_72_hours(cast, manager):
    policy = cast.area_a.policy
    policy.emergency_within_hours = 72
    policy.save()
    asked = _asked(cast)
    # Monday 10:00 + 72 hours is Thursday 10:00.
    with pytest.raises(EmergencyError, match="within 72 hours"):
        emergency_approve(
            asked=asked,
            starts_on=datetime.date(2026, 11, 26),
            start_time=datetime.time(11, 0),
            actor=manager,
            request=None,
        )
    approved = emergency_approve(
        asked=asked,
        starts_on=datetime.date(2026, 11, 26),
        start_time=datetime.time(9, 0),
        actor=manager,
        request=None,
    )
    assert approved.held_by is not None
    assert approved.held_by - approved.decided_at == datetime.timedelta(hours=72)


def test_approval_holds_an_emergency_meeting_with_a_30_minute_slot_and_research_due_in_hours(
    cast, manager
):
    approved = _approved(cast, manager)
    meeting = approved.meeting
    meeting.refresh_from_db()
    assert meeting.kind == MeetingKind.EMERGENCY
    assert (meeting.starts_on, meeting.start_time) == (LONDON_TUESDAY, datetime.time(14, 0))
    assert meeting.agenda_published_at is not None
    listing = Listing.objects.get(meeting=meeting, case=cast.case_a)
    assert listing.reason == ListingReason.EMERGENCY
    assert approved.slot_minutes == 30
    # Research is due 24 hours after the decision, in hours, not working days.
    assert approved.research_due_at - approved.decided_at == datetime.timedelta(hours=24)
    requests = ResearchRequest.objects.filter(listing=listing)
    assert requests.exists()
    assert {r.due_on for r in requests} == {LONDON_TUESDAY}


def test_emergency_research_is_never_due_after_the_meeting_starts(cast, manager):
    approved = _approved(cast, manager, on=datetime.date(2026, 11, 23), at=datetime.time(16, 0))
    assert timezone.localtime(approved.research_due_at).time() == datetime.time(16, 0)


def test_statutory_agencies_are_invited_at_once_and_the_referring_agency_must_attend(cast, manager):
    approved = _approved(cast, manager)
    invited = Notice.objects.filter(event="emergency.invited", object_id=str(approved.pk))
    emails = {n.recipient_email for n in invited}
    # Police (statutory, and the referring agency) is told; the by-invite recovery service
    # (not statutory) is not expected.
    assert cast.police_rep.email in emails
    assert cast.invited_rep.email not in emails
    police = next(n for n in invited if n.recipient_email == cast.police_rep.email)
    assert "must attend" in police.body
    assert "Demoname" not in police.body


def test_case_is_listed_first_on_its_next_regular_agenda_for_review(cast, manager):
    approved = _approved(cast, manager)
    review = (
        Listing.objects.filter(case=cast.case_a, status=ListingStatus.LISTED)
        .exclude(meeting=approved.meeting)
        .select_related("meeting")
        .get()
    )
    assert review.meeting.kind == MeetingKind.REGULAR
    assert review.meeting.starts_on > approved.meeting.starts_on
    assert review.reason == ListingReason.EMERGENCY
    assert case_order(review.meeting, "children_first")[0].case_id == cast.case_a.pk


def test_urgent_actions_are_recorded_and_sent_at_once(cast, manager):
    approved = _approved(cast, manager)
    action = emergency_urgent_action(
        asked=approved,
        owner_agency=cast.police_rep.agency,
        what="Place an urgent marker on the address",
        rationale="Imminent risk",
        due_on=LONDON_TUESDAY,
        actor=cast.chair,
        request=None,
    )
    assert action.status == ActionStatus.AGREED
    assert action.meeting == approved.meeting
    sent = Notice.objects.filter(event="action.agreed", object_id=str(action.pk))
    assert cast.police_rep.email in {n.recipient_email for n in sent}


def test_a_refused_request_says_why_and_the_case_goes_to_its_regular_meeting(cast, manager):
    asked = _asked(cast)
    with pytest.raises(EmergencyError, match="Enter why"):
        emergency_refuse(asked=asked, note="", actor=manager, request=None)
    refused = emergency_refuse(
        asked=asked, note="A robust safety plan is in place", actor=manager, request=None
    )
    assert refused.status == EmergencyStatus.REFUSED
    assert refused.decision_note == "A robust safety plan is in place"
    listings = Listing.objects.filter(case=cast.case_a, status=ListingStatus.LISTED)
    assert listings.exists()
    assert not listings.filter(meeting__kind=MeetingKind.EMERGENCY).exists()
    assert Notice.objects.filter(event="emergency.refused", object_id=str(asked.pk)).exists()
    page = client_for(cast.coordinator).get(
        reverse("emergencies:detail", kwargs={"public_id": asked.public_id})
    )
    assert "A robust safety plan is in place" in page.content.decode()


# The clock and the pages.


def test_the_triage_queue_shows_the_emergency_clock(cast, manager):
    _asked(cast)
    with time_machine.travel(TEST_NOW + datetime.timedelta(hours=3, minutes=5), tick=False):
        page = client_for(cast.coordinator).get(reverse("triage:queue")).content.decode()
    assert "Waiting 3 hours for a decision" in page
    assert cast.case_a.reference in page


def test_an_approved_emergency_shows_its_limit_in_the_queue(cast, manager):
    cast.area_a.policy.emergency_within_hours = 72
    cast.area_a.policy.save()
    _approved(cast, manager)
    page = client_for(cast.coordinator).get(reverse("triage:queue")).content.decode()
    assert "To be held by Thu 26 Nov 10:00" in page


def test_decision_form_keeps_what_was_typed_and_shows_the_error(cast, manager):
    asked = _asked(cast)
    url = reverse("emergencies:decide", kwargs={"public_id": asked.public_id})
    response = client_for(manager).post(url, {"decision": "approve", "note": "Agreed now"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "Enter the date of the emergency MARAC" in body
    assert "Agreed now" in body
    assert EmergencyRequest.objects.get(pk=asked.pk).status == EmergencyStatus.REQUESTED


def test_the_hub_asks_through_the_case_page_and_the_manager_approves(cast, manager):
    url = reverse("emergencies:request", kwargs={"reference": cast.case_a.reference})
    coordinator = client_for(cast.coordinator)
    empty = coordinator.post(url, {"reason": ""})
    assert "Enter why the case cannot wait for the next meeting" in empty.content.decode()
    done = coordinator.post(url, {"reason": "Threats to kill"})
    asked = EmergencyRequest.objects.get(case=cast.case_a)
    assert done["Location"] == reverse("emergencies:detail", kwargs={"public_id": asked.public_id})
    decide = reverse("emergencies:decide", kwargs={"public_id": asked.public_id})
    assert coordinator.get(decide).status_code == 404
    approved = client_for(manager).post(
        decide,
        {
            "decision": "approve",
            "starts_on_day": "24",
            "starts_on_month": "11",
            "starts_on_year": "2026",
            "start_time": "14:00",
        },
    )
    assert approved.status_code == 302
    assert EmergencyRequest.objects.get(pk=asked.pk).status == EmergencyStatus.APPROVED


def _cases(cast, count: int) -> list[Case]:
    return [
        Case.objects.create(
            partnership=cast.partnership, area=cast.area_a, reference=f"NK-EMRG-{n:03d}"
        )
        for n in range(count)
    ]


def test_the_emergency_list_takes_the_same_queries_for_3_and_30_requests(cast):
    def measure(count: int) -> int:
        EmergencyRequest.objects.all().delete()
        for case in _cases(cast, count) if count else []:
            EmergencyRequest.objects.create(
                case=case, reason="r", requested_at=timezone.now(), requested_by=cast.coordinator
            )
        client = client_for(cast.coordinator)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("emergencies:list"))
        assert response.status_code == 200
        EmergencyRequest.objects.all().delete()
        Case.objects.filter(reference__startswith="NK-EMRG-").delete()
        return len(captured.captured_queries)

    assert measure(3) == measure(30)


def test_a_referral_asking_again_while_a_request_waits_keeps_the_waiting_one(cast):
    from openmarac.emergencies.services import emergency_request_from_referral

    waiting = _asked(cast)
    referral = submit_referral(cast.area_a, agency=cast.police_rep.agency)
    again = emergency_request_from_referral(
        referral=referral, case=cast.case_a, actor=cast.coordinator, request=None
    )
    assert again == waiting
    assert EmergencyRequest.objects.filter(case=cast.case_a).count() == 1
