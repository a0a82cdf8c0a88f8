"""A case's letters and each letter: the hub of the case's area only."""

from __future__ import annotations

from tests.letters_helpers import a_letter

from .common import Row, by_case

ROWS = {
    "letters:case": Row(by_case(lambda w, case: {"reference": case.reference})),
    "letters:new": Row(
        by_case(lambda w, case: {"reference": case.reference, "kind": "legal_aid"}),
        method="post",
        data={"recipient": "x"},
    ),
    "letters:pdf": Row(
        by_case(lambda w, case: {"public_id": a_letter(case, w.cast.coordinator).public_id})
    ),
}
