"""Structured logs: JSON lines that carry a request id, and nothing about anyone."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest
from django.db import IntegrityError
from django.test import Client

from openmarac.core.logs import (
    JsonFormatter,
    PathFreeFilter,
    PlainFormatter,
    RequestIdFilter,
    request_id_from,
)
from openmarac.demo.partnership import DEMO_USERS, demo_names
from openmarac.jobs.services import run_sweep
from openmarac.partnerships.models import Area
from openmarac.referrals.models import Referral

from .auth_helpers import password_step, sign_in
from .conftest import delivered_mail
from .referral_helpers import complete_referral, start_referral, verified_referrer


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """Everything logged anywhere, at every level, as production writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    handler.addFilter(PathFreeFilter())
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "django", "django.request")}
    root.addHandler(handler)
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def record(message: str, *args: object, **kwargs: object) -> logging.LogRecord:
    return logging.getLogger("openmarac.test").makeRecord(
        "openmarac.test", logging.INFO, __file__, 1, message, args, None, **kwargs
    )


@pytest.mark.django_db
def test_each_request_is_logged_once_as_json_with_the_id_it_answers_with(json_log):
    response = Client().get("/accounts/sign-in/", {"next": "/cases/"})
    request_lines = [line for line in lines(json_log) if line["logger"] == "openmarac.request"]
    assert len(request_lines) == 1
    line = request_lines[0]
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert line["level"] == "INFO"
    assert line["message"] == "GET /accounts/sign-in/ 200"
    assert line["view"] == "accounts:sign_in"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["time"].endswith("+00:00")
    assert "next" not in json_log.getvalue()  # no query string


@pytest.mark.django_db
def test_a_url_is_logged_as_its_pattern_so_tokens_and_references_stay_out(json_log):
    Client().get("/accounts/set-up/secret-token-from-an-email/")
    text = json_log.getvalue()
    assert "secret-token-from-an-email" not in text
    assert "/accounts/set-up/<str:token>/" in text


def test_the_proxys_request_id_is_kept_if_well_formed_and_replaced_otherwise():
    assert request_id_from("0123456789abcdef0123456789abcdef") == "0123456789abcdef0123456789abcdef"
    for bad in [None, "", "short", "has space inside it", "x" * 65, "id\nFAKE LOG LINE", "é" * 10]:
        replaced = request_id_from(bad)
        assert replaced != bad
        assert len(replaced) == 32


@pytest.mark.django_db
def test_a_well_formed_request_id_from_the_proxy_runs_through_to_the_log(json_log):
    response = Client().get(
        "/accounts/sign-in/", HTTP_X_REQUEST_ID="a1b2c3d4e5f60718293a4b5c6d7e8f90"
    )
    assert response["X-Request-ID"] == "a1b2c3d4e5f60718293a4b5c6d7e8f90"
    assert lines(json_log)[-1]["request_id"] == "a1b2c3d4e5f60718293a4b5c6d7e8f90"


def test_an_exception_is_logged_by_type_and_place_without_its_message():
    import sys

    detail = "duplicate key: Key (surname)=(Victimone) already exists"
    try:
        raise IntegrityError(detail)
    except IntegrityError:
        failed = record("saving failed")
        failed.exc_info = sys.exc_info()
    for formatter in (JsonFormatter(), PlainFormatter()):
        text = formatter.format(failed)
        assert "Victimone" not in text
        assert "IntegrityError (message withheld)" in text
        assert "test_logs.py" in text  # where it was raised is still there


def test_objects_passed_in_extra_are_dropped_and_plain_values_kept():
    class Request:
        def __str__(self) -> str:
            return "<WSGIRequest: GET '/people/?q=Victimone'>"

    line = json.loads(
        JsonFormatter().format(
            record("sweep done", extra={"request": Request(), "counts": {"steps": 3}, "ok": True})
        )
    )
    assert "request" not in line
    assert line["counts"] == {"steps": 3}
    assert line["ok"] is True


def test_djangos_request_warnings_name_the_url_pattern_not_the_path():
    class Match:
        route = "cases/<str:reference>/"

    class Request:
        path = "/cases/NK-2026-000001/"
        resolver_match = Match()

    warning = record("%s: %s", "Forbidden", "/cases/NK-2026-000001/", extra={"request": Request()})
    PathFreeFilter().filter(warning)
    assert warning.getMessage() == "Forbidden: /cases/<str:reference>/"

    class Home:
        path = "/"
        resolver_match = None

    home = record("Forbidden (Referer checking failed): /", extra={"request": Home()})
    PathFreeFilter().filter(home)
    assert home.getMessage() == "Forbidden (Referer checking failed): (no matching URL)"


def test_a_record_outside_any_request_has_no_request_id():
    plain = record("worker started")
    RequestIdFilter().filter(plain)
    assert json.loads(JsonFormatter().format(plain))["request_id"] is None
    assert "[-] worker started" in PlainFormatter().format(plain)


# --- A full run ---------------------------------------------------------------------------------

JOURNEY_DETAILS = [
    "Testfirst",
    "Testvictim",
    "Maidenname",
    "Testperp",
    "Perpsurname",
    "Example Close",
    "ZZ1 2ZZ",
    "01632 960",
    "Referrer Person",
    "worker@example.org",
    "Narrative text",
    "Escalating threats",
]


@pytest.mark.django_db
def test_a_full_run_logs_plenty_and_no_name_address_or_detail_of_anyone(cast, json_log):
    """A referrer refers, the hub signs in and works, someone pokes around, the worker sweeps;
    everything logged at every level is searched for every person's details."""
    referrer = verified_referrer()
    base = start_referral(referrer)
    complete_referral(referrer, base, Area.objects.get(code="EK"), judgement="yes")
    assert referrer.post(f"{base}check/").status_code == 302
    referral = Referral.objects.get(public_id=base.split("/")[3], status="submitted")

    password_step(Client(), "Victimone", "Demoname Victimone")  # a name typed as a username
    hub = sign_in(cast.coordinator)
    for url in [
        "/hub/triage/",
        f"/hub/triage/{referral.public_id}/",
        "/cases/",
        f"/cases/{cast.case_a.reference}/",
        f"/audit/cases/?reference={cast.case_a.reference}&q=Victimone",
        "/cases/Victimone-Demoname/",  # a 404
    ]:
        assert hub.get(url).status_code in (200, 404)
    hub.post(f"/hub/triage/{referral.public_id}/decline/", {"reason": "Testvictim Testfirst"})
    run_sweep()
    delivered_mail()

    logged = lines(json_log)
    requests = [line for line in logged if line["logger"] == "openmarac.request"]
    assert len(requests) >= 30
    assert all(len(line["request_id"]) == 32 for line in requests)
    text = json_log.getvalue().lower()
    people = demo_names() + JOURNEY_DETAILS + [f"{u[1]} {u[2]}" for u in DEMO_USERS]
    found = [detail for detail in people if detail.lower() in text]
    assert not found, f"personal details in the logs: {found}"


def test_why_the_service_refused_to_start_is_kept():
    import sys

    from django.core.exceptions import ImproperlyConfigured

    try:
        raise ImproperlyConfigured("SECRET_KEY is required in production")
    except ImproperlyConfigured:
        refused = record("start-up failed")
        refused.exc_info = sys.exc_info()
    assert "ImproperlyConfigured: SECRET_KEY is required in production" in JsonFormatter().format(
        refused
    )


def test_gunicorns_report_of_an_escaped_error_loses_its_url():
    from openmarac.core.logs import ServerErrorFilter

    escaped = record("Error handling request %s", "/people/?q=Victimone")
    ServerErrorFilter().filter(escaped)
    assert escaped.getMessage() == "Error handling request (URL withheld)"
