from __future__ import annotations

from typing import Any

from django import forms

from openmarac.cases.models import Case
from openmarac.core.forms import (
    GovukCheckboxes,
    GovukDateField,
    GovukEmailInput,
    GovukForm,
    GovukRadios,
    GovukTextarea,
    GovukTextInput,
    QueryForm,
)
from openmarac.partnerships.models import Area

from .models import LicenceKind, LicenceStatus


class LicenceListQuery(QueryForm):
    """``?status=`` narrows the hub's licence list; an unknown status shows every licence."""

    status = forms.ChoiceField(required=False, choices=[("", "All"), *LicenceStatus.choices])


def _areas(partnership_id: int) -> list[tuple[str, str]]:
    return [(str(a.pk), a.name) for a in Area.objects.filter(partnership_id=partnership_id)]


class LicenceRequestForm(GovukForm):
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        widget=GovukTextInput(),
        error_messages={"required": "Enter the holder's first name"},
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        widget=GovukTextInput(),
        error_messages={"required": "Enter the holder's last name"},
    )
    email = forms.EmailField(
        label="Work e-mail address",
        widget=GovukEmailInput(),
        help_text="It must be on one of the partnership's official domains.",
        error_messages={
            "required": "Enter the holder's work e-mail address",
            "invalid": "Enter an e-mail address like name@example.org",
        },
    )
    job_title = forms.CharField(
        label="Job title",
        max_length=200,
        widget=GovukTextInput(),
        error_messages={"required": "Enter the holder's job title"},
    )
    kind = forms.ChoiceField(
        label="Type of licence",
        choices=LicenceKind.choices,
        widget=GovukRadios(),
        error_messages={"required": "Select the type of licence"},
    )
    areas = forms.MultipleChoiceField(
        label="Area MARACs the licence covers",
        widget=GovukCheckboxes(),
        error_messages={"required": "Select at least one area MARAC"},
    )
    expires_on = GovukDateField(
        label="End date (by-invite licences only)",
        required=False,
        help_text="For example, 31 3 2027.",
    )
    delegate_name = forms.CharField(
        label="Delegate's name",
        max_length=200,
        widget=GovukTextInput(),
        error_messages={"required": "Enter the delegate's name"},
    )
    delegate_email = forms.EmailField(
        label="Delegate's e-mail address",
        widget=GovukEmailInput(),
        error_messages={
            "required": "Enter the delegate's e-mail address",
            "invalid": "Enter the delegate's e-mail address like name@example.org",
        },
    )
    escalation_name = forms.CharField(
        label="Senior escalation contact's name",
        max_length=200,
        widget=GovukTextInput(),
        error_messages={"required": "Enter the senior escalation contact's name"},
    )
    escalation_email = forms.EmailField(
        label="Senior escalation contact's e-mail address",
        widget=GovukEmailInput(),
        error_messages={
            "required": "Enter the senior escalation contact's e-mail address",
            "invalid": "Enter the escalation contact's e-mail address like name@example.org",
        },
    )

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = _areas(partnership_id)  # type: ignore[attr-defined]
        self.partnership_id = partnership_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == LicenceKind.BY_INVITE and not data.get("expires_on"):
            self.add_error("expires_on", "Enter the end date of a by-invite licence")
        return data

    def selected_areas(self) -> list[Area]:
        ids = [int(x) for x in self.cleaned_data["areas"]]
        return list(Area.objects.filter(partnership_id=self.partnership_id, pk__in=ids))


class LicenceMoveForm(GovukForm):
    areas = forms.MultipleChoiceField(
        label="Area MARACs the licence covers", widget=GovukCheckboxes(), required=False
    )
    case_references = forms.CharField(
        label="Cases it is invited to (by-invite licences)",
        required=False,
        widget=GovukTextarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Case references, one a line.",
    )
    expires_on = GovukDateField(label="End date (by-invite licences)", required=False)

    def __init__(self, *args: Any, partnership_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["areas"].choices = _areas(partnership_id)  # type: ignore[attr-defined]
        self.partnership_id = partnership_id

    def clean_case_references(self) -> list[Case]:
        refs = [r.strip() for r in self.cleaned_data["case_references"].splitlines() if r.strip()]
        cases = list(Case.objects.filter(partnership_id=self.partnership_id, reference__in=refs))
        unknown = sorted(set(refs) - {c.reference for c in cases})
        if unknown:
            raise forms.ValidationError(f"There is no case {unknown[0]}")
        return cases

    def selected_areas(self) -> list[Area]:
        ids = [int(x) for x in self.cleaned_data["areas"]]
        return list(Area.objects.filter(partnership_id=self.partnership_id, pk__in=ids))
