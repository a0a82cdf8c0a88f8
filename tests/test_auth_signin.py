"""Two-step sign-in: password, then a second factor for every account; lock-out; enumeration."""

from __future__ import annotations

import re
import statistics
import time

import pytest
import time_machine
from django.core import mail
from django.test import Client

from openmarac.accounts import mfa, throttle
from openmarac.accounts.models import RecoveryCode, TotpDevice
from openmarac.accounts.services import MFA_AT
from openmarac.audit.models import AuditEvent
from openmarac.demo.partnership import DEMO_PASSWORD

from .auth_helpers import CODE, SIGN_IN, password_step, sign_in
from .conftest import next_totp_code

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
    assert throttle.state_of(username="chair") == (1, None)
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


def test_a_successful_sign_in_resets_the_failure_count(cast):
    password_step(Client(), "chair", "wrong-password-attempt")
    assert throttle.state_of(username="chair")[0] == 1
    sign_in(cast.chair)
    assert throttle.state_of(username="chair") == (0, None)


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
    # Unknown names are delayed at the same threshold, so the delay itself says nothing.
    for _ in range(9):
        password_step(Client(), "nobody-here", "wrong-password-attempt")
    response = password_step(Client(), "nobody-here", "wrong-password-attempt")
    assert "Wait 1 minute and try again" in response.content.decode()


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
