"""Restricted cases exist only for their named users; conflicts; break-glass."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from openmarac.agencies.models import Agency
from openmarac.audit.models import AuditEvent
from openmarac.caseaccess.models import BreakGlass, ConflictDeclaration
from openmarac.caseaccess.selectors import users_who_can_see
from openmarac.caseaccess.services import break_glass_open, case_access_grant, case_restrict
from openmarac.cases.models import CaseAccessGrant, Restriction
from openmarac.cases.selectors import case_label_for, cases_visible_to

from .conftest import client_for, delivered_mail, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(cast):
    return make_user(
        "hubmanager",
        agency=Agency.objects.get(is_hub=True),
        is_hub_coordinator=True,
        is_hub_manager=True,
    )


def _restrict(cast, restriction=Restriction.EMPLOYEE):
    case = case_restrict(case=cast.case_a, restriction=restriction, actor=cast.coordinator)
    cast.case_a.refresh_from_db()
    return case


def test_a_restricted_case_is_absent_from_lists_counts_and_pages_for_the_uninvited(cast):
    seen = cases_visible_to(cast.police_rep).count()
    _restrict(cast)
    for user in (cast.coordinator, cast.chair, cast.police_rep, cast.invited_rep):
        assert not cases_visible_to(user).filter(pk=cast.case_a.pk).exists()
    police = client_for(cast.police_rep)
    listing = police.get(reverse("cases:list")).content.decode()
    assert cast.case_a.reference not in listing
    assert cast.case_b.reference in listing
    assert cases_visible_to(cast.police_rep).count() == seen - 1
    detail = reverse("caserecord:record", kwargs={"reference": cast.case_a.reference})
    assert police.get(detail).status_code == 404
    assert AuditEvent.objects.filter(action="case.view.denied", actor=cast.police_rep).exists()
    assert cast.police_rep not in users_who_can_see(cast.case_a)


def test_the_hub_invites_a_named_user_not_their_agency(cast):
    case = _restrict(cast, Restriction.CLOSED)
    hub = client_for(cast.coordinator)
    url = reverse("caseaccess:manage", kwargs={"reference": case.reference})
    response = hub.post(url, {"form": "invite", "i-user": str(cast.police_rep.pk)})
    assert response.status_code == 302
    assert cases_visible_to(cast.police_rep).filter(pk=case.pk).exists()
    colleague = make_user("colleague", agency=cast.police_rep.agency, is_agency_rep=True)
    assert not cases_visible_to(colleague).filter(pk=case.pk).exists()
    assert set(users_who_can_see(case)) == {cast.police_rep}
    mail = delivered_mail()
    invited = [m for m in mail if m.to == [cast.police_rep.email]]
    assert invited
    assert case.reference not in invited[0].body
    assert case.reference not in invited[0].subject


def test_the_hub_marks_a_case_restricted_through_the_page(cast):
    url = reverse("caseaccess:manage", kwargs={"reference": cast.case_b.reference})
    response = client_for(cast.coordinator).post(
        url, {"form": "restriction", "r-restriction": "hba"}
    )
    assert response.status_code == 302
    cast.case_b.refresh_from_db()
    assert cast.case_b.restriction == Restriction.HBA
    event = AuditEvent.objects.get(action="case.restrict")
    assert event.detail == {"from": "", "to": "hba"}


def test_an_hba_case_is_a_masked_slot_only_on_its_own_areas_agenda(cast):
    _restrict(cast, Restriction.HBA)
    label = case_label_for(cast.police_rep, cast.case_a)
    assert (label.shown, label.text, label.opens) == (
        True,
        f"HBA {cast.case_a.reference[-4:]}",
        False,
    )
    # Housing is not a standing member in North Kent: it does not follow that agenda.
    assert not case_label_for(cast.housing_rep, cast.case_a).shown
    CaseAccessGrant.objects.create(case=cast.case_a, user=cast.chair, granted_by=cast.coordinator)
    assert case_label_for(cast.chair, cast.case_a).opens


def test_a_declared_conflict_closes_the_case_to_that_user_and_the_hub_sees_it(cast):
    client = client_for(cast.police_rep)
    url = reverse("caseaccess:declare_conflict", kwargs={"reference": cast.case_a.reference})
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    assert ConflictDeclaration.objects.filter(user=cast.police_rep, case=cast.case_a).exists()
    detail = reverse("caserecord:record", kwargs={"reference": cast.case_a.reference})
    assert client.get(detail).status_code == 404
    assert cast.case_a not in cases_visible_to(cast.police_rep)
    assert cast.chair in users_who_can_see(cast.case_a)  # same agency, no conflict
    label = case_label_for(cast.police_rep, cast.case_a)
    assert label.shown
    assert not label.opens
    hub_page = client_for(cast.coordinator).get(reverse("caseaccess:index")).content.decode()
    assert "Pat Police" in hub_page
    assert cast.case_a.reference in hub_page
    # The hub cannot invite a conflicted user into the case either.
    _restrict(cast)
    with pytest.raises(ValidationError):
        case_access_grant(case=cast.case_a, user=cast.police_rep, actor=cast.coordinator)


def test_break_glass_needs_a_reason_alerts_security_and_is_flagged(cast, manager):
    _restrict(cast, Restriction.EMPLOYEE)
    client = client_for(manager)
    detail = reverse("caserecord:record", kwargs={"reference": cast.case_a.reference})
    assert client.get(detail).status_code == 404
    url = reverse("caseaccess:break_glass")
    short = client.post(url, {"reference": cast.case_a.reference, "reason": "urgent"})
    assert short.status_code == 200
    assert b"govuk-error-summary" in short.content
    assert not BreakGlass.objects.exists()
    reason = "Police report imminent risk tonight; the named users cannot be reached."
    response = client.post(url, {"reference": cast.case_a.reference, "reason": reason})
    assert response.status_code == 302
    assert response["Location"] == detail
    assert client.get(detail).status_code == 200
    use = BreakGlass.objects.get()
    assert use.reason == reason
    event = AuditEvent.objects.get(action="case.break_glass", outcome="success")
    assert event.detail["flag"] == "break_glass"
    assert reason not in str(event.detail)
    alert = [m for m in delivered_mail() if m.to == ["security@example.org"]]
    assert len(alert) == 1
    assert cast.case_a.reference not in alert[0].body
    assert reason not in alert[0].body
    report = client_for(cast.coordinator).get(reverse("audit:break_glass")).content.decode()
    assert cast.case_a.reference in report
    assert "Hubmanager" in report
    # Time-limited: two hours later the case is closed to the manager again.
    with time_machine.travel(use.expires_at + datetime.timedelta(seconds=1)):
        assert not cases_visible_to(manager).filter(pk=cast.case_a.pk).exists()


def test_only_a_hub_manager_can_break_glass(cast, manager):
    _restrict(cast)
    with pytest.raises(PermissionError):
        break_glass_open(case=cast.case_a, user=cast.coordinator, reason="x" * 30)
    response = client_for(cast.coordinator).get(reverse("caseaccess:break_glass"))
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        break_glass_open(case=cast.case_b, user=manager, reason="x" * 30)  # not restricted


def test_the_hub_removes_a_named_user(cast):
    case = _restrict(cast)
    grant = case_access_grant(case=case, user=cast.chair, actor=cast.coordinator)
    url = reverse(
        "caseaccess:remove_grant", kwargs={"reference": case.reference, "grant_id": grant.pk}
    )
    assert client_for(cast.coordinator).post(url).status_code == 302
    assert not cases_visible_to(cast.chair).filter(pk=case.pk).exists()
    assert AuditEvent.objects.filter(action="case.access_revoke").exists()


def test_break_glass_needs_a_recent_second_factor(cast, manager):
    from openmarac.accounts.services import MFA_AT

    _restrict(cast)
    client = client_for(manager)
    session = client.session
    session[MFA_AT] = int(session[MFA_AT]) - 3600
    session.save()
    response = client.post(
        reverse("caseaccess:break_glass"),
        {"reference": cast.case_a.reference, "reason": "A long enough reason for the test."},
    )
    assert response["Location"].startswith(reverse("accounts:confirm"))
    assert not BreakGlass.objects.exists()
