"""Session rules applied to every request: the partnership's idle and absolute limits, the
second factor, the networks it refuses, and a referrer's idle limit."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from openmarac.audit.services import client_ip

from .policy import network_refusal, policy_for_user
from .services import ENDS_AT, MFA_AT, PENDING, SIGNED_IN_AT, session_expired, session_touch

Handler = Callable[[HttpRequest], HttpResponse]


class SessionRulesMiddleware:
    """Session rules on every request, then no caching of private pages.

    A signed-in session ends when it has been idle too long, has reached its absolute lifetime,
    never completed the second factor, or comes from a network the partnership refuses; the
    limits come from the partnership's security policy. A referrer's session ends when idle.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
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
                # When this session will end if nothing else happens: read by the time-out warning.
                session[ENDS_AT] = min(
                    now + policy.idle_timeout_minutes * 60,
                    int(signed_in_at or now) + policy.absolute_lifetime_hours * 3600,
                )
                session_touch(request)
        elif "referrer_email" in session:
            last_seen = session.get("last_seen")
            if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_SECONDS:
                session.flush()
            else:
                session["last_seen"] = now
                session[ENDS_AT] = now + settings.SESSION_IDLE_SECONDS
        private = request.user.is_authenticated or "referrer_email" in session or PENDING in session
        response = self.get_response(request)
        if private or request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
