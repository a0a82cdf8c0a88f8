"""The "People" sections: the victim and safe ways to contact them, perpetrators, children and
other household members."""

from __future__ import annotations

from django import forms

from openmarac.core.forms import GovukEmailInput, yes_no_unknown_choices

from .fields import (
    GENDER_CHOICES,
    ReferralSectionForm,
    date_of_birth,
    lines_to_list,
    long_text,
    radios,
    text,
)


class PersonFields(ReferralSectionForm):
    forenames = text("First names", error="Enter the person's first names")
    surname = text("Last name", error="Enter the person's last name")
    aliases = long_text(
        "Other names they are known by",
        help_text="Maiden or married names, nicknames, spellings. One on each line.",
    )
    date_of_birth = date_of_birth()
    gender = radios("Gender", GENDER_CHOICES, error="Select the person's gender, or Not known")

    def clean_aliases(self) -> str:
        return "\n".join(lines_to_list(str(self.cleaned_data.get("aliases", ""))))


class VictimForm(PersonFields):
    address = long_text("Address", help_text="Leave blank if not known or not safe to record.")
    postcode = text("Postcode", required=False, width="govuk-input--width-10")
    pregnant = radios(
        "Is the victim pregnant or have they had a baby in the last 18 months?",
        yes_no_unknown_choices(),
        inline=True,
        error="Select yes if the victim is pregnant or has had a baby in the last 18 months",
    )


class SafeContactForm(ReferralSectionForm):
    safe_phone = text("Safe telephone number", required=False, width="govuk-input--width-20")
    voicemail_safe = radios(
        "Is it safe to leave a voicemail?",
        yes_no_unknown_choices(),
        inline=True,
        error="Select yes if a voicemail can safely be left for the victim",
    )
    safe_email = forms.EmailField(
        label="Safe email address",
        required=False,
        max_length=254,
        widget=GovukEmailInput(),
        error_messages={"invalid": "Enter a safe email address in the correct format"},
    )
    address_safe = radios(
        "Is it safe to write to the victim's address?",
        yes_no_unknown_choices(),
        inline=True,
        error="Select yes if letters can safely be sent to the victim's address",
    )
    safe_times = text("Safe times to contact", required=False)
    safety_notes = long_text(
        "Anything else about contacting the victim safely",
        help_text="For example, who must not know about the referral, or who is safe to talk to.",
    )


class PerpetratorForm(PersonFields):
    relationship = text(
        "Relationship to the victim",
        help_text="For example, ex-partner.",
        error="Enter how the perpetrator is related to the victim",
    )
    address = long_text("Address", help_text="Leave blank if not known.")
    postcode = text("Postcode", required=False, width="govuk-input--width-10")
    lives_with_victim = radios(
        "Does the perpetrator live with the victim?",
        yes_no_unknown_choices(),
        inline=True,
        error="Select yes if the perpetrator lives with the victim",
    )


class ChildForm(ReferralSectionForm):
    forenames = text("First names", error="Enter the child's first names")
    surname = text("Last name", required=False)
    date_of_birth = date_of_birth(required=False)
    school = text("School, nursery or college", required=False)
    relationship_to_victim = text(
        "Relationship to the victim",
        help_text="For example, son.",
        error="Enter how the child is related to the victim",
    )
    relationship_to_perpetrator = text(
        "Relationship to the perpetrator", required=False, help_text="For example, stepdaughter."
    )
    lives_in_household = radios(
        "Does the child live in the household?",
        yes_no_unknown_choices(),
        inline=True,
        error="Select yes if the child lives in the household",
    )
    saw_or_heard = radios(
        "Did the child see or hear the abuse?",
        yes_no_unknown_choices(),
        inline=True,
        error="Select yes if the child saw or heard the abuse",
    )
    gender = radios("Gender", GENDER_CHOICES, error="Select the child's gender, or Not known")


class HouseholdForm(ReferralSectionForm):
    forenames = text("First names", error="Enter the person's first names")
    surname = text("Last name", required=False)
    date_of_birth = date_of_birth(required=False)
    relationship = text(
        "Relationship to the victim",
        help_text="For example, brother or lodger.",
        error="Enter how the person is related to the victim",
    )
