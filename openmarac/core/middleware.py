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
        return response


class NoStoreForSignedInMiddleware:
    """Pages for signed-in users or verified referrers are never cached; idle sessions end."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        now = int(time.time())
        last_seen = session.get("last_seen")
        if last_seen is not None and now - int(last_seen) > settings.SESSION_IDLE_SECONDS:
            logout(request)
            session.flush()
        private = request.user.is_authenticated or "referrer_email" in session
        if private:
            session["last_seen"] = now
        response = self.get_response(request)
        if private or request.user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response
