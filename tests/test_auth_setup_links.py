"""No path from a password alone to a signed-in session, and no credential ever shown to anyone
but its owner: enrolment needs a single-use set-up link e-mailed to the account holder, and the
hub's resets send such a link (two people for the powerful accounts)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from openmarac.accounts import mfa
from openmarac.accounts.models import RecoveryCode, SetupLink, TotpDevice, User
from openmarac.audit.models import AuditEvent

from .auth_helpers import CODE, SIGN_IN, password_step
from .conftest import client_for, delivered_mail, make_user, next_totp_code

pytestmark = pytest.mark.django_db

ENROL = "/accounts/sign-in/set-up/"
SETUP_PASSWORD = "/accounts/set-up/password/"
NEW_PASSWORD = "lantern orbit meadow 42!X"


def signed_in(client: Client) -> bool:
    return client.get("/cases/").status_code == 200


def link_in_mail(user: User) -> str:
    """The set-up link path in the newest e-mail to ``user``."""
    sent = [m for m in mail.outbox if user.email in m.to and "/accounts/set-up/" in m.body]
    assert sent, "no set-up link was e-mailed"
    return re.search(r"(/accounts/set-up/[A-Za-z0-9_\-]+/)", sent[-1].body).group(1)


def newcomer(cast, *, totp: bool = False) -> User:
    return make_user("newcomer", agency=cast.police_rep.agency, is_agency_rep=True, totp=totp)


def test_a_password_alone_never_enrols_a_factor_where_codes_are_e_mailed(cast):
    # The review's finding: Kent's preset allows e-mailed codes; an account with no app was
    # taken over by enrolling the attacker's own authenticator after the password alone.
    assert cast.partnership.security_policy.allow_email_codes
    user = newcomer(cast)
    client = Client()
    assert password_step(client, "newcomer")["Location"] == CODE
    page = client.get(ENROL)
    assert page.status_code == 403
    assert "You need a set-up link" in page.content.decode()
    assert "auth_pending" in client.session
    assert "secret" not in client.session["auth_pending"]
    # Even a code made from a secret of the attacker's choosing enrols nothing.
    response = client.post(ENROL, {"code": mfa.totp_for(mfa.totp_secret_new()).now()})
    assert response.status_code == 403
    assert not TotpDevice.objects.filter(user=user).exists()
    assert not signed_in(client)
    assert AuditEvent.objects.filter(
        action="auth.mfa_enrolled", actor=user, outcome="denied"
    ).exists()
    # The code page still offers only the e-mailed code the policy allows.
    assert client.get(CODE).status_code == 200


def test_a_password_alone_never_enrols_a_factor_where_codes_are_not_e_mailed(cast):
    cast.partnership.security_policy.allow_email_codes = False
    cast.partnership.security_policy.save()
    user = newcomer(cast)
    client = Client()
    password_step(client, "newcomer")
    assert client.get(CODE)["Location"] == ENROL
    assert client.get(ENROL).status_code == 403
    client.post(ENROL, {"code": "123456"})
    assert not TotpDevice.objects.filter(user=user).exists()
    assert not signed_in(client)


def test_a_new_account_is_set_up_through_its_e_mailed_link_only(cast):
    user = newcomer(cast)
    user.set_unusable_password()
    user.save()
    hub = client_for(cast.coordinator)
    mail.outbox.clear()
    response = hub.post(f"/accounts/hub/{user.pk}/reset-password/", follow=True)
    page = response.content.decode()
    assert "single-use link" in page
    path = link_in_mail(user)
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in page  # the coordinator never sees the link
    link = SetupLink.objects.get(user=user, used_at__isnull=True)
    assert link.token_hash != token
    assert token not in link.token_hash
    assert link.purpose == "new_account"

    client = Client()
    opened = client.get(path)  # opening changes nothing (mail scanners open links)
    assert opened.status_code == 200
    assert opened["Referrer-Policy"] == "same-origin"  # the token goes to no other site
    assert SetupLink.objects.get(pk=link.pk).used_at is None
    assert client.post(path)["Location"] == SETUP_PASSWORD
    assert client.post(SETUP_PASSWORD, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})[
        "Location"
    ] == ("/accounts/sign-in/set-up/")
    assert not signed_in(client)  # a factor first
    client.get(ENROL)
    secret = client.session["auth_pending"]["secret"]
    response = client.post(ENROL, {"code": mfa.totp_for(secret).now(), "name": "Work phone"})
    assert response["Location"] == "/accounts/security/recovery-codes/"
    assert signed_in(client)
    assert RecoveryCode.objects.filter(user=user).count() == 10
    # The link worked once; a second browser gets nowhere with it.
    again = Client()
    assert again.get(path).status_code == 404
    assert again.post(path).status_code == 404
    assert again.get(SETUP_PASSWORD)["Location"] == SIGN_IN


def test_a_link_for_one_user_does_not_let_another_enrol(cast):
    alice = newcomer(cast)
    alice.set_unusable_password()
    alice.save()
    make_user("mallory", agency=cast.police_rep.agency, is_agency_rep=True, totp=False)
    hub = client_for(cast.coordinator)
    hub.post(f"/accounts/hub/{alice.pk}/reset-mfa/")
    path = link_in_mail(alice)
    client = Client()
    client.post(path)
    # Mallory gives her own password in the browser that holds Alice's grant.
    password_step(client, "mallory")
    assert client.get(ENROL).status_code == 403
    assert not TotpDevice.objects.filter(user__username="mallory").exists()


def test_a_link_expires(cast):
    user = newcomer(cast)
    client_for(cast.coordinator).post(f"/accounts/hub/{user.pk}/reset-mfa/")
    path = link_in_mail(user)
    with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1), tick=False):
        assert Client().get(path).status_code == 404
        assert Client().post(path).status_code == 404


def test_a_hub_password_reset_shows_the_coordinator_no_credential(cast):
    old_hash = User.objects.get(pk=cast.police_rep.pk).password
    victim_session = client_for(cast.police_rep)
    hub = client_for(cast.coordinator)
    mail.outbox.clear()
    response = hub.post(f"/accounts/hub/{cast.police_rep.pk}/reset-password/", follow=True)
    page = response.content.decode()
    assert "Temporary password" not in page
    assert "<code>" not in page
    police = User.objects.get(pk=cast.police_rep.pk)
    assert police.password != old_hash
    assert not police.has_usable_password()
    # Neither the old password nor anything the coordinator saw signs in.
    assert password_step(Client(), "police").status_code == 200
    assert not signed_in(victim_session)
    # The user alone is e-mailed the link; the security contact is told who did it.
    path = link_in_mail(police)
    assert path not in page
    cast.partnership.refresh_from_db()
    assert cast.partnership.security_contact_email
    alerts = [
        m
        for m in delivered_mail()
        if cast.partnership.security_contact_email in m.to
        and m.subject == "An OpenMARAC account was reset"
    ]
    assert len(alerts) == 1
    assert cast.coordinator.username in alerts[0].body
    assert "police" in alerts[0].body
    assert path not in alerts[0].body
    assert AuditEvent.objects.filter(
        action="auth.password_reset", actor=cast.coordinator, object_id=str(police.pk)
    ).exists()
    # The user chooses a new password and still gives their second factor.
    client = Client()
    assert client.post(path)["Location"] == SETUP_PASSWORD
    assert client.post(SETUP_PASSWORD, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})[
        "Location"
    ] == (CODE)
    assert not signed_in(client)
    assert client.get(ENROL)["Location"] == CODE  # they have an app: no enrolment
    assert client.post(CODE, {"code": next_totp_code(police)}).status_code == 302
    assert signed_in(client)


def test_a_hub_factor_reset_needs_the_link_and_the_password(cast):
    victim_session = client_for(cast.police_rep)
    hub = client_for(cast.coordinator)
    mail.outbox.clear()
    assert hub.post(f"/accounts/hub/{cast.police_rep.pk}/reset-mfa/").status_code == 302
    assert not TotpDevice.objects.filter(user=cast.police_rep).exists()
    assert not signed_in(victim_session)
    # With the password alone (what a coordinator who knew it would have), no enrolment.
    thief = Client()
    password_step(thief, "police")
    assert thief.get(ENROL).status_code == 403
    # With the link and then the password, the owner enrols a new app.
    path = link_in_mail(cast.police_rep)
    owner = Client()
    assert owner.post(path)["Location"] == SIGN_IN
    assert password_step(owner, "police")["Location"] == CODE
    assert owner.get(CODE)["Location"] == ENROL
    owner.get(ENROL)
    secret = owner.session["auth_pending"]["secret"]
    assert owner.post(ENROL, {"code": mfa.totp_for(secret).now()}).status_code == 302
    assert signed_in(owner)
    assert "setup_grant" not in owner.session  # the grant ends with the sign-in


def test_only_a_hub_manager_resets_a_powerful_account_and_never_their_own(cast):
    manager = User.objects.get(username="manager")
    coordinator = cast.coordinator
    second = make_user(
        "coordinator2",
        agency=coordinator.agency,
        email="coordinator2@" + cast.partnership.official_email_domains[0],
        is_hub_coordinator=True,
    )
    hub = client_for(coordinator)
    for target in (cast.chair, manager, second):
        before = User.objects.get(pk=target.pk).password
        for action in ("reset-password", "reset-mfa"):
            response = hub.post(f"/accounts/hub/{target.pk}/{action}/", follow=True)
            assert "Only a hub manager can reset" in response.content.decode()
        assert User.objects.get(pk=target.pk).password == before
        assert TotpDevice.objects.filter(user=target).exists()
    assert not SetupLink.objects.exists()
    assert (
        AuditEvent.objects.filter(
            action="hub.account_reset", actor=coordinator, outcome="denied"
        ).count()
        == 6
    )
    # Nobody resets themselves this way, the manager included.
    manager_client = client_for(manager)
    manager_client.post(f"/accounts/hub/{manager.pk}/reset-mfa/")
    assert TotpDevice.objects.filter(user=manager).exists()
    # A hub manager who is not the target may.
    assert manager_client.post(f"/accounts/hub/{cast.chair.pk}/reset-mfa/").status_code == 302
    assert not TotpDevice.objects.filter(user=cast.chair).exists()
    assert SetupLink.objects.filter(user=cast.chair, created_by=manager).exists()


def test_a_new_licence_e_mails_its_holder_a_set_up_link(cast):
    from openmarac.licences.models import LicenceKind
    from openmarac.licences.services import licence_approve, licence_request

    domain = cast.partnership.official_email_domains[0]
    licence = licence_request(
        agency=cast.police_rep.agency,
        email=f"new.officer@{domain}",
        first_name="New",
        last_name="Officer",
        job_title="DC",
        kind=LicenceKind.STANDING,
        areas=[cast.area_a],
        delegate_name="D",
        delegate_email=f"d@{domain}",
        escalation_name="E",
        escalation_email=f"e@{domain}",
        requested_by=cast.coordinator,
    )
    mail.outbox.clear()
    licence_approve(licence=licence, actor=cast.coordinator)
    user = User.objects.get(pk=licence.user_id)
    assert not user.has_usable_password()
    path = link_in_mail(user)
    assert SetupLink.objects.get(user=user).purpose == "new_account"
    client = Client()
    client.post(path)
    client.post(SETUP_PASSWORD, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert password_step(Client(), user.username, NEW_PASSWORD).status_code == 302


def test_a_newer_link_replaces_an_older_one(cast):
    user = newcomer(cast)
    hub = client_for(cast.coordinator)
    hub.post(f"/accounts/hub/{user.pk}/reset-mfa/")
    first = link_in_mail(user)
    hub.post(f"/accounts/hub/{user.pk}/reset-mfa/")
    second = link_in_mail(user)
    assert first != second
    assert Client().post(first).status_code == 404
    assert Client().post(second).status_code == 302
    assert SetupLink.objects.filter(user=user, used_at__isnull=True).count() == 0
    assert SetupLink.objects.filter(user=user).count() == 2
    assert all(link.used_at <= timezone.now() for link in SetupLink.objects.filter(user=user))


def test_an_unknown_or_malformed_link_is_refused_plainly(cast):
    for token in ("x", "A" * 43, "é" * 10, "1" * 200):
        response = Client().get(f"/accounts/set-up/{token}/")
        assert response.status_code == 404
        assert "This link cannot be used" in response.content.decode()
