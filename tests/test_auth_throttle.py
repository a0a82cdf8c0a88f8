"""Failed sign-ins slow the guesser down without letting a stranger keep the owner out, and a
name that exists is treated exactly like one that does not (NIST SP 800-63B §5.2.2)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from openmarac.accounts import throttle
from openmarac.accounts.models import SignInThrottle
from openmarac.audit.models import AuditEvent
from openmarac.demo.partnership import DEMO_PASSWORD

from .auth_helpers import CODE, password_step, sign_in
from .conftest import client_for, delivered_mail, next_totp_code

pytestmark = pytest.mark.django_db

WRONG = "wrong-password-attempt"
OFFICE = "198.51.100.7"
STRANGER = "203.0.113.66"


def attempt(username: str, password: str = WRONG, *, ip: str = STRANGER, client=None):
    return password_step(client or Client(REMOTE_ADDR=ip), username, password)


def later(seconds: int):
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=seconds), tick=False)


def test_a_stranger_who_knows_a_name_cannot_keep_its_owner_out(cast):
    # Ten wrong passwords used to lock the account until the hub noticed.
    for _ in range(12):
        attempt("police")
    owner = Client(REMOTE_ADDR=OFFICE)
    assert attempt("police", "demo-password-not-used", client=owner).status_code == 200
    response = password_step(owner, "police")
    assert response.status_code == 302
    assert response["Location"] == CODE
    assert owner.post(CODE, {"code": next_totp_code(cast.police_rep)}).status_code == 302
    assert owner.get("/cases/").status_code == 200


def test_guessing_from_one_network_meets_a_growing_delay_that_even_the_right_password_waits(
    cast,
):
    for i in range(9):
        assert "The username or password is not correct" in attempt("chair").content.decode(), i
    assert "Wait 1 minute and try again" in attempt("chair").content.decode()
    # During the delay nothing is checked: the right password is refused too.
    assert "Wait 1 minute" in attempt("chair", DEMO_PASSWORD).content.decode()
    with later(61):
        assert "Wait 2 minutes and try again" in attempt("chair").content.decode()
    with later(61 + 121):
        assert "Wait 4 minutes and try again" in attempt("chair").content.decode()
    with later(61 + 121 + 241):
        # Once the delay is over, the owner signs in from the same network.
        assert attempt("chair", DEMO_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(
        action="auth.sign_in", outcome="denied", detail__reason="throttled"
    ).exists()


def test_guessing_spread_over_networks_is_slowed_for_minutes_not_locked(cast):
    # Fifty failures from ten networks: the whole name slows down, briefly.
    for network in range(10):
        for _ in range(5):
            attempt("housing", ip=f"192.0.2.{network + 1}")
    new_network = attempt("housing", DEMO_PASSWORD, ip="192.0.2.200")
    assert "Wait 1 minute and try again" in new_network.content.decode()
    with later(61):
        assert attempt("housing", DEMO_PASSWORD, ip="192.0.2.200").status_code == 302
    # The owner was told once that their name is being guessed.
    told = [
        m
        for m in delivered_mail()
        if cast.housing_rep.email in m.to and "many failed attempts" in m.body
    ]
    assert len(told) == 1
    assert AuditEvent.objects.filter(action="auth.throttled", actor=cast.housing_rep).count() == 1


def test_a_device_the_owner_signed_in_on_is_never_held_up_by_others_guessing(cast):
    owner = Client(REMOTE_ADDR=OFFICE)
    sign_in(cast.housing_rep, owner)
    assert throttle.DEVICE_COOKIE in owner.cookies
    owner.post("/accounts/sign-out/")
    # Guessing from everywhere, including the owner's own office network.
    for network in range(10):
        for _ in range(5):
            attempt("housing", ip=f"192.0.2.{network + 1}")
    for _ in range(10):
        attempt("housing", ip=OFFICE)
    assert "Wait" in attempt("housing", DEMO_PASSWORD, ip=OFFICE).content.decode()
    # The owner's browser, with its device cookie, goes straight through.
    assert password_step(owner, "housing")["Location"] == CODE
    # A forged or foreign device cookie counts for nothing.
    forged = Client(REMOTE_ADDR=OFFICE)
    forged.cookies[throttle.DEVICE_COOKIE] = "not-a-signed-value"
    assert "Wait" in password_step(forged, "housing").content.decode()


def test_known_and_unknown_names_answer_and_persist_alike(cast):
    for _ in range(9):
        attempt("chair")
        attempt("nobody-here")
    cache.clear()  # a restart: nothing counted in memory survives
    known = attempt("chair").content.decode()
    unknown = attempt("nobody-here").content.decode()
    assert "Wait 1 minute and try again" in known
    assert "Wait 1 minute and try again" in unknown
    assert SignInThrottle.objects.count() == 4  # a network row and a name row for each
    assert not SignInThrottle.objects.filter(account_key__icontains="chair").exists()


def test_wrong_codes_count_towards_the_delay(cast):
    client = Client(REMOTE_ADDR=STRANGER)
    password_step(client, "chair")
    for _ in range(9):
        response = client.post(CODE, {"code": "000000"})
        assert "The code is not correct" in response.content.decode()
    response = client.post(CODE, {"code": "000000"})
    assert "Wait 1 minute and try again" in response.content.decode()
    # The right code waits too.
    response = client.post(CODE, {"code": next_totp_code(cast.chair)})
    assert response.status_code == 200
    assert client.get("/cases/").status_code == 302


def test_the_hub_clears_a_names_delays(cast):
    for _ in range(10):
        attempt("police")
    assert "Wait" in attempt("police", DEMO_PASSWORD).content.decode()
    page = client_for(cast.coordinator).get(f"/accounts/hub/{cast.police_rep.pk}/").content
    assert "signing in is delayed" in page.decode()
    response = client_for(cast.coordinator).post(f"/accounts/hub/{cast.police_rep.pk}/unlock/")
    assert response.status_code == 302
    assert attempt("police", DEMO_PASSWORD).status_code == 302
    assert AuditEvent.objects.filter(action="auth.unlocked", actor=cast.coordinator).exists()


def test_old_counts_are_forgotten_by_the_sweep(cast):
    attempt("chair")
    assert SignInThrottle.objects.count() == 2
    assert throttle.forget_old(now=timezone.now() + datetime.timedelta(days=29)) == 0
    assert throttle.forget_old(now=timezone.now() + datetime.timedelta(days=31)) == 2
