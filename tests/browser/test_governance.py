"""The hub approves a licence, restricts a case and invites a named user, then reads the audit."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to
from openmarac.demo.partnership import load_demo
from openmarac.licences.models import Licence, LicenceKind, LicenceStatus
from openmarac.licences.services import licence_request

from .conftest import navigate, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_hub_approves_a_licence_restricts_a_case_and_reads_its_audit(
    live_server: Any, page: Page
) -> None:
    partnership = load_demo()
    police = User.objects.get(username="police")
    requested = licence_request(
        agency=police.agency,
        email="new.analyst@example.org",
        first_name="Nova",
        last_name="Analyst",
        job_title="Analyst",
        kind=LicenceKind.STANDING,
        areas=list(partnership.areas.all()),
        delegate_name="Dee Legate",
        delegate_email="delegate@example.org",
        escalation_name="Esca Lation",
        escalation_email="escalation@example.org",
        requested_by=police,
    )
    case = Case.objects.get(area__code="NK")
    base = live_server.url
    sign_in(page, base, "coordinator")

    navigate(page, page.get_by_role("link", name="Licences").first.click)
    navigate(page, page.get_by_role("link", name="Requested").click)
    navigate(page, page.get_by_role("link", name=requested.short_id).click)
    expect(page.get_by_role("heading", name="Nova Analyst")).to_be_visible()
    navigate(page, page.get_by_role("button", name="Approve the licence").click)
    expect(page.get_by_text("Licence approved")).to_be_visible()
    assert Licence.objects.get(pk=requested.pk).status == LicenceStatus.ACTIVE

    navigate(page, page.get_by_role("link", name="Restricted cases").click)
    page.get_by_label("Restrict a case or invite someone into it: case reference").fill(
        case.reference
    )
    navigate(page, page.get_by_role("button", name="Find the case").click)
    page.get_by_label("Employee-sensitive").check()
    navigate(page, page.get_by_role("button", name="Save the restriction").click)
    expect(page.get_by_text("Restriction saved")).to_be_visible()
    page.get_by_label("Invite a named user").select_option(label="Pat Police, Example Constabulary")
    navigate(page, page.get_by_role("button", name="Invite", exact=True).click)
    expect(page.get_by_role("cell", name="Pat Police", exact=True)).to_be_visible()
    assert cases_visible_to(police).filter(pk=case.pk).exists()
    assert not cases_visible_to(User.objects.get(username="chair")).filter(pk=case.pk).exists()

    navigate(page, page.get_by_role("link", name="Audit").click)
    page.get_by_label("Case reference").fill(case.reference)
    navigate(page, page.get_by_role("button", name="Show the case's audit").click)
    expect(page.get_by_role("heading", name="Who viewed or changed this case")).to_be_visible()
    expect(page.get_by_role("cell", name="case.restrict")).to_be_visible()
    expect(page.get_by_role("cell", name="case.access_grant")).to_be_visible()
