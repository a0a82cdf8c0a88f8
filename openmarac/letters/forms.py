"""Editing a letter template, and writing a letter."""

from __future__ import annotations

from typing import Any

from django import forms

from openmarac.agencies.models import Agency
from openmarac.core.forms import GovukForm, GovukSelect, GovukTextarea


class TemplateForm(GovukForm):
    body = forms.CharField(
        label="Letter text",
        max_length=10000,
        widget=GovukTextarea({"rows": 20}),
        error_messages={"required": "Enter the letter text"},
    )


class LegalAidForm(GovukForm):
    recipient = forms.CharField(
        label="Safe contact details: who the letter is sent to, and where",
        help_text="As the request gives them, for example the victim's solicitor",
        max_length=1000,
        widget=GovukTextarea({"rows": 5}),
        error_messages={"required": "Enter who the letter is sent to, and where"},
    )


class HousingForm(GovukForm):
    recipient = forms.CharField(
        label="Who at the agency the letter is for, and their address",
        max_length=1000,
        widget=GovukTextarea({"rows": 5}),
        error_messages={"required": "Enter who at the agency the letter is for"},
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {str(a.pk): a for a in agencies}
        self.fields["agency"] = forms.ChoiceField(
            label="Agency the letter goes to (never the victim)",
            choices=[("", "Choose an agency"), *[(pk, a.name) for pk, a in self.agencies.items()]],
            widget=GovukSelect(),
            error_messages={"required": "Choose the agency the letter goes to"},
        )
        self.order_fields(["agency", "recipient"])

    @property
    def agency(self) -> Agency:
        return self.agencies[self.cleaned_data["agency"]]
