"""The case record: one page telling a case's story, each section from what the reader may see."""

from __future__ import annotations

import datetime
import io
from datetime import UTC

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openmarac.agencies.models import Agency, Sector
from openmarac.audit.models import AuditEvent
from openmarac.audit.services import audit_record
from openmarac.caseaccess.services import case_access_grant, case_restrict, conflict_declare
from openmarac.cases.models import Case, CaseLink, CaseLinkKind, ParticipantRole, Restriction
from openmarac.disclosure.models import CourtOrder
from openmarac.letters.models import Letter, LetterKind
from openmarac.meetings.models import Listing, ListingReason, ListingStatus, Meeting, MeetingKind
from openmarac.proceedings.models import Hearing, MeetingRecord, MinutesStatus, Outcome
from openmarac.proceedings.services.minutes import minutes_approve, minutes_publish
from openmarac.referrals.models import Referral, ReferralStatus
from openmarac.research.models import Finding, ResearchEntry, ResearchRequest
from openmarac.triage.models import UpdateKind, WeeklyUpdate

from .conftest import TEST_NOW, client_for
from .test_actions import propose
from .test_proceedings import held


def record_url(case: Case) -> str:
    return reverse("caserecord:record", args=[case.reference])


def page(user, case: Case):
    response = client_for(user).get(record_url(case))
    assert response.status_code == 200, user.username
    return response.content.decode()


def health(cast) -> Agency:
    return Agency.objects.get(partnership=cast.partnership, sector=Sector.HEALTH)


def storied(cast):
    """Case A heard at a meeting whose minutes are published (housing referred it, police and
    health attended), with research, an action, a weekly update, a link, a court order and a
    letter."""
    room, hearing, _info = held(cast)
    minutes_approve(meeting=room.meeting, actor=cast.chair)
    minutes_publish(meeting=room.meeting, actor=cast.coordinator)
    Referral.objects.filter(reference="NK-REF-0002").update(
        status=ReferralStatus.ACCEPTED,
        submitted_at=TEST_NOW,
        checklist_score=17,
        criteria_met=["visible_high_risk", "potential_escalation"],
    )
    case = cast.case_a
    victim = case.participants.get(role=ParticipantRole.VICTIM)
    research = ResearchRequest.objects.create(
        listing=room.listing,
        agency=health(cast),
        requested_at=TEST_NOW,
        due_on=datetime.date(2026, 12, 10),
    )
    ResearchEntry.objects.create(
        request=research,
        participant=victim,
        finding=Finding.INFORMATION,
        information="Registered with the Orchard surgery.",
        updated_by=room.health,
        updated_at=TEST_NOW,
    )
    propose(cast, what="Flag the address for urgent response.")
    WeeklyUpdate.objects.create(
        case=case,
        kind=UpdateKind.SCHOOL,
        information="The children moved to Hillside school.",
        purpose="Schools to share concerns.",
        submitted_by=cast.police_rep,
        agency=cast.police_rep.agency,
        created_at=TEST_NOW,
    )
    CaseLink.objects.create(case=case, related_case=cast.case_b, kind=CaseLinkKind.HEARD_ELSEWHERE)
    CourtOrder.objects.create(
        case=case,
        court="Maidstone Family Court",
        court_case_number="MA26F001",
        ordered="The minutes.",
        deadline=datetime.date(2027, 1, 8),
        received_on=datetime.date(2026, 11, 20),
        chair=cast.chair,
        objection_due_on=datetime.date(2026, 12, 1),
        recorded_by=cast.coordinator,
        recorded_at=TEST_NOW,
    )
    Letter.objects.create(
        case=case,
        kind=LetterKind.LEGAL_AID,
        recipient="Solicitor",
        body="Letter body",
        written_by=cast.coordinator,
        written_at=TEST_NOW,
    )
    return room, hearing


def minutes_href(room) -> str:
    return f"{reverse('proceedings:minutes', args=[room.meeting.pk])}#case-{room.listing.pk}"


SHARED = [
    "NK-REF-0002",  # the referral
    "score 17",  # its checklist score
    "Visible high risk, Potential escalation",  # and the criteria it met
    "Keep open for further actions",  # the hearing's outcome
    "Registered with the Orchard surgery.",  # health's research on the victim
    "Flag the address for urgent response.",  # the action
    "The children moved to Hillside school.",  # the weekly update
    "Heard by another MARAC",  # the link to case B
    "Case opened",  # the timeline
]


def test_the_hub_sees_every_section_with_letters_court_orders_and_the_minutes(cast):
    room, _hearing = storied(cast)
    text = page(cast.coordinator, cast.case_a)
    for expected in SHARED:
        assert expected in text, expected
    assert minutes_href(room) in text
    assert cast.case_b.reference in text  # the hub sees West Kent's case too, so it opens
    assert "Maidstone Family Court" in text
    assert 'id="court-orders"' in text
    assert "Legal aid letter" in text
    assert 'id="letters"' in text
    victim = cast.case_a.participants.get(role=ParticipantRole.VICTIM).person
    assert victim.display_name in text
    assert "Heard at the North Kent" in text  # the hearing on the timeline


def test_a_member_agency_sees_the_story_and_its_minutes_but_no_letters_or_court_orders(cast):
    room, _hearing = storied(cast)
    text = page(cast.police_rep, cast.case_a)  # police attended the meeting
    for expected in SHARED:
        assert expected in text, expected
    assert minutes_href(room) in text
    assert 'id="letters"' not in text
    assert "Legal aid letter" not in text
    assert 'id="court-orders"' not in text
    assert "Maidstone Family Court" not in text


def test_a_related_case_the_reader_may_not_see_is_not_named(cast):
    CaseLink.objects.create(
        case=cast.case_a, related_case=cast.case_b, kind=CaseLinkKind.HEARD_ELSEWHERE
    )
    assert f">{cast.case_b.reference}</a>" in page(cast.police_rep, cast.case_a)
    case_restrict(case=cast.case_b, restriction=Restriction.CLOSED, actor=cast.coordinator)
    text = page(cast.police_rep, cast.case_a)
    assert cast.case_b.reference not in text
    assert "No related cases." in text
    cast.case_b.refresh_from_db()
    case_access_grant(case=cast.case_b, user=cast.police_rep, actor=cast.coordinator)
    assert f">{cast.case_b.reference}</a>" in page(cast.police_rep, cast.case_a)


def test_an_invited_agency_that_did_not_attend_sees_no_minutes_link(cast):
    room, _hearing = storied(cast)
    text = page(cast.invited_rep, cast.case_a)
    assert "Keep open for further actions" in text
    assert "Flag the address for urgent response." in text
    assert minutes_href(room) not in text


def test_the_chair_sees_the_court_order_asked_of_them_and_runs_the_minutes(cast):
    room, _hearing = storied(cast)
    text = page(cast.chair, cast.case_a)
    assert "Maidstone Family Court" in text
    assert reverse("disclosure:court_respond", args=[CourtOrder.objects.get().public_id]) in text
    assert minutes_href(room) in text
    assert "Legal aid letter" not in text


def test_a_non_member_agency_gets_a_404_and_the_refusal_is_audited(cast):
    response = client_for(cast.housing_rep).get(record_url(cast.case_a))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action="case.view.denied", actor=cast.housing_rep, object_id=cast.case_a.reference
    ).exists()


def test_viewing_the_record_is_audited_against_the_case(cast):
    page(cast.police_rep, cast.case_a)
    assert AuditEvent.objects.filter(
        action="case.view",
        actor=cast.police_rep,
        object_type="cases.case",
        object_id=str(cast.case_a.pk),
    ).exists()


def test_a_restricted_case_is_only_for_named_users_and_shows_its_marker(cast):
    case_restrict(case=cast.case_a, restriction=Restriction.CLOSED, actor=cast.coordinator)
    for user in (cast.coordinator, cast.police_rep, cast.chair):
        assert client_for(user).get(record_url(cast.case_a)).status_code == 404
        pdf = client_for(user).get(reverse("caserecord:pdf", args=[cast.case_a.reference]))
        assert pdf.status_code == 404
    cast.case_a.refresh_from_db()
    case_access_grant(case=cast.case_a, user=cast.police_rep, actor=cast.coordinator)
    text = page(cast.police_rep, cast.case_a)
    assert "Restricted: Closed MARAC" in text
    assert "Access to the case restricted" in text  # on the timeline, from the audit trail


def test_a_user_who_declared_a_conflict_cannot_open_the_record(cast):
    conflict_declare(case=cast.case_a, user=cast.police_rep)
    assert client_for(cast.police_rep).get(record_url(cast.case_a)).status_code == 404


def test_a_listing_on_an_unpublished_agenda_shows_to_the_hub_only(cast):
    meeting = Meeting.objects.create(
        area=cast.area_a,
        kind=MeetingKind.EXTRA,
        starts_on=datetime.date(2027, 1, 12),
        ends_on=datetime.date(2027, 1, 12),
        start_time=datetime.time(9, 30),
    )
    Listing.objects.create(
        meeting=meeting, case=cast.case_a, reason=ListingReason.REVIEW, listed_at=TEST_NOW
    )
    assert "12 January 2027" in page(cast.coordinator, cast.case_a)
    assert "12 January 2027" not in page(cast.police_rep, cast.case_a)


def test_the_timeline_tells_case_events_but_never_audit_detail_or_views(cast):
    secret = "Janet Secretname"
    audit_record(
        action="case.period_end",
        actor=cast.coordinator,
        obj=cast.case_a,
        detail={"note": secret, "ip": "10.1.2.3"},
    )
    audit_record(action="case.access_grant", actor=cast.coordinator, obj=cast.case_a)
    text = page(cast.police_rep, cast.case_a)
    assert "Period open to MARAC ended" in text
    assert secret not in text
    assert "10.1.2.3" not in text
    # Views and grants of access are in the audit reports, not in the case's story.
    start = text.index('id="timeline"')
    timeline = text[start : text.index("</dl>", start)]
    assert "viewed" not in timeline.lower()
    assert "access" not in timeline.lower()
    assert cast.coordinator.get_full_name() not in timeline


def test_the_pdf_is_marked_audited_and_holds_the_sections(cast):
    from pypdf import PdfReader

    storied(cast)
    response = client_for(cast.police_rep).get(
        reverse("caserecord:pdf", args=[cast.case_a.reference])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages]
    assert all("OFFICIAL-SENSITIVE. Downloaded by" in p and "(police)" in p for p in pages)
    whole = " ".join(" ".join(pages).split())
    for expected in ("Registered with the Orchard surgery.", "Keep open for further actions"):
        assert expected in whole
    assert "Legal aid letter" not in whole
    assert AuditEvent.objects.filter(
        action="case_record_pdf.download", actor=cast.police_rep, object_id=str(cast.case_a.pk)
    ).exists()


def test_the_pdf_needs_a_recent_second_factor(cast):
    start = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client = client_for(cast.police_rep)
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        client.get("/cases/")  # still active, but the second factor is no longer recent
    with time_machine.travel(start + datetime.timedelta(minutes=28), tick=False):
        response = client.get(reverse("caserecord:pdf", args=[cast.case_a.reference]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    assert not AuditEvent.objects.filter(action="case_record_pdf.download").exists()


def grow(cast, hearings: int, actions: int) -> None:
    """Give case A ``hearings`` heard meetings with published minutes and ``actions`` actions."""
    for n in range(hearings):
        day = datetime.date(2026, 1, 6) + datetime.timedelta(weeks=n)
        meeting = Meeting.objects.create(
            area=cast.area_a,
            kind=MeetingKind.EXTRA,
            starts_on=day,
            ends_on=day,
            start_time=datetime.time(9, 30),
            agenda_published_at=datetime.datetime(2025, 12, 20, tzinfo=UTC),
        )
        MeetingRecord.objects.create(meeting=meeting, minutes_status=MinutesStatus.PUBLISHED)
        listing = Listing.objects.create(
            meeting=meeting,
            case=cast.case_a,
            reason=ListingReason.REVIEW,
            status=ListingStatus.HEARD,
            listed_at=TEST_NOW,
        )
        Hearing.objects.create(
            listing=listing,
            opened_at=TEST_NOW,
            opened_by=cast.coordinator,
            outcome=Outcome.KEEP_OPEN,
            decided_at=TEST_NOW,
        )
        ResearchRequest.objects.create(
            listing=listing, agency=health(cast), requested_at=TEST_NOW, due_on=day
        )
    for n in range(actions):
        propose(cast, what=f"Action number {n}.")


@pytest.mark.parametrize("who", ["coordinator", "police_rep", "chair"])
def test_the_query_count_does_not_grow_with_hearings_and_actions(cast, who):
    user = getattr(cast, who)
    client = client_for(user)
    url = record_url(cast.case_a)
    grow(cast, hearings=1, actions=3)
    client.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    grow(cast, hearings=5, actions=27)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Action number") == 30
    assert len(many) == len(few), (len(few), len(many))
