"""The triage clock counted in the database: which waiting referrals are past, or near, their
triage deadline (the area's working hours from arrival at the hub, ``triage.sla``)."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from openmarac.core.workdays import WorkingCalendar, local_date, local_midnight
from openmarac.referrals.models import Referral
from openmarac.triage.sla import DUE_SOON_SHARE


def arrived_by(
    calendar: WorkingCalendar, *, now: datetime.datetime, hours: float
) -> datetime.datetime:
    """The latest arrival that has had ``hours`` of working time by ``now``: a referral that
    arrived at or before it has used that much of its clock."""
    remaining = datetime.timedelta(hours=hours)
    current = now
    while True:
        day = local_date(current - datetime.timedelta(microseconds=1))
        day_start = local_midnight(day)
        if calendar.is_working_day(day):
            available = current - day_start
            if remaining <= available:
                return current - remaining
            remaining -= available
        current = day_start


def _used(queryset: QuerySet[Referral], *, now: datetime.datetime, share: float) -> Q:
    """Referrals of ``queryset`` that have used at least ``share`` of their clock by ``now``:
    one condition per nation and clock length (a handful), never per referral."""
    clocks = (
        queryset.order_by()
        .values_list("partnership__nation", "area__policy__triage_sla_working_hours")
        .distinct()
    )
    condition = Q(pk__in=[])
    for nation, hours in clocks:
        cutoff = arrived_by(WorkingCalendar(nation=nation or "ENG"), now=now, hours=hours * share)
        condition |= Q(
            partnership__nation=nation,
            area__policy__triage_sla_working_hours=hours,
            submitted_at__lte=cutoff,
        )
    return condition


def past_deadline(queryset: QuerySet[Referral], *, now: datetime.datetime) -> QuerySet[Referral]:
    """Waiting referrals whose triage deadline has passed."""
    return queryset.filter(_used(queryset, now=now, share=1.0))


def near_deadline(queryset: QuerySet[Referral], *, now: datetime.datetime) -> QuerySet[Referral]:
    """Waiting referrals with a quarter of their clock or less left, not yet past it."""
    return queryset.filter(_used(queryset, now=now, share=1.0 - DUE_SOON_SHARE)).exclude(
        _used(queryset, now=now, share=1.0)
    )
