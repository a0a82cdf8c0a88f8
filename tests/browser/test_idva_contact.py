"""Recording contact with the victim in a real browser: the IDVA service's representative finds
the contact due, records a failed attempt (after an error for a missing method) and then the
outcome with who presents the victim's view. Every page is checked with axe."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openmarac.agencies.models import Agency, Sector
from openmarac.cases.models import Case
from openmarac.demo.partnership import load_demo
from openmarac.idva.models import ContactOutcome, IdvaContact
from openmarac.idva.services import idva_due_at
from tests.conftest import TEST_NOW, make_user

from .conftest import navigate, open_url, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_idva_records_attempts_and_the_outcome(live_server: Any, page: Page) -> None:
    load_demo()
    base = live_server.url
    case = Case.objects.get(area__code="NK")
    agency = Agency.objects.get(partnership=case.partnership, sector=Sector.IDVA)
    make_user("idvarep", agency=agency, is_agency_rep=True)
    accepted = TEST_NOW - datetime.timedelta(hours=2)
    contact = IdvaContact.objects.create(
        case=case, accepted_at=accepted, due_at=idva_due_at(area=case.area, accepted_at=accepted)
    )

    sign_in(page, base, "idvarep")
    open_url(page, f"{base}/idva/contacts/")
    navigate(page, page.get_by_role("link", name=case.reference).click)
    expect(page.get_by_text("Not yet recorded")).to_be_visible()

    page.get_by_label("Day").fill("23")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time of the attempt").fill("09:00")
    navigate(page, page.get_by_role("button", name="Record the attempt").click)
    expect(page.get_by_role("alert")).to_contain_text("Select how contact was attempted")
    expect(page.get_by_label("Time of the attempt")).to_have_value("09:00")
    page.get_by_label("Telephone").check()
    page.get_by_label("Note").fill("No answer; no voicemail left.")
    navigate(page, page.get_by_role("button", name="Record the attempt").click)
    expect(page.get_by_text("Contact attempt recorded")).to_be_visible()
    expect(page.get_by_text("No answer; no voicemail left.")).to_be_visible()

    page.get_by_label("Day").fill("23")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Time of the attempt").fill("09:45")
    page.get_by_label("Through the referring agency").check()
    page.get_by_label("Engaged with the IDVA service").check()
    page.get_by_label("Who presents the victim's view at the meeting?").fill("The IDVA")
    navigate(page, page.get_by_role("button", name="Record the attempt").click)
    expect(page.locator("[data-idva-outcome]")).to_have_text("Engaged with the IDVA service")

    contact.refresh_from_db()
    assert contact.outcome == ContactOutcome.ENGAGED
    assert contact.presents_view == "The IDVA"
    assert contact.attempts.count() == 2
