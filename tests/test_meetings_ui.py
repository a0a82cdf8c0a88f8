"""The coordinators' meeting calendar: add, move, cancel, move a case, publish; members' view."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from openmarac.audit.models import AuditEvent, Outcome
from openmarac.cases.lifecycle import case_death_record
from openmarac.cases.models import Case
from openmarac.licences.models import Licence
from openmarac.licences.services import licence_move
from openmarac.meetings.models import (
    Listing,
    ListingMove,
    ListingStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
)
from openmarac.meetings.services import case_list, meetings_generate
from openmarac.research.selectors import meetings_visible_to

from .conftest import client_for

pytestmark = pytest.mark.django_db
D = datetime.date
NOW = datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC)


def date_fields(name: str, day: D) -> dict[str, str]:
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


@pytest.fixture
def calendar_nk(cast):
    with time_machine.travel(NOW, tick=False):
        meetings_generate(area=cast.area_a, until=D(2027, 3, 31))
    return Meeting.objects.filter(area=cast.area_a).order_by("starts_on")


@time_machine.travel(NOW, tick=False)
def test_the_calendar_shows_each_area_and_members_only_their_own(cast, calendar_nk):
    hub_page = client_for(cast.coordinator).get(reverse("meetings:calendar")).content.decode()
    assert "North Kent" in hub_page
    assert "Tuesday 8 December 2026" in hub_page
    assert "Add a meeting" in hub_page
    housing = client_for(cast.housing_rep).get(reverse("meetings:calendar")).content.decode()
    assert "Tuesday 8 December 2026" not in housing  # housing is standing only in West Kent
    assert "Add a meeting" not in housing


@time_machine.travel(NOW, tick=False)
def test_the_coordinator_adds_an_extra_meeting_and_errors_keep_what_was_typed(cast, calendar_nk):
    client = client_for(cast.coordinator)
    url = reverse("meetings:add", kwargs={"area_id": cast.area_a.pk})
    wrong = client.post(url, {"kind": "extra", **date_fields("starts_on", D(2026, 11, 1))})
    body = wrong.content.decode()
    assert "There is a problem" in body
    assert "Date of the meeting must be 23 November 2026 or later" in body
    assert 'value="2026"' in body
    done = client.post(
        url,
        {"kind": "emergency", "start_time": "14:30", **date_fields("starts_on", D(2026, 11, 25))},
    )
    assert done.status_code == 302
    meeting = Meeting.objects.get(kind=MeetingKind.EMERGENCY)
    assert meeting.start_time == datetime.time(14, 30)
    assert meeting.created_by == cast.coordinator


@time_machine.travel(NOW, tick=False)
def test_the_coordinator_moves_and_cancels_a_meeting_with_a_reason(cast, calendar_nk):
    client = client_for(cast.coordinator)
    december = calendar_nk.get(starts_on=D(2026, 12, 8))
    case_list(case=cast.case_a, actor=cast.coordinator, meeting=december)
    moved = client.post(
        reverse("meetings:move", kwargs={"meeting_id": december.pk}),
        date_fields("starts_on", D(2026, 12, 10)),
    )
    assert moved.status_code == 302
    december.refresh_from_db()
    assert december.starts_on == D(2026, 12, 10)
    cancel_url = reverse("meetings:cancel", kwargs={"meeting_id": december.pk})
    assert "Enter why the meeting is cancelled" in client.post(cancel_url, {}).content.decode()
    cancelled = client.post(cancel_url, {"reason": "Chair unavailable"}, follow=True)
    assert "1 case moved to the next meeting" in cancelled.content.decode()
    december.refresh_from_db()
    assert december.status == MeetingStatus.CANCELLED
    assert Listing.objects.get(case=cast.case_a).meeting.starts_on == D(2027, 1, 12)


@time_machine.travel(NOW, tick=False)
def test_moving_a_case_needs_a_reason_and_warns_past_the_case_limit(cast, calendar_nk):
    policy = cast.area_a.policy
    policy.max_cases_per_meeting = 1
    policy.save()
    december, january = (
        calendar_nk.get(starts_on=D(2026, 12, 8)),
        calendar_nk.get(starts_on=D(2027, 1, 12)),
    )
    other = Case.objects.create(
        partnership=cast.partnership, area=cast.area_a, reference="NK-2026-T0002"
    )
    listing = case_list(case=cast.case_a, actor=cast.coordinator, meeting=december).listing
    case_list(case=other, actor=cast.coordinator, meeting=january)
    client = client_for(cast.coordinator)
    url = reverse("meetings:listing_move", kwargs={"listing_id": listing.pk})
    page = client.get(url).content.decode()
    assert "Tuesday 12 January 2027" in page
    missing = client.post(url, {"to_meeting": str(january.pk)}).content.decode()
    assert "Enter why the case is moving to another meeting" in missing
    done = client.post(
        url, {"to_meeting": str(january.pk), "reason": "Police need more time"}, follow=True
    )
    body = done.content.decode()
    assert "more than the area&#x27;s limit of 1" in body
    assert "This meeting has 2 cases" in body
    move = ListingMove.objects.get()
    assert move.reason == "Police need more time"
    assert move.to_meeting == january
    assert AuditEvent.objects.filter(action="listing.move").exists()


@time_machine.travel(NOW, tick=False)
def test_the_coordinator_publishes_the_agenda_early(cast, calendar_nk):
    december = calendar_nk.get(starts_on=D(2026, 12, 8))
    case_list(case=cast.case_a, actor=cast.coordinator, meeting=december)
    client = client_for(cast.coordinator)
    url = reverse("meetings:publish", kwargs={"meeting_id": december.pk})
    page = client.get(url).content.decode()
    assert "published automatically on Tuesday 1 December 2026" in page
    assert client.post(url).status_code == 302
    december.refresh_from_db()
    assert december.agenda_published_at is not None
    assert Listing.objects.get(case=cast.case_a).research_requests.count() == 5
    assert client_for(cast.police_rep).post(url).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_moving_a_frozen_case_is_refused_on_the_form_and_keeps_what_was_typed(cast, calendar_nk):
    december, january = (
        calendar_nk.get(starts_on=D(2026, 12, 8)),
        calendar_nk.get(starts_on=D(2027, 1, 12)),
    )
    listing = case_list(case=cast.case_a, actor=cast.coordinator, meeting=december).listing
    case_death_record(case=cast.case_a, role="victim", actor=cast.coordinator, request=None)
    client = client_for(cast.coordinator)
    url = reverse("meetings:listing_move", kwargs={"listing_id": listing.pk})
    refusal = (
        f"Case {cast.case_a.reference} cannot be moved to another meeting: its record is frozen "
        "because a death has been recorded"
    )
    page = client.get(url).content.decode()
    assert "There is a problem" in page
    assert refusal in page
    posted = client.post(url, {"to_meeting": str(january.pk), "reason": "Police need more time"})
    assert posted.status_code == 200
    body = posted.content.decode()
    assert refusal in body
    assert "Police need more time" in body  # what was typed is still there
    listing.refresh_from_db()
    assert listing.meeting == december
    assert not ListingMove.objects.exists()


def _nk_meeting_pages(client, meeting):
    """What the user is shown of a North Kent meeting: the calendar, the meeting, its board."""
    calendar = client.get(reverse("meetings:calendar")).content.decode()
    detail = client.get(reverse("meetings:detail", kwargs={"meeting_id": meeting.pk}))
    board = client.get(reverse("research:board", kwargs={"meeting_id": meeting.pk}))
    return "Tuesday 8 December 2026" in calendar, detail.status_code, board.status_code


@time_machine.travel(NOW, tick=False)
def test_a_licence_moved_out_of_an_area_takes_its_meetings_away(cast, calendar_nk):
    december = calendar_nk.get(starts_on=D(2026, 12, 8))
    case_list(case=cast.case_a, actor=cast.coordinator, meeting=december)
    client = client_for(cast.police_rep)
    assert _nk_meeting_pages(client, december) == (True, 200, 200)
    licence = Licence.objects.get(user=cast.police_rep)
    licence_move(licence=licence, areas=[cast.area_b], actor=cast.coordinator)
    assert not meetings_visible_to(cast.police_rep).filter(area=cast.area_a).exists()
    assert _nk_meeting_pages(client, december) == (False, 404, 404)
    assert AuditEvent.objects.filter(action="meeting.view.denied", outcome=Outcome.DENIED).exists()


@time_machine.travel(NOW, tick=False)
def test_an_expired_licence_shows_no_meeting_and_an_invitee_only_its_cases_meetings(
    cast, calendar_nk
):
    december, january = (
        calendar_nk.get(starts_on=D(2026, 12, 8)),
        calendar_nk.get(starts_on=D(2027, 1, 12)),
    )
    case_list(case=cast.case_a, actor=cast.coordinator, meeting=december)
    # The invited agency sees the meeting its case is listed at, not the area's others.
    assert list(meetings_visible_to(cast.invited_rep)) == [december]
    assert meetings_visible_to(cast.police_rep).filter(pk=january.pk).exists()
    yesterday = D(2026, 11, 22)
    for user in (cast.police_rep, cast.invited_rep):
        Licence.objects.filter(user=user).update(expires_on=yesterday)
        assert not meetings_visible_to(user).exists(), user.username
        assert _nk_meeting_pages(client_for(user), december) == (False, 404, 404)


@time_machine.travel(NOW, tick=False)
def test_a_coordinator_sees_and_adds_meetings_only_in_the_areas_their_licence_covers(
    cast, calendar_nk
):
    december = calendar_nk.get(starts_on=D(2026, 12, 8))
    client = client_for(cast.coordinator)
    assert _nk_meeting_pages(client, december) == (True, 200, 200)
    licence = Licence.objects.get(user=cast.coordinator)
    licence_move(licence=licence, areas=[cast.area_b], actor=cast.coordinator)
    assert _nk_meeting_pages(client, december) == (False, 404, 404)
    calendar = client.get(reverse("meetings:calendar")).content.decode()
    assert "West Kent" in calendar
    assert "North Kent" not in calendar
    add = reverse("meetings:add", kwargs={"area_id": cast.area_a.pk})
    assert client.get(add).status_code == 404
    assert (
        client.get(reverse("meetings:move", kwargs={"meeting_id": december.pk})).status_code == 404
    )


@time_machine.travel(NOW, tick=False)
def test_the_move_page_of_a_case_already_heard_says_it_cannot_move(cast, calendar_nk):
    december = calendar_nk.get(starts_on=D(2026, 12, 8))
    listing = case_list(case=cast.case_a, actor=cast.coordinator, meeting=december).listing
    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.HEARD)
    url = reverse("meetings:listing_move", kwargs={"listing_id": listing.pk})
    page = client_for(cast.coordinator).get(url)
    assert page.status_code == 200
    assert "Only a case still waiting to be heard can be moved" in page.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_licence_moved_out_of_an_area_takes_away_running_its_meetings(cast, calendar_nk):
    from openmarac.proceedings.selectors import meetings_run_by

    december = calendar_nk.get(starts_on=D(2026, 12, 8))
    run = reverse("proceedings:meeting", args=[december.pk])
    for user in (cast.coordinator, cast.chair):
        assert meetings_run_by(user).filter(pk=december.pk).exists(), user.username
        assert client_for(user).get(run).status_code == 200, user.username
        licence = Licence.objects.get(user=user)
        licence_move(licence=licence, areas=[cast.area_b], actor=cast.coordinator)
        assert not meetings_run_by(user).filter(area=cast.area_a).exists(), user.username
        assert client_for(user).get(run).status_code == 404, user.username
