from __future__ import annotations

from django import forms
from django.utils import timezone

from openmarac.core.forms import (
    GovukDateField,
    GovukForm,
    GovukRadios,
    GovukTextarea,
    GovukTextInput,
)

from .models import Agreement


class SignatureForm(GovukForm):
    agreement = forms.ChoiceField(
        label="Agreement",
        choices=Agreement.choices,
        widget=GovukRadios(),
        error_messages={"required": "Select the agreement that was signed"},
    )
    signed_on = GovukDateField(
        label="Date signed", latest=timezone.localdate, help_text="For example, 27 3 2026."
    )
    signed_by = forms.CharField(
        label="Signed by (name and role)",
        max_length=200,
        widget=GovukTextInput(),
        error_messages={"required": "Enter who signed, with their role"},
    )


class WithdrawalForm(GovukForm):
    withdrawn_on = GovukDateField(
        label="Date of the withdrawal letter",
        latest=timezone.localdate,
        help_text="For example, 27 3 2026.",
    )
    reason = forms.CharField(
        label="Reasons given for withdrawing",
        max_length=5000,
        widget=GovukTextarea(),
        error_messages={"required": "Enter the reasons the agency gave"},
    )
