"""The search form: a reference or a name, an optional date of birth, and the page wanted."""

from __future__ import annotations

import unicodedata
from typing import Any

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone

from openmarac.core.forms import GovukDateField, GovukForm

from .selectors import SearchTerms

MAX_LENGTH = 200


class SearchForm(GovukForm):
    q = forms.CharField(
        label="Reference or name",
        help_text="A case or referral reference, or a person's first and last names",
        max_length=MAX_LENGTH,
        error_messages={
            "required": "Enter a case or referral reference, or a person's name",
            "max_length": f"Search terms must be {MAX_LENGTH} characters or fewer",
        },
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        help_text="Optional, to narrow a search by name. For example, 27 3 1987",
        required=False,
        latest=timezone.localdate,
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["q"]
        field.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        # Control characters get the form's own message (below), not Django's.
        field.validators = [
            v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]

    def clean_q(self) -> str:
        text = " ".join(str(self.cleaned_data["q"]).split())
        if any(unicodedata.category(ch).startswith("C") for ch in text):
            raise forms.ValidationError("Search terms must only include letters, numbers and -")
        if not text:
            raise forms.ValidationError(self.fields["q"].error_messages["required"])
        return text

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        terms = self.terms()
        if terms.date_of_birth is not None and not terms.is_name:
            self.add_error(
                "q", "Enter the person's first and last names to search with a date of birth"
            )
        return cleaned

    def terms(self) -> SearchTerms:
        return SearchTerms(
            text=self.cleaned_data["q"], date_of_birth=self.cleaned_data.get("date_of_birth")
        )

    def page_number(self) -> int:
        return int(self.cleaned_data.get("page") or 1)

    def carried(self) -> list[tuple[str, str]]:
        """The terms as hidden fields, for the pages of results to post back."""
        terms = self.terms()
        fields = [("q", terms.text)]
        if terms.date_of_birth is not None:
            day, month, year = self.fields["date_of_birth"].widget.decompress(terms.date_of_birth)
            fields += [
                ("date_of_birth_day", str(day)),
                ("date_of_birth_month", str(month)),
                ("date_of_birth_year", str(year)),
            ]
        return fields
