"""Forms for recording research on one person, and marking it complete."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from openmarac.core.forms import GovukDateField, GovukForm, GovukRadios, GovukTextarea

from .models import Basis, Finding


class ResearchEntryForm(GovukForm):
    finding = forms.ChoiceField(
        label="What does your agency know about this person?",
        choices=Finding.choices,
        widget=GovukRadios(),
        error_messages={"required": "Select what your agency knows about this person"},
    )
    information = forms.CharField(
        label="Information to share",
        required=False,
        max_length=10000,
        widget=GovukTextarea({"rows": "8"}),
        help_text=(
            "Only relevant, proportionate, risk-focused information. Do not contact the victim "
            "for research. Leave blank if the person is not known to you or nothing is relevant."
        ),
    )
    period_from = GovukDateField(
        label="The information covers the period from",
        required=False,
        latest=timezone.localdate,
        help_text="For example, 1 12 2025",
    )
    period_to = GovukDateField(
        label="to", required=False, latest=timezone.localdate, help_text="For example, 1 11 2026"
    )
    basis = forms.ChoiceField(
        label="Is the information fact or professional opinion?",
        choices=Basis.choices,
        required=False,
        widget=GovukRadios(),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("finding") == Finding.INFORMATION:
            if not (cleaned.get("information") or "").strip():
                self.add_error("information", "Enter the information your agency is sharing")
            if not cleaned.get("basis"):
                self.add_error(
                    "basis", "Select whether the information is fact or professional opinion"
                )
            start, end = cleaned.get("period_from"), cleaned.get("period_to")
            if start and end and start > end:
                self.add_error("period_to", "The end of the period must be after its start")
        return cleaned


class ResearchSubmitForm(GovukForm):
    written_submission = forms.BooleanField(
        label="My agency will not attend the meeting: the chair should read our research out",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "govuk-checkboxes__input"}),
    )
