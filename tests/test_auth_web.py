"""The web surface: security headers on every URL, cookies, rate limits and network rules."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from openmarac.accounts import policy as policy_module
from openmarac.audit.models import AuditEvent

from .auth_helpers import CODE, password_step, sign_in
from .conftest import client_for
from .test_permission_matrix import MATRIX
from .test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def assert_security_headers(response: Any, where: str) -> None:
    csp = response["Content-Security-Policy"]
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in csp, where
    assert re.search(r"script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}'", csp), where
    assert "unsafe-inline" not in csp, where
    hsts = response["Strict-Transport-Security"]
    assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31_536_000, where
    assert "includeSubDomains" in hsts, where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    assert response["X-Frame-Options"] == "DENY", where


def test_every_url_carries_the_security_headers(cast):
    anonymous, hub, rep = Client(), client_for(cast.coordinator), client_for(cast.police_rep)
    for name, (kwargs_for, _expected) in sorted(MATRIX.items()):
        url = reverse(name, kwargs=kwargs_for(cast))
        for who, client in (("anonymous", anonymous), ("coordinator", hub), ("police", rep)):
            response = client.get(url)
            assert_security_headers(response, f"{who} GET {name}")
            if who != "anonymous":
                assert response["Cache-Control"] == "no-store", f"{who} GET {name}"


def test_error_pages_and_static_files_carry_them_too(cast):
    assert_security_headers(Client().get("/no-such-page/"), "404")
    assert_security_headers(Client().get("/static/js/passkeys.js"), "static")


def test_the_nonce_is_new_on_each_response_and_on_the_page_scripts(cast):
    first, second = Client().get("/accounts/sign-in/"), Client().get("/accounts/sign-in/")
    nonce = re.search(r"'nonce-([^']+)'", first["Content-Security-Policy"]).group(1)
    assert nonce != re.search(r"'nonce-([^']+)'", second["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script[^>]*>", first.content.decode())
    assert scripts
    assert all(f'nonce="{nonce}"' in tag for tag in scripts)


def test_pages_in_the_middle_of_signing_in_are_not_cached(cast):
    client = Client()
    password_step(client, "chair")
    assert client.get(CODE)["Cache-Control"] == "no-store"


@override_settings(
    SESSION_COOKIE_NAME="__Host-sessionid",
    CSRF_COOKIE_NAME="__Host-csrftoken",
    SESSION_COOKIE_SECURE=True,
    CSRF_COOKIE_SECURE=True,
)
def test_cookies_are_host_prefixed_secure_http_only_and_same_site(cast):
    client = Client(enforce_csrf_checks=False)
    client.get("/accounts/sign-in/", secure=True)
    password_step_response = client.post(
        "/accounts/sign-in/",
        {"username": "chair", "password": "demo-password-not-for-real-use"},
        secure=True,
    )
    assert password_step_response.status_code == 302
    cookie = password_step_response.cookies["__Host-sessionid"]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    csrf = client.get("/accounts/sign-in/", secure=True).cookies.get("__Host-csrftoken")
    assert csrf is None or (csrf["secure"] and csrf["path"] == "/" and csrf["httponly"])


def test_production_settings_use_host_prefixed_secure_cookies():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS)"
    )
    result = manage("shell", "-c", code, env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "True",
        "Lax",
        "True",
        "True",
    ]


def test_sign_out_clears_site_data(cast):
    response = sign_in(cast.chair).post("/accounts/sign-out/")
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'


def test_sign_in_is_rate_limited_per_address(cast, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_in": (5, 300)}
    for _ in range(5):
        assert password_step(Client(), "someone", "wrong-password-attempt").status_code == 200
    response = password_step(Client(), "someone-else", "wrong-password-attempt")
    assert response.status_code == 429
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "You have tried too many times. Wait 5 minutes, then try again" in page
    assert response["Retry-After"] == "300"
    # Reading the page is not limited, and another address is not affected.
    assert Client().get("/accounts/sign-in/").status_code == 200
    other = Client(REMOTE_ADDR="192.0.2.7")
    assert password_step(other, "someone", "wrong-password-attempt").status_code == 200
    assert AuditEvent.objects.filter(action="rate_limit.refused", detail__scope="sign_in").exists()


def test_codes_are_rate_limited_per_account(cast, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "mfa_account": (3, 300)}
    client = Client()
    password_step(client, "chair")
    for _ in range(3):
        assert client.post(CODE, {"code": "000000"}).status_code == 200
    assert client.post(CODE, {"code": "000000"}).status_code == 429


def test_the_referral_email_code_pages_are_rate_limited(cast, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "referral_email": (2, 600),
        "referral_code": (2, 600),
    }
    client = Client()
    for _ in range(2):
        assert client.post("/refer/email/", {"email": "x@example.org"}).status_code in (200, 302)
    limited = client.post("/refer/email/", {"email": "x@example.org"})
    assert limited.status_code == 429
    assert "Wait 10 minutes" in limited.content.decode()
    session = client.session
    session["pending_referrer_email"] = "x@example.org"
    session.save()
    for _ in range(2):
        assert client.post("/refer/email/code/", {"code": "000000"}).status_code == 200
    assert client.post("/refer/email/code/", {"code": "000000"}).status_code == 429


def _set_networks(cast: Any, **values: Any) -> None:
    policy = cast.partnership.security_policy
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()


def test_sign_in_is_refused_from_a_denied_network(cast):
    _set_networks(cast, denied_networks=["192.0.2.0/24"])
    response = password_step(Client(REMOTE_ADDR="192.0.2.10"), "chair")
    assert response.status_code == 200
    assert "You cannot sign in from this network or country" in response.content.decode()
    assert password_step(Client(REMOTE_ADDR="198.51.100.10"), "chair").status_code == 302
    event = AuditEvent.objects.filter(action="auth.sign_in", outcome="denied").latest("id")
    assert event.detail == {"reason": "denied_network"}


def test_sign_in_only_from_allowed_networks_and_sessions_end_elsewhere(cast):
    _set_networks(cast, allowed_networks=["203.0.113.0/24", "2001:db8::/32"])
    assert password_step(Client(REMOTE_ADDR="198.51.100.10"), "chair").status_code == 200
    assert password_step(Client(REMOTE_ADDR="2001:db8::5"), "chair").status_code == 302
    client = Client(REMOTE_ADDR="203.0.113.5")
    sign_in(cast.chair, client)
    assert client.get("/cases/").status_code == 200
    # The same session from a network outside the list ends.
    assert client.get("/cases/", REMOTE_ADDR="198.51.100.10").status_code == 302


def test_sign_in_by_country_uses_the_geoip_database(cast, settings, monkeypatch):
    settings.GEOIP_DATABASE = "/nonexistent/for-this-test.mmdb"
    countries = {"203.0.113.5": "GB", "198.51.100.10": "RU"}
    monkeypatch.setattr(policy_module, "country_of", countries.get)
    _set_networks(cast, allowed_countries=["GB", "IE"])
    assert password_step(Client(REMOTE_ADDR="203.0.113.5"), "chair").status_code == 302
    refused = password_step(Client(REMOTE_ADDR="198.51.100.10"), "chair")
    assert "You cannot sign in from this network or country" in refused.content.decode()
    unknown = password_step(Client(REMOTE_ADDR="192.0.2.1"), "chair")
    assert unknown.status_code == 200  # no country known: refused too


def test_country_of_reads_nothing_without_a_database(settings):
    settings.GEOIP_DATABASE = ""
    assert policy_module.country_of("203.0.113.5") is None
    assert not policy_module.geoip_available()
