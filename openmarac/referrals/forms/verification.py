"""The referrer's work e-mail address, which must be an official one of the partnership, and
the code sent to it."""

from __future__ import annotations

from typing import Any

from django import forms

from openmarac.core.forms import GovukEmailInput, GovukForm, GovukTextInput
from openmarac.partnerships.models import Partnership

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
