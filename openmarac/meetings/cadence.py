"""Working out an area's meeting dates from its cadence. Pure functions: no database.

* weekly: every week on each of the policy's weekdays;
* fortnightly: every other week on those weekdays, in step with ``cadence_anchor`` (or, without
  one, in even-numbered ISO weeks);
* monthly: the n-th of those weekdays of each month (``monthly_week_of_month`` 1 to 4, or 5 for
  the last).

A slot that falls on a bank holiday is skipped, or moved to the next or previous working day, by
the policy's ``bank_holiday_rule``. A meeting over several days (Lincolnshire's Wednesday and
Thursday) is one meeting ending on its last working day.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

from openmarac.core.workdays import WorkingCalendar
from openmarac.partnerships.models import AreaPolicy, BankHolidayRule, Cadence


@dataclass(frozen=True)
class Slot:
    slot_date: datetime.date
    starts_on: datetime.date
    ends_on: datetime.date


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date | None:
    days = [
        datetime.date(year, month, day)
        for day in range(1, calendar.monthrange(year, month)[1] + 1)
        if datetime.date(year, month, day).weekday() == weekday
    ]
    if nth >= 5:
        return days[-1]
    return days[nth - 1] if 1 <= nth <= len(days) else None


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def cadence_dates(
    policy: AreaPolicy, start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    """The raw cadence dates from ``start`` to ``end`` inclusive, before bank-holiday rules."""
    weekdays = sorted({int(d) for d in policy.meeting_weekdays if 0 <= int(d) <= 6})
    if not weekdays or end < start:
        return []
    found: list[datetime.date] = []
    if policy.cadence == Cadence.MONTHLY:
        nth = int(policy.monthly_week_of_month or 1)
        year, month = start.year, start.month
        while datetime.date(year, month, 1) <= end:
            for weekday in weekdays:
                day = _nth_weekday(year, month, weekday, nth)
                if day is not None and start <= day <= end:
                    found.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return sorted(found)
    week = _monday(start)
    anchor_week = _monday(policy.cadence_anchor) if policy.cadence_anchor else None
    while week <= end:
        if policy.cadence == Cadence.FORTNIGHTLY:
            if anchor_week is not None:
                on = ((week - anchor_week).days // 7) % 2 == 0
            else:
                on = week.isocalendar().week % 2 == 0
        else:
            on = True
        if on:
            for weekday in weekdays:
                day = week + datetime.timedelta(days=weekday)
                if start <= day <= end:
                    found.append(day)
        week += datetime.timedelta(days=7)
    return sorted(found)


def meeting_slots(
    policy: AreaPolicy, work: WorkingCalendar, start: datetime.date, end: datetime.date
) -> list[Slot]:
    """The meetings the cadence gives from ``start`` to ``end``, with bank holidays applied."""
    slots: list[Slot] = []
    taken: set[datetime.date] = set()
    days = max(1, int(policy.meeting_days or 1))
    for slot_date in cadence_dates(policy, start, end):
        starts_on = slot_date
        if not work.is_working_day(slot_date):
            if policy.bank_holiday_rule == BankHolidayRule.SKIP:
                continue
            if policy.bank_holiday_rule == BankHolidayRule.PREVIOUS_WORKING_DAY:
                starts_on = work.previous_working_day(slot_date)
            else:
                starts_on = work.next_working_day(slot_date)
        if starts_on in taken:
            continue  # moved onto a day that already has a meeting of this series
        taken.add(starts_on)
        ends_on = work.add_working_days(starts_on, days - 1)
        slots.append(Slot(slot_date=slot_date, starts_on=starts_on, ends_on=ends_on))
    return slots
