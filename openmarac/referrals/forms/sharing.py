"""The "Sharing and support" sections: consent and the legal basis for sharing, equality
information, needs, agencies already involved and immediate safety actions."""

from __future__ import annotations

from typing import Any

from django import forms

from openmarac.agencies.models import Agency
from openmarac.core.forms import GovukCheckboxes, yes_no_choices, yes_no_unknown_choices
from openmarac.partnerships.models import Partnership

from .fields import ReferralSectionForm, long_text, radios, text

LEGAL_BASES = [
    ("cda_s115", "Crime and Disorder Act 1998, section 115"),
    ("gdpr_6_1_e", "UK GDPR Article 6(1)(e): public task"),
    ("gdpr_9_2_g", "UK GDPR Article 9(2)(g): substantial public interest"),
    ("dpa_sch1_18", "Data Protection Act 2018, Schedule 1, Part 2, paragraph 18: safeguarding"),
    ("children_act", "Children Act 1989 and 2004: the welfare of a child"),
    ("isa", "The partnership's information sharing agreement"),
]


class ConsentForm(ReferralSectionForm):
    consent = radios(
        "Has the victim consented to this referral?",
        [
            ("given", "Yes, consent given"),
            ("refused", "No, consent refused"),
            ("unsafe", "It was not safe to ask"),
            ("not_sought", "Not sought: victimless referral"),
        ],
        help_text="Consent is not required to refer someone at high risk of serious harm.",
        error="Select whether the victim has consented",
    )
    refusal_reason = long_text("Why was consent refused, or not safe to ask?")
    legal_basis = forms.MultipleChoiceField(
        label="Legal basis for sharing without consent",
        choices=LEGAL_BASES,
        required=False,
        widget=GovukCheckboxes(),
        help_text="Select all that apply.",
    )
    sharing_rationale = long_text(
        "Why is sharing without consent necessary and proportionate?",
    )
    victim_aware = radios(
        "Does the victim know about this referral?",
        yes_no_unknown_choices(),
        inline=True,
        error="Select yes if the victim knows about this referral",
    )
    idva_support = radios(
        "Has the victim accepted support from an IDVA?",
        [
            ("accepted", "Yes, accepted"),
            ("declined", "No, the victim declined IDVA support"),
            ("not_asked", "Not asked: it was not possible or not safe to ask"),
        ],
        required=False,
        help_text="The IDVA service still contacts the victim and attends the meeting.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        consent = cleaned.get("consent")
        if consent in ("refused", "unsafe", "not_sought"):
            if consent != "not_sought" and not cleaned.get("refusal_reason"):
                self.add_error("refusal_reason", "Enter why consent was refused or not safe to ask")
            if not cleaned.get("legal_basis"):
                self.add_error("legal_basis", "Select the legal basis for sharing without consent")
            if not cleaned.get("sharing_rationale"):
                self.add_error(
                    "sharing_rationale", "Enter why sharing without consent is necessary"
                )
        return cleaned


PREFER_NOT = [("not_known", "Not known"), ("prefer_not_to_say", "Prefer not to say")]


class EqualityForm(ReferralSectionForm):
    ethnicity = radios(
        "Victim's ethnic group",
        [
            ("asian", "Asian or Asian British"),
            ("black", "Black, Black British, Caribbean or African"),
            ("mixed", "Mixed or multiple ethnic groups"),
            ("white", "White"),
            ("other", "Another ethnic group"),
            *PREFER_NOT,
        ],
        error="Select the victim's ethnic group, or not known",
    )
    disability = radios(
        "Does the victim have a disability?",
        [*yes_no_choices(), *PREFER_NOT],
        error="Select yes if the victim has a disability",
    )
    sexual_orientation = radios(
        "Victim's sexual orientation",
        [
            ("heterosexual", "Heterosexual or straight"),
            ("gay_lesbian", "Gay or lesbian"),
            ("bisexual", "Bisexual"),
            ("other", "Another sexual orientation"),
            *PREFER_NOT,
        ],
        error="Select the victim's sexual orientation, or not known",
    )
    trans = radios(
        "Is the victim's gender identity different from the sex registered at birth?",
        [*yes_no_choices(), *PREFER_NOT],
        error="Select yes if the victim's gender identity differs from their sex at birth",
    )
    religion = text("Victim's religion or belief", required=False)
    immigration = radios(
        "Does the victim have insecure immigration status or no recourse to public funds?",
        [*yes_no_choices(), *PREFER_NOT],
        error="Select yes if the victim's immigration status is insecure or they have no "
        "recourse to public funds",
    )


class NeedsForm(ReferralSectionForm):
    interpreter = radios(
        "Does the victim need an interpreter?",
        yes_no_choices(),
        inline=True,
        error="Select yes if the victim needs an interpreter",
    )
    language = text("Which language?", required=False)
    specialist_needs = long_text(
        "Other needs or barriers",
        help_text="For example, deaf or disabled access needs, or a specialist worker.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("interpreter") == "yes" and not cleaned.get("language"):
            self.add_error("language", "Enter the language the victim needs an interpreter for")
        return cleaned


class AgenciesForm(ReferralSectionForm):
    involved = forms.MultipleChoiceField(
        label="Which agencies are already involved?",
        required=False,
        widget=GovukCheckboxes(),
        help_text="Select all that apply.",
    )
    other_agencies = long_text("Other agencies involved")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partnership: Partnership = self.context["partnership"]
        agencies = Agency.objects.filter(partnership=partnership, is_hub=False)
        self._choice_field("involved").choices = [(str(a.pk), a.name) for a in agencies]


class SafetyForm(ReferralSectionForm):
    actions_taken = long_text(
        "What immediate safety actions have been taken?",
        required=True,
        help_text="For example, safeguarding referral made, police called, refuge space sought.",
        error="Enter the safety actions already taken, or say that none have been",
    )
    children_referral = radios(
        "Have you made a referral to children's services?",
        [("yes", "Yes"), ("no", "No"), ("not_applicable", "Not applicable: no children")],
        error="Select yes if you have referred the children to children's services",
    )
