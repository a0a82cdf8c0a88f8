"""Permission-matrix rows for meetings, agendas, research and the case lifecycle."""

from __future__ import annotations

from typing import Any

from .common import Args, hub_only

CASE_A: Args = lambda cast: {"reference": cast.case_a.reference}  # noqa: E731

ROWS: dict[str, tuple[Args, dict[str, Any]]] = {
    "cases:death": (CASE_A, hub_only()),
}
