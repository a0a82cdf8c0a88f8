from __future__ import annotations

import ipaddress
from typing import Any

from django import forms

from openmarac.core.forms import (
    GovukForm,
    GovukNumberInput,
    GovukPasswordInput,
    GovukRadios,
    GovukTextarea,
    GovukTextInput,
    QueryForm,
    QueryTextField,
)

from .models import SecurityPolicy, User
from .passwords import MAX_LENGTH, password_problems
from .policy import geoip_available


class NextQuery(QueryForm):
    """``next``: the page to go on to after signing in or giving a second factor again."""

    next = QueryTextField(max_length=2000)


class SignInForm(GovukForm):
    username = forms.CharField(
        label="Username",
        max_length=150,
        widget=GovukTextInput(
            attrs={
                "class": "govuk-input govuk-input--width-20",
                "autocomplete": "username",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter your username"},
    )
    password = forms.CharField(
        label="Password",
        max_length=MAX_LENGTH,
        strip=False,
        widget=GovukPasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )


class CodeForm(GovukForm):
    code = forms.CharField(
        label="Code",
        max_length=20,
        widget=GovukTextInput(
            attrs={
                "class": "govuk-input govuk-input--width-10",
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "spellcheck": "false",
            }
        ),
        error_messages={"required": "Enter the code"},
    )

    def __init__(self, *args: Any, label: str = "Code", help_text: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["code"].label = label
        if help_text:
            self.fields["code"].help_text = help_text
            self._describe("code", f"{self._field_id('code')}-hint")


class EnrolForm(CodeForm):
    name = forms.CharField(
        label="Name this authenticator (optional)",
        max_length=60,
        required=False,
        help_text="For example, 'Work phone'.",
        widget=GovukTextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
    )


class NewPasswordForm(GovukForm):
    password1 = forms.CharField(
        label="New password",
        max_length=MAX_LENGTH,
        strip=False,
        widget=GovukPasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a new password"},
    )
    password2 = forms.CharField(
        label="Confirm new password",
        max_length=MAX_LENGTH,
        strip=False,
        widget=GovukPasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Confirm your new password"},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = (
            "Use 12 characters or more; a few unrelated words make a strong password. It must not "
            "be a common password or contain your name, your agency's name or MARAC."
        )
        self._describe("password1", f"{self._field_id('password1')}-hint")

    def clean_password1(self) -> str:
        password = self.cleaned_data["password1"]
        problems = password_problems(password, user=self.user)
        if self.user.check_password(password):
            problems.append("New password must be different from your current password")
        if problems:
            raise forms.ValidationError(problems)
        return str(password)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("password1")
            and data.get("password2")
            and data["password1"] != data["password2"]
        ):
            self.add_error("password2", "The passwords do not match")
        return data


class ChangePasswordForm(NewPasswordForm):
    current = forms.CharField(
        label="Current password",
        max_length=MAX_LENGTH,
        strip=False,
        widget=GovukPasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your current password"},
    )
    field_order = ["current", "password1", "password2"]

    def clean_current(self) -> str:
        current = self.cleaned_data["current"]
        if not self.user.check_password(current):
            raise forms.ValidationError("Your current password is not correct")
        return str(current)


YES_NO = [("yes", "Yes"), ("no", "No")]


def _cidr_lines(value: str, label: str) -> list[str]:
    networks = []
    for line in value.replace(",", "\n").splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            networks.append(str(ipaddress.ip_network(line, strict=False)))
        except ValueError as exc:
            raise forms.ValidationError(
                f"{label}: '{line[:45]}' is not a network. Enter one like 192.0.2.0/24 on each line"
            ) from exc
    return networks


class SecurityPolicyForm(GovukForm):
    password_min_length = forms.IntegerField(
        label="Shortest password allowed (characters)",
        min_value=12,
        max_value=64,
        widget=GovukNumberInput(),
        help_text="At least 12. Longer passwords are always allowed (up to 256 characters).",
        error_messages={
            "required": "Enter the shortest password allowed",
            "invalid": "Shortest password must be a number",
            "min_value": "Shortest password must be 12 characters or more",
            "max_value": "Shortest password must be 64 characters or fewer",
        },
    )
    password_require_character_classes = forms.ChoiceField(
        label="Require capital and small letters, a number and a symbol?",
        choices=YES_NO,
        widget=GovukRadios,
        help_text="Not recommended (NIST SP 800-63B); use only where your protocol demands it.",
    )
    password_max_age_days = forms.IntegerField(
        label="Make users change their password after this many days (optional)",
        required=False,
        min_value=1,
        max_value=3650,
        widget=GovukNumberInput(),
        help_text="Leave empty for no forced change (recommended).",
        error_messages={"invalid": "Days before a password change must be a number"},
    )
    allow_email_codes = forms.ChoiceField(
        label="Allow second-factor codes by e-mail?",
        choices=YES_NO,
        widget=GovukRadios,
        help_text="Weaker than an authenticator app or passkey (OWASP ASVS level 3 forbids it).",
    )
    lockout_threshold = forms.IntegerField(
        label="Slow down signing in after this many failed attempts",
        min_value=3,
        max_value=100,
        widget=GovukNumberInput(),
        error_messages={
            "required": "Enter the number of failed attempts",
            "invalid": "Failed attempts must be a number",
            "min_value": "Failed attempts must be 3 or more",
            "max_value": "Failed attempts must be 100 or fewer",
        },
    )
    idle_timeout_minutes = forms.IntegerField(
        label="Sign out after this many minutes without activity",
        min_value=1,
        max_value=240,
        widget=GovukNumberInput(),
        error_messages={
            "required": "Enter the idle time-out",
            "invalid": "Idle time-out must be a number",
            "min_value": "Idle time-out must be 1 minute or more",
            "max_value": "Idle time-out must be 240 minutes or fewer",
        },
    )
    absolute_lifetime_hours = forms.IntegerField(
        label="Sign out this many hours after signing in, whatever the activity",
        min_value=1,
        max_value=24,
        widget=GovukNumberInput(),
        error_messages={
            "required": "Enter the session lifetime",
            "invalid": "Session lifetime must be a number",
            "min_value": "Session lifetime must be 1 hour or more",
            "max_value": "Session lifetime must be 24 hours or fewer",
        },
    )
    allowed_networks = forms.CharField(
        label="Allow sign-in only from these networks (optional)",
        required=False,
        widget=GovukTextarea(),
        help_text="One network on each line, like 192.0.2.0/24. Leave empty to allow any network.",
    )
    denied_networks = forms.CharField(
        label="Never allow sign-in from these networks (optional)",
        required=False,
        widget=GovukTextarea(),
        help_text="One network on each line, like 198.51.100.0/24.",
    )
    allowed_countries = forms.CharField(
        label="Allow sign-in only from these countries (optional)",
        required=False,
        widget=GovukTextInput(attrs={"class": "govuk-input govuk-input--width-20"}),
        help_text="Two-letter country codes separated by commas, like GB, IE.",
    )

    def __init__(self, *args: Any, policy: SecurityPolicy, **kwargs: Any) -> None:
        initial = {
            "password_min_length": policy.password_min_length,
            "password_require_character_classes": "yes"
            if policy.password_require_character_classes
            else "no",
            "password_max_age_days": policy.password_max_age_days,
            "allow_email_codes": "yes" if policy.allow_email_codes else "no",
            "lockout_threshold": policy.lockout_threshold,
            "idle_timeout_minutes": policy.idle_timeout_minutes,
            "absolute_lifetime_hours": policy.absolute_lifetime_hours,
            "allowed_networks": "\n".join(policy.allowed_networks),
            "denied_networks": "\n".join(policy.denied_networks),
            "allowed_countries": ", ".join(policy.allowed_countries),
        }
        super().__init__(*args, initial=initial, **kwargs)
        if not geoip_available():
            field = self.fields["allowed_countries"]
            field.help_text = (
                "This cannot be used yet: no GeoIP country database is set up. Ask whoever runs "
                "the service to set GEOIP_DATABASE, then come back to this page."
            )
            field.disabled = True

    def clean_allowed_networks(self) -> list[str]:
        return _cidr_lines(self.cleaned_data["allowed_networks"], "Allowed networks")

    def clean_denied_networks(self) -> list[str]:
        return _cidr_lines(self.cleaned_data["denied_networks"], "Denied networks")

    def clean_allowed_countries(self) -> list[str]:
        value = self.cleaned_data.get("allowed_countries") or ""
        if isinstance(value, list):
            value = ", ".join(value)
        codes = [
            part.strip().upper() for part in value.replace("\n", ",").split(",") if part.strip()
        ]
        bad = [code for code in codes if len(code) != 2 or not code.isalpha()]
        if bad:
            raise forms.ValidationError(
                "Country codes must be two letters, like GB, separated by commas"
            )
        if codes and not geoip_available():
            raise forms.ValidationError(
                "Country rules cannot be used: no GeoIP country database is set up"
            )
        return codes

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("password_require_character_classes", "allow_email_codes"):
            data[name] = data[name] == "yes"
        return data
