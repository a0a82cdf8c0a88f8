"""The referring agency's approver's decision on a referral (Lincolnshire DMR)."""

from __future__ import annotations

from typing import Any

from openmarac.core.forms import GovukForm

from .fields import long_text, radios


class ApprovalForm(GovukForm):
    decision = radios(
        "Do you approve this referral?",
        [("approve", "Yes, send it to the MARAC hub"), ("return", "No, return it to the referrer")],
        error="Select whether you approve the referral",
    )
    note = long_text(
        "Comments", help_text="Required if you return the referral: say what needs to change."
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "return" and not str(cleaned.get("note", "")).strip():
            self.add_error("note", "Enter what the referrer needs to change")
        return cleaned
