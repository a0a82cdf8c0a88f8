"""Password rules: the ASVS / NIST default, the Kent deviation, and changing passwords."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from openmarac.accounts.models import SecurityPolicy
from openmarac.accounts.passwords import password_expired, password_problems
from openmarac.audit.models import AuditEvent
from openmarac.partnerships.services import partnership_create_from_preset

from .auth_helpers import CODE, password_step
from .conftest import client_for, next_totp_code

pytestmark = pytest.mark.django_db

DEFAULT = SecurityPolicy()
KENT = SecurityPolicy(password_require_character_classes=True, password_max_age_days=90)


def test_the_default_rules_follow_nist_800_63b():
    assert password_problems("lantern orbit meadow", policy=DEFAULT) == []
    # No composition rules: lower-case words alone are fine, and so is any character.
    assert password_problems("ça-va très bien, 🐈 merci", policy=DEFAULT) == []
    assert password_problems("short words", policy=DEFAULT) == [
        "Password must be 12 characters or more"
    ]
    assert password_problems("x" * 64 + " long passphrases are allowed", policy=DEFAULT) == []
    assert (
        password_problems("y" * 257, policy=DEFAULT)[0]
        == "Password must be 256 characters or fewer"
    )


@pytest.mark.parametrize("common", ["password1234", "qwertyuiopasdfgh", "123456789012"])
def test_common_and_breached_passwords_are_refused(common):
    assert any("too common" in p for p in password_problems(common, policy=DEFAULT))


def test_context_words_are_refused(cast):
    user = cast.police_rep
    for password in (
        "my police passphrase",  # username and last name
        "Harper long passphrase",  # not this user's name, but see below
        "my constabulary passphrase",  # agency: Example Constabulary
        "a long marac passphrase",
        "Fictional partnership secret",  # partnership: Demo MARAC Partnership (fictional)
    ):
        problems = password_problems(
            password, user=cast.housing_rep if "Harper" in password else user
        )
        assert any("must not contain your name" in p for p in problems), password
    assert password_problems("Harper long passphrase 9!", user=user) == []


def test_the_kent_preset_adds_character_classes_and_a_90_day_change(db):
    partnership = partnership_create_from_preset(
        preset="kent-medway", official_email_domains=["example.org"], hub_email="h@example.org"
    )
    policy = partnership.security_policy
    assert policy.password_require_character_classes
    assert policy.password_max_age_days == 90
    assert policy.allow_email_codes
    assert password_problems("lantern orbit meadow", policy=KENT) == [
        "Password must include a capital letter, a number and a symbol"
    ]
    assert password_problems("Lantern orbit meadow 7!", policy=KENT) == []
    other = partnership_create_from_preset(
        preset="lincolnshire", official_email_domains=["example.org"], hub_email="h@example.org"
    )
    default = other.security_policy
    assert not default.password_require_character_classes
    assert default.password_max_age_days is None
    assert not default.allow_email_codes
    assert (default.lockout_threshold, default.idle_timeout_minutes) == (10, 15)


def test_django_password_validation_uses_the_partnership_rules(cast):
    with pytest.raises(ValidationError):
        validate_password("lantern orbit meadow", user=cast.chair)  # Kent: no capital etc.
    validate_password("Lantern orbit meadow 7!", user=cast.chair)


def test_kent_users_past_90_days_must_change_their_password_at_sign_in(cast):
    with time_machine.travel("2026-01-05 09:00:00+00:00", tick=False):
        cast.chair.set_password("Lantern orbit meadow 7!")
        cast.chair.save()
    with time_machine.travel("2026-04-04 09:00:00+00:00", tick=False):
        assert not password_expired(cast.chair)  # 89 days
    with time_machine.travel("2026-04-06 09:00:00+00:00", tick=False):
        assert password_expired(cast.chair)
        client = Client()
        password_step(client, "chair", "Lantern orbit meadow 7!")
        response = client.post(CODE, {"code": next_totp_code(cast.chair)})
        assert response["Location"] == "/accounts/sign-in/new-password/"
        assert client.get("/cases/").status_code == 302
        same = client.post(
            "/accounts/sign-in/new-password/",
            {"password1": "Lantern orbit meadow 7!", "password2": "Lantern orbit meadow 7!"},
        )
        assert "must be different from your current password" in same.content.decode()
        weak = client.post(
            "/accounts/sign-in/new-password/",
            {"password1": "lantern orbit meadow", "password2": "lantern orbit meadow"},
        )
        assert "govuk-error-summary" in weak.content.decode()
        assert 'value="lantern orbit meadow"' not in weak.content.decode()
        done = client.post(
            "/accounts/sign-in/new-password/",
            {"password1": "Quiet river stone 9?", "password2": "Quiet river stone 9?"},
        )
        assert done.status_code == 302
        assert client.get("/cases/").status_code == 200
        cast.chair.refresh_from_db()
        assert not password_expired(cast.chair)


def test_without_forced_expiry_old_passwords_stay_valid(cast):
    policy = cast.partnership.security_policy
    policy.password_max_age_days = None
    policy.save()
    with time_machine.travel("2020-01-01 09:00:00+00:00", tick=False):
        cast.chair.set_password("Lantern orbit meadow 7!")
        cast.chair.save()
    assert not password_expired(cast.chair)


def test_users_change_their_own_password(cast):
    client = client_for(cast.chair)
    other = client_for(cast.chair)
    wrong = client.post(
        "/accounts/security/password/",
        {
            "current": "not-it-at-all",
            "password1": "Quiet river stone 9?",
            "password2": "Quiet river stone 9?",
        },
    )
    assert "Your current password is not correct" in wrong.content.decode()
    response = client.post(
        "/accounts/security/password/",
        {
            "current": "demo-password-not-for-real-use",
            "password1": "Quiet river stone 9?",
            "password2": "Quiet river stone 9?",
        },
    )
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 200  # this session stays
    assert other.get("/cases/").status_code == 302  # the others end
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=cast.chair).exists()


def test_the_hub_edits_the_security_policy(cast, settings):
    settings.GEOIP_DATABASE = ""
    client = client_for(cast.coordinator)
    page = client.get("/accounts/hub/security-policy/")
    text = page.content.decode()
    assert "no GeoIP country database is set up" in text
    assert "disabled" in text
    data = {
        "password_min_length": "14",
        "password_require_character_classes": "no",
        "password_max_age_days": "",
        "allow_email_codes": "no",
        "lockout_threshold": "5",
        "idle_timeout_minutes": "10",
        "absolute_lifetime_hours": "8",
        "allowed_networks": "127.0.0.0/8\n2001:db8::/32",
        "denied_networks": "",
    }
    response = client.post("/accounts/hub/security-policy/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    policy = SecurityPolicy.objects.get(partnership=cast.partnership)
    assert policy.password_min_length == 14
    assert not policy.allow_email_codes
    assert policy.password_max_age_days is None
    assert policy.allowed_networks == ["127.0.0.0/8", "2001:db8::/32"]
    event = AuditEvent.objects.get(action="security_policy.update")
    assert "allowed_networks" in event.detail["fields"]
    bad = client.post(
        "/accounts/hub/security-policy/",
        {**data, "allowed_networks": "not a network", "password_min_length": "8"},
    )
    assert bad.status_code == 200
    text = bad.content.decode()
    assert "govuk-error-summary" in text
    assert "is not a network" in text
    assert "Shortest password must be 12 characters or more" in text
    assert "not a network</textarea>" in text  # what was typed is kept


def test_the_country_rule_needs_a_geoip_database(cast, settings):
    settings.GEOIP_DATABASE = ""
    from openmarac.accounts.forms import SecurityPolicyForm

    policy = cast.partnership.security_policy
    form = SecurityPolicyForm({"allowed_countries": "GB"}, policy=policy)
    form.is_valid()
    assert policy.allowed_countries == []
    assert form.cleaned_data.get("allowed_countries", []) == []  # disabled: ignored
    settings.GEOIP_DATABASE = "/srv/geoip/GeoLite2-Country.mmdb"
    form = SecurityPolicyForm({"allowed_countries": "gb, ie"}, policy=policy)
    form.is_valid()
    assert form.cleaned_data["allowed_countries"] == ["GB", "IE"]
