"""Permission-matrix rows for letter templates and letters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tests.letters_helpers import a_letter

from .common import NO_ARGS, hub_only

if TYPE_CHECKING:
    from tests.conftest import Cast


def _letter(cast: Cast) -> dict[str, Any]:
    return {"public_id": a_letter(cast.case_a, cast.coordinator).public_id}


ROWS = {
    "letters:templates": (NO_ARGS, hub_only()),
    "letters:template_edit": (lambda c: {"kind": "legal_aid"}, hub_only()),
    "letters:case": (lambda c: {"reference": c.case_a.reference}, hub_only()),
    "letters:new": (
        lambda c: {"reference": c.case_a.reference, "kind": "housing_support"},
        hub_only(),
    ),
    "letters:pdf": (_letter, hub_only()),
}
