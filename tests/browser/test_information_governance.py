"""In a real browser, every page checked with axe: a subject access request from logging to the
redacted pack; a court order answered by the chair and disclosed as a marked bundle; a legal aid
letter from an edited template; and a disposal recommended by the hub and approved by a second
person."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from openmarac.cases.models import Case
from openmarac.demo.partnership import load_demo
from openmarac.disclosure.models import CourtOrder, Decision, SarItem, SubjectAccessRequest
from openmarac.letters.models import Letter
from openmarac.retention.models import DisposalCertificate
from tests.letters_helpers import heard
from tests.retention_helpers import archived_due

from .conftest import navigate, open_url, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def menu(page: Page) -> Any:
    return page.get_by_role("navigation", name="Main menu")


def fill_date(page: Page, legend: str, date: datetime.date) -> None:
    fieldset = page.get_by_role("group", name=legend, exact=True)
    fieldset.get_by_label("Day", exact=True).fill(str(date.day))
    fieldset.get_by_label("Month", exact=True).fill(str(date.month))
    fieldset.get_by_label("Year", exact=True).fill(str(date.year))


def downloaded_text(page: Page, role: Any, name: str) -> str:
    with page.expect_download() as info:
        page.get_by_role(role, name=name).click()
    path = info.value.path()
    with open(path, "rb") as handle:
        pdf = handle.read()
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_subject_access_request_from_logging_to_the_redacted_pack(
    live_server: Any, page: Page
) -> None:
    load_demo()
    base = live_server.url
    sign_in(page, base, "coordinator")
    navigate(page, menu(page).get_by_role("link", name="Subject access").click)
    navigate(page, page.get_by_role("button", name="Log a request").click)
    navigate(page, page.get_by_role("button", name="Log the request").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the data subject's name")
    page.get_by_label("The data subject's name, as given").fill("Demoname Victimone")
    page.get_by_label("Safe contact details for the reply").fill("c/o Example IDVA Service")
    page.get_by_label("The data subject", exact=True).check()
    fill_date(page, "Date received", datetime.date(2026, 11, 16))
    navigate(page, page.get_by_role("button", name="Log the request").click)
    expect(page.locator("#clock")).to_contain_text("23 days left")

    page.get_by_label("Photo identity and proof of address seen").check()
    navigate(page, page.get_by_role("button", name="Record the check").click)
    navigate(
        page, page.get_by_role("button", name="Find the data subject and gather what is held").click
    )
    page.get_by_label("First name").fill("Demoname")
    page.get_by_label("Surname").fill("Victimone")
    fill_date(page, "Date of birth", datetime.date(1990, 4, 1))
    navigate(page, page.get_by_role("button", name="Find", exact=True).click)
    page.get_by_label("Demoname Victimone, born 1 April 1990").check()
    navigate(page, page.get_by_role("button", name="Gather what is held").click)
    expect(page.get_by_role("cell", name="Named on MARAC case")).to_be_visible()

    sar = SubjectAccessRequest.objects.get()
    action = SarItem.objects.filter(request=sar, kind="action").order_by("pk").first()
    navigate(page, page.get_by_role("link", name=action.label).first.click)
    page.get_by_label("Withhold it").check()
    page.get_by_label("Disclosure would prejudice the prevention or detection of crime").check()
    navigate(page, page.get_by_role("button", name="Save the decision").click)
    action.refresh_from_db()
    assert action.decision == Decision.WITHHOLD

    text = downloaded_text(page, "button", "Download the redacted pack (PDF)")
    assert "Demoname Victimone" in text
    assert "prevention or detection of crime" in text
    navigate(page, page.get_by_role("button", name="Mark as answered").click)
    sar.refresh_from_db()
    assert sar.status == "completed"


def test_a_court_order_is_answered_by_the_chair_and_disclosed_as_a_marked_bundle(
    live_server: Any, page: Page
) -> None:
    load_demo()
    case = Case.objects.get(area__code="NK")
    base = live_server.url
    sign_in(page, base, "coordinator")
    navigate(page, menu(page).get_by_role("link", name="Court orders").click)
    navigate(page, page.get_by_role("button", name="Record a court order").click)
    page.get_by_label("MARAC case reference").fill(case.reference)
    page.get_by_label("Court", exact=True).fill("Family Court at Exampleton")
    page.get_by_label("Court's case number").fill("EX26F00999")
    page.get_by_label("What the order asks to be disclosed").fill("The minutes of the MARAC")
    fill_date(page, "Disclose by", datetime.date(2026, 12, 18))
    fill_date(page, "Date the order was received", datetime.date(2026, 11, 23))
    page.get_by_label("Chair to ask").select_option(label="Chris Chair, Example Constabulary")
    navigate(page, page.get_by_role("button", name="Record the order and ask the chair").click)
    expect(page.get_by_text("may object until 30 November 2026")).to_be_visible()
    sign_out(page)

    order = CourtOrder.objects.get()
    sign_in(page, base, "chair")
    open_url(page, f"{base}/court-orders/{order.public_id}/respond/")
    page.get_by_label("I do not object").check()
    navigate(page, page.get_by_role("button", name="Send your answer").click)
    expect(page.get_by_text("You answered: no objection")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "coordinator")
    open_url(page, f"{base}/court-orders/{order.public_id}/")
    text = downloaded_text(page, "button", "Produce the marked bundle (PDF)")
    assert "Disclosed to Family Court at Exampleton in case EX26F00999" in text
    assert "OFFICIAL-SENSITIVE" in text
    order.refresh_from_db()
    assert order.status == "disclosed"


def test_the_hub_edits_a_letter_template_and_writes_a_legal_aid_letter(
    live_server: Any, page: Page
) -> None:
    load_demo()
    case = heard(Case.objects.get(area__code="NK"))
    base = live_server.url
    sign_in(page, base, "coordinator")
    navigate(page, menu(page).get_by_role("link", name="Letter templates").click)
    navigate(page, page.get_by_role("link", name="Change the legal aid letter template").click)
    body = page.get_by_label("Letter text")
    body.fill(body.input_value().replace("Dear Sir or Madam", "Dear colleague"))
    navigate(page, page.get_by_role("button", name="Save the template").click)
    expect(page.get_by_text("Legal aid letter template saved")).to_be_visible()

    navigate(page, menu(page).get_by_role("link", name="Cases", exact=True).click)
    navigate(page, page.get_by_role("link", name=case.reference).click)
    navigate(page, page.get_by_role("link", name=f"Write a letter for case {case.reference}").click)
    navigate(page, page.get_by_role("button", name="Write a legal aid letter").click)
    page.get_by_label("Safe contact details: who the letter is sent to, and where").fill(
        "Example Solicitors\n1 Law Street"
    )
    navigate(page, page.get_by_role("button", name="Write the letter").click)
    expect(page.get_by_text("Legal aid letter written and logged against the case")).to_be_visible()
    letter = Letter.objects.get()
    text = downloaded_text(
        page, "link", f"Legal aid letter of {letter.written_at:%-d %B %Y %H:%M} (PDF)"
    )
    assert "Dear colleague" in text
    assert "Demoname Victimone was referred to the North Kent MARAC" in text


def test_a_disposal_is_recommended_by_the_hub_and_approved_by_a_second_person(
    live_server: Any, page: Page
) -> None:
    load_demo()
    case = archived_due(Case.objects.get(area__code="NK").area, "NK-2012-BRW01")
    base = live_server.url
    sign_in(page, base, "coordinator")
    navigate(page, menu(page).get_by_role("link", name="Retention").click)
    navigate(page, page.get_by_role("link", name=case.reference).click)
    page.locator("summary", has_text="Recommend disposal").click()
    navigate(page, page.get_by_role("button", name="Recommend disposal").click)
    expect(page.get_by_text("a second person must now approve it")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "manager")
    navigate(page, menu(page).get_by_role("link", name="Retention").click)
    navigate(page, page.get_by_role("link", name="Waiting for a second person (1)").click)
    navigate(page, page.get_by_role("link", name=case.reference).click)
    navigate(page, page.get_by_role("button", name="Approve the disposal").click)
    expect(page.get_by_role("table", name="What will be destroyed")).to_be_visible()
    navigate(page, page.get_by_role("button", name="Destroy the case").click)
    expect(page.get_by_role("heading", name=case.reference)).to_be_visible()
    assert not Case.objects.filter(reference=case.reference).exists()
    assert DisposalCertificate.objects.filter(case_reference=case.reference).exists()
