"""Scoped reads of emergency MARAC requests: only requests on cases the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from openmarac.accounts.models import User
from openmarac.cases.selectors import cases_visible_to

from .models import EmergencyRequest, EmergencyStatus


def emergencies_visible_to(user: User) -> QuerySet[EmergencyRequest]:
    """Requests on cases ``user`` may see (the scope stays in the database as a subquery)."""
    return EmergencyRequest.objects.filter(
        case__in=cases_visible_to(user).values("pk")
    ).select_related("case__area__policy", "meeting", "referring_agency")


def emergencies_open(user: User, *, now: datetime.datetime) -> QuerySet[EmergencyRequest]:
    """Requests waiting for a decision, and approved ones whose meeting has not yet been held:
    the hub's queue shows both with their clocks. Bounded: there are never many at once."""
    recent = now - datetime.timedelta(days=7)
    return (
        emergencies_visible_to(user)
        .filter(status__in=[EmergencyStatus.REQUESTED, EmergencyStatus.APPROVED])
        .exclude(status=EmergencyStatus.APPROVED, meeting__starts_on__lt=recent.date())
        .order_by("status", "requested_at", "pk")[:50]
    )


@dataclass(frozen=True)
class EmergencyClock:
    """How long a request has waited for a decision, or how long is left to hold its meeting."""

    waiting_hours: int
    held_by: datetime.datetime | None
    hours_left: int | None

    @property
    def overdue(self) -> bool:
        return self.hours_left is not None and self.hours_left < 0


def emergency_clock(asked: EmergencyRequest, *, now: datetime.datetime) -> EmergencyClock:
    since = asked.decided_at or now
    waiting = int((since - asked.requested_at).total_seconds() // 3600)
    left = None
    if asked.held_by is not None:
        left = int((asked.held_by - now).total_seconds() // 3600)
    return EmergencyClock(waiting_hours=waiting, held_by=asked.held_by, hours_left=left)
