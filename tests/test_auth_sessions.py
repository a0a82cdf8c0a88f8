"""Sessions: new id at sign-in, idle and absolute limits from the policy, seeing and ending
sessions, and step-up before sensitive actions."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

from openmarac.accounts.models import UserSession
from openmarac.accounts.sessions import end_all_sessions
from openmarac.audit.models import AuditEvent

from .auth_helpers import CODE, password_step, sign_in
from .conftest import client_for, next_totp_code

pytestmark = pytest.mark.django_db

CASES = "/cases/"


def test_each_sign_in_step_gets_a_new_session_id(cast):
    client = Client()
    client.get("/accounts/sign-in/")
    client.session.save()
    first = client.session.session_key
    password_step(client, "chair")
    second = client.session.session_key
    client.post(CODE, {"code": next_totp_code(cast.chair)})
    third = client.session.session_key
    assert len({first, second, third}) == 3
    assert not Session.objects.filter(session_key__in=[first, second]).exists()
    record = UserSession.objects.get(user=cast.chair)
    assert record.session_key == third
    assert record.ip_address == "127.0.0.1"


def test_the_idle_limit_comes_from_the_partnership_policy(cast):
    policy = cast.partnership.security_policy
    policy.idle_timeout_minutes = 5
    policy.save()
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        client = sign_in(cast.chair)
        assert client.get(CASES).status_code == 200
    with time_machine.travel("2026-11-23 09:04:30+00:00", tick=False):
        assert client.get(CASES).status_code == 200
    with time_machine.travel("2026-11-23 09:09:31+00:00", tick=False):
        response = client.get(CASES)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")
    assert UserSession.objects.get(user=cast.chair).end_reason == "idle"
    assert AuditEvent.objects.filter(action="auth.session_ended", detail__reason="idle").exists()


def test_a_session_ends_at_its_absolute_lifetime_however_active(cast):
    policy = cast.partnership.security_policy
    assert (policy.idle_timeout_minutes, policy.absolute_lifetime_hours) == (15, 12)
    with time_machine.travel("2026-11-23 08:00:00+00:00", tick=False) as clock:
        client = sign_in(cast.chair)
        for _ in range(47):  # active every 15 minutes for 11¾ hours
            clock.shift(15 * 60 - 1)
            assert client.get(CASES).status_code == 200
    with time_machine.travel("2026-11-23 20:00:01+00:00", tick=False):
        assert client.get(CASES).status_code == 302
    assert UserSession.objects.get(user=cast.chair).end_reason == "absolute_lifetime"


def test_a_session_that_never_gave_a_second_factor_is_refused(cast):
    client = Client()
    client.force_login(cast.chair)  # as if a bug had signed in on a password alone
    response = client.get(CASES)
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_users_see_and_end_their_own_sessions(cast):
    laptop = sign_in(
        cast.police_rep, Client(HTTP_USER_AGENT="Mozilla/5.0 (Windows NT 10.0) Chrome/120.0")
    )
    phone = sign_in(cast.police_rep, Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone) Safari/604.1"))
    page = laptop.get("/accounts/security/").content.decode()
    assert "Chrome on Windows" in page
    assert "Safari on iPhone" in page
    phone_record = UserSession.objects.get(session_key=phone.session.session_key)
    assert laptop.post(f"/accounts/security/sessions/{phone_record.pk}/end/").status_code == 302
    assert phone.get(CASES).status_code == 302
    assert laptop.get(CASES).status_code == 200
    phone_record.refresh_from_db()
    assert phone_record.end_reason == "ended_by_user"
    # Another user's session is not theirs to end: 404, audited.
    other = client_for(cast.chair)
    other_record = UserSession.objects.get(session_key=other.session.session_key)
    assert laptop.post(f"/accounts/security/sessions/{other_record.pk}/end/").status_code == 404
    assert other.get(CASES).status_code == 200
    assert AuditEvent.objects.filter(action="auth.session.denied").exists()


def test_the_hub_ends_anyones_session(cast):
    rep = client_for(cast.housing_rep)
    record = UserSession.objects.get(session_key=rep.session.session_key)
    hub = client_for(cast.coordinator)
    assert (
        cast.housing_rep.get_full_name()
        in hub.get(f"/accounts/hub/{cast.housing_rep.pk}/").content.decode()
    )
    assert hub.post(f"/accounts/hub/sessions/{record.pk}/end/").status_code == 302
    assert rep.get(CASES).status_code == 302
    assert (
        client_for(cast.chair).post(f"/accounts/hub/sessions/{record.pk}/end/").status_code == 404
    )


def test_deactivation_and_the_hub_end_every_session(cast):
    laptop, phone = client_for(cast.police_rep), client_for(cast.police_rep)
    end_all_sessions(user=cast.police_rep, actor=cast.coordinator, reason="deactivated")
    assert laptop.get(CASES).status_code == phone.get(CASES).status_code == 302
    assert not UserSession.objects.filter(user=cast.police_rep, ended_at__isnull=True).exists()
    again = client_for(cast.chair)
    hub = client_for(cast.coordinator)
    assert hub.post(f"/accounts/hub/{cast.chair.pk}/end-sessions/").status_code == 302
    assert again.get(CASES).status_code == 302


def test_sign_out_ends_the_session_and_clears_site_data(cast):
    client = sign_in(cast.chair)
    key = client.session.session_key
    response = client.post("/accounts/sign-out/")
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert not Session.objects.filter(session_key=key).exists()
    assert UserSession.objects.get(session_key=key).end_reason == "signed_out"


def test_step_up_sends_a_user_without_a_recent_second_factor_to_confirm_and_back(cast):
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        client = sign_in(cast.coordinator)
        assert client.get("/accounts/hub/security-policy/").status_code == 200
    with time_machine.travel("2026-11-23 09:11:00+00:00", tick=False):
        response = client.get("/accounts/hub/security-policy/")
        assert (
            response["Location"] == "/accounts/confirm/?next=%2Faccounts%2Fhub%2Fsecurity-policy%2F"
        )
        page = client.get(response["Location"])
        assert page.status_code == 200
        assert "Confirm it is you" in page.content.decode()
        wrong = client.post(
            "/accounts/confirm/", {"code": "000000", "next": "/accounts/hub/security-policy/"}
        )
        assert wrong.status_code == 200
        back = client.post(
            "/accounts/confirm/",
            {"code": next_totp_code(cast.coordinator), "next": "/accounts/hub/security-policy/"},
        )
        assert back["Location"] == "/accounts/hub/security-policy/"
        assert client.get("/accounts/hub/security-policy/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.step_up_required").exists()
    assert AuditEvent.objects.filter(action="auth.step_up", actor=cast.coordinator).exists()


def test_step_up_after_a_form_post_returns_to_the_page_with_the_form(cast):
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        client = client_for(cast.coordinator)
        client.get("/")
    with time_machine.travel("2026-11-23 09:11:00+00:00", tick=False):
        page = f"/accounts/hub/{cast.police_rep.pk}/"
        response = client.post(
            f"/accounts/hub/{cast.police_rep.pk}/unlock/", HTTP_REFERER=f"http://testserver{page}"
        )
        assert (
            response["Location"]
            == f"/accounts/confirm/?next=%2Faccounts%2Fhub%2F{cast.police_rep.pk}%2F"
        )


def test_the_confirm_page_does_not_send_anyone_to_another_site(cast):
    client = client_for(cast.chair)
    response = client.post(
        "/accounts/confirm/", {"code": next_totp_code(cast.chair), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_client_for_sessions_pass_step_up(cast):
    from django.test import RequestFactory

    from openmarac.accounts.stepup import has_recent_mfa, require_recent_mfa

    client = client_for(cast.coordinator)
    request = RequestFactory().get("/")
    request.user = cast.coordinator
    request.session = client.session
    assert has_recent_mfa(request)
    assert require_recent_mfa(request) is None
