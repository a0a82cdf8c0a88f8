"""The hub's account pages: every account of the partnership, one account's sign-in state, the
resets that e-mail the account holder a set-up link, and the security policy."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required

from . import mfa, services, setup_links, throttle
from .forms import SecurityPolicyForm
from .models import SetupLink, TotpDevice, User, UserSession
from .policy import geoip_available, security_policy_create
from .sessions import end_all_sessions
from .stepup import recent_mfa_required


def _partnership_users(request: HttpRequest) -> QuerySet[User]:
    partnership_id = signed_in_user(request).agency.partnership_id  # type: ignore[union-attr]
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
    actor = request.user
    assert isinstance(actor, User)
    audit_record(action="hub.account_viewed", request=request, obj=account)
    failures, wait = throttle.state_of(username=account.username)
    return render(
        request,
        "accounts/hub_account.html",
        {
            "account": account,
            "sessions": UserSession.objects.filter(user=account, ended_at__isnull=True),
            "has_app": TotpDevice.objects.filter(user=account, confirmed_at__isnull=False).count(),
            "passkeys": account.passkeys.count(),
            "recovery_left": mfa.recovery_codes_left(account),
            "failures": failures,
            "wait": wait,
            "last_link": SetupLink.objects.filter(user=account).first(),
            "reset_refusal": setup_links.reset_refusal(actor=actor, target=account),
        },
    )


@role_required(is_hub)
@recent_mfa_required
@require_POST
def hub_account_action(request: HttpRequest, user_id: int, action: str) -> HttpResponse:
    """Clear sign-in delays, reset the password or the second factors (each e-mails the
    account holder a set-up link and shows the hub nothing else), or end every session."""
    account = get_in_scope_or_404(
        request, _partnership_users(request), action="hub.account", pk=user_id
    )
    actor = request.user
    assert isinstance(actor, User)
    resets = {
        "reset-password": setup_links.password_reset_by_hub,
        "reset-mfa": setup_links.mfa_reset,
    }
    if action == "unlock":
        services.account_unlock(user=account, actor=actor, request=request)
        messages.success(request, "Sign-in delays cleared")
    elif action in resets:
        refusal = setup_links.reset_refusal(actor=actor, target=account)
        if refusal:
            audit_record(
                action="hub.account_reset",
                request=request,
                obj=account,
                outcome=Outcome.DENIED,
                detail={"reset": action},
            )
            messages.error(request, refusal)
            return redirect("accounts:hub_account", user_id=account.pk)
        try:
            resets[action](user=account, actor=actor, request=request)
        except (setup_links.SetupLinkNotSent, ValidationError):
            messages.error(
                request, "The e-mail could not be sent, so nothing was changed. Try again"
            )
            return redirect("accounts:hub_account", user_id=account.pk)
        what = "password" if action == "reset-password" else "second factors"
        messages.success(
            request,
            f"The {what} of this account {'was' if what == 'password' else 'were'} reset. "
            f"We have e-mailed {account.get_full_name() or account.username} a single-use link "
            "to set up again, and told the partnership's security contact",
        )
    elif action == "end-sessions":
        end_all_sessions(user=account, actor=actor, reason="ended_by_hub", request=request)
        messages.success(request, "Every session ended")
    else:
        return render(request, "core/404.html", status=404)
    return redirect("accounts:hub_account", user_id=account.pk)


@role_required(is_hub)
@require_POST
def hub_session_end(request: HttpRequest, session_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    partnership_id = actor.agency.partnership_id  # type: ignore[union-attr]
    record = get_in_scope_or_404(
        request,
        UserSession.objects.filter(
            user__agency__partnership_id=partnership_id, ended_at__isnull=True
        ),
        action="auth.session",
        pk=session_id,
    )
    services.session_end(record=record, actor=actor, request=request, reason="ended_by_hub")
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
