"""Recording an attempt to contact the victim."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from openmarac.core.forms import (
    GovukDateField,
    GovukForm,
    GovukRadios,
    GovukTextarea,
    GovukTimeField,
)

from .models import ContactMethod, ContactOutcome


class AttemptForm(GovukForm):
    on = GovukDateField(
        label="Date of the attempt",
        latest=timezone.localdate,
        help_text="For example, 23 11 2026",
        error_messages={"required": "Enter the date of the attempt"},
    )
    at = GovukTimeField(
        label="Time of the attempt",
        help_text="For example, 14:30",
        error_messages={"required": "Enter the time of the attempt"},
    )
    method = forms.ChoiceField(
        label="How was contact attempted?",
        choices=ContactMethod.choices,
        widget=GovukRadios(),
        error_messages={"required": "Select how contact was attempted"},
    )
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=[("", "No outcome yet: further attempts to follow"), *ContactOutcome.choices],
        required=False,
        widget=GovukRadios(),
    )
    presents_view = forms.CharField(
        label="Who presents the victim's view at the meeting?",
        max_length=200,
        required=False,
        help_text="For example, the IDVA, or the referring agency where the IDVA is not engaged.",
    )
    note = forms.CharField(
        label="Note",
        max_length=5000,
        required=False,
        widget=GovukTextarea(),
        help_text="Anything the meeting needs to know about contact. Keep it brief.",
    )
