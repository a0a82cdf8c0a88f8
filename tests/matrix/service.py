"""Permission-matrix rows for the service's own pages: its icon, accessibility statement and
privacy notice, which anyone may read without signing in."""

from __future__ import annotations

from typing import Any

from .common import NO_ARGS, SIGN_IN, everyone

ROWS: dict[str, tuple[Any, dict[str, Any]]] = {
    "core:favicon": (NO_ARGS, everyone(301)),
    "partnerships:accessibility": (NO_ARGS, everyone(200)),
    "partnerships:privacy": (NO_ARGS, everyone(200)),
    # The hub or the partnership lead edits the partnership's own parts of the notice.
    "partnerships:privacy_edit": (
        NO_ARGS,
        {
            **everyone(404),
            "coordinator": 200,
            "lead": 200,
            "revoked": SIGN_IN,
            "anonymous": SIGN_IN,
        },
    ),
}
