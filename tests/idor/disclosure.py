"""Subject access requests (the partnership's hub only) and court orders (cases in scope; the
chair asked answers)."""

from __future__ import annotations

from typing import Any

from tests.disclosure_helpers import an_item, gathered_sar, order_on

from .common import Row, World, by_area, by_case, partnership_wide


def _sar(world: World) -> Any:
    return gathered_sar(world.cast.case_a, world.cast.coordinator)


SAR = partnership_wide(lambda w: {"public_id": _sar(w).public_id})
SAR_ITEM = partnership_wide(lambda w: {"public_id": _sar(w).public_id, "item_id": an_item(_sar(w))})


def _order(world: World, case: Any) -> Any:
    return order_on(case, world.cast.coordinator, world.cast.chair)


def _west(world: World) -> Any:
    return _order(world, world.west_case)


ORDER = by_area(
    lambda w: {"public_id": _order(w, w.ordinary_case).public_id},
    lambda w: {"public_id": _west(w).public_id},
)
ORDER_ITEM = by_area(
    lambda w: {
        "public_id": _order(w, w.ordinary_case).public_id,
        "item_id": an_item(_order(w, w.ordinary_case)),
    },
    lambda w: {"public_id": _west(w).public_id, "item_id": an_item(_west(w))},
)

ROWS = {
    "disclosure:sar": Row(SAR),
    "disclosure:sar_identity": Row(SAR, method="post"),
    "disclosure:sar_extend": Row(SAR, method="post"),
    "disclosure:sar_subject": Row(SAR),
    "disclosure:sar_item": Row(SAR_ITEM),
    "disclosure:sar_pack": Row(SAR),
    "disclosure:sar_complete": Row(SAR, method="post"),
    "disclosure:court": Row(ORDER),
    "disclosure:court_proceed": Row(ORDER, method="post"),
    "disclosure:court_item": Row(ORDER_ITEM),
    "disclosure:court_bundle": Row(ORDER),
    # The chair of the order is the cast's chair: every attacker is someone else.
    "disclosure:court_respond": Row(
        by_case(lambda w, case: {"public_id": _order(w, case).public_id})
    ),
}
