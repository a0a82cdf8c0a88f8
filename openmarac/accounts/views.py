"""Signing in (password, then a second factor), the user's own security page, step-up, and the
hub's account and security-policy pages. Every attempt is audited; failures never say which part
was wrong, and sign-in answers alike whether or not the account exists."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record, client_ip
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import role_required, signed_in

from . import mfa, services, setup_links, throttle
from .forms import (
    ChangePasswordForm,
    CodeForm,
    EnrolForm,
    NewPasswordForm,
    NextQuery,
    SignInForm,
)
from .models import TotpDevice, User, UserSession
from .passwords import password_expired
from .policy import policy_for_user
from .ratelimit import limit_for, rate_limit_hit, rate_limit_per_ip, rate_limited_response
from .stepup import recent_mfa_required

NEXT = "auth_next"
NEW_CODES = "new_recovery_codes"


def throttled_message(minutes: int) -> str:
    return (
        "There have been too many failed attempts to sign in with this username. "
        f"Wait {minutes} minute{'s' if minutes != 1 else ''} and try again"
    )


def _safe_next(request: HttpRequest, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return ""


def _next_from(request: HttpRequest) -> str:
    """``next`` from the form, else from the query string, if it is a page of this site."""
    value = NextQuery(request.POST).value("next") or NextQuery(request.GET).value("next")
    return _safe_next(request, value or "")


def _finish(request: HttpRequest, user: User, method: str) -> HttpResponse:
    """After the second factor: a forced password change, or signed in and on to the next page."""
    pending = request.session.get(services.PENDING) or {}
    if password_expired(user):
        pending["mfa"] = method
        request.session[services.PENDING] = pending
        return redirect("accounts:new_password")
    next_url = request.session.pop(NEXT, "")
    services.sign_in_complete(user=user, request=request, method=method)
    response = redirect(
        "accounts:recovery_codes"
        if request.session.get(NEW_CODES)
        else next_url or "workspace:home"
    )
    throttle.remember_device(response, request, user.username)
    return response


@rate_limit_per_ip("sign_in")
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    next_url = _next_from(request)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        result = services.sign_in_password(
            username=username, password=form.cleaned_data["password"], request=request
        )
        if result.status == "ok":
            request.session[NEXT] = next_url
            return redirect("accounts:verify")
        if result.status == "throttled" and result.wait is not None:
            form.add_error(None, throttled_message(result.wait.minutes))
        elif result.status == "network":
            form.add_error(
                None,
                "You cannot sign in from this network or country. Contact the MARAC hub team",
            )
        else:
            form.add_error(None, "The username or password is not correct")
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


def _pending_or_restart(request: HttpRequest) -> User | None:
    return services.pending_user(request)


@rate_limit_per_ip("mfa")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, an e-mailed code or a recovery code."""
    user = _pending_or_restart(request)
    if user is None:
        return redirect("accounts:sign_in")
    policy = policy_for_user(user)
    if not mfa.has_strong_factor(user) and (
        not policy.allow_email_codes or setup_links.grant_allows_enrolment(request, user)
    ):
        return redirect("accounts:enrol")
    pending = request.session[services.PENDING]
    if pending.get("mfa"):
        return redirect("accounts:new_password")
    form = CodeForm(
        request.POST or None,
        label="Enter the code",
        help_text=(
            "The 6-digit code from your authenticator app"
            + (", or the code we e-mailed you" if policy.allow_email_codes else "")
            + ". If you have lost your device, enter one of your recovery codes."
        ),
    )
    if request.method == "POST" and form.is_valid():
        limit = limit_for("mfa_account")
        if rate_limit_hit(limit, f"user:{user.pk}"):
            return rate_limited_response(request, limit)
        wait = throttle.wait_for(username=user.username, ip=client_ip(request), request=request)
        if wait is None:
            code = form.cleaned_data["code"]
            method = services.mfa_code_check(user=user, code=code, request=request)
            if method:
                return _finish(request, user, method)
            wait = throttle.wait_for(username=user.username, ip=client_ip(request), request=request)
        if wait is not None:
            form.add_error("code", throttled_message(wait.minutes))
        else:
            form.add_error("code", "The code is not correct or has already been used")
    return render(
        request,
        "accounts/verify.html",
        {
            "form": form,
            "allow_email": policy.allow_email_codes,
            "has_passkeys": user.passkeys.exists(),
            "has_app": mfa.has_strong_factor(user),
        },
    )


@rate_limit_per_ip("mfa")
@require_POST
def email_code(request: HttpRequest) -> HttpResponse:
    """Send an e-mailed code, during sign-in or for step-up, where the policy allows it."""
    user = request.user if request.user.is_authenticated else _pending_or_restart(request)
    if user is None:
        return redirect("accounts:sign_in")
    assert isinstance(user, User)
    limit = limit_for("mfa_account")
    if rate_limit_hit(limit, f"user:{user.pk}"):
        return rate_limited_response(request, limit)
    if services.email_code_request(user=user, request=request):
        messages.info(request, "We have e-mailed you a code. It expires in 10 minutes")
    else:
        messages.info(request, "Your partnership does not allow codes by e-mail")
    if request.user.is_authenticated:
        back = _safe_next(request, request.POST.get("next", ""))
        confirm = reverse("accounts:confirm")
        return redirect(f"{confirm}?next={back}" if back else confirm)
    return redirect("accounts:verify")


def _qr_data_uri(uri: str) -> str:
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#0b0c0c", light="#ffffff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@rate_limit_per_ip("mfa")
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in, or after the hub reset the second factor: set up an authenticator app.
    Only in a browser that opened the user's set-up link (``setup_links``) and then gave the
    password."""
    user = _pending_or_restart(request)
    if user is None:
        return redirect("accounts:sign_in")
    if mfa.has_strong_factor(user):
        return redirect("accounts:verify")
    if not setup_links.grant_allows_enrolment(request, user):
        # A password alone never enrols a factor: that takes a set-up link e-mailed to the user
        # (or, where the policy allows e-mailed codes, signing in with one first).
        audit_record(
            action="auth.mfa_enrolled",
            request=request,
            actor=user,
            outcome=Outcome.DENIED,
            detail={"reason": "no_setup_link"},
        )
        policy = policy_for_user(user)
        return render(
            request,
            "accounts/no_factor.html",
            {"allow_email": policy.allow_email_codes},
            status=403,
        )
    pending = request.session[services.PENDING]
    secret = pending.get("secret") or mfa.totp_secret_new()
    if pending.get("secret") != secret:
        pending["secret"] = secret
        request.session[services.PENDING] = pending
    form = EnrolForm(
        request.POST or None,
        label="Enter the 6-digit code your app shows",
    )
    if request.method == "POST" and form.is_valid():
        device = services.totp_enrol(
            user=user,
            secret=secret,
            code=form.cleaned_data["code"],
            name=form.cleaned_data["name"],
            request=request,
        )
        if device is not None:
            request.session[NEW_CODES] = services.recovery_codes_issue(user=user, request=request)
            return _finish(request, user, "totp")
        form.add_error("code", "The code is not correct. Check the app and try again")
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "secret": _grouped(secret),
            "qr": _qr_data_uri(mfa.totp_provisioning_uri(secret=secret, user=user)),
            "signed_in": False,
        },
    )


@require_http_methods(["GET", "POST"])
def new_password(request: HttpRequest) -> HttpResponse:
    """A password past its age, or a temporary one from the hub, is changed before going on."""
    user = _pending_or_restart(request)
    pending = request.session.get(services.PENDING) or {}
    if user is None or not pending.get("mfa"):
        return redirect("accounts:sign_in")
    form = NewPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            user=user, password=form.cleaned_data["password1"], request=request
        )
        next_url = request.session.pop(NEXT, "")
        services.sign_in_complete(user=user, request=request, method=pending["mfa"])
        messages.success(request, "Your password has been changed")
        response = redirect(
            "accounts:recovery_codes"
            if request.session.get(NEW_CODES)
            else next_url or "workspace:home"
        )
        throttle.remember_device(response, request, user.username)
        return response
    return render(request, "accounts/new_password.html", {"form": form})


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once."""
    codes = request.session.pop(NEW_CODES, None)
    if not codes:
        return redirect("accounts:security")
    return render(request, "accounts/recovery_codes.html", {"codes": codes})


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        key = request.session.session_key
        if key:
            record = UserSession.objects.filter(session_key=key).first()
            if record is not None:
                services.session_end(
                    record=record, actor=request.user, request=request, reason="signed_out"
                )
        audit_record(action="auth.sign_out", request=request)
    logout(request)
    response = redirect("accounts:sign_in")
    response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
    return response


@rate_limit_per_ip("mfa")
@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    """Step-up: give a second factor again before a sensitive action, then go back to it."""
    user = request.user
    assert isinstance(user, User)
    next_url = _next_from(request)
    policy = policy_for_user(user)
    form = CodeForm(
        request.POST or None,
        label="Enter the code",
        help_text="The 6-digit code from your authenticator app"
        + (", or the code we e-mailed you." if policy.allow_email_codes else "."),
    )
    if request.method == "POST" and form.is_valid():
        limit = limit_for("mfa_account")
        if rate_limit_hit(limit, f"user:{user.pk}"):
            return rate_limited_response(request, limit)
        wait = throttle.wait_for(username=user.username, ip=client_ip(request), request=request)
        if wait is None:
            method = services.mfa_code_check(
                user=user, code=form.cleaned_data["code"], request=request
            )
            if method and method != "recovery":
                services.mfa_refresh(request=request, method=method)
                return redirect(next_url or "workspace:home")
            wait = throttle.wait_for(username=user.username, ip=client_ip(request), request=request)
        if wait is not None:
            form.add_error("code", throttled_message(wait.minutes))
        else:
            form.add_error("code", "The code is not correct or has already been used")
    return render(
        request,
        "accounts/confirm.html",
        {
            "form": form,
            "next": next_url,
            "allow_email": policy.allow_email_codes,
            "has_passkeys": user.passkeys.exists(),
        },
    )


@role_required(signed_in)
def security(request: HttpRequest) -> HttpResponse:
    """The user's own sign-in methods and signed-in sessions."""
    user = request.user
    assert isinstance(user, User)
    sessions = UserSession.objects.filter(user=user, ended_at__isnull=True)
    return render(
        request,
        "accounts/security.html",
        {
            "sessions": sessions,
            "current_key": request.session.session_key,
            "devices": TotpDevice.objects.filter(user=user, confirmed_at__isnull=False),
            "passkeys": user.passkeys.all(),
            "recovery_left": mfa.recovery_codes_left(user),
            "policy": policy_for_user(user),
        },
    )


@role_required(signed_in)
@require_POST
def session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    user = signed_in_user(request)
    record = get_in_scope_or_404(
        request,
        UserSession.objects.filter(user=user, ended_at__isnull=True),
        action="auth.session",
        pk=session_id,
    )
    current = record.session_key == request.session.session_key
    services.session_end(record=record, actor=user, request=request, reason="ended_by_user")
    if current:
        logout(request)
        response = redirect("accounts:sign_in")
        response["Clear-Site-Data"] = '"cache", "cookies", "storage"'
        return response
    messages.success(request, "Session ended")
    return redirect("accounts:security")


@role_required(signed_in)
@recent_mfa_required
@require_http_methods(["GET", "POST"])
def totp_add(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    secret = request.session.get("new_totp_secret") or mfa.totp_secret_new()
    request.session["new_totp_secret"] = secret
    form = EnrolForm(request.POST or None, label="Enter the 6-digit code your app shows")
    if request.method == "POST" and form.is_valid():
        device = services.totp_enrol(
            user=user,
            secret=secret,
            code=form.cleaned_data["code"],
            name=form.cleaned_data["name"],
            request=request,
        )
        if device is not None:
            request.session.pop("new_totp_secret", None)
            messages.success(request, "Authenticator app added")
            if not mfa.recovery_codes_left(user):
                request.session[NEW_CODES] = services.recovery_codes_issue(
                    user=user, request=request
                )
                return redirect("accounts:recovery_codes")
            return redirect("accounts:security")
        form.add_error("code", "The code is not correct. Check the app and try again")
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "secret": _grouped(secret),
            "qr": _qr_data_uri(mfa.totp_provisioning_uri(secret=secret, user=user)),
            "signed_in": True,
        },
    )


@role_required(signed_in)
@recent_mfa_required
@require_POST
def totp_remove(request: HttpRequest, device_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    device = get_in_scope_or_404(
        request, TotpDevice.objects.filter(user=user), action="auth.totp", pk=device_id
    )
    others = TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exclude(pk=device.pk)
    if not others.exists() and not user.passkeys.exists():
        messages.info(request, "Add another authenticator app or passkey before removing this one")
        return redirect("accounts:security")
    services.totp_remove(device=device, request=request)
    messages.success(request, "Authenticator app removed")
    return redirect("accounts:security")


@role_required(signed_in)
@recent_mfa_required
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    request.session[NEW_CODES] = services.recovery_codes_issue(user=user, request=request)
    return redirect("accounts:recovery_codes")


@role_required(signed_in)
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = ChangePasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.password_change(
            user=user, password=form.cleaned_data["password1"], request=request
        )
        messages.success(request, "Your password has been changed")
        return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})
