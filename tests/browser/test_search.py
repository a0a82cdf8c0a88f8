"""Searching from the header box and the search page in a real browser, with JavaScript on and
off: the terms travel only in form posts, never in the address. Every page is checked with axe."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from openmarac.cases.models import Case, CaseParticipant
from openmarac.demo.partnership import load_demo
from openmarac.people.services import PersonDetails, person_create

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def contexts() -> Iterator[list[BrowserContext]]:
    """Browser contexts a test opens of its own, closed after it."""
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def checked_by_axe(page: Page, checker: Page | None) -> None:
    """Check the page with axe. Without JavaScript axe cannot run in the page itself, so its HTML
    (scripts removed, as the browser left them unrun) is checked in a page that has it, at the
    same address so that the styles load."""
    if checker is None:
        return
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.DOTALL)
    checker.goto(page.url, wait_until="load")
    checker.set_content(html, wait_until="load")
    assert_accessible(checker)


def go(page: Page, checker: Page | None, action: Callable[[], Any]) -> None:
    with page.expect_navigation(wait_until="load"):
        action()
    checked_by_axe(page, checker)


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_staff_search_by_reference_name_and_date_of_birth(
    live_server: Any,
    page: Page,
    browser: Browser,
    contexts: list[BrowserContext],
    javascript: bool,
):
    partnership = load_demo()
    case = Case.objects.get(area__code="NK")
    for dob in (datetime.date(1984, 3, 7), datetime.date(1991, 11, 2)):
        person = person_create(
            partnership=partnership,
            details=PersonDetails(forenames="Robert", surname="Fairweather", date_of_birth=dob),
        )
        CaseParticipant.objects.create(case=case, person=person, role="perpetrator")
    base = live_server.url
    sign_in(page, base, "police")
    checker: Page | None = None
    if not javascript:
        # The same signed-in session in a browser with JavaScript off.
        context = browser.new_context(
            bypass_csp=True,
            locale="en-GB",
            timezone_id="Europe/London",
            java_script_enabled=False,
            storage_state=page.context.storage_state(),
        )
        contexts.append(context)
        context.set_default_timeout(15_000)
        checker, page = page, context.new_page()
        page.goto(f"{base}/", wait_until="load")
        checked_by_axe(page, checker)
    body_class = re.compile(r"\bjs-enabled\b")
    if javascript:
        expect(page.locator("body")).to_have_class(body_class)
    else:
        expect(page.locator("body")).not_to_have_class(body_class)
    header = page.get_by_role("search", name="Cases, referrals and people")

    # A case by its reference, from the header box.
    header.get_by_label("Search by reference or name").fill(case.reference.lower())
    go(page, checker, header.get_by_role("button", name="Search").click)
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    assert page.url == f"{base}/search/"
    go(page, checker, page.get_by_role("main").get_by_role("link", name=case.reference).click)
    expect(page.get_by_role("heading", name=case.reference)).to_be_visible()

    # A person by a nickname and a spelling that sounds the same, then narrowed by birth date.
    header = page.get_by_role("search", name="Cases, referrals and people")
    header.get_by_label("Search by reference or name").fill("Bob Fayrweather")
    go(page, checker, header.get_by_role("button", name="Search").click)
    expect(page.get_by_role("heading", name="2 results")).to_be_visible()
    main = page.get_by_role("main")
    main.get_by_label("Day").fill("7")
    main.get_by_label("Month").fill("3")
    main.get_by_label("Year").fill("1984")
    go(page, checker, main.get_by_role("button", name="Search").click)
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    expect(page.get_by_role("cell", name="7 March 1984")).to_be_visible()
    assert "Fairweather" not in page.url
    assert "1984" not in page.url

    # Nothing typed: an error, linked from the summary.
    main = page.get_by_role("main")
    main.get_by_label("Reference or name").fill("")
    main.get_by_label("Day").fill("")
    main.get_by_label("Month").fill("")
    main.get_by_label("Year").fill("")
    go(page, checker, main.get_by_role("button", name="Search").click)
    expect(page.get_by_role("alert")).to_contain_text("Enter a case or referral reference")

    # Someone the user may not see is no match.
    main.get_by_label("Reference or name").fill("Fictional Nobody")
    go(page, checker, page.get_by_role("main").get_by_role("button", name="Search").click)
    expect(page.get_by_role("heading", name="No results")).to_be_visible()
