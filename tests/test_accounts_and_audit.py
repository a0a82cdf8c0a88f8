"""Sign-in, the audit log and the headers every response carries."""

from __future__ import annotations

import itertools

import pytest
from django.test import Client

from openmarac.audit.models import AuditEvent
from openmarac.audit.services import entry_digest
from openmarac.demo.partnership import DEMO_PASSWORD
from openmarac.partnerships.models import AreaPolicy

from .conftest import client_for, next_totp_code

pytestmark = pytest.mark.django_db


def test_a_successful_sign_in_is_audited_and_rotates_the_session(cast):
    client = Client()
    client.get("/accounts/sign-in/")
    before = client.cookies.get("sessionid")
    response = client.post("/accounts/sign-in/", {"username": "chair", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/code/"
    after_password = client.cookies["sessionid"].value
    assert after_password != (before.value if before else None)
    response = client.post("/accounts/sign-in/code/", {"code": next_totp_code(cast.chair)})
    assert response.status_code == 302
    assert client.cookies["sessionid"].value != after_password
    event = AuditEvent.objects.filter(action="auth.sign_in").latest("id")
    assert (event.actor, event.outcome, event.ip_address) == (cast.chair, "success", "127.0.0.1")


def test_a_failed_sign_in_is_audited_and_does_not_say_which_part_was_wrong(cast):
    wrong_password = Client().post(
        "/accounts/sign-in/", {"username": "chair", "password": "nope-nope-nope"}
    )
    no_such_user = Client().post(
        "/accounts/sign-in/", {"username": "nobody", "password": "nope-nope-nope"}
    )
    assert wrong_password.status_code == no_such_user.status_code == 200
    for response in (wrong_password, no_such_user):
        assert "The username or password is not correct" in response.content.decode()
    failures = AuditEvent.objects.filter(action="auth.sign_in", outcome="failure")
    assert failures.count() == 2
    assert failures.filter(actor=cast.chair).count() == 1


def test_a_deactivated_user_cannot_sign_in(cast):
    response = Client().post(
        "/accounts/sign-in/", {"username": "revoked", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session


def test_sign_in_does_not_redirect_to_another_site(cast):
    client = Client()
    client.post(
        "/accounts/sign-in/?next=https://evil.example/",
        {"username": "chair", "password": DEMO_PASSWORD},
    )
    response = client.post("/accounts/sign-in/code/", {"code": next_totp_code(cast.chair)})
    assert response["Location"] == "/"


def test_sign_out_is_a_post_and_clears_site_data(cast):
    client = client_for(cast.chair)
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert "cookies" in response["Clear-Site-Data"]
    assert client.get("/cases/").status_code == 302


def test_the_audit_log_is_a_hash_chain(cast):
    client_for(cast.police_rep).get(f"/cases/{cast.case_a.reference}/")
    events = list(AuditEvent.objects.order_by("id"))
    assert len(events) > 3
    for previous, event in itertools.pairwise(events):
        assert event.previous_hash == previous.entry_hash
        assert event.entry_hash == entry_digest(event)


def test_security_headers_are_on_every_response(cast):
    for client, url in ((Client(), "/"), (client_for(cast.coordinator), "/hub/triage/")):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        for directive in (
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
            "'nonce-",
        ):
            assert directive in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert client_for(cast.coordinator).get("/hub/triage/")["Cache-Control"] == "no-store"


def test_an_idle_session_ends(cast, settings):
    import time_machine

    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        client = client_for(cast.chair)
        assert client.get("/cases/").status_code == 200
    with time_machine.travel("2026-11-23 09:14:00+00:00", tick=False):
        assert client.get("/cases/").status_code == 200  # activity keeps the session alive
    with time_machine.travel("2026-11-23 09:29:01+00:00", tick=False):
        assert client.get("/cases/").status_code == 302


def test_the_hub_edits_an_area_policy_and_the_change_is_audited(cast):
    client = client_for(cast.coordinator)
    url = f"/hub/areas/{cast.area_a.pk}/policy/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if isinstance(value, list):
            data[name] = value
        elif value is not None:
            data[name] = str(value)
    data["checklist_dash-ric"] = "15"
    data["max_cases_per_meeting"] = "12"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    policy = AreaPolicy.objects.get(area=cast.area_a)
    assert policy.threshold_for("dash-ric") == {"checklist": "dash-ric", "threshold": 15}
    assert policy.max_cases_per_meeting == 12
    event = AuditEvent.objects.get(action="area_policy.update")
    assert "max_cases_per_meeting" in event.detail["fields"]


def test_a_policy_with_bad_values_shows_errors_and_changes_nothing(cast):
    client = client_for(cast.coordinator)
    url = f"/hub/areas/{cast.area_a.pk}/policy/"
    response = client.post(url, {"agenda_lead_days": "soon"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert AreaPolicy.objects.get(area=cast.area_a).agenda_lead_days == 7


def test_ending_all_sessions_signs_the_user_out_everywhere(cast):
    from openmarac.accounts.sessions import end_all_sessions

    laptop, phone = client_for(cast.police_rep), client_for(cast.police_rep)
    assert laptop.get("/cases/").status_code == phone.get("/cases/").status_code == 200
    end_all_sessions(user=cast.police_rep, actor=cast.coordinator, reason="deactivated")
    for device in (laptop, phone):
        response = device.get("/cases/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")
    event = AuditEvent.objects.filter(action="auth.sessions_ended").latest("id")
    assert (event.actor, event.object_id, event.detail) == (
        cast.coordinator,
        str(cast.police_rep.pk),
        {"reason": "deactivated"},
    )
    assert client_for(cast.police_rep).get("/cases/").status_code == 200
