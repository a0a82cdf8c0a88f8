"""The reviewer's decisions on a case, the archive search and an area's retention groups."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from openmarac.core.forms import (
    GovukDateField,
    GovukForm,
    GovukNumberInput,
    GovukRadios,
    GovukTextarea,
    GovukTextInput,
    QueryForm,
    QueryTextField,
    yes_no_choices,
)
from openmarac.partnerships.models import RetentionEvent, RetentionGroup

from .models import ReasonCategory

KEEP_REASONS = [
    (value, label) for value, label in ReasonCategory.choices if value != "period_ended"
]
HOLD_REASONS = [
    (value, label)
    for value, label in ReasonCategory.choices
    if value not in ("period_ended", "still_needed")
]


def _tomorrow() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=1)


def _detail(label: str, *, required: bool) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=2000,
        widget=GovukTextarea({"rows": 3}),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


class ExtendForm(GovukForm):
    prefix = "extend"
    until = GovukDateField(
        label="Date of the next review",
        earliest=_tomorrow,
        help_text="For example, 27 3 2030",
    )
    reason = forms.ChoiceField(
        label="Why the case is kept",
        choices=KEEP_REASONS,
        widget=GovukRadios(),
        error_messages={"required": "Choose why the case is kept"},
    )
    detail = _detail("Notes (no names)", required=False)


class HoldForm(GovukForm):
    prefix = "hold"
    reason = forms.ChoiceField(
        label="Why the case is held",
        choices=HOLD_REASONS,
        widget=GovukRadios(),
        error_messages={"required": "Choose why the case is held"},
    )
    detail = _detail("What the hold is for (no names)", required=True)


class LiftForm(GovukForm):
    prefix = "lift"
    detail = _detail("Why the hold can be lifted", required=True)


class GroupForm(GovukForm):
    prefix = "group"
    detail = _detail("Why the case belongs in that group", required=True)

    def __init__(self, *args: Any, groups: list[RetentionGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group_code"] = forms.ChoiceField(
            label="Retention group",
            choices=[(g.code, f"{g.label}: {g.summary}") for g in groups],
            widget=GovukRadios(),
            error_messages={"required": "Choose a retention group"},
        )
        self.order_fields(["group_code", "detail"])


class RecommendForm(GovukForm):
    prefix = "recommend"
    detail = _detail("Notes for the second person (no names)", required=False)


class RejectForm(GovukForm):
    prefix = "reject"
    detail = _detail("Why the case should not be disposed of", required=True)


class ArchiveQuery(QueryForm):
    q = QueryTextField(
        label="Case reference, or a person's first name and surname",
        max_length=100,
        widget=GovukTextInput(
            {"class": "govuk-input govuk-input--width-20", "spellcheck": "false"}
        ),
    )


class QueueQuery(QueryForm):
    show = forms.ChoiceField(
        required=False,
        initial="due",
        choices=[
            ("due", "due"),
            ("recommended", "recommended"),
            ("held", "held"),
            ("scheduled", "scheduled"),
        ],
        widget=forms.HiddenInput(),
    )
    page = forms.IntegerField(
        required=False, initial=1, min_value=1, max_value=100_000, widget=forms.HiddenInput()
    )


def _years(label: str, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1,
        max_value=150,
        widget=GovukNumberInput(),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}",
            "invalid": f"{label} must be a whole number",
            "min_value": f"{label} must be 1 or more",
            "max_value": f"{label} must be 150 or less",
        },
    )


class RetentionGroupForm(GovukForm):
    code = forms.CharField(
        label="Short name",
        max_length=20,
        help_text='For example, "1" or "standard"',
        widget=GovukTextInput({"class": "govuk-input govuk-input--width-10"}),
        error_messages={"required": "Enter a short name"},
    )
    label = forms.CharField(
        label="What the group is for",
        max_length=200,
        widget=GovukTextInput(),
        error_messages={"required": "Enter what the group is for"},
    )
    runs_from = forms.ChoiceField(
        label="The period runs from",
        choices=RetentionEvent.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose what the period runs from"},
    )
    years_adult = _years("Years kept (or age reached, from a date of birth)")
    years_child = _years("Years kept when the case involves children")
    review_every_years = _years(
        "Review every this many years (leave blank for none)", required=False
    )
    is_default = forms.ChoiceField(
        label="New cases start in this group",
        choices=yes_no_choices(),
        widget=GovukRadios(),
        error_messages={"required": "Say whether new cases start in this group"},
    )

    def __init__(self, *args: Any, group: RetentionGroup | None = None, **kwargs: Any) -> None:
        if group is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": group.code,
                "label": group.label,
                "runs_from": group.runs_from,
                "years_adult": group.years_adult,
                "years_child": group.years_child,
                "review_every_years": group.review_every_years,
                "is_default": "yes" if group.is_default else "no",
            }
        super().__init__(*args, **kwargs)

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "code": data["code"].strip(),
            "label": data["label"].strip(),
            "runs_from": data["runs_from"],
            "years_adult": data["years_adult"],
            "years_child": data["years_child"],
            "review_every_years": data["review_every_years"],
            "is_default": data["is_default"] == "yes",
        }
