"""Publishing agendas at each area's lead time, and chasing research before and after it is due."""

from __future__ import annotations

import datetime

from openmarac.jobs.registry import sweep_step

from .services import agendas_publish_due, research_chase_late, research_remind


@sweep_step("research.agenda_publish")
def publish_agendas(now: datetime.datetime) -> int:
    return agendas_publish_due(now=now)


@sweep_step("research.remind")
def remind(now: datetime.datetime) -> int:
    return research_remind(now=now)


@sweep_step("research.late")
def chase_late(now: datetime.datetime) -> int:
    return research_chase_late(now=now)
