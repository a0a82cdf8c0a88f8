"""Each role's home and the work lists it opens."""

from __future__ import annotations

from .common import NO_ARGS, everyone, hub_only

ROWS = {
    # A partnership lead who works no cases goes to the reports dashboard; visitors see the
    # start page.
    "workspace:home": (NO_ARGS, {**everyone(200), "lead": 302}),
    # A list is its roles' only: the hub's overdue actions are not found for anyone else (each
    # role's own lists are tried in tests/test_workspace.py).
    "workspace:list": (lambda cast: {"slug": "actions-overdue"}, hub_only()),
}
