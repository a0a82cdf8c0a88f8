"""Forms for proposing, updating and closing actions."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.cases.models import Case, CaseParticipant
from openmarac.core.forms import (
    GovukDateField,
    GovukForm,
    GovukRadios,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
    GovukTimeField,
    QueryForm,
)
from openmarac.core.pagination import PageQuery
from openmarac.core.workdays import local_date

from .library import LibraryEntry
from .models import NotFeasibleReason, ProfessionalsMeetingReason
from .services.rules import MAX_TEXT, agencies_for_actions, default_due_on

RISK = "risk"


def _today() -> Any:
    return local_date(timezone.now())


MANAGER_STATUSES = [
    ("open", "Open (agreed)"),
    ("proposed", "Proposed, waiting to be agreed"),
    ("closed", "Completed or not feasible"),
]
MANAGER_DUE = [
    ("", "Any time"),
    ("overdue", "Overdue"),
    ("soon", "Due in the next 5 working days"),
    ("later", "Due later"),
]


class ManagerQuery(PageQuery):
    """The action manager's choices. ``?view=mine`` narrows it to the user's own actions;
    anything else is the agency's (or, for the hub, every agency's). ``status``, ``due``,
    ``area`` and ``agency`` (the hub's only) filter the one list shown, a page at a time; a
    value that is not one of the choices is shown as an error and the default used."""

    view = forms.ChoiceField(
        required=False, choices=[("", "Agency"), ("mine", "Mine")], widget=forms.HiddenInput()
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        initial="open",
        choices=MANAGER_STATUSES,
        widget=GovukSelect(),
        error_messages={"invalid_choice": "Choose a status from the list"},
    )
    due = forms.ChoiceField(
        label="Due (open actions)",
        required=False,
        choices=MANAGER_DUE,
        widget=GovukSelect(),
        error_messages={"invalid_choice": "Choose when the actions are due from the list"},
    )
    area = forms.TypedChoiceField(
        label="Area",
        required=False,
        coerce=int,
        empty_value=None,
        widget=GovukSelect(),
        error_messages={"invalid_choice": "Choose an area from the list"},
    )
    agency = forms.TypedChoiceField(
        label="Agency",
        required=False,
        coerce=int,
        empty_value=None,
        widget=GovukSelect(),
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )

    def __init__(
        self,
        query: Any,
        *,
        areas: list[tuple[int, str]],
        agencies: list[tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(query, **kwargs)
        cast(forms.ChoiceField, self.fields["area"]).choices = [("", "Every area"), *areas]
        if agencies is None:
            del self.fields["agency"]
        else:
            cast(forms.ChoiceField, self.fields["agency"]).choices = [
                ("", "Every agency"),
                *agencies,
            ]


class LibraryChoiceForm(QueryForm):
    """``?intervention=``: choosing an intervention only pre-fills the action form."""

    intervention = forms.ChoiceField(
        label="Start from a common intervention (optional)",
        required=False,
        widget=GovukSelect(),
        error_messages={"invalid_choice": "Choose a common intervention from the list"},
    )

    def __init__(self, *args: Any, library: list[LibraryEntry], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["intervention"]).choices = [
            ("", "None: write your own")
        ] + [(entry.slug, entry.title) for entry in library]


class ActionProposeForm(GovukForm):
    what = forms.CharField(
        label="What is to be done",
        help_text="Specific and measurable: what, by whom and how you will know it is done.",
        max_length=MAX_TEXT,
        widget=GovukTextarea(),
        error_messages={"required": "Enter what is to be done"},
    )
    owner_agency = forms.ChoiceField(
        label="Agency that owns the action",
        help_text="Only agencies active in this case can own an action.",
        widget=GovukSelect(),
        error_messages={"required": "Choose the agency that owns the action"},
    )
    owner_user = forms.ChoiceField(
        label="Named person (optional)", required=False, widget=GovukSelect()
    )
    addresses = forms.ChoiceField(
        label="Who or what the action addresses",
        widget=GovukRadios(),
        error_messages={"required": "Choose the person or risk the action addresses"},
    )
    risk = forms.CharField(
        label="The risk it addresses",
        help_text="If it addresses a risk rather than one person, for example a risk to staff.",
        required=False,
        max_length=500,
        widget=GovukTextInput(),
    )
    due_on = GovukDateField(
        label="Due date",
        help_text="The area's default is filled in. For example, 27 3 2027.",
        earliest=_today,
    )
    rationale = forms.CharField(
        label="Rationale",
        help_text="Why this action reduces the risk.",
        max_length=MAX_TEXT,
        widget=GovukTextarea(),
        error_messages={"required": "Enter the rationale for the action"},
    )
    intervention = forms.CharField(required=False, widget=forms.HiddenInput())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.agencies = list(agencies_for_actions(case))
        cast(forms.ChoiceField, self.fields["owner_agency"]).choices = [
            ("", "Choose an agency")
        ] + [(str(a.pk), a.name) for a in self.agencies]
        self.users = list(
            User.objects.filter(
                agency__in=self.agencies, is_active=True, is_agency_rep=True
            ).select_related("agency")
        )
        cast(forms.ChoiceField, self.fields["owner_user"]).choices = [("", "No named person")] + [
            (str(u.pk), f"{u.get_full_name() or u.username} ({u.agency.name})")  # type: ignore[union-attr]
            for u in self.users
        ]
        self.participants = list(case.participants.select_related("person"))
        cast(forms.ChoiceField, self.fields["addresses"]).choices = [
            (str(p.pk), f"{p.person.display_name} ({p.get_role_display().lower()})")
            for p in self.participants
        ] + [(RISK, "A risk, described below")]
        if not self.is_bound:
            self.initial.setdefault("due_on", default_due_on(case))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("addresses") == RISK and not (data.get("risk") or "").strip():
            self.add_error("risk", "Describe the risk the action addresses")
        agency_id = data.get("owner_agency")
        user_id = data.get("owner_user")
        if agency_id and user_id:
            user = next((u for u in self.users if str(u.pk) == user_id), None)
            if user is None or str(user.agency_id) != agency_id:
                self.add_error("owner_user", "Choose a person from the owning agency")
        return data

    def owner_agency_obj(self) -> Agency:
        return next(a for a in self.agencies if str(a.pk) == self.cleaned_data["owner_agency"])

    def owner_user_obj(self) -> User | None:
        user_id = self.cleaned_data.get("owner_user")
        return next((u for u in self.users if str(u.pk) == user_id), None)

    def addresses_value(self) -> CaseParticipant | str:
        chosen = self.cleaned_data["addresses"]
        if chosen == RISK:
            return str(self.cleaned_data["risk"]).strip()
        return next(p for p in self.participants if str(p.pk) == chosen)


class TextForm(GovukForm):
    text = forms.CharField(max_length=MAX_TEXT, widget=GovukTextarea())

    def __init__(self, *args: Any, label: str, required_message: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].label = label
        self.fields["text"].error_messages["required"] = required_message


class ConfirmForm(TextForm):
    """A confirmation with nothing to type."""

    def __init__(self, data: Any) -> None:
        super().__init__(data, label="", required_message="")
        del self.fields["text"]


class NotFeasibleForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why is the action not feasible?",
        choices=NotFeasibleReason.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose why the action is not feasible"},
    )
    explanation = forms.CharField(
        label="Explain",
        max_length=MAX_TEXT,
        widget=GovukTextarea(),
        error_messages={"required": "Explain why the action is not feasible"},
    )


class AgreeForm(GovukForm):
    due_on = GovukDateField(label="Due date", earliest=_today)


class ProfessionalsRequestForm(GovukForm):
    reason = forms.ChoiceField(
        label="Why is a professionals' meeting needed?",
        choices=ProfessionalsMeetingReason.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose why a professionals' meeting is needed"},
    )
    note = forms.CharField(
        label="Anything the coordinator should know (optional)",
        required=False,
        max_length=MAX_TEXT,
        widget=GovukTextarea(),
    )


class ScheduleForm(GovukForm):
    starts_on = GovukDateField(label="Date of the professionals' meeting", earliest=_today)
    start_time = GovukTimeField(label="Start time")


class EscalationContactForm(GovukForm):
    email = forms.EmailField(
        label="Line manager's e-mail address",
        max_length=254,
        error_messages={
            "required": "Enter the line manager's e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
        },
    )


class InterventionForm(GovukForm):
    title = forms.CharField(
        label="Name",
        max_length=120,
        error_messages={"required": "Enter the intervention's name"},
    )
    what = forms.CharField(
        label="Text the action starts from",
        help_text="The person proposing an action always edits it.",
        max_length=MAX_TEXT,
        widget=GovukTextarea(),
        error_messages={"required": "Enter the text the action starts from"},
    )
    active = forms.ChoiceField(
        label="Offer it when proposing actions?",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=GovukRadios(),
        initial="yes",
    )
