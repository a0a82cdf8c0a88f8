"""Keeping every area's meeting calendar generated six months ahead."""

from __future__ import annotations

import datetime

from openmarac.jobs.registry import sweep_step
from openmarac.partnerships.models import Area

from .services import meetings_generate


@sweep_step("meetings.generate")
def generate_calendars(now: datetime.datetime) -> int:
    created = 0
    for area in Area.objects.select_related("policy", "partnership"):
        created += meetings_generate(area=area)
    return created
