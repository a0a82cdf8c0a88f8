"""Behind the proxy, rate limits and the audit trail see each client's own address."""

from __future__ import annotations

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from openmarac.core.middleware import ProxiedClientAddressMiddleware


def seen_address(settings, *, peer: str, real_ip: str | None) -> str:
    seen: dict[str, str] = {}

    def view(request: HttpRequest) -> HttpResponse:
        seen["address"] = request.META["REMOTE_ADDR"]
        return HttpResponse()

    headers = {"HTTP_X_REAL_IP": real_ip} if real_ip is not None else {}
    request = RequestFactory().get("/", REMOTE_ADDR=peer, **headers)
    ProxiedClientAddressMiddleware(view)(request)
    return seen["address"]


@pytest.fixture(autouse=True)
def _trusted(settings):
    settings.TRUSTED_PROXIES = {"127.0.0.1", "::1"}


def test_the_proxy_on_this_machine_passes_on_the_clients_address(settings):
    assert seen_address(settings, peer="127.0.0.1", real_ip="203.0.113.9") == "203.0.113.9"
    assert seen_address(settings, peer="::1", real_ip="2001:db8::7") == "2001:db8::7"


def test_a_client_reaching_gunicorn_directly_cannot_claim_another_address(settings):
    assert seen_address(settings, peer="198.51.100.4", real_ip="203.0.113.9") == "198.51.100.4"


@pytest.mark.parametrize("claimed", ["", "not-an-address", "203.0.113.9, 10.0.0.1", "<script>"])
def test_anything_but_one_address_from_the_proxy_is_ignored(settings, claimed):
    assert seen_address(settings, peer="127.0.0.1", real_ip=claimed) == "127.0.0.1"


def test_without_a_header_the_peer_stands(settings):
    assert seen_address(settings, peer="127.0.0.1", real_ip=None) == "127.0.0.1"


@pytest.mark.django_db
def test_sign_in_attempts_are_limited_per_client_not_for_everyone_behind_the_proxy(settings):
    from django.test import Client

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "sign_in": (3, 300)}
    attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.9")
    for _ in range(5):
        attacker.post("/accounts/sign-in/", {"username": "nobody", "password": "wrong"})
    limited = attacker.post("/accounts/sign-in/", {"username": "nobody", "password": "wrong"})
    someone_else = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.20").post(
        "/accounts/sign-in/", {"username": "nobody", "password": "wrong"}
    )
    assert limited.status_code == 429
    assert someone_else.status_code != 429
