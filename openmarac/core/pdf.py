"""Small PDF documents (agendas, minutes) with every page marked with who downloaded it and when.

A document is a title and a list of blocks: ``("h2", text)``, ``("p", text)`` or
``("table", rows)`` where ``rows`` is a list of lists of strings, the first being the header.
Text is escaped here; callers pass plain strings.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

Block = tuple[str, Any]


def _paragraph(text: str, style: Any) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def render_pdf(*, title: str, blocks: Sequence[Block], marking: str) -> bytes:
    """Render ``blocks`` under ``title``; ``marking`` is printed at the top and foot of every
    page (e.g. "Downloaded by jsmith on 3 March 2026 at 10:04. OFFICIAL-SENSITIVE")."""
    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="OpenMARAC",
        topMargin=22 * mm,
        bottomMargin=22 * mm,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
    )

    def mark(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica-Bold", 8)
        canvas.setFillColor(colors.HexColor("#d4351c"))
        _width, height = A4
        canvas.drawString(18 * mm, height - 12 * mm, marking)
        canvas.drawString(18 * mm, 10 * mm, f"{marking} Page {doc.page}")
        canvas.restoreState()

    story: list[Any] = [_paragraph(title, styles["Title"])]
    cell = styles["BodyText"]
    for kind, content in blocks:
        if kind == "h2":
            story.append(_paragraph(str(content), styles["Heading2"]))
        elif kind == "p":
            story.append(_paragraph(str(content), styles["BodyText"]))
        elif kind == "table":
            rows = [[_paragraph(str(value), cell) for value in row] for row in content]
            if not rows:
                continue
            table = Table(rows, repeatRows=1, hAlign="LEFT")
            table.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ]
                )
            )
            story.append(table)
        else:
            raise ValueError(f"unknown block kind {kind!r}")
        story.append(Spacer(1, 3 * mm))
    document.build(story, onFirstPage=mark, onLaterPages=mark)
    return buffer.getvalue()
