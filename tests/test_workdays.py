"""The working calendar every deadline is counted on: weekends, bank holidays and their nations."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openmarac.core.workdays import WorkingCalendar, calendar_for, local_date

LONDON = ZoneInfo("Europe/London")
ENG = WorkingCalendar("ENG")
WLS = WorkingCalendar("WLS")
SCT = WorkingCalendar("SCT")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def test_weekends_and_bank_holidays_are_not_working_days():
    assert ENG.is_working_day(datetime.date(2026, 11, 27))  # a Friday
    assert not ENG.is_working_day(datetime.date(2026, 11, 28))  # Saturday
    assert not ENG.is_working_day(datetime.date(2026, 12, 25))  # Christmas Day
    assert not ENG.is_working_day(datetime.date(2026, 12, 28))  # Boxing Day, observed
    assert ENG.bank_holiday(datetime.date(2026, 12, 28)) == "Boxing Day (observed)"


def test_each_nation_has_its_own_bank_holidays():
    st_andrews_day = datetime.date(2026, 11, 30)  # a Monday
    assert SCT.bank_holiday(st_andrews_day)
    assert ENG.is_working_day(st_andrews_day)
    easter_monday = datetime.date(2026, 4, 6)
    assert not ENG.is_working_day(easter_monday)
    assert not WLS.is_working_day(easter_monday)
    assert SCT.is_working_day(easter_monday)


def test_a_task_set_on_friday_for_five_working_days_is_due_the_next_friday():
    assert ENG.add_working_days(datetime.date(2026, 11, 20), 5) == datetime.date(2026, 11, 27)


def test_a_task_set_on_a_saturday_counts_from_monday():
    assert ENG.add_working_days(datetime.date(2026, 11, 21), 5) == datetime.date(2026, 11, 27)


def test_working_days_skip_christmas_and_boxing_day_observed():
    # Wednesday 23 December 2026 + 3: Thursday 24, then Tuesday 29 and Wednesday 30.
    assert ENG.add_working_days(datetime.date(2026, 12, 23), 3) == datetime.date(2026, 12, 30)


def test_counting_backwards_skips_the_same_days():
    assert ENG.add_working_days(datetime.date(2026, 12, 30), -3) == datetime.date(2026, 12, 23)
    assert ENG.previous_working_day(datetime.date(2026, 12, 28)) == datetime.date(2026, 12, 24)


def test_zero_working_days_is_the_same_day():
    assert ENG.add_working_days(datetime.date(2026, 11, 28), 0) == datetime.date(2026, 11, 28)


def test_next_working_day_can_include_today():
    friday = datetime.date(2026, 11, 27)
    assert ENG.next_working_day(friday, include_today=True) == friday
    assert ENG.next_working_day(friday) == datetime.date(2026, 11, 30)


def test_working_days_between_counts_days_after_the_start():
    monday = datetime.date(2026, 11, 23)
    assert ENG.working_days_between(monday, datetime.date(2026, 11, 30)) == 5
    assert ENG.working_days_between(datetime.date(2026, 11, 30), monday) == -5
    assert ENG.working_days_between(monday, monday) == 0


def test_twenty_four_working_hours_from_friday_afternoon_end_on_monday_afternoon():
    due = ENG.add_working_hours(at(2026, 11, 27, 15), 24)
    assert due == at(2026, 11, 30, 15)


def test_the_clock_also_stops_for_a_bank_holiday_monday_in_scotland():
    due = SCT.add_working_hours(at(2026, 11, 27, 15), 24)
    assert due == at(2026, 12, 1, 15)


def test_twenty_four_working_hours_over_christmas():
    # Thursday 24 December 10:00: 14 hours that day, then nothing until Tuesday 29 December.
    assert ENG.add_working_hours(at(2026, 12, 24, 10), 24) == at(2026, 12, 29, 10)


def test_a_referral_arriving_at_the_weekend_starts_its_clock_on_monday():
    assert ENG.add_working_hours(at(2026, 11, 28, 11), 24) == at(2026, 12, 1, 0)


def test_working_hours_between_ignores_the_weekend():
    assert ENG.working_hours_between(at(2026, 11, 27, 15), at(2026, 11, 30, 15)) == 24
    assert ENG.working_hours_between(at(2026, 11, 30, 15), at(2026, 11, 27, 15)) == -24


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        ENG.add_working_hours(datetime.datetime(2026, 11, 27, 15), 1)


def test_an_unknown_nation_is_refused():
    with pytest.raises(ValueError, match="unknown nation"):
        WorkingCalendar("XX")


def test_a_partnership_in_wales_uses_the_welsh_calendar():
    class Partnership:
        nation = "WLS"

    assert calendar_for(Partnership()) == WLS


def test_local_date_is_the_date_in_london():
    assert local_date(datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)) == (
        datetime.date(2026, 7, 1)
    )


moments = st.datetimes(
    min_value=datetime.datetime(2025, 1, 1), max_value=datetime.datetime(2028, 12, 31)
).map(lambda naive: naive.replace(tzinfo=datetime.UTC))


@given(start=moments, hours=st.floats(min_value=0, max_value=500))
def test_adding_working_hours_then_measuring_them_gives_the_same_hours(start, hours):
    due = ENG.add_working_hours(start, hours)
    assert due >= start
    assert ENG.working_hours_between(start, due) == pytest.approx(hours, abs=1e-6)


@given(day=st.dates(datetime.date(2025, 1, 1), datetime.date(2028, 12, 31)), n=st.integers(0, 60))
def test_adding_working_days_lands_on_a_working_day_n_working_days_later(day, n):
    due = ENG.add_working_days(day, n)
    if n:
        assert ENG.is_working_day(due)
    assert ENG.working_days_between(day, due) == n
