"""Forms for subject access requests and court orders."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.core.forms import (
    GovukDateField,
    GovukForm,
    GovukRadios,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
)

from .models import Decision, IdentityMethod, MadeBy, Reason


def _today() -> datetime.date:
    return timezone.localdate()


def _text(
    label: str, *, required: bool = True, rows: int = 3, max_length: int = 5000
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=GovukTextarea({"rows": rows}),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def _line(label: str, *, max_length: int = 200, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        help_text=help_text,
        widget=GovukTextInput(),
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


class SarLogForm(GovukForm):
    requester_name = _line("The data subject's name, as given")
    reply_to = _text("Safe contact details for the reply")
    made_by = forms.ChoiceField(
        label="Who made the request",
        choices=MadeBy.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose who made the request"},
    )
    received_on = GovukDateField(
        label="Date received", latest=_today, help_text="For example, 27 3 2026"
    )


class IdentityForm(GovukForm):
    prefix = "identity"
    method = forms.ChoiceField(
        label="How the requester's identity was checked",
        choices=IdentityMethod.choices,
        widget=GovukRadios(),
        error_messages={"required": "Choose how the requester's identity was checked"},
    )
    note = _text("What was seen (no copies of documents)", required=False)


class SarExtendForm(GovukForm):
    prefix = "extend"
    to = GovukDateField(label="New deadline", help_text="At most three months from receipt")
    reason = _text("Why the request needs longer")


class SubjectSearchForm(GovukForm):
    forenames = _line("First name", max_length=100)
    surname = _line("Surname", max_length=100)
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, latest=_today, help_text="If known"
    )


DECISION_LABELS = {
    Decision.DISCLOSE: "Disclose it",
    Decision.REDACT: "Disclose it with other people's information removed",
    Decision.REFER: "Refer it to the agency that supplied it",
    Decision.WITHHOLD: "Withhold it",
}


class ItemDecisionForm(GovukForm):
    decision = forms.ChoiceField(
        label="What to do with this information",
        choices=[(value, DECISION_LABELS[Decision(value)]) for value in Decision.values],
        widget=GovukRadios(),
        error_messages={"required": "Choose what to do with this information"},
    )
    reason = forms.ChoiceField(
        label="Why (unless it is disclosed in full)",
        required=False,
        choices=[(v, label) for v, label in Reason.choices if v],
        widget=GovukRadios(),
    )
    disclosed_text = _text(
        "The text to disclose, with other people's information removed", required=False, rows=6
    )
    note = _text("Note for the file", required=False)


class CourtItemForm(GovukForm):
    decision = forms.ChoiceField(
        label="What to do with this information",
        choices=[
            (Decision.DISCLOSE, "Disclose it to the court"),
            (Decision.REFER, "Refer the court to the agency that supplied it"),
            (Decision.WITHHOLD, "Withhold it, telling the court why"),
        ],
        widget=GovukRadios(),
        error_messages={"required": "Choose what to do with this information"},
    )
    reason = forms.ChoiceField(
        label="Why",
        required=False,
        choices=[(v, label) for v, label in Reason.choices if v and v != Reason.PERPETRATOR],
        widget=GovukRadios(),
    )
    note = _text("Note for the file", required=False)


class CourtOrderForm(GovukForm):
    reference = _line("MARAC case reference", max_length=30)
    court = _line("Court")
    court_case_number = _line("Court's case number", max_length=60)
    ordered = _text("What the order asks to be disclosed")
    deadline = GovukDateField(label="Disclose by", help_text="For example, 27 3 2027")
    received_on = GovukDateField(label="Date the order was received", latest=_today)

    def __init__(self, *args: Any, chairs: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"] = forms.ChoiceField(
            label="Chair to ask",
            choices=[
                ("", "Choose a chair"),
                *[
                    (
                        str(u.pk),
                        f"{u.get_full_name() or u.username}, {u.agency.name if u.agency else ''}",
                    )
                    for u in chairs
                ],
            ],
            widget=GovukSelect(),
            error_messages={"required": "Choose the chair to ask"},
        )


class ChairResponseForm(GovukForm):
    response = forms.ChoiceField(
        label="Your answer",
        choices=[
            ("no_objection", "I do not object"),
            (
                "objects",
                "I object: disclosure would interfere significantly with a safety plan or may harm a child",
            ),
        ],
        widget=GovukRadios(),
        error_messages={"required": "Choose your answer"},
    )
    reason = _text("Why (for an objection)", required=False)


class ProceedForm(GovukForm):
    prefix = "proceed"
    note = _text("Why disclosure goes ahead")
