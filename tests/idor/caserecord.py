"""The case record's PDF: anyone who may not open the case gets a 404, as for the page."""

from __future__ import annotations

from .common import Row, by_case

ROWS = {
    "caserecord:pdf": Row(by_case(lambda w, case: {"reference": case.reference})),
}
