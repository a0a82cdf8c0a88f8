"""Opening a set-up link: choose a password, then (for an account with no second factor) enrol
one. See ``setup_links`` for why this is the only way to either without the old credentials."""

from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import mfa, services, setup_links
from .forms import NewPasswordForm
from .models import SetupLinkPurpose
from .ratelimit import rate_limit_per_ip


@rate_limit_per_ip("mfa", methods=("GET", "POST"))
@require_http_methods(["GET", "POST"])
def setup_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link from the e-mail. Opening it changes nothing (mail scanners open links); the
    button uses it up and takes the token out of the address bar."""
    if request.method == "POST":
        if request.user.is_authenticated:
            logout(request)  # whoever was signed in here, the link is for its addressee
        link = setup_links.setup_link_use(token=token, request=request)
        if link is None:
            return render(request, "accounts/setup_invalid.html", status=404)
        if link.purpose == SetupLinkPurpose.FACTOR_RESET:
            messages.info(
                request,
                "Sign in with your password. You will then set up your authenticator app",
            )
            return redirect("accounts:sign_in")
        return redirect("accounts:setup_password")
    link = setup_links.setup_link_valid(token)
    if link is None:
        return render(request, "accounts/setup_invalid.html", status=404)
    # The site-wide "same-origin" referrer policy keeps the token from any other site.
    return render(request, "accounts/setup_start.html", {"purpose": link.get_purpose_display()})


@require_http_methods(["GET", "POST"])
def setup_password(request: HttpRequest) -> HttpResponse:
    """Choose a password with the grant a set-up link gave this browser."""
    grant = setup_links.grant_of(request)
    user = setup_links.grant_user(request)
    if grant is None or user is None or not grant["password"]:
        return redirect("accounts:sign_in")
    form = NewPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            user=user, password=form.cleaned_data["password1"], request=request
        )
        grant["password"] = False
        request.session[setup_links.GRANT] = grant
        request.session[services.PENDING] = {"user": user.pk, "at": int(time.time())}
        if mfa.has_strong_factor(user):
            messages.success(request, "Your password has been changed. Now give your second factor")
            return redirect("accounts:verify")
        return redirect("accounts:enrol")
    return render(request, "accounts/setup_password.html", {"form": form})
