"""Two-step sign-in: password, then a second factor for every account; lock-out; enumeration."""

from __future__ import annotations

import re
import statistics
import time

import pytest
import time_machine
from django.core import mail
from django.test import Client

from openmarac.accounts import mfa
from openmarac.accounts.models import RecoveryCode, TotpDevice, User
from openmarac.accounts.services import MFA_AT
from openmarac.audit.models import AuditEvent
from openmarac.core.demo import DEMO_PASSWORD

from .auth_helpers import CODE, SIGN_IN, password_step, sign_in
from .conftest import client_for, make_user, next_totp_code

pytestmark = pytest.mark.django_db


def signed_in(client: Client) -> bool:
    return client.get("/cases/").status_code == 200


def test_the_password_alone_does_not_sign_in(cast):
    client = Client()
    response = password_step(client, "chair")
    assert response["Location"] == CODE
    assert not signed_in(client)
    assert "_auth_user_id" not in client.session
    page = client.get(CODE)
    assert page.status_code == 200
    assert "Enter your code" in page.content.decode()


def test_a_code_from_the_authenticator_app_signs_in(cast):
    client = sign_in(cast.chair)
    assert signed_in(client)
    event = AuditEvent.objects.filter(action="auth.sign_in", outcome="success").latest("id")
    assert event.actor == cast.chair
    assert event.detail == {"method": "totp"}


def test_a_totp_code_is_accepted_only_once(cast):
    code = next_totp_code(cast.chair)
    first = Client()
    password_step(first, "chair")
    assert first.post(CODE, {"code": code}).status_code == 302
    second = Client()
    password_step(second, "chair")
    response = second.post(CODE, {"code": code})
    assert response.status_code == 200
    assert "The code is not correct or has already been used" in response.content.decode()
    assert not signed_in(second)
    # An earlier step's code, though inside the drift window, is refused after a later one.
    device = TotpDevice.objects.get(user=cast.chair)
    earlier = mfa.totp_for(device.secret).at((device.last_used_step - 1) * 30)
    response = second.post(CODE, {"code": earlier})
    assert response.status_code == 200


def test_a_wrong_code_is_refused_and_counted(cast):
    client = Client()
    password_step(client, "chair")
    response = client.post(CODE, {"code": "000000"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    cast.chair.refresh_from_db()
    assert cast.chair.failed_sign_ins == 1
    assert AuditEvent.objects.filter(
        action="auth.mfa", outcome="failure", actor=cast.chair
    ).exists()


def test_a_code_from_far_in_the_past_is_refused(cast):
    device = TotpDevice.objects.get(user=cast.chair)
    stale = mfa.totp_for(device.secret).at(time.time() - 120)
    client = Client()
    password_step(client, "chair")
    assert client.post(CODE, {"code": stale}).status_code == 200
    assert not signed_in(client)


def test_a_user_with_no_factor_must_set_one_up_before_anything_else(cast):
    cast.partnership.security_policy.allow_email_codes = False
    cast.partnership.security_policy.save()
    user = make_user("newcomer", agency=cast.police_rep.agency, is_agency_rep=True, totp=False)
    client = Client()
    password_step(client, "newcomer")
    assert client.get(CODE)["Location"] == "/accounts/sign-in/set-up/"
    assert client.get("/cases/").status_code == 302  # not signed in yet
    page = client.get("/accounts/sign-in/set-up/")
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    secret = client.session["auth_pending"]["secret"]
    wrong = client.post("/accounts/sign-in/set-up/", {"code": "123456"})
    assert wrong.status_code == 200
    assert "The code is not correct" in wrong.content.decode()
    code = mfa.totp_for(secret).now()
    response = client.post("/accounts/sign-in/set-up/", {"code": code, "name": "Work phone"})
    assert response["Location"] == "/accounts/security/recovery-codes/"
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", codes_page)
    assert len(codes) == 10
    assert RecoveryCode.objects.filter(user=user).count() == 10
    assert signed_in(client)
    # Shown once only.
    assert client.get("/accounts/security/recovery-codes/")["Location"] == "/accounts/security/"
    device = TotpDevice.objects.get(user=user)
    assert device.name == "Work phone"
    assert device.confirmed_at is not None
    assert AuditEvent.objects.filter(action="auth.mfa_enrolled", actor=user).exists()


def test_a_recovery_code_works_once(cast):
    codes = mfa.recovery_codes_generate(user=cast.housing_rep)
    client = Client()
    password_step(client, "housing")
    assert client.post(CODE, {"code": codes[0].upper()}).status_code == 302
    assert signed_in(client)
    again = Client()
    password_step(again, "housing")
    response = again.post(CODE, {"code": codes[0]})
    assert response.status_code == 200
    assert not signed_in(again)
    assert mfa.recovery_codes_left(cast.housing_rep) == 9
    stored = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    assert not stored & set(codes)  # only keyed hashes are kept


def test_emailed_codes_work_where_the_policy_allows_them(cast):
    policy = cast.partnership.security_policy
    assert policy.allow_email_codes  # the Kent preset allows them
    client = Client()
    password_step(client, "police")
    mail.outbox.clear()
    assert client.post("/accounts/sign-in/email-code/")["Location"] == CODE
    body = mail.outbox[-1].body
    code = re.search(r"is (\d{6})", body).group(1)
    assert mail.outbox[-1].to == [cast.police_rep.email]
    assert client.post(CODE, {"code": code}).status_code == 302
    assert signed_in(client)
    event = AuditEvent.objects.filter(action="auth.sign_in", outcome="success").latest("id")
    assert event.detail == {"method": "email"}


def test_emailed_codes_are_refused_when_the_policy_does_not_allow_them(cast):
    policy = cast.partnership.security_policy
    client = Client()
    password_step(client, "police")
    mail.outbox.clear()
    client.post("/accounts/sign-in/email-code/")
    code = re.search(r"is (\d{6})", mail.outbox[-1].body).group(1)
    policy.allow_email_codes = False
    policy.save()
    mail.outbox.clear()
    client.post("/accounts/sign-in/email-code/")
    assert mail.outbox == []  # no more codes sent
    assert "E-mail me a code" not in client.get(CODE).content.decode()
    response = client.post(CODE, {"code": code})
    assert response.status_code == 200  # an earlier code no longer counts either
    assert not signed_in(client)
    assert AuditEvent.objects.filter(
        action="auth.email_code_sent", outcome="denied", actor=cast.police_rep
    ).exists()


def test_lock_out_at_the_threshold_and_the_hub_unlocks(cast):
    policy = cast.partnership.security_policy
    assert policy.lockout_threshold == 10
    for attempt in range(9):
        response = password_step(Client(), "police", "wrong-password-attempt")
        assert "The username or password is not correct" in response.content.decode(), attempt
    response = password_step(Client(), "police", "wrong-password-attempt")
    assert "Contact the MARAC hub team to unlock it" in response.content.decode()
    cast.police_rep.refresh_from_db()
    assert cast.police_rep.is_locked
    assert AuditEvent.objects.filter(action="auth.locked", actor=cast.police_rep).exists()
    # Even the right password does not get past a lock.
    response = password_step(Client(), "police")
    assert response.status_code == 200
    assert "Contact the MARAC hub team to unlock it" in response.content.decode()
    hub = client_for(cast.coordinator)
    response = hub.post(f"/accounts/hub/{cast.police_rep.pk}/unlock/")
    assert response.status_code == 302
    cast.police_rep.refresh_from_db()
    assert not cast.police_rep.is_locked
    assert cast.police_rep.failed_sign_ins == 0
    assert AuditEvent.objects.filter(action="auth.unlocked", actor=cast.coordinator).exists()
    assert signed_in(sign_in(cast.police_rep))


def test_wrong_codes_count_towards_the_lock_out(cast):
    policy = cast.partnership.security_policy
    policy.lockout_threshold = 3
    policy.save()
    client = Client()
    password_step(client, "chair")
    client.post(CODE, {"code": "000000"})
    client.post(CODE, {"code": "000001"})
    response = client.post(CODE, {"code": "000002"})
    assert "Contact the MARAC hub team to unlock it" in response.content.decode()
    cast.chair.refresh_from_db()
    assert cast.chair.is_locked
    assert client.get(CODE)["Location"] == SIGN_IN


def test_a_successful_sign_in_resets_the_failure_count(cast):
    password_step(Client(), "chair", "wrong-password-attempt")
    cast.chair.refresh_from_db()
    assert cast.chair.failed_sign_ins == 1
    sign_in(cast.chair)
    cast.chair.refresh_from_db()
    assert cast.chair.failed_sign_ins == 0


def _body_without_tokens(response) -> str:
    text = response.content.decode()
    text = re.sub(r'nonce="[^"]*"', "", text)
    return re.sub(r'value="[^"]{20,}"', "", text)


def test_sign_in_does_not_reveal_whether_an_account_exists(cast):
    known = password_step(Client(), "chair", "wrong-password-attempt")
    unknown = password_step(Client(), "nobody-here", "wrong-password-attempt")
    assert known.status_code == unknown.status_code == 200
    assert _body_without_tokens(known).replace("chair", "X") == _body_without_tokens(
        unknown
    ).replace("nobody-here", "X")
    # Unknown names are "locked" at the same threshold, so the lock-out message says nothing.
    for _ in range(9):
        password_step(Client(), "nobody-here", "wrong-password-attempt")
    response = password_step(Client(), "nobody-here", "wrong-password-attempt")
    assert "Contact the MARAC hub team to unlock it" in response.content.decode()


def test_sign_in_takes_about_as_long_for_an_unknown_account(cast, settings):
    # Real hashing, as in production, so that the dummy hash for unknown names is measured.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    cast.chair.set_password(DEMO_PASSWORD)
    cast.chair.save()

    def timed(username: str) -> float:
        start = time.perf_counter()
        password_step(Client(), username, "wrong-password-attempt")
        return time.perf_counter() - start

    timed("chair"), timed("nobody-here")  # warm up
    known = statistics.median(timed("chair") for _ in range(5))
    unknown = statistics.median(timed("nobody-here") for _ in range(5))
    # Within a factor of two of each other (an unhashed miss would be a hundred times faster).
    assert unknown > known * 0.5, (known, unknown)
    assert known > unknown * 0.5, (known, unknown)


def test_mfa_is_required_after_a_hub_password_reset(cast):
    hub = client_for(cast.coordinator)
    hub.post(f"/accounts/hub/{cast.police_rep.pk}/reset-password/")
    page = hub.get(f"/accounts/hub/{cast.police_rep.pk}/").content.decode()
    temporary = re.search(r"<code>([^<]+)</code>", page).group(1)
    client = Client()
    response = password_step(client, "police", temporary)
    assert response["Location"] == CODE  # the second factor still comes first
    assert not signed_in(client)
    assert client.get("/accounts/sign-in/new-password/")["Location"] == SIGN_IN
    response = client.post(CODE, {"code": next_totp_code(cast.police_rep)})
    assert response["Location"] == "/accounts/sign-in/new-password/"
    assert not signed_in(client)
    response = client.post(
        "/accounts/sign-in/new-password/",
        {"password1": "lantern orbit meadow 42!X", "password2": "lantern orbit meadow 42!X"},
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert signed_in(client)
    cast.police_rep.refresh_from_db()
    assert not cast.police_rep.must_change_password
    assert AuditEvent.objects.filter(action="auth.password_reset", actor=cast.coordinator).exists()


def test_only_the_hub_resets_a_users_second_factor_and_it_ends_their_sessions(cast):
    victim_session = client_for(cast.police_rep)
    assert signed_in(victim_session)
    assert (
        client_for(cast.chair).post(f"/accounts/hub/{cast.police_rep.pk}/reset-mfa/").status_code
        == 404
    )
    assert TotpDevice.objects.filter(user=cast.police_rep).exists()
    hub = client_for(cast.coordinator)
    assert hub.post(f"/accounts/hub/{cast.police_rep.pk}/reset-mfa/").status_code == 302
    assert not TotpDevice.objects.filter(user=cast.police_rep).exists()
    assert not signed_in(victim_session)
    assert AuditEvent.objects.filter(action="auth.mfa_reset", actor=cast.coordinator).exists()
    assert AuditEvent.objects.filter(
        action="auth.sessions_ended", detail__reason="mfa_reset"
    ).exists()


def test_the_pending_sign_in_expires(cast):
    with time_machine.travel("2026-11-23 09:00:00+00:00", tick=False):
        client = Client()
        password_step(client, "chair")
    with time_machine.travel("2026-11-23 09:11:00+00:00", tick=False):
        assert client.get(CODE)["Location"] == SIGN_IN


def test_a_deactivated_user_never_reaches_the_second_step(cast):
    response = password_step(Client(), "revoked")
    assert response.status_code == 200
    assert "The username or password is not correct" in response.content.decode()


def test_sign_in_with_a_fresh_session_has_a_fresh_mfa_time(cast):
    client = sign_in(cast.chair)
    assert abs(client.session[MFA_AT] - time.time()) < 5
    assert User.objects.get(pk=cast.chair.pk).failed_sign_ins == 0
