"""What the dashboard and the steering group's report show: each chart with the table of the
same numbers, built from the figures (and two small trend queries) with small numbers withheld
exactly as in the tables."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth

from openmarac.agencies.models import Sector

from . import charts, counting, periods
from .catalogue import SECTIONS, TABLES
from .counting import Scope
from .documents import TABLE_HEADERS
from .figures import Figures
from .models import HearingFact, ReferralFact
from .suppression import Cell

TIMELINESS = [
    ("Triage", "triage_on_time", "triage_decided"),
    ("Research", "research_on_time", "research_requested"),
    ("Agendas", "agendas_on_time", "meetings_held"),
    ("Minutes", "minutes_on_time", "minutes_due"),
    ("Actions sent", "actions_sent_on_time", "minutes_due"),
]


@dataclass
class Table:
    caption: str
    header: list[str]
    rows: list[list[str]]


@dataclass
class Panel:
    """A chart and the table of its numbers."""

    heading: str
    chart: charts.Chart | None
    table: Table
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    cells: list[Cell] = field(default_factory=list)


def sections(cells: dict[str, Cell], wanted: list[str] | None = None) -> list[Section]:
    found = []
    for key, title in SECTIONS:
        if wanted is not None and key not in wanted:
            continue
        section = Section(
            key=key, title=title, cells=[c for c in cells.values() if c.section == key]
        )
        if section.cells:
            found.append(section)
    return found


def suppress_grid(grid: list[list[int]], threshold: int) -> list[list[str | None]]:
    """Withhold small counts of a table of counts: a count from 1 to ``threshold - 1`` is
    "fewer than N"; a row or column left with one withheld count loses its smallest other
    non-zero count too ("not shown"), so that no withheld count follows from the totals."""
    status = [["small" if 0 < n < threshold else "" for n in row] for row in grid]
    for _round in range(3):
        changed = False
        lines = [[(r, c) for c in range(len(grid[r]))] for r in range(len(grid))]
        if grid:
            lines += [[(r, c) for r in range(len(grid))] for c in range(len(grid[0]))]
        for line in lines:
            hidden = [(r, c) for r, c in line if status[r][c]]
            if len(hidden) != 1:
                continue
            candidates = [(grid[r][c], r, c) for r, c in line if not status[r][c] and grid[r][c]]
            if candidates:
                _n, r, c = min(candidates)
                status[r][c] = "withheld"
                changed = True
        if not changed:
            break
    return [
        [{"small": f"fewer than {threshold}", "withheld": "not shown"}.get(state) for state in row]
        for row in status
    ]


def _shown_number(grid: list[list[int]], texts: list[list[str | None]]) -> list[list[Any]]:
    return [
        [None if text else n for n, text in zip(row, text_row, strict=True)]
        for row, text_row in zip(grid, texts, strict=True)
    ]


def referrals_by_month(scope: Scope, threshold: int) -> Panel:
    months = periods.months_of(scope.period)
    facts = ReferralFact.objects.filter(
        partnership_id=scope.partnership_id,
        received_on__gte=scope.period.start,
        received_on__lte=scope.period.end,
    )
    if not scope.all_areas:
        facts = facts.filter(area_id__in=scope.area_ids)
    counts: dict[tuple[Any, str], int] = {}
    for row in (
        facts.annotate(month=TruncMonth("received_on"))
        .values("month", "sector")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(row["month"], row["sector"])] = row["n"]
    used = [s for s in Sector.values if any(counts.get((m, s)) for m in months)]
    labels = dict(Sector.choices)
    grid = [[counts.get((month, sector), 0) for month in months] for sector in used]
    texts = suppress_grid(grid, threshold)
    numbers = _shown_number(grid, texts)
    month_labels = [f"{month:%b %Y}" for month in months]
    chart = (
        charts.bars(
            "Referrals received per month by sector",
            month_labels,
            [(labels[sector], numbers[i]) for i, sector in enumerate(used)],
            alt="Bar chart of referrals received each month, stacked by referring sector. The "
            "table beside it gives the same numbers.",
            stacked=True,
        )
        if used
        else None
    )
    rows = [
        [labels[sector], *[texts[i][j] or f"{grid[i][j]:,}" for j in range(len(months))]]
        for i, sector in enumerate(used)
    ]
    return Panel(
        heading="Referrals per month by sector",
        chart=chart,
        table=Table("Referrals received per month by sector", ["Sector", *month_labels], rows),
        note="" if used else "No referrals were received in the period.",
    )


def repeat_rate_trend(scope: Scope) -> Panel:
    quarters = periods.quarters_ending(scope.period, 8)
    rows_found = HearingFact.objects.filter(
        partnership_id=scope.partnership_id,
        heard_on__gte=quarters[0].start,
        heard_on__lte=quarters[-1].end,
    )
    if not scope.all_areas:
        rows_found = rows_found.filter(area_id__in=scope.area_ids)
    by_quarter: dict[str, tuple[int, int]] = {}
    for row in rows_found.values("heard_on", "is_repeat").annotate(n=Count("pk")).order_by():
        code = periods.quarter_of(row["heard_on"]).code
        hearings, repeats = by_quarter.get(code, (0, 0))
        by_quarter[code] = (hearings + row["n"], repeats + (row["n"] if row["is_repeat"] else 0))
    labels, rates, rows = [], [], []
    for quarter in quarters:
        hearings, repeats = by_quarter.get(quarter.code, (0, 0))
        rate = round(100 * repeats / hearings, 1) if hearings else None
        labels.append(f"{quarter.code[-2:]} {quarter.code[:4]}")
        rates.append(rate)
        rows.append(
            [
                labels[-1],
                f"{hearings:,}",
                f"{repeats:,}",
                f"{rate:.1f}%" if rate is not None else "no hearings",
            ]
        )
    chart = charts.line(
        "Repeat rate by quarter",
        labels,
        [("Repeat rate", rates)],
        alt="Line chart of the repeat rate (repeat hearings as a share of hearings) over the "
        "last eight quarters. The table beside it gives the same numbers.",
        percent=True,
    )
    return Panel(
        heading="Repeat rate over time",
        chart=chart,
        table=Table(
            "Repeat rate by quarter", ["Quarter", "Hearings", "Repeats", "Repeat rate"], rows
        ),
    )


def timeliness(figures: Figures, target: int) -> Panel:
    labels, shares, rows = [], [], []
    for label, done, due in TIMELINESS:
        on_time, total = figures[done], figures[due]
        share = round(100 * on_time / total, 1) if total else None
        labels.append(label)
        shares.append(share)
        rows.append(
            [
                label,
                f"{on_time or 0:,}",
                f"{total or 0:,}",
                f"{share:.1f}%" if share is not None else "none due",
            ]
        )
    chart = charts.bars(
        "Done on time, against the target",
        labels,
        [("On time", shares), ("Target", [float(target)] * len(labels))],
        alt=f"Bar chart of the share of each step done on time, beside the target of {target}%. "
        "The table beside it gives the same numbers.",
        percent=True,
    )
    return Panel(
        heading="Timeliness against target",
        chart=chart,
        table=Table("Done on time", ["Step", "On time", "Due", "Share on time"], rows),
        note=f"The steering group's target: {target}% on time.",
    )


def equality(figures: Figures, cells: dict[str, Cell]) -> Panel | None:
    if figures.scope.meeting_id:
        return None
    population = counting.population_shares(figures.scope)
    measures = [
        (
            "Black, Asian and racially minoritised",
            "victims_minoritised_percent",
            "minoritised_percent",
        ),
        ("Disabled", "victims_disabled_percent", "disabled_percent"),
        ("LGBT+", "victims_lgbt_percent", "lgbt_percent"),
    ]
    labels, victims, local, rows = [], [], [], []
    for label, key, pop in measures:
        cell = cells.get(key)
        labels.append(label)
        victims.append(cell.value if cell and cell.shown else None)
        local.append(population[pop])
        rows.append(
            [
                label,
                cell.text if cell else "not available",
                f"{population[pop]:.1f}%" if population[pop] is not None else "not set",
            ]
        )
    chart = charts.bars(
        "Victims of the cases heard against the local population",
        labels,
        [("Victims", victims), ("Local population", local)],
        alt="Bar chart comparing the share of victims in each group with the share of the "
        "local population. The table beside it gives the same numbers.",
        percent=True,
    )
    return Panel(
        heading="Equality against the local population",
        chart=chart,
        table=Table(
            "Share of victims and of the population", ["Group", "Victims", "Population"], rows
        ),
        note=""
        if all(v is not None for v in local)
        else "Set each area's population in the reporting settings to compare.",
    )


def agency_tables(figures: Figures) -> list[Table]:
    found = []
    for key, title, _rule in TABLES:
        rows = [
            row
            for row in figures.tables.get(key, [])
            if any(value for name, value in row.items() if name != "agency")
        ]
        if not rows and key not in figures.tables:
            continue
        columns = TABLE_HEADERS[key]
        found.append(
            Table(
                title,
                [label for _name, label in columns],
                [
                    [
                        str(row[name]) if name == "agency" else f"{row[name]:,}"
                        for name, _l in columns
                    ]
                    for row in rows
                ],
            )
        )
    return found


def panels(figures: Figures, cells: dict[str, Cell], threshold: int, target: int) -> list[Panel]:
    found = [
        referrals_by_month(figures.scope, threshold),
        repeat_rate_trend(figures.scope),
        timeliness(figures, target),
    ]
    equal = equality(figures, cells)
    if equal is not None:
        found.append(equal)
    return found
