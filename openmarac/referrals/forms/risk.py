"""The "Risk" sections: the risk checklist chosen and its answers, stalking screening,
incidents and crimes, and the reasons for referral."""

from __future__ import annotations

from typing import Any

from django import forms

from openmarac.checklists.models import ChecklistDefinition, ChecklistKind
from openmarac.core.forms import (
    GovukInlineRadios,
    GovukRadios,
    GovukTextarea,
    PartialDateField,
    yes_no_choices,
)

from .fields import ReferralSectionForm, count, long_text, radios


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
        error="Enter how many domestic abuse incidents there have been, or 0",
        noun="The number of incidents",
    )
    crimes = count(
        "Number of those incidents that were crimes",
        error="Enter how many of the incidents were crimes, or 0",
        noun="The number of crimes",
    )
    summary = long_text(
        "Describe the current incident and history of abuse",
        required=True,
        help_text="Facts first. Say what is your professional opinion.",
        error="Enter a description of the current incident and the history of abuse",
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
            self.add_error(
                "repeat_details", "Enter the new incident or events since the last referral"
            )
        return cleaned
