"""Reports: a meeting's figures and an area's population, tried by everyone who may not see
them (the other partnership's hub and chair, the coordinator licensed for North Kent only, and
everyone without the role)."""

from __future__ import annotations

from .common import Row, by_area
from .meetings_research import _setup

ROWS = {
    "reports:meeting": Row(
        by_area(
            lambda w: {"meeting_id": _setup(w)["first"].pk},
            lambda w: {"meeting_id": _setup(w)["west"].pk},
        )
    ),
    "reports:population": Row(
        by_area(lambda w: {"area_id": w.cast.area_a.pk}, lambda w: {"area_id": w.cast.area_b.pk})
    ),
}
