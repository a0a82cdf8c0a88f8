"""Screenshots of the demo partnership for the README: each role's home and the case record,
at 1280 and 320 px wide, full page, each page checked with axe-core first.

Skipped unless OPENMARAC_SCREENSHOTS names the folder to write to, so that the ordinary test run
never rewrites the committed pictures: `make screenshots` sets it to docs/screenshots."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from openmarac.demo.partnership import load_demo

from .conftest import assert_accessible, navigate, open_url, sign_in

FOLDER = os.environ.get("OPENMARAC_SCREENSHOTS", "")
WIDTHS = (1280, 320)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not FOLDER, reason="set OPENMARAC_SCREENSHOTS to write the screenshots"),
]


@pytest.fixture
def screen(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(
        bypass_csp=True,
        locale="en-GB",
        timezone_id="Europe/London",
        viewport={"width": WIDTHS[0], "height": 900},
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def save(page: Page, name: str) -> None:
    """Check the current page with axe-core at each width, then save it full page."""
    folder = Path(FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_load_state("load")
        assert_accessible(page)
        page.screenshot(
            path=str(folder / f"{name}-{width}.png"), full_page=True, animations="disabled"
        )
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


@pytest.mark.parametrize(
    ("username", "name"),
    [
        ("coordinator", "home-hub-coordinator"),
        ("chair", "home-chair"),
        ("police", "home-agency-representative"),
        ("lead", "home-partnership-lead"),
    ],
)
def test_a_members_home(live_server: Any, screen: Page, username: str, name: str) -> None:
    load_demo()
    sign_in(screen, live_server.url, username)
    save(screen, name)


def test_the_case_record_as_the_coordinator(live_server: Any, screen: Page) -> None:
    load_demo()
    sign_in(screen, live_server.url, "coordinator")
    open_url(screen, f"{live_server.url}/cases/NK-2026-D0001/")
    expect(screen.get_by_role("heading", level=1)).to_contain_text("NK-2026-D0001")
    save(screen, "case-record-coordinator")


def test_a_referrers_home(live_server: Any, screen: Page) -> None:
    load_demo()
    open_url(screen, f"{live_server.url}/refer/email/")
    screen.get_by_label("Your work email address", exact=True).fill("referrer@example.org")
    navigate(screen, screen.get_by_role("button", name="Send code").click)
    found = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert found, "the e-mail carries no code"
    screen.get_by_label("Enter the code", exact=True).fill(found.group(1))
    navigate(screen, screen.get_by_role("button", name="Continue").click)
    open_url(screen, f"{live_server.url}/")
    expect(screen.get_by_role("heading", name="Your referrals", level=2)).to_be_visible()
    save(screen, "home-referrer")
