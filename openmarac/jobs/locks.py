"""Keeping two workers from doing the same step at the same moment.

Correctness never depends on these locks (every step is idempotent and notices are claimed
before sending); they only save a second worker from repeating work the first is doing.

* With ``REDIS_URL`` set, a Redis key with an expiry (``SET NX PX``), released only by its owner.
* On PostgreSQL without Redis, a session advisory lock.
* On SQLite, none: SQLite serialises writers, and it is for single-worker installations.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end
"""


@lru_cache(maxsize=1)
def _redis() -> Any:
    import redis  # imported only where Redis is configured

    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=5)


def _advisory_id(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


def _scope() -> str:
    """The database this process works on: locks never span two installations on one server."""
    return str(connection.settings_dict["NAME"])


@contextmanager
def step_lock(name: str, *, ttl_seconds: int = 600) -> Iterator[bool]:
    """Yield True if this process may run step ``name`` now, False if another one is."""
    if settings.REDIS_URL:
        client = _redis()
        key = f"openmarac:{_scope()}:sweep:{name}"
        token = uuid.uuid4().hex
        acquired = bool(client.set(key, token, nx=True, px=ttl_seconds * 1000))
        try:
            yield acquired
        finally:
            if acquired:
                client.eval(_RELEASE, 1, key, token)
        return
    if connection.vendor == "postgresql":
        lock_id = _advisory_id(f"{_scope()}:{name}")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [lock_id])
            acquired = bool(cursor.fetchone()[0])
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [lock_id])
        return
    yield True
