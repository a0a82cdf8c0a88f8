"""What the service tells its operators: the health check answers everyone, and says no more."""

from __future__ import annotations

from .common import NO_ARGS, everyone

ROWS = {
    "jobs:healthz": (NO_ARGS, everyone(200)),
}
