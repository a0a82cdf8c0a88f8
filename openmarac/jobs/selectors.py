"""What the worker has done, for monitoring."""

from __future__ import annotations

import datetime

from .models import WorkerHeartbeat


def last_worker_sweep() -> datetime.datetime | None:
    """When any worker last finished a sweep, or None if none ever has."""
    return (
        WorkerHeartbeat.objects.order_by("-last_seen_at")
        .values_list("last_seen_at", flat=True)
        .first()
    )
