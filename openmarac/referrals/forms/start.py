"""The "Before you start" sections: the MARAC area, the referrer, and the type of referral
(victimless, transfer, restricted handling)."""

from __future__ import annotations

from typing import Any

from django import forms

from openmarac.agencies.models import Agency
from openmarac.core.forms import GovukRadios, GovukSelect, yes_no_choices
from openmarac.partnerships.models import Partnership

from .fields import ReferralSectionForm, long_text, radios, text


class AreaForm(ReferralSectionForm):
    area = forms.ChoiceField(
        label="Which MARAC area does the victim live in?",
        widget=GovukRadios(),
        error_messages={"required": "Select the MARAC area where the victim lives"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership: Partnership = self.context["partnership"]
        self._choice_field("area").choices = [(str(a.pk), a.name) for a in partnership.areas.all()]


class ReferrerForm(ReferralSectionForm):
    name = text("Your full name", error="Enter your full name")
    job_title = text("Your job title", error="Enter your job title")
    agency = forms.ChoiceField(
        label="Your organisation",
        widget=GovukSelect(),
        error_messages={"required": "Select your organisation"},
    )
    other_agency = text(
        "Organisation name, if not listed", required=False, help_text="Only if you chose Other."
    )
    phone = text(
        "Work telephone number",
        width="govuk-input--width-20",
        error="Enter a telephone number we can reach you on at work",
    )
    manager = text("Your line manager or safeguarding lead", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership: Partnership = self.context["partnership"]
        agencies = Agency.objects.filter(partnership=partnership, is_hub=False)
        self._choice_field("agency").choices = [
            ("", "Select your organisation"),
            *[(str(a.pk), a.name) for a in agencies],
            ("other", "Other"),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("agency") == "other" and not cleaned.get("other_agency"):
            self.add_error("other_agency", "Enter the name of your organisation")
        return cleaned


class HandlingForm(ReferralSectionForm):
    victimless = radios(
        "Is this a victimless referral?",
        yes_no_choices(),
        inline=True,
        help_text="A referral from an agency working with the perpetrator, where the victim has "
        "not been in contact with you.",
        error="Select yes if this is a victimless referral",
    )
    transfer_in = radios(
        "Is this a transfer from another MARAC?",
        yes_no_choices(),
        inline=True,
        help_text="The victim has moved here from another MARAC area. Transfers are always accepted.",
        error="Select yes if this is a transfer from another MARAC",
    )
    transfer_from = text("Which MARAC is it transferring from?", required=False)
    emergency = radios(
        "Do you ask for an emergency MARAC?",
        yes_no_choices(),
        inline=True,
        required=False,
        help_text="Only where the risk of serious harm is so imminent that agencies must act at "
        "once rather than wait for the next meeting. Speak to the MARAC hub by telephone too.",
        error="Select yes if you ask for an emergency MARAC",
    )
    emergency_reason = long_text("Why can the case not wait for the next meeting?")
    restricted_handling = radios(
        "Does this referral need restricted handling?",
        [
            ("none", "No"),
            ("closed", "Closed MARAC: only invited agencies should see it"),
            ("hba", "Honour-based abuse, forced marriage or FGM"),
            ("employee", "Employee-sensitive: the victim or perpetrator works for a member agency"),
        ],
        help_text="Restricted referrals are not circulated with other cases.",
        error="Select whether this referral needs restricted handling",
    )
    restricted_reason = long_text("Why does it need restricted handling?")
    employee_agency = text("Which agency do they work for?", required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("transfer_in") == "yes" and not cleaned.get("transfer_from"):
            self.add_error("transfer_from", "Enter the MARAC the case is transferring from")
        if cleaned.get("emergency") == "yes" and not cleaned.get("emergency_reason"):
            self.add_error(
                "emergency_reason", "Enter why the case cannot wait for the next meeting"
            )
        handling = cleaned.get("restricted_handling")
        if handling and handling != "none" and not cleaned.get("restricted_reason"):
            self.add_error("restricted_reason", "Enter why the referral needs restricted handling")
        if handling == "employee" and not cleaned.get("employee_agency"):
            self.add_error("employee_agency", "Enter the agency the person works for")
        return cleaned
