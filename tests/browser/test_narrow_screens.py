"""Every list page each staff role can open from its menu fits a 320 px wide screen: tables
stack their rows (each cell led by its column's name) rather than scroll sideways, and every
page passes axe at that width. The long referral pages read in sections with "Change" links."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from openmarac.demo.partnership import load_demo

from .conftest import open_url, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# One user of each staff role in the demo partnership.
ROLES = ["coordinator", "manager", "chair", "police", "lead", "governance"]

NO_SIDEWAYS_SCROLL = """() => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
    .slice(0, 3)
    .map((el) => el.tagName + "." + el.className);
  return {scroll: root.scrollWidth, client: root.clientWidth, wide};
}"""


def _fits(page: Page) -> None:
    width = page.evaluate(NO_SIDEWAYS_SCROLL)
    assert width["scroll"] <= width["client"], f"{page.url} scrolls sideways at 320 px: {width}"


def test_every_menu_page_of_every_staff_role_fits_320_pixels(page: Page, live_server):
    load_demo()
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 900})
    seen = 0
    for username in ROLES:
        sign_in(page, base, username)
        # At 320 px the menu folds behind its "Menu" button: read every link, shown or not.
        menu = page.locator('nav[aria-label="Main menu"] a')
        hrefs = [menu.nth(i).get_attribute("href") for i in range(menu.count())]
        assert hrefs, f"{username} has no menu"
        for href in hrefs:
            open_url(page, f"{base}{href}")
            _fits(page)
            seen += 1
        if username == "coordinator":
            # The audit's report of one user's actions, the widest table of all.
            from openmarac.accounts.models import User

            chair = User.objects.get(username="chair")
            open_url(page, f"{base}/hub/audit/user/?user={chair.pk}")
            expect(page.locator("table.govuk-table tbody tr").first).to_be_visible()
            _fits(page)
        sign_out(page)
    assert seen >= 30


def test_tables_stack_with_each_cell_named_at_320_pixels(page: Page, live_server):
    load_demo()
    base = live_server.url
    page.set_viewport_size({"width": 320, "height": 900})
    sign_in(page, base, "coordinator")
    open_url(page, f"{base}/cases/")
    first = page.locator("table.govuk-table tbody tr").first.locator("td").nth(1)
    assert first.get_attribute("data-label") == "Area"
    label = first.evaluate("(el) => getComputedStyle(el, '::before').content")
    assert "Area" in label
    assert (
        page.locator("table.govuk-table thead").first.evaluate(
            "(el) => el.getBoundingClientRect().width"
        )
        <= 1
    )
    # At desktop width the same table is an ordinary table with its header row.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator("table.govuk-table thead").first).to_be_visible()
    assert first.evaluate("(el) => getComputedStyle(el, '::before').content") == "none"


def test_the_long_referral_pages_read_in_sections_at_320_pixels(page: Page, live_server):
    import re

    from django.core import mail

    from openmarac.demo.referral_answers import COMPLETE_SECTIONS, demo_referral_answers
    from openmarac.partnerships.models import Area
    from openmarac.referrals.models import Referral
    from openmarac.referrals.selectors import email_index
    from tests.triage_helpers import submit_referral

    load_demo()
    base = live_server.url
    area = Area.objects.get(code="NK")
    email = "narrow@example.org"
    draft = Referral.objects.create(
        partnership=area.partnership,
        area=area,
        referrer_email=email,
        referrer_email_index=email_index(email),
        answers=demo_referral_answers(
            area, None, victim=("Narrowdraft", "Victimtest"), perpetrator=("Narrowperp", "Perptest")
        ),
        completed_sections=COMPLETE_SECTIONS,
    )
    waiting = submit_referral(area, victim=("Narrowname", "Victimtest"))
    page.set_viewport_size({"width": 320, "height": 900})

    # The referrer's check-your-answers: sections listed first, each a card with "Change".
    open_url(page, f"{base}/refer/email/")
    page.get_by_label("Your work email address", exact=True).fill(email)
    page.get_by_role("button", name="Send code").click()
    expect(page.get_by_role("heading", name="Check your email", level=1)).to_be_visible()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Enter the code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Your referrals", level=1)).to_be_visible()
    open_url(page, f"{base}/refer/r/{draft.public_id}/check/")
    _fits(page)
    sections = page.get_by_role("navigation", name="Sections of the referral")
    sections.get_by_role("link", name="Victim", exact=True).click()
    victim = page.locator("#answers-victim")
    expect(victim).to_be_in_viewport()
    victim.get_by_role("link", name="Change victim").click()
    expect(page).to_have_url(re.compile(rf"/refer/r/{draft.public_id}/s/victim/$"))
    page.get_by_role("button", name="Sign out").first.click()

    # The hub's triage page: what it holds listed first, the answers as cards, no "Change".
    sign_in(page, base, "coordinator")
    open_url(page, f"{base}/hub/triage/{waiting.public_id}/")
    _fits(page)
    expect(page.get_by_role("navigation", name="On this page")).to_be_visible()
    expect(page.locator("#answers-victim")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Change"))).to_have_count(0)
