"""The figures for a scope: frozen ones where the period was frozen, else counted now.

``figures_for(scope)`` is the one entry point the pages, the downloads, the command and the
freezing sweep use. The counts are exact; ``suppression.py`` decides what may be shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from . import counting
from .catalogue import BY_KEY, FIGURES
from .counting import Scope
from .facts import facts_kept_current_by_sweep, facts_refresh
from .models import FrozenFigures, ReportingSettings

REFRESH_BEFORE = datetime.timedelta(days=92)


@dataclass
class Figures:
    scope: Scope
    values: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    frozen_at: Any = None
    settings: ReportingSettings | None = None

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


def reporting_settings(partnership_id: int) -> ReportingSettings:
    found, _created = ReportingSettings.objects.get_or_create(partnership_id=partnership_id)
    return found


def _percent(numerator: Any, denominator: Any) -> float | None:
    if not denominator or numerator is None:
        return None
    return round(100 * numerator / denominator, 1)


def derive(values: dict[str, Any], scope: Scope) -> None:
    """Add the shares and rates worked out from the counts."""
    for figure in FIGURES:
        if figure.kind == "percent" and figure.numerator in values:
            values[figure.key] = _percent(
                values.get(figure.numerator), values.get(figure.denominator)
            )
    women = counting.women_16_plus(scope) if not scope.meeting_id else None
    hearings = values.get("hearings")
    values["cases_per_10000_women"] = (
        round(hearings * 365.25 / scope.period.days / women * 10_000, 1)
        if women and hearings is not None
        else None
    )


def count_now(scope: Scope, settings: ReportingSettings) -> Figures:
    values: dict[str, Any] = {}
    tables: dict[str, list[dict[str, Any]]] = {}
    values.update(counting.case_counts(scope, settings))
    if not scope.meeting_id:
        values.update(counting.referral_counts(scope))
        found, table = counting.action_counts(scope)
        values.update(found)
        tables.update(table)
        found, table = counting.research_counts(scope)
        values.update(found)
        tables.update(table)
    found, table = counting.meeting_counts(scope)
    values.update(found)
    tables.update(table)
    derive(values, scope)
    return Figures(scope=scope, values=values, tables=tables, settings=settings)


def figures_for(scope: Scope, *, refresh: bool = True) -> Figures:
    """The figures of ``scope``: as frozen, if they were, else counted from the facts now."""
    settings = reporting_settings(scope.partnership_id)
    frozen = FrozenFigures.objects.filter(scope_key=scope.key).first()
    if frozen is not None:
        values = dict(frozen.figures)
        derive(values, scope)  # populations may have been set since; counts never change
        return Figures(
            scope=scope,
            values=values,
            tables=dict(frozen.tables),
            frozen_at=frozen.frozen_at,
            settings=settings,
        )
    if refresh and not facts_kept_current_by_sweep():
        # What this scope counts: its period, and the referrals decided in it that arrived up
        # to a quarter earlier. The sweep keeps every other fact current within the minute.
        facts_refresh(since=scope.period.start - REFRESH_BEFORE, until=scope.period.end)
    return count_now(scope, settings)


def figure_keys(figures: Figures) -> list[str]:
    """The keys present, in the catalogue's order (the SafeLives categories in their place)."""
    keys: list[str] = []
    for figure in FIGURES:
        if figure.key == "safelives_hearings_<category>":
            keys += sorted(k for k in figures.values if k.startswith("safelives_hearings_"))
        elif figure.key in figures.values:
            keys.append(figure.key)
    return keys


def definition_of(key: str) -> Any:
    if key.startswith("safelives_hearings_"):
        return BY_KEY["safelives_hearings_<category>"]
    return BY_KEY.get(key)
