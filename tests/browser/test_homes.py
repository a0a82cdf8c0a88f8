"""Each role's home in a real browser, with and without JavaScript, checked with axe-core; and
the grouped menu at 320 px, where GOV.UK service navigation folds it behind a "Menu" button
only when JavaScript runs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, Route, expect

from openmarac.demo.partnership import load_demo

from .conftest import assert_accessible

SCRIPT = re.compile(r"<script\b.*?</script>", re.S | re.I)


def _without_scripts(route: Route) -> None:
    """Serve the page with its scripts taken out and no script file, so that axe-core checks
    the page as a browser with JavaScript off shows it."""
    if route.request.resource_type == "script":
        route.abort()
    elif route.request.resource_type == "document":
        response = route.fetch()
        route.fulfill(response=response, body=SCRIPT.sub("", response.text()))
    else:
        route.continue_()


class Visit:
    """A browser with JavaScript on or off, checking every page it lands on with axe-core.

    With JavaScript off the page cannot run axe-core itself, so the same page, fetched with the
    same session, is checked in a second browser that runs none of the page's scripts."""

    def __init__(self, browser: Browser, javascript: bool) -> None:
        self.browser = browser
        self.javascript = javascript
        self.context = browser.new_context(
            bypass_csp=True,
            locale="en-GB",
            timezone_id="Europe/London",
            java_script_enabled=javascript,
        )
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()

    def check(self) -> None:
        self.page.wait_for_load_state("load")
        if self.javascript:
            assert_accessible(self.page)
            return
        twin = self.browser.new_context(
            bypass_csp=True, storage_state=self.context.storage_state(), locale="en-GB"
        )
        try:
            twin.route("**/*", _without_scripts)
            other = twin.new_page()
            other.goto(self.page.url, wait_until="load")
            assert not other.evaluate("() => document.body.classList.contains('js-enabled')")
            assert_accessible(other)
        finally:
            twin.close()

    def go(self, url: str) -> None:
        self.page.goto(url, wait_until="load")
        self.check()

    def click(self, locator: Any) -> None:
        with self.page.expect_navigation(wait_until="load"):
            locator.click()
        self.check()

    def sign_in(self, base_url: str, username: str) -> None:
        from openmarac.accounts.models import User
        from openmarac.demo.partnership import DEMO_PASSWORD
        from tests.conftest import next_totp_code

        page = self.page
        self.go(f"{base_url}/accounts/sign-in/")
        page.get_by_label("Username", exact=True).fill(username)
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        self.click(page.get_by_role("button", name="Sign in"))
        page.get_by_label("Enter the code", exact=True).fill(
            next_totp_code(User.objects.get(username=username))
        )
        self.click(page.get_by_role("button", name="Continue"))


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def visit(request: Any, browser: Browser) -> Iterator[Visit]:
    each = Visit(browser, request.param)
    try:
        yield each
    finally:
        each.context.close()


def _menu(page: Page):
    return page.get_by_role("navigation", name="Main menu")


@pytest.mark.parametrize(
    ("username", "cards"),
    [
        ("coordinator", ["Referrals past their triage deadline", "Overdue actions", "Licence requests", "Retention reviews due"]),
        ("chair", ["Minutes to approve", "Complex-case candidates", "Emergency MARACs coming up"]),
        ("police", ["Research requested of Example Constabulary", "Your next meetings"]),
    ],
)  # fmt: skip
def test_a_members_home_shows_their_work_and_opens_a_list(
    live_server: Any, visit: Visit, username: str, cards: list[str]
) -> None:
    load_demo()
    page = visit.page
    visit.sign_in(live_server.url, username)
    expect(page.get_by_role("heading", name="Your work", level=1)).to_be_visible()
    for title in cards:
        expect(page.get_by_role("heading", name=title, level=2, exact=True)).to_be_visible()
    links = page.locator("a[href^='/work/']")
    if username == "chair":  # the demo has nothing waiting for the chair: each card says so
        expect(links).to_have_count(0)
        expect(page.get_by_text("No minutes are waiting for your approval.")).to_be_visible()
        return
    # A count opens its list, whose rows are as many as the count said, each opening a page.
    link = links.first
    count = int(link.locator("[data-count]").inner_text())
    visit.click(link)
    rows = page.locator("tr[data-row]")
    expect(rows).to_have_count(count)
    visit.click(rows.first.get_by_role("link"))
    visit.click(_menu(page).get_by_role("link", name="Your account"))
    visit.click(page.get_by_role("link", name="OpenMARAC"))
    expect(page.get_by_role("heading", name="Your work", level=1)).to_be_visible()


def test_a_partnership_lead_lands_on_the_reports_dashboard(live_server: Any, visit: Visit) -> None:
    load_demo()
    visit.sign_in(live_server.url, "lead")
    expect(visit.page).to_have_url(re.compile(r"/reports/"))
    expect(_menu(visit.page).get_by_role("link", name="Reports")).to_have_attribute(
        "aria-current", "page"
    )


def test_a_referrer_sees_their_referrals_by_state(live_server: Any, visit: Visit) -> None:
    load_demo()
    page = visit.page
    base = live_server.url
    visit.go(f"{base}/refer/email/")
    page.get_by_label("Your work email address", exact=True).fill("referrer@example.org")
    visit.click(page.get_by_role("button", name="Send code"))
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Enter the code", exact=True).fill(code)
    visit.click(page.get_by_role("button", name="Continue"))
    visit.click(page.get_by_role("button", name="Start a new referral"))
    visit.go(f"{base}/")
    expect(page.get_by_role("heading", name="Your referrals", level=2)).to_be_visible()
    expect(page.locator("dt", has_text="Draft")).to_be_visible()
    visit.click(page.get_by_role("link", name="See your referrals"))
    expect(page.get_by_role("heading", name="Your referrals", level=1)).to_be_visible()


def test_the_menu_marks_where_you_are_and_fits_320_pixels(live_server: Any, visit: Visit) -> None:
    load_demo()
    page = visit.page
    page.set_viewport_size({"width": 320, "height": 800})
    visit.sign_in(live_server.url, "coordinator")
    # The home itself fits: summary cards, no table.
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, f"the home scrolls sideways at 320 px ({width} px wide)"
    toggle = _menu(page).get_by_role("button", name="Menu")
    if visit.javascript:
        # The menu folds behind its button, and opens on it.
        expect(toggle).to_be_visible()
        toggle.click()
    else:
        expect(toggle).to_be_hidden()
    triage = _menu(page).get_by_role("link", name="Triage queue")
    expect(triage).to_be_visible()
    visit.click(triage)
    expect(_menu(page).locator("[aria-current='page']")).to_have_text("Triage queue")
    # The menu fits too (the queue's own table is wider; tables at 320 px are another change).
    menu_width = page.evaluate(
        "() => document.querySelector('.govuk-service-navigation').scrollWidth"
    )
    assert menu_width <= 320, f"the menu is {menu_width} px wide at 320 px"
