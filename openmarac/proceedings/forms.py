"""Forms for the meeting screen, the per-case record and the minutes."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from openmarac.core.forms import (
    GovukCheckboxes,
    GovukForm,
    GovukRadios,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)
from openmarac.partnerships.models import CaseOrder

from .models import AttendeeRole, Outcome

MAX_TEXT = 20000


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _text(label: str, *, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_TEXT,
        help_text=help_text,
        widget=GovukTextarea(),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


class AttendeeForm(GovukForm):
    role = forms.ChoiceField(
        label="Role at the meeting",
        choices=AttendeeRole.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose the person's role at the meeting"},
    )
    user = forms.TypedChoiceField(
        label="Licence holder",
        required=False,
        coerce=int,
        empty_value=None,
        widget=GovukSelect(),
        help_text="Choose a licence holder, or leave this and enter a name and agency below.",
    )
    name = forms.CharField(
        label="Name (for someone without a licence)",
        required=False,
        max_length=200,
        widget=GovukTextInput(),
    )
    agency = forms.TypedChoiceField(
        label="Agency (for someone without a licence)",
        required=False,
        coerce=int,
        empty_value=None,
        widget=GovukSelect(),
    )

    def __init__(self, *args: Any, users: list[Any], agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "user").choices = [("", "Not a licence holder")] + [
            (u.pk, f"{u.get_full_name() or u.username} ({u.agency.name})") for u in users
        ]
        _choices(self, "agency").choices = [("", "No agency")] + [(a.pk, a.name) for a in agencies]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("user") and not cleaned.get("name", "").strip():
            self.add_error("name", "Choose a licence holder or enter the person's name")
        return cleaned


class ApologyForm(GovukForm):
    agency = forms.TypedChoiceField(
        label="Agency sending apologies",
        coerce=int,
        widget=GovukSelect(),
        error_messages={"required": "Choose the agency"},
    )
    in_writing = forms.ChoiceField(
        label="Has the agency sent its information in writing?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovukRadios(),
        error_messages={"required": "Say whether the agency sent its information in writing"},
    )

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "agency").choices = [("", "Choose an agency")] + [
            (a.pk, a.name) for a in agencies
        ]


class OrderForm(GovukForm):
    mode = forms.ChoiceField(
        label="Order the cases",
        choices=CaseOrder.choices,
        widget=GovukRadios(),
        help_text="Reviews of incomplete actions from earlier meetings always come first.",
        error_messages={"required": "Choose how to order the cases"},
    )


class OpenEarlyForm(GovukForm):
    confirm = forms.MultipleChoiceField(
        label="Open the meeting before its date",
        choices=[("yes", "I am the chair and the meeting should open now, before its date")],
        widget=GovukCheckboxes(),
        error_messages={"required": "Confirm that the meeting should open before its date"},
    )


class ConflictForm(GovukForm):
    listing = forms.TypedChoiceField(
        label="Case",
        coerce=int,
        widget=GovukSelect(),
        error_messages={"required": "Choose the case"},
    )
    attendee = forms.TypedChoiceField(
        label="Who has the conflict of interest",
        coerce=int,
        widget=GovukSelect(),
        error_messages={"required": "Choose who has the conflict"},
    )
    stand_in = forms.TypedChoiceField(
        label="Who takes over for this case",
        required=False,
        coerce=int,
        empty_value=None,
        widget=GovukSelect(),
        help_text="Needed when the chair or the minute taker is conflicted.",
    )

    def __init__(
        self, *args: Any, listings: list[tuple[int, str]], attendees: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "listing").choices = [("", "Choose a case"), *listings]
        people = [(a.pk, f"{a.name} ({a.get_role_display()})") for a in attendees]
        _choices(self, "attendee").choices = [("", "Choose a person"), *people]
        _choices(self, "stand_in").choices = [("", "Nobody needed"), *people]


class HearingForm(GovukForm):
    risks = _text("Risks identified")
    victim_voice = _text(
        "The victim's voice", help_text="The victim's views and wishes, as the IDVA reports them."
    )
    discussion = _text("Discussion")
    feedback_agency = forms.TypedChoiceField(
        label="Who feeds back to the victim",
        required=False,
        coerce=int,
        empty_value=None,
        widget=GovukSelect(),
    )
    feedback_what = _text("What they feed back")

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "feedback_agency").choices = [("", "Not agreed yet")] + [
            (a.pk, a.name) for a in agencies
        ]


class InformationForm(GovukForm):
    agency = forms.TypedChoiceField(
        label="Agency",
        coerce=int,
        widget=GovukSelect(),
        error_messages={"required": "Choose the agency"},
    )
    text = _text("Information shared", required=True)
    in_writing = forms.ChoiceField(
        label="Was it sent in writing for the chair to read out?",
        choices=[("no", "No, shared at the meeting"), ("yes", "Yes, sent in writing")],
        widget=GovukRadios(),
        error_messages={"required": "Say how the information was shared"},
    )

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "agency").choices = [("", "Choose an agency")] + [
            (a.pk, a.name) for a in agencies
        ]


class ActionForm(GovukForm):
    owner_agency = forms.TypedChoiceField(
        label="Owning agency",
        coerce=int,
        widget=GovukSelect(),
        error_messages={"required": "Choose the agency that owns the action"},
    )
    what = _text("What is to be done", required=True)
    addresses = forms.CharField(
        label="The person or risk it addresses",
        max_length=500,
        widget=GovukTextInput(),
        error_messages={"required": "Enter the person or risk the action addresses"},
    )
    due_in_days = forms.IntegerField(
        label="Due in working days",
        required=False,
        min_value=0,
        max_value=250,
        help_text="Leave blank for the area's default.",
        error_messages={
            "invalid": "Due in working days must be a whole number",
            "min_value": "Due in working days must be 0 or more",
            "max_value": "Due in working days must be 250 or fewer",
        },
    )
    rationale = _text("Rationale", required=True)

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "owner_agency").choices = [("", "Choose an agency")] + [
            (a.pk, a.name) for a in agencies
        ]


class OutcomeForm(GovukForm):
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=Outcome.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose the outcome"},
    )
    reason = _text(
        "Reason",
        help_text="Required when the case is not deemed high risk: the referrer is told why.",
    )
    consensus = forms.TypedMultipleChoiceField(
        label="Agencies agreeing that the case is not high risk",
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(),
        help_text="Every agency present must agree.",
    )

    def __init__(self, *args: Any, agencies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consensus"].widget = GovukCheckboxes()
        _choices(self, "consensus").choices = [(a.pk, a.name) for a in agencies]


class NotesForm(GovukForm):
    notes = _text("Outstanding actions reviewed")


class CorrectionRequestForm(GovukForm):
    proposed_text = _text("Corrected text", required=True)
    reason = _text("Why it needs correcting", required=True)


class CorrectionDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept the correction"), ("reject", "Reject it")],
        widget=GovukRadios(),
        error_messages={"required": "Choose whether to accept the correction"},
    )
    note = _text("Note to the agency", help_text="Required when rejecting.")
