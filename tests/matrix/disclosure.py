"""Permission-matrix rows for subject access requests and court orders."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.disclosure_helpers import an_item, gathered_sar, order_on

from .common import NO_ARGS, SIGN_IN, everyone, hub_only

if TYPE_CHECKING:
    from tests.conftest import Cast

HUB_POST_ONLY = {**hub_only(), "coordinator": 405}


def _sar(cast: Cast) -> dict[str, Any]:
    return {"public_id": gathered_sar(cast.case_a, cast.coordinator).public_id}


def _sar_item(cast: Cast) -> dict[str, Any]:
    sar = gathered_sar(cast.case_a, cast.coordinator)
    return {"public_id": sar.public_id, "item_id": an_item(sar)}


def _order(cast: Cast) -> dict[str, Any]:
    return {"public_id": order_on(cast.case_a, cast.coordinator, cast.chair).public_id}


def _order_item(cast: Cast) -> dict[str, Any]:
    order = order_on(cast.case_a, cast.coordinator, cast.chair)
    return {"public_id": order.public_id, "item_id": an_item(order)}


CHAIR_ONLY = {**everyone(404), "chair": 200, "revoked": SIGN_IN, "anonymous": SIGN_IN}

ROWS = {
    "disclosure:sar_list": (NO_ARGS, hub_only()),
    "disclosure:sar_new": (NO_ARGS, hub_only()),
    "disclosure:sar": (_sar, hub_only()),
    "disclosure:sar_identity": (_sar, HUB_POST_ONLY),
    "disclosure:sar_extend": (_sar, HUB_POST_ONLY),
    "disclosure:sar_subject": (_sar, hub_only()),
    "disclosure:sar_item": (_sar_item, hub_only()),
    "disclosure:sar_pack": (_sar, hub_only()),
    "disclosure:sar_complete": (_sar, HUB_POST_ONLY),
    "disclosure:court_list": (NO_ARGS, hub_only()),
    "disclosure:court_new": (NO_ARGS, hub_only()),
    "disclosure:court": (_order, hub_only()),
    "disclosure:court_proceed": (_order, HUB_POST_ONLY),
    "disclosure:court_item": (_order_item, hub_only()),
    "disclosure:court_bundle": (_order, hub_only()),
    # Only the chair asked answers; the hub records and discloses.
    "disclosure:court_respond": (_order, CHAIR_ONLY),
}
