"""Meeting calendars from each area's cadence, and allocating cases to meetings."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from openmarac.audit.models import AuditEvent
from openmarac.cases.lifecycle import case_death_record
from openmarac.cases.models import Case, CaseStatus
from openmarac.core.workdays import WorkingCalendar
from openmarac.jobs.services import run_sweep
from openmarac.meetings.cadence import cadence_dates, meeting_slots
from openmarac.meetings.models import (
    Listing,
    ListingMove,
    ListingReason,
    ListingStatus,
    Meeting,
    MeetingStatus,
)
from openmarac.meetings.services import (
    MeetingError,
    case_list,
    listing_move,
    meeting_add,
    meeting_cancel,
    meeting_for_allocation,
    meeting_move,
    meetings_generate,
)
from openmarac.partnerships.models import Area
from openmarac.partnerships.services import partnership_create_from_preset

pytestmark = pytest.mark.django_db

D = datetime.date
ENG = WorkingCalendar("ENG")
WLS = WorkingCalendar("WLS")
MONDAY_MORNING = datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC)


def preset_area(preset: str, code: str) -> Area:
    partnership_create_from_preset(
        preset=preset, official_email_domains=["example.org"], hub_email="hub@example.org"
    )
    return Area.objects.select_related("policy", "partnership").get(code=code)


def starts(area: Area) -> list[D]:
    return list(
        Meeting.objects.filter(area=area, status=MeetingStatus.SCHEDULED).values_list(
            "starts_on", flat=True
        )
    )


def new_case(area: Area, number: int = 1) -> Case:
    return Case.objects.create(
        partnership=area.partnership, area=area, reference=f"{area.code}-TEST-{number:04d}"
    )


def test_kent_monthly_meetings_fall_on_the_second_tuesday(cast):
    policy = cast.area_a.policy  # North Kent: monthly, second Tuesday
    assert cadence_dates(policy, D(2026, 12, 1), D(2027, 2, 28)) == [
        D(2026, 12, 8),
        D(2027, 1, 12),
        D(2027, 2, 9),
    ]


def test_a_last_weekday_of_the_month_cadence(cast):
    policy = cast.area_a.policy
    policy.monthly_week_of_month = 5
    assert cadence_dates(policy, D(2026, 12, 1), D(2027, 1, 31)) == [
        D(2026, 12, 29),
        D(2027, 1, 26),
    ]


def test_cambridgeshire_meets_twice_a_week_and_christmas_day_moves_to_the_next_working_day():
    area = preset_area("cambridgeshire-peterborough", "CAM")  # Wednesday and Friday
    slots = meeting_slots(area.policy, ENG, D(2026, 12, 21), D(2027, 1, 3))
    assert [(s.slot_date, s.starts_on) for s in slots] == [
        (D(2026, 12, 23), D(2026, 12, 23)),
        (D(2026, 12, 25), D(2026, 12, 29)),  # Christmas; Boxing Day observed on Monday 28
        (D(2026, 12, 30), D(2026, 12, 30)),
        (D(2027, 1, 1), D(2027, 1, 4)),  # New Year's Day
    ]


def test_lincolnshire_meets_over_two_days_as_one_meeting():
    area = preset_area("lincolnshire", "LINC")
    slots = meeting_slots(area.policy, ENG, D(2026, 11, 23), D(2026, 12, 6))
    assert [(s.starts_on, s.ends_on) for s in slots] == [
        (D(2026, 11, 25), D(2026, 11, 26)),
        (D(2026, 12, 2), D(2026, 12, 3)),
    ]
    assert area.policy.meeting_start_time == datetime.time(9, 0)


def test_a_two_day_meeting_skips_a_bank_holiday_for_its_second_day():
    area = preset_area("lincolnshire", "LINC")
    policy = area.policy
    policy.meeting_weekdays = [3]  # Thursday and the day after: Good Friday 2027 is 26 March
    slots = meeting_slots(policy, ENG, D(2027, 3, 22), D(2027, 3, 28))
    assert [(s.starts_on, s.ends_on) for s in slots] == [(D(2027, 3, 25), D(2027, 3, 30))]


def test_a_meeting_on_a_bank_holiday_can_be_skipped_or_brought_forward(cast):
    policy = cast.area_b.policy  # West Kent: monthly on a Monday
    policy.cadence = "weekly"
    policy.meeting_weekdays = [0]
    policy.bank_holiday_rule = "skip"
    skipped = meeting_slots(policy, ENG, D(2027, 3, 22), D(2027, 4, 4))
    assert [s.starts_on for s in skipped] == [D(2027, 3, 22)]  # Easter Monday 29 March skipped
    policy.bank_holiday_rule = "previous"
    earlier = meeting_slots(policy, ENG, D(2027, 3, 22), D(2027, 4, 4))
    # Easter Monday goes back past Good Friday to Thursday 25 March.
    assert [s.starts_on for s in earlier] == [D(2027, 3, 22), D(2027, 3, 25)]


def test_gwent_meets_fortnightly_in_step_with_its_anchor_and_on_welsh_bank_holidays():
    area = preset_area("gwent", "BG")  # Blaenau Gwent, Mondays, fortnightly
    area.policy.cadence_anchor = D(2026, 11, 23)
    slots = meeting_slots(area.policy, WLS, D(2026, 11, 23), D(2027, 1, 10))
    assert [s.starts_on for s in slots] == [
        D(2026, 11, 23),
        D(2026, 12, 7),
        D(2026, 12, 21),
        D(2027, 1, 4),
    ]


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_generating_again_creates_nothing_and_never_recreates_a_moved_or_cancelled_meeting(cast):
    area = cast.area_a
    created = meetings_generate(area=area, until=D(2027, 3, 31))
    assert created == 4  # 8 December, 12 January, 9 February, 9 March
    assert meetings_generate(area=area, until=D(2027, 3, 31)) == 0
    december = Meeting.objects.get(area=area, starts_on=D(2026, 12, 8))
    meeting_move(meeting=december, starts_on=D(2026, 12, 10), actor=cast.coordinator)
    january = Meeting.objects.get(area=area, starts_on=D(2027, 1, 12))
    meeting_cancel(meeting=january, actor=cast.coordinator, reason="Chair unavailable")
    assert meetings_generate(area=area, until=D(2027, 3, 31)) == 0
    assert starts(area) == [D(2026, 12, 10), D(2027, 2, 9), D(2027, 3, 9)]


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_sweep_keeps_every_areas_calendar_six_months_ahead(cast):
    first = run_sweep()
    assert first.counts["meetings.generate"] > 0
    assert Meeting.objects.filter(area=cast.area_a).latest("starts_on").starts_on >= D(2027, 5, 1)
    assert run_sweep().counts["meetings.generate"] == 0


@time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC), tick=False)
def test_a_case_accepted_a_week_before_the_meeting_goes_on_that_meeting(cast):
    meetings_generate(area=cast.area_a, until=D(2027, 3, 31))
    assert meeting_for_allocation(area=cast.area_a, on=D(2026, 12, 1)).starts_on == D(2026, 12, 8)


@time_machine.travel(datetime.datetime(2026, 12, 2, 10, tzinfo=datetime.UTC), tick=False)
def test_referral_within_a_week_of_meeting_goes_to_the_next_one(cast):
    meetings_generate(area=cast.area_a, until=D(2027, 3, 31))
    result = case_list(case=new_case(cast.area_a), actor=cast.coordinator)
    assert result.listing.meeting.starts_on == D(2027, 1, 12)
    assert result.listing.reason == ListingReason.NEW
    assert AuditEvent.objects.filter(action="listing.create", actor=cast.coordinator).exists()


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
def test_a_meeting_whose_agenda_is_published_takes_no_more_cases(cast):
    meetings_generate(area=cast.area_a, until=D(2027, 3, 31))
    december = Meeting.objects.get(area=cast.area_a, starts_on=D(2026, 12, 8))
    assert meeting_for_allocation(area=cast.area_a, on=D(2026, 11, 23)) == december
    Meeting.objects.filter(pk=december.pk).update(agenda_published_at=MONDAY_MORNING)
    assert meeting_for_allocation(area=cast.area_a, on=D(2026, 11, 23)).starts_on == D(2027, 1, 12)


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
def test_allocation_generates_the_calendar_when_it_has_run_out(cast):
    assert not Meeting.objects.filter(area=cast.area_a).exists()
    assert meeting_for_allocation(area=cast.area_a, on=D(2026, 11, 23)).starts_on == D(2026, 12, 8)


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
def test_cambridgeshire_warns_when_a_meeting_passes_nine_cases():
    area = preset_area("cambridgeshire-peterborough", "PBO")
    meetings_generate(area=area, until=D(2027, 1, 31))
    meeting = meeting_for_allocation(area=area, on=D(2026, 11, 23))
    results = [case_list(case=new_case(area, n), actor=None, meeting=meeting) for n in range(1, 11)]
    assert [r.over_limit for r in results] == [False] * 9 + [True]
    assert results[-1].listed_count == 10
    assert results[-1].case_limit == 9


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
def test_listing_the_same_case_twice_at_one_meeting_keeps_one_listing(cast):
    case = new_case(cast.area_a)
    first = case_list(case=case, actor=cast.coordinator)
    again = case_list(case=case, actor=cast.coordinator, meeting=first.listing.meeting)
    assert first.listing.pk == again.listing.pk
    assert Listing.objects.filter(case=case).count() == 1


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
def test_a_coordinator_moves_a_case_to_another_meeting_only_with_a_reason(cast):
    case = new_case(cast.area_a)
    listing = case_list(case=case, actor=cast.coordinator).listing
    january = Meeting.objects.get(area=cast.area_a, starts_on=D(2027, 1, 12))
    with pytest.raises(MeetingError, match="Enter why"):
        listing_move(listing=listing, to_meeting=january, actor=cast.coordinator, reason=" ")
    listing_move(
        listing=listing, to_meeting=january, actor=cast.coordinator, reason="Police research late"
    )
    listing.refresh_from_db()
    assert listing.meeting == january
    move = ListingMove.objects.get(listing=listing)
    assert move.reason == "Police research late"
    assert move.to_meeting == january
    event = AuditEvent.objects.filter(action="listing.move").latest("id")
    assert "Police" not in str(event.detail)


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
def test_a_case_cannot_move_to_another_areas_meeting(cast):
    listing = case_list(case=new_case(cast.area_a), actor=cast.coordinator).listing
    meetings_generate(area=cast.area_b, until=D(2027, 3, 31))
    other = Meeting.objects.filter(area=cast.area_b).first()
    with pytest.raises(MeetingError, match="its own area"):
        listing_move(listing=listing, to_meeting=other, actor=cast.coordinator, reason="Wrong")


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
def test_cancelling_a_meeting_moves_its_cases_to_the_next_one(cast):
    case = new_case(cast.area_a)
    listing = case_list(case=case, actor=cast.coordinator).listing
    december = listing.meeting
    assert december.starts_on == D(2026, 12, 8)
    moved = meeting_cancel(meeting=december, actor=cast.coordinator, reason="Chair unavailable")
    assert [r.listing.meeting.starts_on for r in moved] == [D(2027, 1, 12)]
    december.refresh_from_db()
    assert december.status == MeetingStatus.CANCELLED


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
def test_an_extra_meeting_can_be_added_and_takes_new_cases(cast):
    meetings_generate(area=cast.area_a, until=D(2027, 3, 31))
    extra = meeting_add(area=cast.area_a, starts_on=D(2026, 12, 3), actor=cast.coordinator)
    assert extra.start_time == cast.area_a.policy.meeting_start_time
    assert meeting_for_allocation(area=cast.area_a, on=D(2026, 11, 23)) == extra
    with pytest.raises(MeetingError, match="in the past"):
        meeting_add(area=cast.area_a, starts_on=D(2026, 11, 20), actor=cast.coordinator)


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
def test_moving_a_meeting_keeps_its_length(cast):
    area = preset_area("lincolnshire", "LINC")
    meetings_generate(area=area, until=D(2026, 12, 31))
    meeting = Meeting.objects.get(area=area, starts_on=D(2026, 12, 2))
    meeting_move(meeting=meeting, starts_on=D(2026, 12, 8), actor=cast.coordinator)
    meeting.refresh_from_db()
    assert (meeting.starts_on, meeting.ends_on) == (D(2026, 12, 8), D(2026, 12, 9))


def test_the_hub_sets_the_fortnightly_anchor_and_start_time_on_the_policy_page(cast):
    from .conftest import client_for

    client = client_for(cast.coordinator)
    url = f"/hub/areas/{cast.area_a.pk}/policy/"
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        if isinstance(value, list):
            data[name] = value
        elif value is not None and name not in ("cadence_anchor", "meeting_start_time"):
            data[name] = str(value)
    data.update(
        {
            "cadence": "fortnightly",
            "cadence_anchor_day": "7",
            "cadence_anchor_month": "12",
            "cadence_anchor_year": "2026",
            "meeting_start_time": "9.30",
        }
    )
    bad = client.post(url, {**data, "meeting_start_time": "half nine"})
    assert "Meetings start at must be a time of day, like 09:30" in bad.content.decode()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    policy = Area.objects.get(pk=cast.area_a.pk).policy
    assert (policy.cadence, policy.cadence_anchor, policy.meeting_start_time) == (
        "fortnightly",
        D(2026, 12, 7),
        datetime.time(9, 30),
    )


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
def test_a_frozen_closed_or_ended_case_stays_at_its_meeting(cast):
    refusals = {
        "frozen": "frozen because a death has been recorded",
        "closed": "the case is closed",
        "ended": "period open to MARAC ended on 22 November 2026",
    }
    for number, (state, message) in enumerate(refusals.items(), start=1):
        case = new_case(cast.area_a, number)
        listing = case_list(case=case, actor=cast.coordinator).listing
        january = Meeting.objects.get(area=cast.area_a, starts_on=D(2027, 1, 12))
        if state == "frozen":
            case_death_record(case=case, role="victim", actor=cast.coordinator, request=None)
        elif state == "closed":
            Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
        else:
            Case.objects.filter(pk=case.pk).update(open_until=D(2026, 11, 22))
        with pytest.raises(MeetingError, match=message):
            listing_move(
                listing=listing, to_meeting=january, actor=cast.coordinator, reason="Too many"
            )
        listing.refresh_from_db()
        assert listing.meeting.starts_on == D(2026, 12, 8), state
    assert not ListingMove.objects.exists()
    assert not AuditEvent.objects.filter(action="listing.move").exists()


@time_machine.travel(datetime.datetime(2026, 11, 23, 10, tzinfo=datetime.UTC), tick=False)
def test_cancelling_a_meeting_withdraws_a_frozen_case_and_moves_the_others(cast):
    frozen, other = new_case(cast.area_a, 1), new_case(cast.area_a, 2)
    december = case_list(case=frozen, actor=cast.coordinator).listing.meeting
    case_list(case=other, actor=cast.coordinator, meeting=december)
    case_death_record(case=frozen, role="victim", actor=cast.coordinator, request=None)
    moved = meeting_cancel(meeting=december, actor=cast.coordinator, reason="Chair unavailable")
    assert [r.listing.case for r in moved] == [other]
    stayed = Listing.objects.get(case=frozen)
    assert stayed.meeting == december
    assert stayed.status == ListingStatus.WITHDRAWN
    assert not ListingMove.objects.filter(listing=stayed).exists()
    assert AuditEvent.objects.filter(action="listing.withdraw", object_id=str(stayed.pk)).exists()
