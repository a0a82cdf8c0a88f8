"""Writing tables as CSV and XLSX (XlsxWriter; ADR 0011). Numbers stay numbers; text that a
spreadsheet would read as a formula is written as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Sheet:
    title: str  # at most 31 characters, as Excel requires
    header: list[str]
    rows: Sequence[Sequence[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # lines above the table


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(sheets: list[Sheet]) -> bytes:
    """One CSV: each sheet's notes and table after the other, a blank line between."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for number, sheet in enumerate(sheets):
        if number:
            writer.writerow([])
        for note in sheet.notes:
            writer.writerow([_safe_text(note)])
        writer.writerow([_safe_text(cell) for cell in sheet.header])
        for row in sheet.rows:
            writer.writerow(["" if cell is None else _safe_text(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM tells Excel it is UTF-8


def to_xlsx(sheets: list[Sheet]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    for sheet in sheets:
        page = book.add_worksheet(sheet.title[:31])
        row = 0
        for note in sheet.notes:
            page.write_string(row, 0, note)
            row += 1
        for col, name in enumerate(sheet.header):
            page.write_string(row, col, name, bold)
        header_row = row
        for values in sheet.rows:
            row += 1
            for col, value in enumerate(values):
                if value is None or value == "":
                    continue
                if isinstance(value, bool):
                    page.write_string(row, col, "yes" if value else "no")
                elif isinstance(value, int | float):
                    page.write_number(row, col, value)
                else:
                    page.write_string(row, col, str(value))
        if sheet.rows:
            page.autofilter(header_row, 0, row, len(sheet.header) - 1)
        page.freeze_panes(header_row + 1, 0)
        widths = [len(name) for name in sheet.header]
        for values in sheet.rows:
            for col, value in enumerate(values[: len(widths)]):
                widths[col] = max(widths[col], len(str(value)) if value is not None else 0)
        for col, width in enumerate(widths):
            page.set_column(col, col, min(max(width + 2, 8), 60))
    book.close()
    return buffer.getvalue()


def render(sheets: list[Sheet], fmt: str) -> bytes:
    return to_xlsx(sheets) if fmt == "xlsx" else to_csv(sheets)
