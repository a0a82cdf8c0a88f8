"""Licences: requested by the key contact, approved by the hub, moved, suspended, deactivated,
swept when unused for a quarter; official domains and hub-only privileged roles."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency, Sector
from openmarac.audit.models import AuditEvent
from openmarac.cases.selectors import cases_visible_to
from openmarac.licences.models import EndReason, Licence, LicenceKind, LicenceStatus
from openmarac.licences.services import (
    licence_approve,
    licence_deactivate,
    licence_move,
    licence_request,
    licence_resume,
    licence_suspend,
)
from openmarac.licences.sweeps import deactivate_unused

from .conftest import client_for, delivered_mail, make_user

pytestmark = pytest.mark.django_db


def _request_for(cast, email="newrep@example.org", **overrides):
    kwargs = {
        "agency": cast.police_rep.agency,
        "email": email,
        "first_name": "Newton",
        "last_name": "Rep",
        "job_title": "Detective sergeant",
        "kind": LicenceKind.STANDING,
        "areas": [cast.area_a],
        "delegate_name": "Dee Legate",
        "delegate_email": "delegate@example.org",
        "escalation_name": "Esca Lation",
        "escalation_email": "escalation@example.org",
        "requested_by": cast.police_rep,
    }
    kwargs.update(overrides)
    return licence_request(**kwargs)


def test_a_key_contact_requests_and_the_hub_approves_a_licence(cast):
    licence = _request_for(cast)
    holder = licence.user
    assert licence.status == LicenceStatus.REQUESTED
    assert not holder.is_active
    assert cases_visible_to(holder).count() == 0
    licence_approve(licence=licence, actor=cast.coordinator)
    holder.refresh_from_db()
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    assert holder.is_active
    # Covers North Kent only: case_a yes, case_b (West Kent) no.
    assert list(cases_visible_to(holder)) == [cast.case_a]
    assert AuditEvent.objects.filter(action="licence.approve", object_id=str(licence.pk)).exists()
    sent = delivered_mail()
    assert any(m.to == [holder.email] for m in sent)
    assert all("Victimone" not in m.body for m in sent)


def test_only_official_domains_can_hold_a_licence(cast):
    with pytest.raises(ValidationError, match="domains"):
        _request_for(cast, email="someone@gmail.com")
    # A subdomain of an official domain is official.
    assert _request_for(cast, email="someone@force.example.org").status == LicenceStatus.REQUESTED


def test_only_the_key_contact_of_the_agency_may_request(cast):
    with pytest.raises(ValidationError, match="key contact"):
        _request_for(cast, requested_by=cast.housing_rep)


def test_a_member_cannot_approve_a_licence(cast):
    licence = _request_for(cast)
    with pytest.raises(PermissionError):
        licence_approve(licence=licence, actor=cast.police_rep)


def test_a_by_invite_licence_needs_an_end_date_and_ends_then(cast):
    with pytest.raises(ValidationError, match="end date"):
        _request_for(cast, kind=LicenceKind.BY_INVITE, expires_on=None)
    licence = Licence.objects.get(user=cast.invited_rep)
    assert licence.kind == LicenceKind.BY_INVITE
    assert list(cases_visible_to(cast.invited_rep)) == [cast.case_a]
    Licence.objects.filter(pk=licence.pk).update(
        expires_on=datetime.date.today() - datetime.timedelta(days=1)
    )
    assert cases_visible_to(cast.invited_rep).count() == 0


def test_moving_a_licence_changes_what_the_holder_sees(cast):
    licence = Licence.objects.get(user=cast.police_rep)
    assert {cast.case_a, cast.case_b} <= set(cases_visible_to(cast.police_rep))
    licence_move(licence=licence, areas=[cast.area_b], actor=cast.coordinator)
    assert list(cases_visible_to(cast.police_rep)) == [cast.case_b]
    event = AuditEvent.objects.get(action="licence.move")
    assert event.detail["areas_after"] == [cast.area_b.pk]


def test_suspension_for_a_rota_ends_sessions_and_resumption_restores(cast):
    client = client_for(cast.police_rep)
    url = reverse("caserecord:record", kwargs={"reference": cast.case_a.reference})
    assert client.get(url).status_code == 200
    licence = Licence.objects.get(user=cast.police_rep)
    seen = cases_visible_to(cast.police_rep).count()
    licence_suspend(licence=licence, actor=cast.coordinator)
    assert client.get(url).status_code == 302  # signed out at once
    cast.police_rep.refresh_from_db()
    assert cases_visible_to(cast.police_rep).count() == 0
    licence_resume(licence=licence, actor=cast.coordinator)
    cast.police_rep.refresh_from_db()
    assert cases_visible_to(cast.police_rep).count() == seen


def test_deactivation_through_the_hub_page_ends_every_session_at_once(cast):
    holder_client = client_for(cast.housing_rep)
    url = reverse("caserecord:record", kwargs={"reference": cast.case_b.reference})
    assert holder_client.get(url).status_code == 200
    licence = Licence.objects.get(user=cast.housing_rep)
    response = client_for(cast.coordinator).post(
        reverse("licences:change", kwargs={"public_id": licence.public_id, "change": "deactivate"}),
        {"reason": "leaver"},
    )
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.DEACTIVATED
    assert licence.end_reason == EndReason.LEAVER
    assert holder_client.get(url).status_code == 302
    assert AuditEvent.objects.filter(
        action="auth.sessions_ended", object_id=str(cast.housing_rep.pk)
    ).exists()


def test_the_hub_approves_a_request_made_through_the_pages(cast):
    form = {
        "first_name": "Nadia",
        "last_name": "New",
        "email": "nadia.new@example.org",
        "job_title": "Analyst",
        "kind": "standing",
        "areas": [str(cast.area_a.pk)],
        "expires_on_day": "",
        "expires_on_month": "",
        "expires_on_year": "",
        "delegate_name": "Dee",
        "delegate_email": "dee@example.org",
        "escalation_name": "Esc",
        "escalation_email": "esc@example.org",
    }
    bad = client_for(cast.police_rep).post(
        reverse("licences:request"), {**form, "email": "nadia@hotmail.com"}
    )
    assert bad.status_code == 200
    assert b"govuk-error-summary" in bad.content
    assert b"nadia@hotmail.com" in bad.content
    ok = client_for(cast.police_rep).post(reverse("licences:request"), form)
    assert ok.status_code == 302
    licence = Licence.objects.get(user__email="nadia.new@example.org")
    hub = client_for(cast.coordinator)
    assert b"Nadia New" in hub.get(reverse("licences:hub_list") + "?status=requested").content
    hub.post(
        reverse("licences:change", kwargs={"public_id": licence.public_id, "change": "approve"})
    )
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE


def test_the_register_lists_every_holder_with_last_sign_in_and_what_they_see(cast):
    User.objects.filter(pk=cast.housing_rep.pk).update(
        last_login=datetime.datetime(2026, 10, 5, 9, 30, tzinfo=datetime.UTC)
    )
    response = client_for(cast.coordinator).get(reverse("licences:register"))
    body = response.content.decode()
    assert "Harper Housing" in body
    assert "5 Oct 2026" in body
    assert "Never" in body  # holders who never signed in
    assert AuditEvent.objects.filter(action="licence_register.view").exists()


def test_privileged_roles_exist_only_in_the_hub(cast):
    police = cast.police_rep.agency
    with pytest.raises(ValidationError):
        make_user("rogue", agency=police, is_hub_coordinator=True)
    cast.police_rep.is_hub_manager = True
    with pytest.raises(ValidationError):
        cast.police_rep.save()
    with pytest.raises(ValidationError):
        cast.police_rep.full_clean()
    hub = Agency.objects.get(is_hub=True)
    assert make_user("hubby", agency=hub, is_hub_coordinator=True).is_hub_coordinator


def test_an_agency_that_has_not_signed_cannot_hold_licences(cast):
    newcomer = Agency.objects.create(
        partnership=cast.partnership, name="Example Newcomer", sector=Sector.OTHER
    )
    user = User.objects.create(username="nc", email="nc@example.org", agency=newcomer)
    from openmarac.licences.services import licence_issue

    with pytest.raises(ValidationError, match="signed"):
        licence_issue(user=user, kind=LicenceKind.STANDING, areas=[cast.area_a])


def test_the_quarterly_sweep_deactivates_unused_licences_and_tells_holder_and_escalation(cast):
    active = Licence.objects.filter(status=LicenceStatus.ACTIVE)
    # Every licence has been held since before the quarter; only the police rep signed in.
    active.update(activated_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
    User.objects.update(last_login=None)
    User.objects.filter(pk=cast.police_rep.pk).update(
        last_login=datetime.datetime(2026, 8, 14, 10, 0, tzinfo=datetime.UTC)
    )
    Licence.objects.filter(user=cast.housing_rep).update(escalation_email="boss@example.org")
    # Mid-quarter nothing happens: the quarter before (Apr-Jun) predates every licence.
    with time_machine.travel("2026-09-30 12:00:00+01:00", tick=False):
        assert deactivate_unused(datetime.datetime.now(tz=datetime.UTC)) == 0
    # The first sweep of October audits July-September.
    with time_machine.travel("2026-10-01 00:05:00+01:00", tick=False):
        done = deactivate_unused(datetime.datetime.now(tz=datetime.UTC))
        again = deactivate_unused(datetime.datetime.now(tz=datetime.UTC))
    assert again == 0
    still = set(Licence.objects.filter(status=LicenceStatus.ACTIVE).values_list("user", flat=True))
    assert still == {cast.police_rep.pk}
    assert done == Licence.objects.filter(end_reason=EndReason.UNUSED).count() > 0
    to = [m.to[0] for m in delivered_mail()]
    assert cast.housing_rep.email in to
    assert "boss@example.org" in to
    assert to.count("boss@example.org") == 1


def test_deactivating_twice_changes_nothing(cast):
    licence = Licence.objects.get(user=cast.chair)
    licence_deactivate(licence=licence, reason=EndReason.OTHER, actor=cast.coordinator)
    before = AuditEvent.objects.count()
    licence_deactivate(licence=licence, reason=EndReason.OTHER, actor=cast.coordinator)
    assert AuditEvent.objects.count() == before


def _stale(client):
    from openmarac.accounts.services import MFA_AT

    session = client.session
    session[MFA_AT] = int(session[MFA_AT]) - 3600
    session.save()
    return client


def test_licence_changes_need_a_recent_second_factor(cast):
    licence = Licence.objects.get(user=cast.housing_rep)
    client = _stale(client_for(cast.coordinator))
    url = reverse("licences:change", kwargs={"public_id": licence.public_id, "change": "suspend"})
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.ACTIVE
    moved = client.post(
        reverse("licences:hub_detail", kwargs={"public_id": licence.public_id}),
        {"areas": [str(cast.area_a.pk)]},
    )
    assert moved["Location"].startswith(reverse("accounts:confirm"))
    assert list(licence.areas.all()) != [cast.area_a]
