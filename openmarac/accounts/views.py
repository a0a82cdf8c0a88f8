"""Signing in (password, then a second factor), the user's own security page, step-up, and the
hub's account and security-policy pages. Every attempt is audited; failures never say which part
was wrong, and sign-in answers alike whether or not the account exists."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required, signed_in

from . import mfa, services
from .forms import (
    ChangePasswordForm,
    CodeForm,
    EnrolForm,
    NewPasswordForm,
    NextQuery,
    SecurityPolicyForm,
    SignInForm,
)
from .models import TotpDevice, User, UserSession
from .passwords import password_expired
from .policy import geoip_available, policy_for_user, security_policy_create
from .ratelimit import limit_for, rate_limit_hit, rate_limit_per_ip, rate_limited_response
from .stepup import recent_mfa_required

NEXT = "auth_next"
NEW_CODES = "new_recovery_codes"
TEMPORARY_PASSWORD = "hub_temporary_password"
LOCKED_MESSAGE = (
    "Your account is locked after too many failed attempts. Contact the MARAC hub team to unlock it"
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
    if request.session.get(NEW_CODES):
        return redirect("accounts:recovery_codes")
    return redirect(next_url or "core:home")


@rate_limit_per_ip("sign_in")
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST or None)
    next_url = _next_from(request)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        limit = limit_for("sign_in_account")
        if rate_limit_hit(limit, f"user:{username.lower()}"):
            return rate_limited_response(request, limit)
        result = services.sign_in_password(
            username=username, password=form.cleaned_data["password"], request=request
        )
        if result.status == "ok":
            request.session[NEXT] = next_url
            return redirect("accounts:verify")
        if result.status == "locked":
            form.add_error(None, LOCKED_MESSAGE)
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
    if not mfa.has_strong_factor(user) and not policy.allow_email_codes:
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
        code = form.cleaned_data["code"]
        method = services.mfa_code_check(user=user, code=code, request=request)
        if method:
            return _finish(request, user, method)
        user.refresh_from_db(fields=["locked_at"])
        if user.is_locked:
            request.session.pop(services.PENDING, None)
            locked_form = SignInForm({})
            locked_form.is_valid()
            locked_form.errors.clear()
            locked_form.add_error(None, LOCKED_MESSAGE)
            return render(request, "accounts/sign_in.html", {"form": locked_form, "next": ""})
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
    """First sign-in, or after the hub reset the second factor: set up an authenticator app."""
    user = _pending_or_restart(request)
    if user is None:
        return redirect("accounts:sign_in")
    if mfa.has_strong_factor(user):
        return redirect("accounts:verify")
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
        if request.session.get(NEW_CODES):
            return redirect("accounts:recovery_codes")
        return redirect(next_url or "core:home")
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
        method = services.mfa_code_check(user=user, code=form.cleaned_data["code"], request=request)
        if method and method != "recovery":
            services.mfa_refresh(request=request, method=method)
            return redirect(next_url or "core:home")
        user.refresh_from_db(fields=["locked_at"])
        if user.is_locked:
            return sign_out(request)
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
    record = get_in_scope_or_404(
        request,
        UserSession.objects.filter(user=request.user, ended_at__isnull=True),  # type: ignore[misc]
        action="auth.session",
        pk=session_id,
    )
    current = record.session_key == request.session.session_key
    services.session_end(record=record, actor=request.user, request=request, reason="ended_by_user")
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


# The hub's pages.


def _partnership_users(request: HttpRequest) -> Any:
    partnership_id = request.user.agency.partnership_id  # type: ignore[union-attr]
    return User.objects.filter(agency__partnership_id=partnership_id).select_related("agency")


@role_required(is_hub)
def hub_accounts(request: HttpRequest) -> HttpResponse:
    users = _partnership_users(request).order_by("last_name", "first_name", "username")
    audit_record(action="hub.accounts_viewed", request=request)
    return render(request, "accounts/hub_accounts.html", {"users": users})


@role_required(is_hub)
def hub_account(request: HttpRequest, user_id: int) -> HttpResponse:
    account = get_in_scope_or_404(
        request, _partnership_users(request), action="hub.account", pk=user_id
    )
    audit_record(action="hub.account_viewed", request=request, obj=account)
    return render(
        request,
        "accounts/hub_account.html",
        {
            "account": account,
            "sessions": UserSession.objects.filter(user=account, ended_at__isnull=True),
            "has_app": TotpDevice.objects.filter(user=account, confirmed_at__isnull=False).count(),
            "passkeys": account.passkeys.count(),
            "recovery_left": mfa.recovery_codes_left(account),
            "temporary_password": request.session.pop(TEMPORARY_PASSWORD, None),
        },
    )


@role_required(is_hub)
@recent_mfa_required
@require_POST
def hub_account_action(request: HttpRequest, user_id: int, action: str) -> HttpResponse:
    """Unlock, reset the second factor, issue a temporary password, or end every session."""
    account = get_in_scope_or_404(
        request, _partnership_users(request), action="hub.account", pk=user_id
    )
    actor = request.user
    assert isinstance(actor, User)
    if action == "unlock":
        services.account_unlock(user=account, actor=actor, request=request)
        messages.success(request, "Account unlocked")
    elif action == "reset-mfa":
        services.mfa_reset(user=account, actor=actor, request=request)
        messages.success(request, "Second factor reset: they will set one up at their next sign-in")
    elif action == "reset-password":
        request.session[TEMPORARY_PASSWORD] = services.password_reset_by_hub(
            user=account, actor=actor, request=request
        )
        messages.success(request, "Temporary password issued")
    elif action == "end-sessions":
        services.end_all_sessions(user=account, actor=actor, reason="ended_by_hub", request=request)
        messages.success(request, "Every session ended")
    else:
        return render(request, "core/404.html", status=404)
    return redirect("accounts:hub_account", user_id=account.pk)


@role_required(is_hub)
@require_POST
def hub_session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    partnership_id = request.user.agency.partnership_id  # type: ignore[union-attr]
    record = get_in_scope_or_404(
        request,
        UserSession.objects.filter(
            user__agency__partnership_id=partnership_id, ended_at__isnull=True
        ),
        action="auth.session",
        pk=session_id,
    )
    services.session_end(record=record, actor=request.user, request=request, reason="ended_by_hub")
    messages.success(request, "Session ended")
    return redirect("accounts:hub_account", user_id=record.user_id)


@role_required(is_hub)
@recent_mfa_required
@require_http_methods(["GET", "POST"])
def hub_security_policy(request: HttpRequest) -> HttpResponse:
    actor = request.user
    assert isinstance(actor, User)
    policy = security_policy_create(partnership=actor.agency.partnership)  # type: ignore[union-attr]
    form = SecurityPolicyForm(request.POST or None, policy=policy)
    if request.method == "POST" and form.is_valid():
        services.security_policy_update(
            policy=policy, actor=actor, changes=form.changes(), request=request
        )
        messages.success(request, "Security policy saved")
        return redirect("accounts:hub_security_policy")
    if request.method == "GET":
        audit_record(action="security_policy.view", request=request, obj=policy)
    return render(
        request,
        "accounts/hub_security_policy.html",
        {"form": form, "geoip": geoip_available()},
    )
