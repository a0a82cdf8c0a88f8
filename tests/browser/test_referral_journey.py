"""The whole online referral, in a real browser: from a referrer proving their work address to
the hub coordinator opening the referral in the triage queue. Every page is checked with axe."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from openmarac.demo.partnership import load_demo

from .conftest import navigate, open_url, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VICTIM = ("Zephyrine", "Testvictimson")
PERPETRATOR = ("Quentavius", "Testperpetrator")
CHILD = ("Pipkinella", "Testchildson")
REFERRER_EMAIL = "referrer@example.org"


def group(page: Page, legend: str) -> Locator:
    """A fieldset (radios, checkboxes or a date) by its legend."""
    return page.get_by_role("group", name=legend, exact=True)


def choose(page: Page, legend: str, option: str) -> None:
    group(page, legend).get_by_label(option, exact=True).check()


def fill_date(page: Page, legend: str, date: datetime.date) -> None:
    fieldset = group(page, legend)
    fieldset.get_by_label("Day", exact=True).fill(str(date.day))
    fieldset.get_by_label("Month", exact=True).fill(str(date.month))
    fieldset.get_by_label("Year", exact=True).fill(str(date.year))


def save_and_continue(page: Page) -> None:
    navigate(page, page.get_by_role("button", name="Save and continue").click)


def open_task(page: Page, title: str) -> None:
    expect(page.get_by_role("heading", name="MARAC referral", level=1)).to_be_visible()
    navigate(page, page.get_by_role("link", name=title, exact=True).click)
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def expect_error_summary(page: Page, *messages: str) -> None:
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    for message in messages:
        expect(summary.get_by_role("link", name=message)).to_be_visible()


def expect_task_status(page: Page, title: str, status: str) -> None:
    item = page.locator(".govuk-task-list__item").filter(
        has=page.get_by_role("link", name=title, exact=True)
    )
    expect(item.locator(".govuk-task-list__status")).to_have_text(status)


def test_a_referrer_sends_a_referral_and_the_hub_sees_it(live_server: Any, page: Page) -> None:
    load_demo()
    base = live_server.url
    failed_assets: list[str] = []
    page.on(
        "response",
        lambda r: (
            failed_assets.append(f"{r.status} {r.url}")
            if "/static/" in r.url and r.status >= 400
            else None
        ),
    )

    # The start page, with the GOV.UK stylesheet and script really served by the live server.
    open_url(page, f"{base}/refer/")
    expect(page.get_by_role("heading", name="Make a MARAC referral", level=1)).to_be_visible()
    css_rules = page.evaluate(
        """() => [...document.styleSheets]
            .filter((s) => s.href && s.href.includes('/static/build/openmarac.css'))
            .map((s) => s.cssRules.length)[0] || 0"""
    )
    assert css_rules > 100, "openmarac.css did not load from the live server"
    start_background = page.evaluate(
        "() => getComputedStyle(document.querySelector('.govuk-button--start')).backgroundColor"
    )
    assert start_background not in ("", "rgba(0, 0, 0, 0)", "transparent"), start_background
    expect(page.locator("body")).to_have_class(re.compile(r"govuk-frontend-supported"))

    # Proving a work e-mail address: a personal address is refused.
    navigate(page, page.get_by_role("button", name="Start now").click)
    email_box = page.get_by_label("Your work email address", exact=True)
    email_box.fill("someone@gmail.com")
    navigate(page, page.get_by_role("button", name="Send code").click)
    expect_error_summary(page, "You cannot use a personal email address.")
    expect(page.locator("#id_email-error")).to_contain_text(
        "You cannot use a personal email address"
    )
    expect(page).to_have_title(re.compile(r"\(error\)"))

    sent_before = len(mail.outbox)
    email_box.fill(REFERRER_EMAIL)
    navigate(page, page.get_by_role("button", name="Send code").click)
    expect(page.get_by_role("heading", name="Check your email", level=1)).to_be_visible()
    assert len(mail.outbox) == sent_before + 1, "no code e-mail was sent"
    code_mail = mail.outbox[-1]
    assert code_mail.to == [REFERRER_EMAIL]
    code = re.search(r"\b(\d{6})\b", code_mail.body)
    assert code, code_mail.body
    page.get_by_label("Enter the code", exact=True).fill(code.group(1))
    navigate(page, page.get_by_role("button", name="Continue").click)

    expect(page.get_by_role("heading", name="Your referrals", level=1)).to_be_visible()
    navigate(page, page.get_by_role("button", name="Start a new referral").click)
    expect(page.get_by_role("heading", name="MARAC referral", level=1)).to_be_visible()
    expect(page.get_by_text("You have completed 0 of")).to_be_visible()
    task_list_url = page.url

    # MARAC area: sent empty first, to see the GOV.UK error summary.
    open_task(page, "MARAC area")
    save_and_continue(page)
    expect_error_summary(page, "Select the MARAC area where the victim lives")
    choose(page, "Which MARAC area does the victim live in?", "East Kent")
    save_and_continue(page)
    expect_task_status(page, "MARAC area", "Completed")

    open_task(page, "Your details")
    page.get_by_label("Your full name", exact=True).fill("Rhiannon Referrer")
    page.get_by_label("Your job title", exact=True).fill("IDVA")
    page.get_by_label("Your organisation", exact=True).select_option(label="Example IDVA Service")
    page.get_by_label("Work telephone number", exact=True).fill("01632 960123")
    save_and_continue(page)

    open_task(page, "Type of referral")
    choose(page, "Is this a victimless referral?", "No")
    choose(page, "Is this a transfer from another MARAC?", "No")
    choose(page, "Does this referral need restricted handling?", "No")
    save_and_continue(page)

    open_task(page, "Victim")
    page.get_by_label("First names", exact=True).fill(VICTIM[0])
    page.get_by_label("Last name", exact=True).fill(VICTIM[1])
    fill_date(page, "Date of birth", datetime.date(1991, 7, 23))
    choose(page, "Gender", "Female")
    page.get_by_label("Address", exact=True).fill("3 Example Lane\nThistlebrook")
    page.get_by_label("Postcode", exact=True).fill("ZZ9 9ZZ")
    choose(
        page,
        "Is the victim pregnant or have they had a baby in the last 18 months?",
        "No",
    )
    save_and_continue(page)

    open_task(page, "Safe contact details")
    page.get_by_label("Safe telephone number", exact=True).fill("01632 960456")
    choose(page, "Is it safe to leave a voicemail?", "No")
    choose(page, "Is it safe to write to the victim's address?", "No")
    page.get_by_label("Safe times to contact", exact=True).fill("Weekday mornings")
    save_and_continue(page)

    # Perpetrators: at least one is needed before the list can be finished.
    open_task(page, "Perpetrators")
    navigate(page, page.get_by_role("button", name="Continue: there are none to add").click)
    expect_error_summary(page, "Add at least 1 perpetrator")
    navigate(page, page.get_by_role("link", name="Add a perpetrator").click)
    page.get_by_label("First names", exact=True).fill(PERPETRATOR[0])
    page.get_by_label("Last name", exact=True).fill(PERPETRATOR[1])
    fill_date(page, "Date of birth", datetime.date(1987, 2, 14))
    choose(page, "Gender", "Male")
    page.get_by_label("Relationship to the victim", exact=True).fill("Ex-partner")
    choose(page, "Does the perpetrator live with the victim?", "No")
    navigate(page, page.get_by_role("button", name="Save perpetrator").click)
    expect(page.get_by_role("heading", name="Perpetrator 1")).to_be_visible()
    navigate(page, page.get_by_role("button", name="I have added every perpetrator").click)
    expect_task_status(page, "Perpetrators", "Completed")

    open_task(page, "Children")
    navigate(page, page.get_by_role("link", name="Add a child").click)
    page.get_by_label("First names", exact=True).fill(CHILD[0])
    page.get_by_label("Last name", exact=True).fill(CHILD[1])
    fill_date(page, "Date of birth", datetime.date(2017, 5, 9))
    page.get_by_label("Relationship to the victim", exact=True).fill("Daughter")
    choose(page, "Does the child live in the household?", "Yes")
    choose(page, "Did the child see or hear the abuse?", "Not known")
    choose(page, "Gender", "Female")
    navigate(page, page.get_by_role("button", name="Save child").click)
    expect(page.get_by_role("heading", name="Child 1")).to_be_visible()
    navigate(page, page.get_by_role("button", name="I have added every child").click)

    open_task(page, "Other household members")
    navigate(page, page.get_by_role("button", name="Continue: there are none to add").click)
    expect_task_status(page, "Other household members", "Completed")

    # The risk checklist: choosing it leads straight on to its questions.
    open_task(page, "Which risk checklist")
    choose(page, "Which risk checklist did you use?", "SafeLives Dash risk checklist (RIC)")
    save_and_continue(page)
    expect(page.get_by_role("heading", name="Risk checklist answers", level=1)).to_be_visible()
    for number in range(1, 25):
        question = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
        question.get_by_label("Yes" if number <= 15 else "No", exact=True).check()
    fill_date(
        page,
        "Date the checklist was completed",
        datetime.date.today() - datetime.timedelta(days=1),
    )
    save_and_continue(page)
    expect_task_status(page, "Risk checklist answers", "Completed")
    expect_task_status(page, "Stalking screening (S-DASH)", "Optional")

    open_task(page, "Incidents and crimes")
    page.get_by_label(re.compile(r"^Number of domestic abuse incidents")).fill("2")
    page.get_by_label(re.compile(r"^Number of those incidents .* that were crimes$")).fill("1")
    page.get_by_label("Describe the current incident and history of abuse", exact=True).fill(
        "Fictional test narrative: threats and damage to property last week."
    )
    save_and_continue(page)

    open_task(page, "Reasons for referral")
    choose(page, "Are you referring on professional judgement?", "No")
    choose(page, "Has this victim been referred to a MARAC in the last 12 months?", "No")
    dvds = "Has there been a Domestic Violence Disclosure Scheme (Clare's Law) disclosure?"
    if group(page, dvds).count():
        choose(page, dvds, "No")
    save_and_continue(page)

    open_task(page, "Consent and information sharing")
    choose(page, "Has the victim consented to this referral?", "Yes, consent given")
    choose(page, "Does the victim know about this referral?", "Yes")
    save_and_continue(page)

    open_task(page, "Equality information")
    choose(page, "Victim's ethnic group", "Prefer not to say")
    choose(page, "Does the victim have a disability?", "Not known")
    choose(page, "Victim's sexual orientation", "Prefer not to say")
    choose(
        page,
        "Is the victim's gender identity different from the sex registered at birth?",
        "Prefer not to say",
    )
    choose(
        page,
        "Does the victim have insecure immigration status or no recourse to public funds?",
        "No",
    )
    save_and_continue(page)

    open_task(page, "Interpreter and specialist needs")
    choose(page, "Does the victim need an interpreter?", "No")
    save_and_continue(page)

    open_task(page, "Agencies already involved")
    group(page, "Which agencies are already involved?").get_by_label(
        "Example Constabulary", exact=True
    ).check()
    save_and_continue(page)

    open_task(page, "Immediate safety actions")
    page.get_by_label("What immediate safety actions have been taken?", exact=True).fill(
        "Fictional safety plan agreed; police marker requested."
    )
    choose(page, "Have you made a referral to children's services?", "Yes")
    save_and_continue(page)

    assert page.url == task_list_url
    expect(page.get_by_text(re.compile(r"You have completed (\d+) of \1 sections"))).to_be_visible()

    # Check your answers: the Dash RIC score of 15 meets the visible high risk threshold.
    navigate(page, page.get_by_role("button", name="Check your answers").click)
    expect(
        page.get_by_role("heading", name="Check your answers before sending the referral")
    ).to_be_visible()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    visible_high_risk = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(r"^\s*Visible high risk\s*$"))
    )
    expect(visible_high_risk).to_have_count(1)
    expect(visible_high_risk.locator(".govuk-tag")).to_have_text("Met")
    expect(visible_high_risk).to_contain_text("score is 15")
    expect(page.get_by_text(VICTIM[0]).first).to_be_visible()

    sent_before = len(mail.outbox)
    navigate(page, page.get_by_role("button", name="Send referral").click)
    panel = page.locator(".govuk-panel--confirmation")
    expect(panel.get_by_role("heading", name="Referral sent", level=1)).to_be_visible()
    reference = panel.locator("strong").inner_text().strip()
    assert re.fullmatch(r"EK-\d{4}-\d{6}", reference), reference

    # The e-mails carry the reference and never a name.
    sent = mail.outbox[sent_before:]
    by_recipient = {address: message for message in sent for address in message.to}
    assert set(by_recipient) == {REFERRER_EMAIL, "marac-hub@example.org"}, by_recipient.keys()
    for message in sent:
        text = f"{message.subject}\n{message.body}"
        assert reference in text
        for name in (*VICTIM, *PERPETRATOR, *CHILD):
            assert name.lower() not in text.lower(), f"{name} appears in {message.subject!r}"

    # The referrer signs out; the hub coordinator finds the referral in the queue.
    navigate(page, page.get_by_role("button", name="Sign out").click)
    sign_in(page, base, "coordinator")
    menu = page.get_by_role("navigation", name="Main menu")
    navigate(page, menu.get_by_role("link", name="Triage queue").click)
    expect(page.get_by_role("heading", name="Triage queue", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference, exact=True))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("East Kent")
    expect(row).to_contain_text("Example IDVA Service")
    navigate(page, row.get_by_role("link", name=reference, exact=True).click)
    expect(page.get_by_role("heading", name=f"Referral {reference}", level=1)).to_be_visible()
    expect(page.get_by_text("Dash risk checklist", exact=False).first).to_be_visible()
    expect(page.get_by_text(VICTIM[1]).first).to_be_visible()
    expect(page.get_by_text(PERPETRATOR[1]).first).to_be_visible()

    assert not failed_assets, failed_assets
