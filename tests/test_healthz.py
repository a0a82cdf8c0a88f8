"""``/healthz`` reports the database, the cache and the worker's last sweep, and nothing personal."""

from __future__ import annotations

import datetime
import json

import pytest
import time_machine
from django.core.cache import cache
from django.db import DatabaseError
from django.test import Client

from openmarac.demo.partnership import DEMO_USERS, demo_names
from openmarac.jobs.services import heartbeat

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 11, 23, 10, 0, tzinfo=datetime.UTC)


def health(client: Client | None = None) -> tuple[int, dict]:
    response = (client or Client()).get("/healthz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def test_a_worker_that_swept_a_minute_ago_makes_everything_ok():
    with time_machine.travel(NOW - datetime.timedelta(seconds=60), tick=False):
        heartbeat(name="host:1", started_at=NOW - datetime.timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        status, body = health()
    assert status == 200
    assert body == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "worker": {
            "status": "ok",
            "last_sweep_at": "2026-11-23T09:59:00+00:00",
            "seconds_since_last_sweep": 60,
        },
    }


def test_the_newest_of_several_workers_counts():
    with time_machine.travel(NOW - datetime.timedelta(minutes=30), tick=False):
        heartbeat(name="host:1", started_at=NOW - datetime.timedelta(hours=1))
    with time_machine.travel(NOW - datetime.timedelta(seconds=5), tick=False):
        heartbeat(name="host:2", started_at=NOW - datetime.timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        assert health()[1]["worker"]["seconds_since_last_sweep"] == 5


@pytest.mark.parametrize(
    ("settings_stale", "expected"), [(300, "stale"), (700, "ok")], ids=["stale", "in-time"]
)
def test_a_worker_silent_past_the_limit_is_stale_but_the_site_still_serves(
    settings, settings_stale, expected
):
    settings.HEALTHZ_WORKER_STALE_SECONDS = settings_stale
    with time_machine.travel(NOW - datetime.timedelta(minutes=10), tick=False):
        heartbeat(name="host:1", started_at=NOW - datetime.timedelta(hours=1))
    with time_machine.travel(NOW, tick=False):
        status, body = health()
    assert status == 200
    assert body["worker"]["status"] == expected
    assert body["status"] == ("degraded" if expected == "stale" else "ok")


def test_a_worker_that_never_swept_is_reported():
    status, body = health()
    assert status == 200
    assert body["status"] == "degraded"
    assert body["worker"] == {
        "status": "never_swept",
        "last_sweep_at": None,
        "seconds_since_last_sweep": None,
    }


def test_an_unreachable_database_answers_503(monkeypatch):
    from openmarac.jobs import views

    class Broken:
        def __enter__(self):
            raise DatabaseError("server closed the connection")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(views.connection, "cursor", lambda: Broken())
    status, body = health()
    assert status == 503
    assert body["status"] == "failing"
    assert body["database"] == "unavailable"
    assert body["worker"]["status"] == "unknown"


def test_an_unreachable_cache_answers_503(monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")

    monkeypatch.setattr(cache, "set", refuse)
    status, body = health()
    assert status == 503
    assert body["cache"] == "unavailable"


def test_it_says_nothing_about_anyone_even_to_a_signed_in_hub_coordinator(cast):
    from .conftest import client_for

    heartbeat(name="host:1", started_at=NOW)
    response = client_for(cast.coordinator).get("/healthz")
    text = response.content.decode().lower()
    for name in demo_names():
        assert name.lower() not in text
    for username, first, last, *_ in DEMO_USERS:
        assert first.lower() not in text
        assert f"{username}@" not in text
    assert "host:1" not in text  # not even the worker's host name
    assert set(json.loads(text)) == {"status", "database", "cache", "worker"}


def test_only_reading_is_allowed():
    assert Client().post("/healthz").status_code == 405


def test_a_monitor_on_the_server_may_ask_over_plain_http_in_production(settings):
    settings.SECURE_SSL_REDIRECT = True
    assert Client().get("/healthz").status_code == 200
    assert Client().get("/accounts/sign-in/").status_code == 301


def test_a_database_without_the_workers_table_reports_the_worker_unknown(monkeypatch):
    from openmarac.jobs import views

    def missing_table():
        raise DatabaseError('relation "jobs_workerheartbeat" does not exist')

    monkeypatch.setattr(views, "last_worker_sweep", missing_table)
    status, body = health()
    assert status == 200
    assert (body["status"], body["database"], body["worker"]["status"]) == (
        "degraded",
        "ok",
        "unknown",
    )
