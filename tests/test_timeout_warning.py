"""The time-out warning's server side: every signed-in page says when its session ends (the
earlier of the idle and absolute limits), and "Stay signed in" posts to keep the session going."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from .auth_helpers import sign_in
from .referral_helpers import verified_referrer

pytestmark = pytest.mark.django_db

KEEP_ALIVE = "/accounts/session/keep-alive/"


def _seconds_left(page: str) -> int:
    found = re.search(r'data-seconds-left="(\d+)"', page)
    assert found, "the page has no time-out warning"
    return int(found.group(1))


def test_each_page_says_when_the_session_ends_idle_or_absolute(cast):
    policy = cast.partnership.security_policy
    policy.idle_timeout_minutes = 15
    policy.absolute_lifetime_hours = 1
    policy.save()
    with time_machine.travel("2026-11-23 08:00:00+00:00", tick=False) as clock:
        client = sign_in(cast.chair)
        assert _seconds_left(client.get("/cases/").content.decode()) == 15 * 60
        clock.shift(10 * 60)
        assert _seconds_left(client.get("/cases/").content.decode()) == 15 * 60
        for _ in range(3):
            clock.shift(14 * 60)
            client.get("/cases/")
        # 08:52: eight minutes to the absolute limit, the nearer end.
        assert _seconds_left(client.get("/cases/").content.decode()) == 8 * 60


def test_stay_signed_in_restarts_the_idle_time(cast):
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False) as clock:
        client = sign_in(cast.chair)
        client.get("/cases/")
        clock.shift(13 * 60)
        response = client.post(KEEP_ALIVE)
        assert response.status_code == 200
        assert response.json() == {"signed_in": True, "seconds_left": 15 * 60}
        assert response["Cache-Control"] == "no-store"
        clock.shift(14 * 60)
        assert client.get("/cases/").status_code == 200


def test_stay_signed_in_after_the_end_says_the_session_ended(cast):
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False) as clock:
        client = sign_in(cast.chair)
        client.get("/cases/")
        clock.shift(15 * 60 + 1)
        response = client.post(KEEP_ALIVE)
    assert response.status_code == 401
    assert response.json() == {"signed_in": False}
    assert Client().post(KEEP_ALIVE).status_code == 401
    assert client.get(KEEP_ALIVE).status_code == 405


def test_a_referrers_pages_warn_too_and_can_be_kept(cast, settings):
    settings.SESSION_IDLE_SECONDS = 15 * 60
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False) as clock:
        client = verified_referrer()
        page = client.get("/refer/referrals/").content.decode()
        assert _seconds_left(page) == 15 * 60
        assert 'action="/refer/sign-out/"' in page
        clock.shift(14 * 60)
        assert client.post(KEEP_ALIVE).json()["seconds_left"] == 15 * 60


def test_pages_for_nobody_signed_in_have_no_warning(cast):
    page = Client().get("/accounts/sign-in/").content.decode()
    assert "om-timeout" not in page
