"""Working days and working hours, with the bank holidays of the partnership's nation.

Every deadline in the MARAC process is counted on this calendar: triage within 24 working hours,
research due 5 working days after listing, agendas published 8 working days before a meeting,
minutes within 10 working days, actions overdue after 5 working days.

* A **working day** is Monday to Friday, unless it is a bank holiday in the nation (England,
  Wales, Scotland or Northern Ireland) as the ``holidays`` package lists them, substitute days
  included.
* **Working hours** are the hours of working days: the clock runs through a working day and stops
  from midnight at the start of a weekend or bank holiday until midnight at its end. A referral
  received at 15:00 on a Friday with a 24-hour deadline is due at 15:00 on Monday, or on Tuesday
  when Monday is a bank holiday. Durations are real elapsed time, so a day when the clocks change
  has 23 or 25 hours.
* ``add_working_days(d, n)`` is the n-th working day after ``d``; ``d`` itself never counts, so a
  task set on a Saturday with 5 working days is due on the following Friday.

All datetimes handed in must be timezone-aware; local dates are taken in ``settings.TIME_ZONE``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

UTC = datetime.UTC
NATIONS = {"ENG", "WLS", "SCT", "NIR"}


@lru_cache(maxsize=256)
def _bank_holidays(nation: str, year: int) -> dict[datetime.date, str]:
    return dict(holidays.country_holidays("GB", subdiv=nation, years=[year]).items())


@lru_cache(maxsize=1)
def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass(frozen=True)
class WorkingCalendar:
    """The working calendar of one UK nation."""

    nation: str = "ENG"

    def __post_init__(self) -> None:
        if self.nation not in NATIONS:
            raise ValueError(f"unknown nation {self.nation!r}")

    # Days.

    def bank_holiday(self, day: datetime.date) -> str:
        """The bank holiday's name, or an empty string."""
        return _bank_holidays(self.nation, day.year).get(day, "")

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and not self.bank_holiday(day)

    def next_working_day(self, day: datetime.date, *, include_today: bool = False) -> datetime.date:
        if include_today and self.is_working_day(day):
            return day
        return self.add_working_days(day, 1)

    def previous_working_day(
        self, day: datetime.date, *, include_today: bool = False
    ) -> datetime.date:
        if include_today and self.is_working_day(day):
            return day
        return self.add_working_days(day, -1)

    def add_working_days(self, day: datetime.date, count: int) -> datetime.date:
        """The ``count``-th working day after ``day`` (before it, for a negative count).

        ``day`` itself never counts; ``count == 0`` returns ``day`` unchanged.
        """
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        current = day
        while remaining:
            current += datetime.timedelta(days=step)
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(
            1
            for offset in range(1, (end - start).days + 1)
            if self.is_working_day(start + datetime.timedelta(days=offset))
        )

    # Hours.

    def _day_start(self, day: datetime.date) -> datetime.datetime:
        """The real instant (UTC) at which the local ``day`` begins."""
        return datetime.datetime.combine(day, datetime.time(0), tzinfo=_zone()).astimezone(UTC)

    def add_working_hours(self, start: datetime.datetime, hours: float) -> datetime.datetime:
        """The instant ``hours`` of working time after ``start``.

        A start during a weekend or bank holiday counts from the next working day's midnight.
        """
        _require_aware(start)
        remaining = datetime.timedelta(hours=hours)
        current = start.astimezone(UTC)
        while True:
            day = current.astimezone(_zone()).date()
            day_end = self._day_start(day + datetime.timedelta(days=1))
            if self.is_working_day(day):
                available = day_end - current
                if remaining <= available:
                    return (current + remaining).astimezone(_zone())
                remaining -= available
            current = day_end

    def working_hours_between(self, start: datetime.datetime, end: datetime.datetime) -> float:
        """Working hours elapsed from ``start`` to ``end`` (negative if ``end`` is earlier)."""
        _require_aware(start)
        _require_aware(end)
        if end < start:
            return -self.working_hours_between(end, start)
        total = datetime.timedelta()
        current = start.astimezone(UTC)
        finish = end.astimezone(UTC)
        while current < finish:
            day = current.astimezone(_zone()).date()
            day_end = self._day_start(day + datetime.timedelta(days=1))
            if self.is_working_day(day):
                total += min(day_end, finish) - current
            current = day_end
        return total.total_seconds() / 3600


def _require_aware(value: datetime.datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("working-hour arithmetic needs timezone-aware datetimes")


def calendar_for(partnership: object) -> WorkingCalendar:
    """The working calendar of a partnership (or of anything with a ``nation`` attribute)."""
    return WorkingCalendar(nation=str(getattr(partnership, "nation", "ENG") or "ENG"))


def local_date(moment: datetime.datetime) -> datetime.date:
    """The local calendar date of an aware instant."""
    return moment.astimezone(_zone()).date()


def local_midnight(day: datetime.date) -> datetime.datetime:
    """The aware instant at which the local ``day`` begins."""
    return datetime.datetime.combine(day, datetime.time(0), tzinfo=_zone())
