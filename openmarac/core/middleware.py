"""Security headers applied to every response, and the client's address behind the proxy.
(Session rules, which need accounts, live in ``openmarac.accounts.middleware``.)"""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import os
from collections.abc import Callable

from django.conf import settings
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


class ProxiedClientAddressMiddleware:
    """Behind the TLS-terminating proxy, the client's address is the one the proxy saw.

    gunicorn sees every request come from the proxy, so without this every client would share
    the proxy's address: one rate-limit bucket for everyone, and the same address in every audit
    entry. The proxy's ``X-Real-IP`` is believed only from an address in ``TRUSTED_PROXIES``, and
    only if it is an IP address.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.META.get("REMOTE_ADDR") in settings.TRUSTED_PROXIES:
            claimed = request.headers.get("X-Real-IP", "").strip()
            with contextlib.suppress(ValueError):  # not an address: the peer's stands
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(claimed))
        return self.get_response(request)
