from __future__ import annotations

from django import forms

from openmarac.core.forms import GovukForm, GovukPasswordInput, GovukTextInput


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
        max_length=256,
        strip=False,
        widget=GovukPasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
