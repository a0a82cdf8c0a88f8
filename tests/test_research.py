"""Agenda publication, research requests, recording research, its visibility, and chasing it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from openmarac.agencies.models import Agency, AreaMembership
from openmarac.audit.models import AuditEvent
from openmarac.cases.lifecycle import CaseFrozen, case_death_record
from openmarac.cases.models import Case, CaseAccessGrant, CaseParticipant, Restriction
from openmarac.jobs.services import run_sweep
from openmarac.meetings.models import Listing, Meeting
from openmarac.meetings.services import case_list, meetings_generate
from openmarac.partnerships.models import Area
from openmarac.partnerships.services import partnership_create_from_preset
from openmarac.research.models import Finding, ResearchEntryVersion, ResearchRequest
from openmarac.research.selectors import agenda_rows, research_board
from openmarac.research.services import (
    ResearchError,
    agenda_publish,
    agenda_publish_on,
    research_entry_save,
    research_submit,
)

from .conftest import client_for, delivered_mail, make_user

pytestmark = pytest.mark.django_db
D = datetime.date


def at(day: D, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def preset_area(preset: str, code: str) -> Area:
    partnership_create_from_preset(
        preset=preset, official_email_domains=["example.org"], hub_email="hub@example.org"
    )
    return Area.objects.select_related("policy", "partnership").get(code=code)


def meeting_on(area: Area, day: D) -> Meeting:
    return Meeting(area=area, starts_on=day, ends_on=day, start_time=datetime.time(10))


def flush_mail() -> None:
    delivered_mail()
    mail.outbox.clear()


def mail_to(subject_part: str) -> list[str]:
    return sorted(m.to[0] for m in delivered_mail() if subject_part in m.subject)


# Lead times.


def test_lincolnshire_publishes_eight_working_days_ahead_across_christmas():
    area = preset_area("lincolnshire", "LINC")
    # Wednesday 30 December 2026: back over the Monday 28 (Boxing Day observed), Christmas Day
    # and the weekend, eight working days is Wednesday 16 December.
    assert agenda_publish_on(meeting_on(area, D(2026, 12, 30))) == D(2026, 12, 16)


def test_cambridgeshire_publishes_seven_days_ahead_or_the_working_day_before():
    area = preset_area("cambridgeshire-peterborough", "CAM")
    assert agenda_publish_on(meeting_on(area, D(2027, 1, 13))) == D(2027, 1, 6)
    # Seven days before Monday 4 January 2027 is Monday 28 December, the Boxing Day holiday,
    # so it goes out on Thursday 24 December.
    assert agenda_publish_on(meeting_on(area, D(2027, 1, 4))) == D(2026, 12, 24)


def test_gwent_publishes_five_days_ahead_and_a_weekend_moves_it_to_friday():
    area = preset_area("gwent", "BG")
    assert agenda_publish_on(meeting_on(area, D(2026, 12, 7))) == D(2026, 12, 2)
    # Five days before Thursday 10 December is Saturday 5 December: Friday 4 December.
    assert agenda_publish_on(meeting_on(area, D(2026, 12, 10))) == D(2026, 12, 4)


def test_old_kent_publishes_ten_days_ahead():
    area = preset_area("kent-police-guide", "KP")
    assert agenda_publish_on(meeting_on(area, D(2026, 12, 2))) == D(2026, 11, 20)


# The sweep publishes; requests and notices.


@pytest.fixture
def north_kent(cast):
    """North Kent's 8 December 2026 meeting with case A listed on 23 November."""
    with time_machine.travel(at(D(2026, 11, 23)), tick=False):
        meetings_generate(area=cast.area_a, until=D(2027, 3, 31))
        meeting = Meeting.objects.get(area=cast.area_a, starts_on=D(2026, 12, 8))
        case_list(case=cast.case_a, actor=cast.coordinator, meeting=meeting)
    flush_mail()
    return meeting


def test_the_sweep_publishes_at_the_lead_time_once_and_asks_each_agency_once(cast, north_kent):
    meeting = north_kent
    with time_machine.travel(at(D(2026, 11, 30), 22), tick=False):
        run_sweep()
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is None
    with time_machine.travel(at(D(2026, 12, 1), 6), tick=False):
        run_sweep()
        run_sweep()
    meeting.refresh_from_db()
    assert meeting.agenda_published_at is not None
    requests = ResearchRequest.objects.filter(listing__meeting=meeting)
    # North Kent's standing agencies and the agency invited to case A; not housing (by invite,
    # not invited) and never the hub.
    assert sorted(r.agency.name for r in requests) == [
        "Example Children's Services",
        "Example Constabulary",
        "Example Health Trust",
        "Example IDVA Service",
        "Example Recovery Service",
    ]
    # Listed 23 November, published Tuesday 1 December: five working days is 8 December, the
    # meeting itself, so research is due the working day before.
    assert {r.due_on for r in requests} == {D(2026, 12, 7)}
    mail = [m for m in delivered_mail() if "agenda published" in m.subject]
    assert sorted(m.to[0] for m in mail) == ["invited@example.org", "police@example.org"]
    for message in mail:
        assert cast.case_a.reference not in message.body
        assert "Demoname" not in message.body
    assert (
        AuditEvent.objects.filter(action="agenda.publish", object_id=str(meeting.pk)).count() == 1
    )


def test_a_case_added_after_publication_is_requested_from_its_listing_across_christmas(
    cast, north_kent
):
    with time_machine.travel(at(D(2026, 12, 1)), tick=False):
        agenda_publish(meeting=north_kent, actor=cast.coordinator)
    january = Meeting.objects.get(area=cast.area_a, starts_on=D(2027, 1, 12))
    with time_machine.travel(at(D(2026, 12, 22)), tick=False):
        agenda_publish(meeting=january, actor=cast.coordinator)  # early, by hand
    other = Case.objects.create(
        partnership=cast.partnership, area=cast.area_a, reference="NK-2026-T0099"
    )
    flush_mail()
    # The coordinator lists a case on the published January agenda on Thursday 24 December.
    with time_machine.travel(at(D(2026, 12, 24)), tick=False):
        case_list(case=other, actor=cast.coordinator, meeting=january)
        run_sweep()
        run_sweep()
    research = ResearchRequest.objects.filter(listing__case=other)
    assert research.count() == 4  # the four standing agencies; nobody is invited to it
    # Five working days from Thursday 24 December: 29, 30, 31 December, (New Year's Day), 4
    # and 5 January.
    assert {r.due_on for r in research} == {D(2027, 1, 5)}
    assert mail_to("agenda published") == ["police@example.org"]


def test_reminders_go_a_working_day_before_research_is_due_and_lateness_shows(cast, north_kent):
    with time_machine.travel(at(D(2026, 12, 1)), tick=False):
        agenda_publish(meeting=north_kent, actor=cast.coordinator)
    flush_mail()
    # Due Monday 7 December; one working day before is Friday 4 December, not the weekend.
    with time_machine.travel(at(D(2026, 12, 3)), tick=False):
        run_sweep()
    assert mail_to("Reminder: MARAC research") == []
    with time_machine.travel(at(D(2026, 12, 4)), tick=False):
        run_sweep()
    with time_machine.travel(at(D(2026, 12, 5)), tick=False):
        run_sweep()  # the weekend: nothing more
    assert mail_to("Reminder: MARAC research") == ["invited@example.org", "police@example.org"]
    police = ResearchRequest.objects.get(listing__meeting=north_kent, agency=cast.police_rep.agency)
    for participant in CaseParticipant.objects.filter(case=cast.case_a):
        research_entry_save(
            research=police,
            participant=participant,
            user=cast.police_rep,
            finding=Finding.NOT_KNOWN,
        )
    research_submit(research=police, user=cast.police_rep, written_submission=True)
    board = research_board(cast.coordinator, north_kent, today=D(2026, 12, 8))
    assert "Example Constabulary" not in [a.name for a in board.late_agencies]
    assert "Example Health Trust" in [a.name for a in board.late_agencies]
    row = board.rows[0]
    assert row.complete == 1
    assert row.asked == 5
    on_time = research_board(cast.coordinator, north_kent, today=D(2026, 12, 7))
    assert on_time.late_agencies == []
    with time_machine.travel(at(D(2026, 12, 8), 7), tick=False):
        run_sweep()
        run_sweep()
    late = [m for m in delivered_mail() if "research late for the North Kent" in m.subject]
    assert [m.to[0] for m in late] == ["marac-hub@example.org"]


# Recording research: supplier only, history, frozen cases.


@pytest.fixture
def published(cast, north_kent):
    agenda_publish(meeting=north_kent, actor=cast.coordinator)
    return ResearchRequest.objects.get(listing__meeting=north_kent, agency=cast.police_rep.agency)


def victim_of(case: Case) -> CaseParticipant:
    return CaseParticipant.objects.get(case=case, role="victim")


def test_only_the_supplying_agency_edits_its_research_and_history_is_kept(cast, published):
    victim = victim_of(cast.case_a)
    first = research_entry_save(
        research=published,
        participant=victim,
        user=cast.police_rep,
        finding=Finding.INFORMATION,
        information="Two call-outs",
        basis="fact",
        period_from=D(2025, 1, 1),
        period_to=D(2026, 11, 1),
    )
    research_entry_save(
        research=published,
        participant=victim,
        user=cast.police_rep,
        finding=Finding.NOTHING_RELEVANT,
    )
    first.refresh_from_db()
    assert first.version == 2
    assert first.information == ""
    versions = list(ResearchEntryVersion.objects.filter(entry=first).order_by("version"))
    assert [v.finding for v in versions] == ["information", "nothing_relevant"]
    assert versions[0].information == "Two call-outs"
    invited = cast.invited_rep
    for intruder in (invited, cast.chair, cast.coordinator):
        with pytest.raises(ResearchError):
            research_entry_save(
                research=published, participant=victim, user=intruder, finding="not_known"
            )
    with pytest.raises(ResearchError):
        research_entry_save(
            research=published,
            participant=victim,
            user=cast.police_rep,
            finding=Finding.INFORMATION,
            information="",
            basis="fact",
        )


def test_research_must_cover_every_person_before_it_is_complete(cast, published):
    research_entry_save(
        research=published,
        participant=victim_of(cast.case_a),
        user=cast.police_rep,
        finding=Finding.NOT_KNOWN,
    )
    with pytest.raises(ResearchError):
        research_submit(research=published, user=cast.police_rep, written_submission=False)


def test_a_frozen_case_refuses_research_changes(cast, published):
    case_death_record(case=cast.case_a, role="victim", actor=cast.coordinator, request=None)
    with pytest.raises(CaseFrozen):
        research_entry_save(
            research=published,
            participant=victim_of(cast.case_a),
            user=cast.police_rep,
            finding=Finding.NOT_KNOWN,
        )
    url = reverse(
        "research:entry",
        kwargs={"request_id": published.pk, "participant_id": victim_of(cast.case_a).pk},
    )
    response = client_for(cast.police_rep).post(url, {"finding": "not_known"})
    assert "frozen" in response.content.decode()
    assert not published.entries.exists()


def test_the_agency_records_research_through_its_pages(cast, published):
    client = client_for(cast.police_rep)
    victim = victim_of(cast.case_a)
    url = reverse(
        "research:entry", kwargs={"request_id": published.pk, "participant_id": victim.pk}
    )
    missing = client.post(url, {"finding": "information", "information": ""})
    page = missing.content.decode()
    assert "Enter the information your agency is sharing" in page
    assert "Select whether the information is fact or professional opinion" in page
    saved = client.post(
        url,
        {
            "finding": "information",
            "information": "Fictional call-out history",
            "basis": "opinion",
            "period_from_day": "",
        },
    )
    assert saved.status_code == 302
    perpetrator = CaseParticipant.objects.get(case=cast.case_a, role="perpetrator")
    client.post(
        reverse(
            "research:entry",
            kwargs={"request_id": published.pk, "participant_id": perpetrator.pk},
        ),
        {"finding": "not_known"},
    )
    done = client.post(
        reverse("research:submit", kwargs={"request_id": published.pk}),
        {"written_submission": "on"},
    )
    assert done.status_code == 302
    published.refresh_from_db()
    assert published.completed_at is not None
    assert published.written_submission is True
    # Everyone in North Kent with access to the case reads it; the invited agency too.
    case_page = reverse("research:case", kwargs={"listing_id": published.listing_id})
    for member in (cast.coordinator, cast.chair, cast.invited_rep):
        body = client_for(member).get(case_page).content.decode()
        assert "Fictional call-out history" in body
        assert "Not known to us" in body
    assert client_for(cast.housing_rep).get(case_page).status_code == 404


def test_research_is_never_seen_outside_the_area_or_partnership(cast, published):
    research_entry_save(
        research=published,
        participant=victim_of(cast.case_a),
        user=cast.police_rep,
        finding=Finding.NOT_KNOWN,
    )
    entry = published.entries.get()
    other = partnership_create_from_preset(
        preset="gwent", official_email_domains=["example.org"], hub_email="h@example.org"
    )
    police = Agency.objects.create(partnership=other, name="Other police", sector="police")
    for area in Area.objects.filter(partnership=other):
        AreaMembership.objects.create(area=area, agency=police, kind="standing")
    stranger = make_user("stranger", agency=police, is_agency_rep=True, is_chair=True)
    urls = [
        reverse("research:case", kwargs={"listing_id": published.listing_id}),
        reverse("research:history", kwargs={"entry_id": entry.pk}),
        reverse("research:board", kwargs={"meeting_id": published.listing.meeting_id}),
        reverse("meetings:detail", kwargs={"meeting_id": published.listing.meeting_id}),
    ]
    for url in urls:
        assert client_for(stranger).get(url).status_code == 404
        assert client_for(cast.housing_rep).get(url).status_code == 404
    assert AuditEvent.objects.filter(actor=stranger, outcome="denied").count() >= len(urls)


def test_members_see_the_agenda_only_once_published(cast, north_kent):
    url = reverse("meetings:detail", kwargs={"meeting_id": north_kent.pk})
    before = client_for(cast.police_rep).get(url).content.decode()
    assert cast.case_a.reference not in before
    assert cast.case_a.reference in client_for(cast.coordinator).get(url).content.decode()
    agenda_publish(meeting=north_kent, actor=cast.coordinator)
    after = client_for(cast.police_rep).get(url).content.decode()
    assert cast.case_a.reference in after


def test_a_restricted_case_is_masked_on_the_agenda_and_asked_only_of_named_users(cast, north_kent):
    hba = Case.objects.create(
        partnership=cast.partnership,
        area=cast.area_a,
        reference="NK-2026-H1234",
        restriction=Restriction.HBA,
    )
    CaseParticipant.objects.create(case=hba, person=victim_of(cast.case_a).person, role="victim")
    CaseAccessGrant.objects.create(case=hba, user=cast.invited_rep, granted_by=cast.coordinator)
    case_list(case=hba, actor=cast.coordinator, meeting=north_kent)
    agenda_publish(meeting=north_kent, actor=cast.coordinator)
    assert list(
        ResearchRequest.objects.filter(listing__case=hba).values_list("agency__name", flat=True)
    ) == ["Example Recovery Service"]
    labels = [row.label.text for row in agenda_rows(cast.police_rep, north_kent)]
    assert labels == [cast.case_a.reference, "HBA 1234"]
    page = client_for(cast.police_rep).get(
        reverse("meetings:detail", kwargs={"meeting_id": north_kent.pk})
    )
    assert "NK-2026-H1234" not in page.content.decode()
    hba_listing = Listing.objects.get(case=hba)
    assert (
        client_for(cast.police_rep)
        .get(reverse("research:case", kwargs={"listing_id": hba_listing.pk}))
        .status_code
        == 404
    )
    assert (
        client_for(cast.invited_rep)
        .get(reverse("research:case", kwargs={"listing_id": hba_listing.pk}))
        .status_code
        == 200
    )


def test_the_research_board_lists_each_case_and_agency(cast, published):
    page = client_for(cast.coordinator).get(
        reverse("research:board", kwargs={"meeting_id": published.listing.meeting_id})
    )
    body = page.content.decode()
    assert cast.case_a.reference in body
    assert "Example Constabulary" in body
    assert "0 of 5" in body


def test_posting_to_another_agencys_research_or_agenda_changes_nothing(cast, published):
    victim = victim_of(cast.case_a)
    entry_url = reverse(
        "research:entry", kwargs={"request_id": published.pk, "participant_id": victim.pk}
    )
    submit_url = reverse("research:submit", kwargs={"request_id": published.pk})
    for intruder in (cast.invited_rep, cast.housing_rep, cast.chair, cast.coordinator):
        client = client_for(intruder)
        assert client.post(entry_url, {"finding": "not_known"}).status_code == 404
        assert client.post(submit_url, {"written_submission": "on"}).status_code == 404
    published.refresh_from_db()
    assert not published.entries.exists()
    assert published.completed_at is None
    # A participant of another case cannot be researched through this request.
    stranger = victim_of(cast.case_b)
    foreign = reverse(
        "research:entry", kwargs={"request_id": published.pk, "participant_id": stranger.pk}
    )
    assert client_for(cast.police_rep).post(foreign, {"finding": "not_known"}).status_code == 404
    # Only the hub publishes agendas or moves meetings.
    december = published.listing.meeting
    for url in (
        reverse("meetings:publish", kwargs={"meeting_id": december.pk}),
        reverse("meetings:cancel", kwargs={"meeting_id": december.pk}),
    ):
        assert client_for(cast.police_rep).post(url, {"reason": "x"}).status_code == 404
    december.refresh_from_db()
    assert december.status == "scheduled"


def test_the_sweep_never_publishes_a_cancelled_meeting(cast, north_kent):
    from openmarac.meetings.services import meeting_cancel

    with time_machine.travel(at(D(2026, 11, 24)), tick=False):
        meeting_cancel(meeting=north_kent, actor=cast.coordinator, reason="Chair unavailable")
    with time_machine.travel(at(D(2026, 12, 2)), tick=False):
        run_sweep()
    north_kent.refresh_from_db()
    assert north_kent.agenda_published_at is None
    assert not ResearchRequest.objects.filter(listing__meeting=north_kent).exists()
