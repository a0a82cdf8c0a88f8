"""Permission-matrix rows for retention: the queue, reviews, certificates, the archive, rules.

The information governance role is not one of the standing cast; its access is proved in
``tests/test_retention_views.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.retention_helpers import archived_due, certificate_in

from .common import NO_ARGS, hub_only

if TYPE_CHECKING:
    from tests.conftest import Cast

HUB_POST_ONLY = {**hub_only(), "coordinator": 405}


def _case(cast: Cast) -> dict[str, Any]:
    return {"reference": archived_due(cast.area_a, "NK-2012-MTX01").reference}


def _certificate(cast: Cast) -> dict[str, Any]:
    return {"certificate_id": certificate_in(cast.area_a, "NK-2010-GONE1").pk}


def _group(cast: Cast) -> dict[str, Any]:
    return {"area_id": cast.area_a.pk, "group_id": cast.area_a.retention_groups.first().pk}


ROWS = {
    "retention:queue": (NO_ARGS, hub_only()),
    "retention:case": (_case, hub_only()),
    "retention:extend": (_case, HUB_POST_ONLY),
    "retention:hold": (_case, HUB_POST_ONLY),
    "retention:lift": (_case, HUB_POST_ONLY),
    "retention:group": (_case, HUB_POST_ONLY),
    "retention:recommend": (_case, HUB_POST_ONLY),
    "retention:reject": (_case, HUB_POST_ONLY),
    "retention:approve": (_case, hub_only()),
    "retention:certificates": (NO_ARGS, hub_only()),
    "retention:certificate": (_certificate, hub_only()),
    "retention:archive": (NO_ARGS, hub_only()),
    "retention:archived_case": (_case, hub_only()),
    "retention:rules": (NO_ARGS, hub_only()),
    "retention:group_add": (lambda c: {"area_id": c.area_a.pk}, hub_only()),
    "retention:group_edit": (_group, hub_only()),
}
