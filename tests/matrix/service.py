"""Permission-matrix rows for the service's own pages: its icon, accessibility statement and
privacy notice, which anyone may read without signing in."""

from __future__ import annotations

from typing import Any

from .common import NO_ARGS, everyone

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "core:favicon": (NO_ARGS, everyone(301)),
}
