"""Closing cases whose period open to MARAC has ended."""

from __future__ import annotations

import datetime

from openmarac.jobs.registry import sweep_step

from .lifecycle import cases_close_expired


@sweep_step("cases.period_end")
def close_expired_cases(now: datetime.datetime) -> int:
    return cases_close_expired(now=now)
