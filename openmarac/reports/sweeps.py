"""The reports' share of the deadline sweep: facts kept current, settled periods frozen."""

from __future__ import annotations

import datetime

from openmarac.jobs.registry import sweep_step

from .facts import SWEEP_CAUGHT_UP_BELOW, SWEEP_STEP, facts_refresh
from .services import settled_figures_freeze

FACTS_PER_SWEEP = SWEEP_CAUGHT_UP_BELOW


@sweep_step(SWEEP_STEP)
def facts(now: datetime.datetime) -> int:
    return facts_refresh(limit=FACTS_PER_SWEEP)


@sweep_step("reports.freeze")
def freeze(now: datetime.datetime) -> int:
    return settled_figures_freeze(now=now)
