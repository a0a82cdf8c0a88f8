"""Forms for asking for, deciding and acting on an emergency MARAC."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from openmarac.agencies.models import Agency
from openmarac.core.forms import (
    GovukDateField,
    GovukForm,
    GovukRadios,
    GovukTextarea,
    GovukTimeField,
)


class EmergencyRequestForm(GovukForm):
    reason = forms.CharField(
        label="Why can the case not wait for the next meeting?",
        max_length=5000,
        widget=GovukTextarea(),
        help_text="Say what makes the risk of serious harm imminent.",
        error_messages={"required": "Enter why the case cannot wait for the next meeting"},
    )


class EmergencyDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Do you approve an emergency MARAC?",
        choices=[("approve", "Yes, hold an emergency MARAC"), ("refuse", "No, refuse it")],
        widget=GovukRadios(),
        error_messages={"required": "Select whether you approve an emergency MARAC"},
    )
    starts_on = GovukDateField(
        label="Date of the emergency MARAC",
        required=False,
        earliest=timezone.localdate,
        help_text="For example, 27 3 2027",
    )
    start_time = GovukTimeField(label="Start time", required=False, help_text="For example, 14:30")
    note = forms.CharField(
        label="Your reasons",
        max_length=5000,
        required=False,
        widget=GovukTextarea(),
        help_text="Required when you refuse: the hub and the referrer are told why.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "approve":
            if not cleaned.get("starts_on") and "starts_on" not in self.errors:
                self.add_error("starts_on", "Enter the date of the emergency MARAC")
            if not cleaned.get("start_time") and "start_time" not in self.errors:
                self.add_error("start_time", "Enter the start time of the emergency MARAC")
        if cleaned.get("decision") == "refuse" and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Enter why the emergency MARAC is refused")
        return cleaned


class UrgentActionForm(GovukForm):
    owner_agency = forms.ChoiceField(
        label="Which agency will carry out the action?",
        widget=GovukRadios(),
        error_messages={"required": "Select the agency that will carry out the action"},
    )
    what = forms.CharField(
        label="What is to be done",
        max_length=5000,
        widget=GovukTextarea(),
        error_messages={"required": "Enter what is to be done"},
    )
    rationale = forms.CharField(
        label="Rationale",
        max_length=5000,
        widget=GovukTextarea(),
        error_messages={"required": "Enter the rationale for the action"},
    )
    due_on = GovukDateField(
        label="Due date",
        earliest=timezone.localdate,
        help_text="Urgent actions are carried out at once: usually today.",
        error_messages={"required": "Enter the due date"},
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.agencies = {str(a.pk): a for a in agencies}
        cast("forms.ChoiceField", self.fields["owner_agency"]).choices = [
            (key, agency.name) for key, agency in self.agencies.items()
        ]

    def agency(self) -> Agency:
        return self.agencies[self.cleaned_data["owner_agency"]]
