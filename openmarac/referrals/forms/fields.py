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


def _required_message(label: str, required: bool, error: str) -> dict[str, str]:
    """Every question that must be answered has an error message of its own, written for the
    person answering it (GOV.UK style: "Enter ...", "Select yes if ..."). Messages are never
    built from the question's wording: a question reads badly as an instruction."""
    if required and not error:
        raise TypeError(f"The question {label!r} must be answered: give it its own error message")
    return {"required": error} if error else {}


def text(
    label: str,
    *,
    required: bool = True,
    help_text: str = "",
    width: str = "",
    error: str = "",
) -> forms.CharField:
    attrs = {"class": f"govuk-input {width}".strip()} if width else None
    return forms.CharField(
        label=label,
        required=required,
        max_length=200,
        help_text=help_text,
        widget=GovukTextInput(attrs),
        error_messages=_required_message(label, required, error),
    )


def long_text(
    label: str, *, required: bool = False, help_text: str = "", error: str = ""
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        help_text=help_text,
        widget=GovukTextarea(),
        error_messages=_required_message(label, required, error),
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
        error_messages=_required_message(label, required, error),
    )


def count(label: str, *, error: str, noun: str, help_text: str = "") -> forms.IntegerField:
    """A number of things, 0 to 999. ``error`` asks for it when it is missing; ``noun`` names
    it in the other errors ("The number of crimes must be 0 or more")."""
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=999,
        help_text=help_text,
        widget=GovukNumberInput(),
        error_messages={
            "required": error,
            "invalid": f"{noun} must be a whole number, like 3",
            "min_value": f"{noun} must be 0 or more",
            "max_value": f"{noun} must be 999 or fewer",
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
