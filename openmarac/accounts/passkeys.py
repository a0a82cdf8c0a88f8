"""Passkeys (WebAuthn) as a second factor, through the ``fido2`` package.

A progressive enhancement: the ceremony needs JavaScript (``static/js/passkeys.js``), and every
page that offers a passkey also takes an authenticator-app code without it. The endpoints speak
JSON to that script; the options and the browser's answer use WebAuthn's JSON forms.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from fido2.server import Fido2Server
from fido2.webauthn import (
    AttestedCredentialData,
    PublicKeyCredentialRpEntity,
    PublicKeyCredentialUserEntity,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record, client_ip
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import role_required, signed_in

from . import services, throttle
from .models import Passkey, User
from .ratelimit import rate_limit_per_ip
from .stepup import has_recent_mfa, recent_mfa_required

STATE = "webauthn_state"


def _server(request: HttpRequest) -> Fido2Server:
    rp_id = settings.WEBAUTHN_RP_ID or request.get_host().split(":")[0]
    return Fido2Server(PublicKeyCredentialRpEntity(name="OpenMARAC", id=rp_id))


def _credentials(user: User) -> list[AttestedCredentialData]:
    return [AttestedCredentialData(bytes(p.credential_data)) for p in user.passkeys.all()]


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _user_for_ceremony(request: HttpRequest) -> User | None:
    if request.user.is_authenticated:
        assert isinstance(request.user, User)
        return request.user
    return services.pending_user(request)


@rate_limit_per_ip("mfa")
@require_POST
def sign_in_options(request: HttpRequest) -> HttpResponse:
    user = _user_for_ceremony(request)
    if user is None or not user.passkeys.exists():
        return JsonResponse({"error": "no passkey"}, status=400)
    options, state = _server(request).authenticate_begin(
        _credentials(user), user_verification=UserVerificationRequirement.PREFERRED
    )
    request.session[STATE] = state
    return JsonResponse(dict(options))


@rate_limit_per_ip("mfa")
@require_POST
def sign_in_complete(request: HttpRequest) -> HttpResponse:
    """The second factor by passkey, at sign-in or for step-up."""
    user = _user_for_ceremony(request)
    state = request.session.pop(STATE, None)
    if user is None or state is None:
        return JsonResponse({"error": "start again"}, status=400)
    if (
        throttle.wait_for(username=user.username, ip=client_ip(request), request=request)
        is not None
    ):
        return JsonResponse({"error": "too many attempts"}, status=429)
    data = _body(request)
    next_url = str(data.pop("next", "") or "")
    try:
        credential = _server(request).authenticate_complete(state, _credentials(user), data)
    except Exception:  # any malformed or wrong assertion is one failure
        services.failure_record(username=user.username, known=user, request=request, step="passkey")
        return JsonResponse({"error": "not accepted"}, status=400)
    with transaction.atomic():
        Passkey.objects.filter(user=user, credential_id=bytes(credential.credential_id)).update(
            last_used_at=timezone.now()
        )
    audit_record(action="auth.mfa", request=request, actor=user, detail={"method": "passkey"})
    if request.user.is_authenticated:
        services.mfa_refresh(request=request, method="passkey")
        from .views import _safe_next

        return JsonResponse(
            {"redirect": _safe_next(request, next_url) or reverse("workspace:home")}
        )
    from .views import _finish

    response = _finish(request, user, "passkey")
    answer = JsonResponse({"redirect": response["Location"]})
    answer.cookies = response.cookies  # the device cookie
    return answer


@role_required(signed_in)
@require_POST
def register_options(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if not has_recent_mfa(request):
        return JsonResponse({"redirect": reverse("accounts:confirm")}, status=403)
    options, state = _server(request).register_begin(
        PublicKeyCredentialUserEntity(
            name=user.username, id=str(user.pk).encode(), display_name=user.get_full_name()
        ),
        _credentials(user),
        resident_key_requirement=ResidentKeyRequirement.PREFERRED,
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    request.session[STATE] = state
    return JsonResponse(dict(options))


@role_required(signed_in)
@require_POST
def register_complete(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    state = request.session.pop(STATE, None)
    if state is None or not has_recent_mfa(request):
        return JsonResponse({"error": "start again"}, status=400)
    try:
        auth_data = _server(request).register_complete(state, _body(request))
    except Exception:  # a malformed or refused attestation
        audit_record(
            action="auth.mfa_enrolled",
            request=request,
            outcome=Outcome.FAILURE,
            detail={"method": "passkey"},
        )
        return JsonResponse({"error": "not accepted"}, status=400)
    credential = auth_data.credential_data
    assert credential is not None
    passkey = Passkey.objects.create(
        user=user,
        credential_id=bytes(credential.credential_id),
        credential_data=bytes(credential),
        sign_count=auth_data.counter,
    )
    audit_record(
        action="auth.mfa_enrolled", request=request, obj=passkey, detail={"method": "passkey"}
    )
    services.credentials_changed_notice(user=user, change="mfa_enrolled")
    return JsonResponse({"redirect": reverse("accounts:security")})


@role_required(signed_in)
@recent_mfa_required
@require_POST
def remove(request: HttpRequest, passkey_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    passkey = get_in_scope_or_404(
        request, Passkey.objects.filter(user=user), action="auth.passkey", pk=passkey_id
    )
    if not user.totp_devices.filter(confirmed_at__isnull=False).exists() and (
        user.passkeys.count() == 1
    ):
        return redirect("accounts:security")
    audit_record(
        action="auth.mfa_removed", request=request, obj=passkey, detail={"method": "passkey"}
    )
    services.credentials_changed_notice(user=user, change="mfa_removed")
    passkey.delete()
    return redirect("accounts:security")
