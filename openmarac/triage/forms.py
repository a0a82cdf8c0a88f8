"""Forms for triage decisions, unlinking and merging people, and weekly updates."""

from __future__ import annotations

from typing import Any

from django import forms

from openmarac.core.forms import GovukForm, GovukRadios
from openmarac.referrals.forms.fields import long_text, radios, text

from .models import DeclineReason, UpdateKind

YES_NO = [("yes", "Yes"), ("no", "No")]


class AcceptForm(GovukForm):
    reason = long_text(
        "Reason for accepting",
        required=True,
        help_text="For example, which criteria are met. Do not repeat the referral's details.",
        error="Enter the reason for accepting the referral",
    )
    attach_to = text(
        "Attach to an existing case (optional)",
        required=False,
        width="govuk-input--width-20",
        help_text="Enter the case reference to add this referral to an open case of the same "
        "area. A repeat is found and attached automatically.",
    )
    information_only = radios(
        "Is this information only, with no further incident?",
        YES_NO,
        inline=True,
        help_text="For example, the perpetrator's release from prison. It is then not a repeat.",
        error="Select yes if this is information only, with no further incident",
    )

    def __init__(self, *args: Any, meetings: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = forms.ChoiceField(
            label="Which meeting should the case be listed at?",
            choices=[("", "The next meeting open to it (past the research cut-off)"), *meetings],
            required=False,
            widget=GovukRadios(),
        )
        self.initial.setdefault("meeting", "")
        self.initial.setdefault("information_only", "no")


class ReturnForm(GovukForm):
    missing = long_text(
        "What is missing?",
        required=True,
        help_text="The referrer sees this after verifying their work e-mail address. Say which "
        "sections need completing; do not add personal details.",
        error="Enter the sections or details the referral still needs",
    )


class DeclineForm(GovukForm):
    decline_reason = radios(
        "Why is the referral declined?",
        list(DeclineReason.choices),
        error="Select why the referral is declined",
    )
    explanation = long_text(
        "Explanation for the referrer",
        required=True,
        help_text="The referrer reads this after signing in. Include where the victim can get "
        "support instead.",
        error="Enter an explanation for the referrer",
    )


class ReasonForm(GovukForm):
    reason = long_text("Reason", required=True, error="Enter the reason")


class WeeklyUpdateForm(GovukForm):
    kind = radios("What has changed?", list(UpdateKind.choices), error="Select the kind of change")
    information = long_text("The new information", required=True, error="Enter the new information")
    purpose = long_text(
        "Purpose of the update",
        required=True,
        help_text="Why this is an update and not a repeat, what you have done with the "
        "information, what you want other agencies to do, and any safeguarding, signposting "
        "or action planning done.",
        error="Enter the purpose of the update",
    )
    extend_flag = radios(
        "Should all agencies extend their 12-month MARAC flag?",
        YES_NO,
        inline=True,
        error="Select whether agencies should extend their flag",
    )
