"""Security headers and session rules applied to every response."""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

Handler = Callable[[HttpRequest], HttpResponse]


class SecurityHeadersMiddleware:
    """A nonce-based Content-Security-Policy and the headers Django does not set itself."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = base64.b64encode(os.urandom(16)).decode()
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        )
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("X-Frame-Options", "DENY")
        response.setdefault("Referrer-Policy", "same-origin")
        # Browsers honour HSTS only over HTTPS, so it is sent on every response.
        response.setdefault(
            "Strict-Transport-Security",
            f"max-age={settings.HSTS_SECONDS}; includeSubDomains",
        )
        return response


class SessionRulesMiddleware:
    """Session rules on every request, then no caching of private pages.

    A signed-in session ends when it has been idle too long, has reached its absolute lifetime,
    never completed the second factor, or comes from a network the partnership refuses; the
    limits come from the partnership's security policy. A referrer's session ends when idle.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from openmarac.accounts.policy import network_refusal, policy_for_user
        from openmarac.accounts.services import (
            MFA_AT,
            PENDING,
            SIGNED_IN_AT,
            session_expired,
            session_touch,
        )
        from openmarac.audit.services import client_ip

        session = request.session
        now = int(time.time())
        if request.user.is_authenticated:
            policy = policy_for_user(request.user)
            signed_in_at = session.get(SIGNED_IN_AT)
            last_seen = session.get("last_seen")
            reason = None
            if session.get(MFA_AT) is None or signed_in_at is None:
                reason = "incomplete"
            elif now - int(signed_in_at) > policy.absolute_lifetime_hours * 3600:
                reason = "absolute_lifetime"
            elif last_seen is not None and now - int(last_seen) > policy.idle_timeout_minutes * 60:
                reason = "idle"
            elif network_refusal(policy, client_ip(request)):
                reason = "network"
            if reason:
                session_expired(request, reason)
                logout(request)
            else:
                session["last_seen"] = now
                session_touch(request)
        elif "referrer_email" in session:
            last_seen = session.get("last_seen")
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_SECONDS:
                session.flush()
            else:
                session["last_seen"] = now
        private = request.user.is_authenticated or "referrer_email" in session or PENDING in session
        response = self.get_response(request)
        if private or request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
