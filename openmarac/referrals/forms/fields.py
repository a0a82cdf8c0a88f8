"""The fields the referral's questions are built from, with their error messages, and the base
form of every section (its cleaned data is stored encrypted as-is)."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from openmarac.core.forms import (
    GovukForm,
    GovukInlineRadios,
    GovukNumberInput,
    GovukRadios,
    GovukTextarea,
    GovukTextInput,
    PartialDateField,
)
from openmarac.people.models import Gender


def text(
    label: str, *, required: bool = True, help_text: str = "", width: str = ""
) -> forms.CharField:
    attrs = {"class": f"govuk-input {width}".strip()} if width else None
    return forms.CharField(
        label=label,
        required=required,
        max_length=200,
        help_text=help_text,
        widget=GovukTextInput(attrs),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def long_text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        help_text=help_text,
        widget=GovukTextarea(),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def radios(
    label: str,
    choices: list[tuple[str, str]],
    *,
    required: bool = True,
    inline: bool = False,
    help_text: str = "",
    error: str = "",
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=GovukInlineRadios() if inline else GovukRadios(),
        error_messages={"required": error or f"Select {label[0].lower()}{label[1:].rstrip('?')}"},
    )


def count(label: str, *, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=999,
        help_text=help_text,
        widget=GovukNumberInput(),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}, or 0",
            "invalid": f"{label} must be a whole number, like 3",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be 999 or fewer",
        },
    )


def date_of_birth(label: str = "Date of birth", *, required: bool = False) -> PartialDateField:
    return PartialDateField(
        label=label,
        required=required,
        help_text="For example, 27 3 1987. If you only know the year, enter the year alone.",
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def lines_to_list(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()][:20]


GENDER_CHOICES = [(value, label) for value, label in Gender.choices]


class ReferralSectionForm(GovukForm):
    """A section of the referral. ``context`` carries the partnership and area policy."""

    def _choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def __init__(self, *args: Any, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.context = context or {}
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = value.replace("\x00", "").strip()
        return cleaned
