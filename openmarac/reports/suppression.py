"""What of the exact counts may be shown: small numbers in breakdowns are not.

A count from 1 to one less than the partnership's threshold, in a breakdown of people or cases
(``Figure.kind == "breakdown"``), is shown as "fewer than N". Where the rest of its group and the
group's total would then give it away (it is the only one withheld), the smallest other count of
the group is withheld as well ("not shown"), or, when every other count is nought, those noughts.
A share is withheld with its numerator. Nothing else is ever withheld.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .figures import Figures, definition_of, figure_keys

SHOWN = "shown"
SMALL = "small"
WITHHELD = "withheld"
MISSING = "missing"


@dataclass(frozen=True)
class Cell:
    key: str
    label: str
    section: str
    kind: str
    value: Any  # the number when shown, else None
    text: str  # what a reader sees
    status: str

    @property
    def shown(self) -> bool:
        return self.status == SHOWN

    @property
    def export_value(self) -> Any:
        """A number for a spreadsheet or JSON when shown; the words otherwise."""
        return self.value if self.shown else self.text


def _text(kind: str, value: Any) -> str:
    if kind == "percent":
        return f"{value:.1f}%"
    if kind == "rate":
        return f"{value:,.1f}"
    return f"{value:,}"


def _label(key: str) -> str:
    figure = definition_of(key)
    if key.startswith("safelives_hearings_"):
        return "Hearings referred by SafeLives category: " + key.removeprefix(
            "safelives_hearings_"
        ).replace("_", " ")
    return figure.label if figure else key


def cells_for(figures: Figures, threshold: int) -> dict[str, Cell]:
    """Every figure present, as it may be shown, in the catalogue's order."""
    status: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    keys = figure_keys(figures)
    for key in keys:
        figure = definition_of(key)
        value = figures[key]
        if value is None:
            status[key] = MISSING
        elif figure.suppressible and 0 < value < threshold:
            status[key] = SMALL
        else:
            status[key] = SHOWN
        if figure.group:
            groups.setdefault(figure.group, []).append(key)
    for group_keys in groups.values():
        hidden = [key for key in group_keys if status[key] != SHOWN]
        if len(hidden) != 1:
            continue
        others = [key for key in group_keys if status[key] == SHOWN]
        nonzero = [key for key in others if figures[key]]
        if nonzero:
            status[min(nonzero, key=lambda key: (figures[key], key))] = WITHHELD
        else:
            for key in others:
                status[key] = WITHHELD
    for key in keys:
        figure = definition_of(key)
        if figure.kind == "percent" and status.get(figure.numerator, SHOWN) != SHOWN:
            status[key] = WITHHELD if status[key] != MISSING else MISSING
    cells = {}
    for key in keys:
        figure = definition_of(key)
        state = status[key]
        value = figures[key]
        text = {
            SHOWN: _text(figure.kind, value) if value is not None else "",
            SMALL: f"fewer than {threshold}",
            WITHHELD: "not shown",
            MISSING: "not available",
        }[state]
        cells[key] = Cell(
            key=key,
            label=_label(key),
            section=figure.section,
            kind=figure.kind,
            value=value if state == SHOWN else None,
            text=text,
            status=state,
        )
    return cells


def threshold_of(figures: Figures) -> int:
    settings = figures.settings
    return int(settings.suppression_threshold) if settings is not None else 5


def shown(figures: Figures) -> dict[str, Cell]:
    return cells_for(figures, threshold_of(figures))
