"""Deadline work for the IDVA clock: reminders before the deadline, lateness to the hub."""

from __future__ import annotations

import datetime

from openmarac.jobs.registry import sweep_step

from .services import idva_clock_sweep


@sweep_step("idva.contact_clock")
def contact_clock(now: datetime.datetime) -> int:
    return idva_clock_sweep(now=now)
