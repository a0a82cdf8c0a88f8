"""The referral journey's question pages. Each form's cleaned data is stored encrypted as-is."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from openmarac.agencies.models import Agency
from openmarac.checklists.models import ChecklistDefinition, ChecklistKind
from openmarac.core.forms import (
    GovukCheckboxes,
    GovukEmailInput,
    GovukForm,
    GovukInlineRadios,
    GovukNumberInput,
    GovukRadios,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
    PartialDateField,
    yes_no_choices,
    yes_no_unknown_choices,
)
from openmarac.partnerships.models import Partnership
from openmarac.people.models import Gender

PERSONAL_EMAIL_DOMAINS = frozenset(
    {
        "aol.com",
        "btinternet.com",
        "gmail.com",
        "googlemail.com",
        "gmx.com",
        "hotmail.com",
        "hotmail.co.uk",
        "icloud.com",
        "live.co.uk",
        "live.com",
        "mac.com",
        "me.com",
        "msn.com",
        "outlook.com",
        "proton.me",
        "protonmail.com",
        "sky.com",
        "talktalk.net",
        "virginmedia.com",
        "yahoo.co.uk",
        "yahoo.com",
        "ymail.com",
        "zoho.com",
    }
)


def text(
    label: str, *, required: bool = True, help_text: str = "", width: str = ""
) -> forms.CharField:
    attrs = {"class": f"govuk-input {width}".strip()} if width else None
    return forms.CharField(
        label=label,
        required=required,
        max_length=200,
        help_text=help_text,
        widget=GovukTextInput(attrs),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def long_text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        help_text=help_text,
        widget=GovukTextarea(),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def radios(
    label: str,
    choices: list[tuple[str, str]],
    *,
    required: bool = True,
    inline: bool = False,
    help_text: str = "",
    error: str = "",
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        required=required,
        help_text=help_text,
        widget=GovukInlineRadios() if inline else GovukRadios(),
        error_messages={"required": error or f"Select {label[0].lower()}{label[1:].rstrip('?')}"},
    )


def count(label: str, *, help_text: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=999,
        help_text=help_text,
        widget=GovukNumberInput(),
        error_messages={
            "required": f"Enter {label[0].lower()}{label[1:]}, or 0",
            "invalid": f"{label} must be a whole number, like 3",
            "min_value": f"{label} must be 0 or more",
            "max_value": f"{label} must be 999 or fewer",
        },
    )


def date_of_birth(label: str = "Date of birth", *, required: bool = False) -> PartialDateField:
    return PartialDateField(
        label=label,
        required=required,
        help_text="For example, 27 3 1987. If you only know the year, enter the year alone.",
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def lines_to_list(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()][:20]


GENDER_CHOICES = [(value, label) for value, label in Gender.choices]


class ReferralSectionForm(GovukForm):
    """A section of the referral. ``context`` carries the partnership and area policy."""

    def _choice_field(self, name: str) -> forms.ChoiceField:
        return cast(forms.ChoiceField, self.fields[name])

    def __init__(self, *args: Any, context: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.context = context or {}
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = value.replace("\x00", "").strip()
        return cleaned


class EmailForm(GovukForm):
    email = forms.EmailField(
        label="Your work email address",
        max_length=254,
        help_text="We'll send a code to this address. Use your organisation's email address.",
        widget=GovukEmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your work email address",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )

    def __init__(self, *args: Any, partnership: Partnership, **kwargs: Any) -> None:
        self.partnership = partnership
        super().__init__(*args, **kwargs)

    def clean_email(self) -> str:
        email = str(self.cleaned_data["email"]).strip().lower()
        domain = email.rpartition("@")[2]
        if domain in PERSONAL_EMAIL_DOMAINS:
            raise forms.ValidationError(
                "You cannot use a personal email address. Use the email address your "
                "organisation gave you for work"
            )
        if not domain_is_official(domain, self.partnership.official_email_domains):
            raise forms.ValidationError(
                "This email address is not from an organisation in this MARAC partnership. "
                "Use your work email address, or ask the MARAC hub to add your organisation"
            )
        return email


def domain_is_official(domain: str, official: list[str]) -> bool:
    domain = domain.lower().strip(".")
    return any(domain == allowed or domain.endswith(f".{allowed}") for allowed in official)


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Enter the code",
        max_length=12,
        help_text="The code is 6 numbers and expires after 15 minutes.",
        widget=GovukTextInput(
            attrs={
                "class": "govuk-input govuk-input--width-5",
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the code we sent to your email address"},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError("The code must be 6 numbers")
        return code


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
    name = text("Your full name")
    job_title = text("Your job title")
    agency = forms.ChoiceField(
        label="Your organisation",
        widget=GovukSelect(),
        error_messages={"required": "Select your organisation"},
    )
    other_agency = text(
        "Organisation name, if not listed", required=False, help_text="Only if you chose Other."
    )
    phone = text("Work telephone number", width="govuk-input--width-20")
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
        handling = cleaned.get("restricted_handling")
        if handling and handling != "none" and not cleaned.get("restricted_reason"):
            self.add_error("restricted_reason", "Enter why the referral needs restricted handling")
        if handling == "employee" and not cleaned.get("employee_agency"):
            self.add_error("employee_agency", "Enter the agency the person works for")
        return cleaned


class PersonFields(ReferralSectionForm):
    forenames = text("First names")
    surname = text("Last name")
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
    )


class SafeContactForm(ReferralSectionForm):
    safe_phone = text("Safe telephone number", required=False, width="govuk-input--width-20")
    voicemail_safe = radios(
        "Is it safe to leave a voicemail?", yes_no_unknown_choices(), inline=True
    )
    safe_email = forms.EmailField(
        label="Safe email address",
        required=False,
        max_length=254,
        widget=GovukEmailInput(),
        error_messages={"invalid": "Enter a safe email address in the correct format"},
    )
    address_safe = radios(
        "Is it safe to write to the victim's address?", yes_no_unknown_choices(), inline=True
    )
    safe_times = text("Safe times to contact", required=False)
    safety_notes = long_text(
        "Anything else about contacting the victim safely",
        help_text="For example, who must not know about the referral, or who is safe to talk to.",
    )


class PerpetratorForm(PersonFields):
    relationship = text("Relationship to the victim", help_text="For example, ex-partner.")
    address = long_text("Address", help_text="Leave blank if not known.")
    postcode = text("Postcode", required=False, width="govuk-input--width-10")
    lives_with_victim = radios(
        "Does the perpetrator live with the victim?", yes_no_unknown_choices(), inline=True
    )


class ChildForm(ReferralSectionForm):
    forenames = text("First names")
    surname = text("Last name", required=False)
    date_of_birth = date_of_birth(required=False)
    school = text("School, nursery or college", required=False)
    relationship_to_victim = text("Relationship to the victim", help_text="For example, son.")
    relationship_to_perpetrator = text(
        "Relationship to the perpetrator", required=False, help_text="For example, stepdaughter."
    )
    lives_in_household = radios(
        "Does the child live in the household?", yes_no_unknown_choices(), inline=True
    )
    saw_or_heard = radios(
        "Did the child see or hear the abuse?", yes_no_unknown_choices(), inline=True
    )
    gender = radios("Gender", GENDER_CHOICES, error="Select the child's gender, or Not known")


class HouseholdForm(ReferralSectionForm):
    forenames = text("First names")
    surname = text("Last name", required=False)
    date_of_birth = date_of_birth(required=False)
    relationship = text("Relationship to the victim", help_text="For example, brother or lodger.")


class ChecklistChoiceForm(ReferralSectionForm):
    checklist = forms.ChoiceField(
        label="Which risk checklist did you use?",
        widget=GovukRadios(),
        error_messages={"required": "Select the risk checklist you used"},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        definitions: list[ChecklistDefinition] = self.context.get("main_checklists", [])
        self._choice_field("checklist").choices = [(d.slug, d.title) for d in definitions]


class ChecklistAnswersForm(ReferralSectionForm):
    """One yes / no / not known question per checklist item, each with an optional comment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        definition: ChecklistDefinition = self.context["checklist_definition"]
        self.definition = definition
        fields: dict[str, forms.Field] = {}
        for number, question in enumerate(definition.questions, start=1):
            fields[question["id"]] = forms.ChoiceField(
                label=f"{number}. {question['text']}",
                choices=definition.answer_choices,
                widget=GovukInlineRadios(),
                required=definition.kind == ChecklistKind.SCORE,
                error_messages={"required": f"Answer question {number}: yes, no or not known"},
            )
            fields[f"{question['id']}_comment"] = forms.CharField(
                label=f"Comments on question {number} (optional)",
                required=False,
                max_length=2000,
                widget=GovukTextarea(attrs={"rows": "2"}),
            )
        if definition.kind == ChecklistKind.LEVEL:
            fields["level"] = forms.ChoiceField(
                label="Assessed risk level",
                choices=definition.level_choices,
                widget=GovukRadios(),
                error_messages={"required": "Select the assessed risk level"},
            )
        fields["assessed_on"] = PartialDateField(
            label="Date the checklist was completed",
            allow_year_only=False,
            required=True,
            help_text="For example, 27 3 2026.",
            error_messages={"required": "Enter the date the checklist was completed"},
        )
        self.fields.update(fields)
        self._describe_all()

    def _describe_all(self) -> None:
        for name, field in self.fields.items():
            if field.help_text:
                self._describe(name, f"{self._field_id(name)}-hint")


class StalkingForm(ChecklistAnswersForm):
    """S-DASH, supplementary: only asked where stalking is present."""

    stalking_present = radios(
        "Is there stalking or harassment?",
        yes_no_choices(),
        inline=True,
        help_text="Two or more incidents, or the victim is very frightened.",
        error="Select yes if there is stalking or harassment",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name not in ("stalking_present",):
                field.required = False

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("stalking_present") == "yes":
            for number, question in enumerate(self.definition.questions, start=1):
                if not cleaned.get(question["id"]):
                    self.add_error(
                        question["id"], f"Answer question {number}: yes, no or not known"
                    )
        return cleaned


class IncidentsForm(ReferralSectionForm):
    incidents = count(
        "Number of domestic abuse incidents",
        help_text="Incidents known to you or reported to any agency in that period.",
    )
    crimes = count("Number of those incidents that were crimes")
    summary = long_text(
        "Describe the current incident and history of abuse",
        required=True,
        help_text="Facts first. Say what is your professional opinion.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        months = self.context.get("escalation_window_months", 12)
        self.period_text = f"in the last {months} months"
        self.fields[
            "incidents"
        ].label = f"Number of domestic abuse incidents in the last {months} months"
        self.fields[
            "crimes"
        ].label = f"Number of those incidents in the last {months} months that were crimes"

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        incidents, crimes = cleaned.get("incidents"), cleaned.get("crimes")
        if incidents is not None and crimes is not None and crimes > incidents:
            self.add_error(
                "crimes", "The number of crimes cannot be more than the number of incidents"
            )
        return cleaned


class ReasonsForm(ReferralSectionForm):
    professional_judgement = radios(
        "Are you referring on professional judgement?",
        yes_no_choices(),
        inline=True,
        help_text="Your judgement can raise the risk level shown by the checklist, never lower it.",
        error="Select yes if you are referring on professional judgement",
    )
    judgement_rationale = long_text(
        "Why do you believe the victim is at high risk?",
        help_text="Needed for a referral on professional judgement.",
    )
    repeat = radios(
        "Has this victim been referred to a MARAC in the last 12 months?",
        [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")],
        inline=True,
        error="Select yes if the victim has been referred in the last 12 months",
    )
    repeat_details = long_text(
        "What has happened since the last referral?",
        help_text="A repeat needs a further incident, not a high-risk score.",
    )
    dvds = radios(
        "Has there been a Domestic Violence Disclosure Scheme (Clare's Law) disclosure?",
        yes_no_choices(),
        inline=True,
        error="Select yes if there has been a DVDS disclosure",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.context.get("dvds_is_criterion"):
            del self.fields["dvds"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("professional_judgement") == "yes" and not cleaned.get(
            "judgement_rationale"
        ):
            self.add_error(
                "judgement_rationale", "Enter why you believe the victim is at high risk"
            )
        if cleaned.get("repeat") == "yes" and not cleaned.get("repeat_details"):
            self.add_error("repeat_details", "Enter what has happened since the last referral")
        return cleaned


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
        "Does the victim know about this referral?", yes_no_unknown_choices(), inline=True
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
    )
    disability = radios("Does the victim have a disability?", [*yes_no_choices(), *PREFER_NOT])
    sexual_orientation = radios(
        "Victim's sexual orientation",
        [
            ("heterosexual", "Heterosexual or straight"),
            ("gay_lesbian", "Gay or lesbian"),
            ("bisexual", "Bisexual"),
            ("other", "Another sexual orientation"),
            *PREFER_NOT,
        ],
    )
    trans = radios(
        "Is the victim's gender identity different from the sex registered at birth?",
        [*yes_no_choices(), *PREFER_NOT],
    )
    religion = text("Victim's religion or belief", required=False)
    immigration = radios(
        "Does the victim have insecure immigration status or no recourse to public funds?",
        [*yes_no_choices(), *PREFER_NOT],
    )


class NeedsForm(ReferralSectionForm):
    interpreter = radios("Does the victim need an interpreter?", yes_no_choices(), inline=True)
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
    )
    children_referral = radios(
        "Have you made a referral to children's services?",
        [("yes", "Yes"), ("no", "No"), ("not_applicable", "Not applicable: no children")],
    )


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
