"""``/healthz``: whether this instance can serve, for a proxy, load balancer or monitor.

It answers anyone, so it says only whether each part works and when the worker last swept: no
counts, names, versions or addresses.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .selectors import last_worker_sweep


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        return False


def _cache() -> bool:
    probe = uuid.uuid4().hex
    try:
        cache.set("healthz:probe", probe, timeout=10)
        return bool(cache.get("healthz:probe") == probe)
    except Exception:  # a cache that cannot be reached raises its client's own errors
        return False


def _worker(database_ok: bool) -> dict[str, Any]:
    if not database_ok:
        return {"status": "unknown", "last_sweep_at": None, "seconds_since_last_sweep": None}
    try:
        last = last_worker_sweep()
    except DatabaseError:  # e.g. a database not yet migrated
        return {"status": "unknown", "last_sweep_at": None, "seconds_since_last_sweep": None}
    if last is None:
        return {"status": "never_swept", "last_sweep_at": None, "seconds_since_last_sweep": None}
    age = max(0, int((timezone.now() - last).total_seconds()))
    return {
        "status": "ok" if age <= settings.HEALTHZ_WORKER_STALE_SECONDS else "stale",
        "last_sweep_at": last.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "seconds_since_last_sweep": age,
    }


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database and cache answer (503 otherwise); a worker that has stopped
    sweeping makes the status ``degraded`` but not 503, since restarting the web server would
    not mend it."""
    database_ok = _database()
    cache_ok = _cache()
    worker = _worker(database_ok)
    if not (database_ok and cache_ok):
        status = "failing"
    elif worker["status"] != "ok":
        status = "degraded"
    else:
        status = "ok"
    return JsonResponse(
        {
            "status": status,
            "database": "ok" if database_ok else "unavailable",
            "cache": "ok" if cache_ok else "unavailable",
            "worker": worker,
        },
        status=200 if status != "failing" else 503,
    )
