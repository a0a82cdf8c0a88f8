"""Reporting periods: calendar quarters (``2027Q1`` is January to March 2027), calendar years,
and any run of days."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from openmarac.core.workdays import local_midnight

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
YEAR = re.compile(r"^(\d{4})$")
FIRST_YEAR = 2000


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # the last day, inclusive
    label: str
    code: str = ""  # 2027Q1 or 2027 for a quarter or year, empty for a run of days

    @property
    def starts_at(self) -> datetime.datetime:
        return local_midnight(self.start)

    @property
    def ends_before(self) -> datetime.datetime:
        """The first instant after the period."""
        return local_midnight(self.end + datetime.timedelta(days=1))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def is_quarter(self) -> bool:
        return bool(QUARTER.match(self.code))

    def as_of(self) -> datetime.datetime:
        """The moment a status is read at: the end of the period, or now if that is sooner."""
        return min(self.ends_before, timezone.now())


def quarter(year: int, number: int) -> Period:
    start = datetime.date(year, 3 * number - 2, 1)
    following = datetime.date(year + (number == 4), 1 if number == 4 else 3 * number + 1, 1)
    return Period(
        start=start,
        end=following - datetime.timedelta(days=1),
        label=f"{start:%B} to {(following - datetime.timedelta(days=1)):%B %Y}",
        code=f"{year}Q{number}",
    )


def year(number: int) -> Period:
    return Period(
        start=datetime.date(number, 1, 1),
        end=datetime.date(number, 12, 31),
        label=f"January to December {number}",
        code=str(number),
    )


def days(start: datetime.date, end: datetime.date) -> Period:
    if end < start:
        start, end = end, start
    return Period(start=start, end=end, label=f"{start:%-d %B %Y} to {end:%-d %B %Y}")


def meeting_day(day: datetime.date) -> Period:
    return Period(start=day, end=day, label=f"{day:%-d %B %Y}")


def parse(code: str) -> Period | None:
    """``2027Q1`` or ``2027``; None for anything else."""
    code = (code or "").strip().upper()
    if match := QUARTER.match(code):
        return quarter(int(match.group(1)), int(match.group(2)))
    if match := YEAR.match(code):
        return year(int(match.group(1)))
    return None


def quarter_of(day: datetime.date) -> Period:
    return quarter(day.year, (day.month - 1) // 3 + 1)


def previous(period: Period) -> Period:
    return quarter_of(period.start - datetime.timedelta(days=1))


def recent_quarters(today: datetime.date, count: int = 12) -> list[Period]:
    """The current quarter and the ``count - 1`` before it, newest first."""
    found = [quarter_of(today)]
    while len(found) < count and found[-1].start.year > FIRST_YEAR:
        found.append(previous(found[-1]))
    return found


def quarters_ending(period: Period, count: int = 8) -> list[Period]:
    """The ``count`` quarters up to the one ``period`` ends in, oldest first."""
    found = [quarter_of(period.end)]
    while len(found) < count:
        found.append(previous(found[-1]))
    return list(reversed(found))


def months_of(period: Period) -> list[datetime.date]:
    """The first day of each month the period touches."""
    first = period.start.replace(day=1)
    months = []
    while first <= period.end:
        months.append(first)
        first = (first + datetime.timedelta(days=32)).replace(day=1)
    return months
