from __future__ import annotations

from typing import Any

from django import forms

from openmarac.cases.models import Restriction
from openmarac.core.forms import (
    GovukForm,
    GovukRadios,
    GovukSelect,
    GovukTextarea,
    GovukTextInput,
    ReferenceQuery,
)
from openmarac.core.pagination import PageQuery


class CaseToManageQuery(ReferenceQuery, PageQuery):
    """``?reference=`` on the restricted cases page: the case to restrict or invite into;
    ``?page=`` pages the list of restricted cases."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reference"].label = "Restrict a case or invite someone into it: case reference"


class RestrictionForm(GovukForm):
    restriction = forms.ChoiceField(
        label="Restriction",
        choices=[("none", "Not restricted"), *Restriction.choices[1:]],
        widget=GovukRadios(),
        error_messages={"required": "Select whether the case is restricted"},
    )

    def value(self) -> str:
        chosen = self.cleaned_data["restriction"]
        return "" if chosen == "none" else chosen


class InviteForm(GovukForm):
    user = forms.ChoiceField(
        label="Invite a named user",
        widget=GovukSelect(),
        error_messages={"required": "Select the user to invite"},
    )

    def __init__(self, *args: Any, users: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "Choose a user")] + [  # type: ignore[attr-defined]
            (str(u.pk), f"{u.get_full_name() or u.username}, {u.agency.name}") for u in users
        ]


class BreakGlassForm(GovukForm):
    reference = forms.CharField(
        label="Case reference",
        max_length=30,
        widget=GovukTextInput(),
        error_messages={"required": "Enter the case reference"},
    )
    reason = forms.CharField(
        label="Why you need to open this case now",
        min_length=20,
        max_length=2000,
        widget=GovukTextarea(),
        help_text="The security contact is alerted and the reason is kept in the audit report.",
        error_messages={
            "required": "Enter why you need to open this case",
            "min_length": "Give the reason in at least 20 characters",
        },
    )
