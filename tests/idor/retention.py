"""Retention reviews, disposal certificates, archived cases and each area's retention groups."""

from __future__ import annotations

from typing import Any

from tests.retention_helpers import archived_due, certificate_in

from .common import Row, World, by_area


def _case(world: World, north: bool) -> dict[str, Any]:
    area = world.cast.area_a if north else world.cast.area_b
    reference = "NK-2012-IDR01" if north else "WK-2012-IDR02"
    return {"reference": archived_due(area, reference).reference}


def _certificate(world: World, north: bool) -> dict[str, Any]:
    area = world.cast.area_a if north else world.cast.area_b
    reference = "NK-2010-IDRC1" if north else "WK-2010-IDRC2"
    return {"certificate_id": certificate_in(area, reference).pk}


def _group(world: World, north: bool) -> dict[str, Any]:
    area = world.cast.area_a if north else world.cast.area_b
    return {"area_id": area.pk, "group_id": area.retention_groups.first().pk}


CASE = by_area(lambda w: _case(w, True), lambda w: _case(w, False))

ROWS = {
    "retention:case": Row(CASE),
    "retention:extend": Row(CASE, method="post"),
    "retention:hold": Row(CASE, method="post"),
    "retention:lift": Row(CASE, method="post"),
    "retention:group": Row(CASE, method="post"),
    "retention:recommend": Row(CASE, method="post"),
    "retention:reject": Row(CASE, method="post"),
    "retention:approve": Row(CASE, method="post"),
    "retention:archived_case": Row(CASE),
    "retention:certificate": Row(
        by_area(lambda w: _certificate(w, True), lambda w: _certificate(w, False))
    ),
    "retention:group_add": Row(
        by_area(lambda w: {"area_id": w.cast.area_a.pk}, lambda w: {"area_id": w.cast.area_b.pk})
    ),
    "retention:group_edit": Row(by_area(lambda w: _group(w, True), lambda w: _group(w, False))),
}
