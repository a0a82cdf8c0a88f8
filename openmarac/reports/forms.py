"""The reports' query strings and the hub's reporting settings."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils import timezone

from openmarac.agencies.models import Sector
from openmarac.core.forms import (
    GovukForm,
    GovukNumberInput,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
    IsoDateField,
    QueryForm,
)
from openmarac.partnerships.models import Area

from . import periods
from .periods import Period

DATE_HINT = "Use the format YYYY-MM-DD, like 2026-03-27. Give both to report on a run of days."
ALL = "all"


def period_choices(today: datetime.date) -> list[tuple[str, str]]:
    quarters = periods.recent_quarters(today, 12)
    years = [periods.year(today.year - n) for n in range(0, 6)]
    return [
        *[(q.code, f"{q.code[-2:]} {q.code[:4]} ({q.label})") for q in quarters],
        *[(y.code, f"{y.code} (calendar year)") for y in years],
    ]


class ReportQuery(QueryForm):
    """``?area=`` (an area code, or ``all``), ``?period=`` (``2026Q3`` or ``2026``), and
    ``?from=``/``?to=`` for a run of days instead."""

    query_names = {"start": "from", "end": "to"}

    area = forms.ChoiceField(label="MARAC area", required=False, widget=GovukSelect())
    period = forms.ChoiceField(label="Period", required=False, widget=GovukSelect())
    start = IsoDateField(label="From (optional)", required=False, help_text=DATE_HINT)
    end = IsoDateField(label="To (optional)", required=False)

    def __init__(
        self, query: Any, *, areas: list[Area], default_period: Period, **kwargs: Any
    ) -> None:
        self.areas = {area.code: area for area in areas}
        kwargs.setdefault("initial", {"area": ALL, "period": default_period.code})
        super().__init__(query, **kwargs)
        area = self.fields["area"]
        period = self.fields["period"]
        assert isinstance(area, forms.ChoiceField)
        assert isinstance(period, forms.ChoiceField)
        area.choices = [(ALL, "All areas"), *[(a.code, a.name) for a in areas]]
        period.choices = period_choices(timezone.localdate())

    def query_string(self) -> str:
        """This form's keys as given (defaults filled in), for links that keep the choice."""
        keys = [self.add_prefix(name) for name in self.fields]
        return urlencode({key: self.data[key] for key in keys if self.data.get(key)})

    def chosen_area(self) -> Area | None:
        return self.areas.get(str(self.value("area") or ""))

    def chosen_period(self) -> Period:
        start, end = self.value("start"), self.value("end")
        if start and end and not self.errors.get("start") and not self.errors.get("end"):
            return periods.days(start, end)
        found = periods.parse(str(self.value("period") or ""))
        assert found is not None
        return found


class ExportQuery(ReportQuery):
    """The exports take the same area and period."""


class ReportingSettingsForm(GovukForm):
    suppression_threshold = forms.IntegerField(
        label="Suppression threshold",
        min_value=2,
        max_value=50,
        help_text='Counts from 1 to one less than this are shown as "fewer than" it.',
        widget=GovukNumberInput({"class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "required": "Enter the suppression threshold",
            "invalid": "The suppression threshold must be a whole number, like 5",
            "min_value": "The suppression threshold must be 2 or more",
            "max_value": "The suppression threshold must be 50 or fewer",
        },
    )
    freeze_after_days = forms.IntegerField(
        label="Days after a period ends before its figures are frozen",
        min_value=1,
        max_value=365,
        widget=GovukNumberInput({"class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "required": "Enter the days before figures are frozen",
            "invalid": "Days must be a whole number, like 42",
            "min_value": "Days must be 1 or more",
            "max_value": "Days must be 365 or fewer",
        },
    )
    timeliness_target_percent = forms.IntegerField(
        label="Timeliness target (percentage on time)",
        min_value=1,
        max_value=100,
        widget=GovukNumberInput({"class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "required": "Enter the timeliness target",
            "invalid": "The target must be a whole number, like 90",
            "min_value": "The target must be 1 or more",
            "max_value": "The target must be 100 or less",
        },
    )
    safelives_form_version = forms.CharField(
        label="Version of the SafeLives form",
        max_length=40,
        widget=GovukTextInput(),
        error_messages={"required": "Enter the version of the SafeLives form"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for sector, label in Sector.choices:
            self.fields[f"category_{sector}"] = forms.CharField(
                label=f"SafeLives category for {label}",
                max_length=60,
                widget=GovukTextInput({"class": "govuk-input govuk-input--width-20"}),
                error_messages={"required": f"Enter the SafeLives category for {label}"},
            )

    def categories(self) -> dict[str, str]:
        return {
            sector: str(self.cleaned_data[f"category_{sector}"]).strip() for sector in Sector.values
        }


class PopulationForm(GovukForm):
    women_16_plus = forms.IntegerField(
        label="Women aged 16 and over",
        required=False,
        min_value=1,
        max_value=10_000_000,
        widget=GovukNumberInput({"class": "govuk-input govuk-input--width-10"}),
        error_messages={
            "invalid": "The number of women must be a whole number, like 120000",
            "min_value": "The number of women must be 1 or more",
            "max_value": "The number of women must be 10,000,000 or fewer",
        },
    )
    minoritised_percent = forms.DecimalField(
        label="Black, Asian and racially minoritised (% of people aged 16+)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        widget=GovukNumberInput({"class": "govuk-input govuk-input--width-4"}),
    )
    disabled_percent = forms.DecimalField(
        label="Disabled (%)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        widget=GovukNumberInput({"class": "govuk-input govuk-input--width-4"}),
    )
    lgbt_percent = forms.DecimalField(
        label="LGBT+ (%)",
        required=False,
        min_value=0,
        max_value=100,
        decimal_places=1,
        widget=GovukNumberInput({"class": "govuk-input govuk-input--width-4"}),
    )
    source = forms.CharField(
        label="Source of these numbers",
        max_length=1000,
        help_text="For example, the census tables and year they come from.",
        widget=GovukTextarea({"rows": "3"}),
        error_messages={"required": "Enter where the numbers come from"},
    )
