"""Playwright fixtures for the browser tests, and an axe-core accessibility check.

The browser tests drive Debian's Chromium (``/usr/bin/chromium``, or ``OPENMARAC_CHROMIUM``)
through Playwright's synchronous API against pytest-django's ``live_server``. A missing browser
fails the tests rather than skipping them, so CI can never pass without running them.
"""

from __future__ import annotations

import os

# Playwright's sync API runs an event loop in the test's thread; Django would otherwise refuse
# the ORM calls the tests make around it (loading the demo, reading the mail outbox).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

REPO = Path(__file__).resolve().parents[2]
AXE_JS = REPO / "openmarac" / "static" / "build" / "test" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def chromium_path() -> str:
    return os.environ.get("OPENMARAC_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    if not (os.path.isfile(executable) and os.access(executable, os.X_OK)):
        pytest.fail(
            f"Chromium is not installed at {executable}: run `make browser` or set "
            "OPENMARAC_CHROMIUM. The browser tests must run, so they fail rather than skip."
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    # The app sends a nonce-based CSP; bypassing it lets the tests inject axe-core.
    context = browser.new_context(bypass_csp=True, locale="en-GB", timezone_id="Europe/London")
    context.set_default_timeout(15_000)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        context.close()


def assert_accessible(page: Page) -> None:
    """Run axe-core's WCAG 2.2 AA rules on the current page and fail on any violation."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `npm run build`")
    page.wait_for_load_state("load")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    results: dict[str, Any] = page.evaluate(
        """(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})""", AXE_TAGS
    )
    assert results["passes"], f"axe-core checked nothing on {page.url}"
    violations = results["violations"]
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {page.url}:"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"]:
                lines.append(f"    target: {node['target']}")
                summary = (node.get("failureSummary") or "").replace("\n", " ")
                if summary:
                    lines.append(f"      {summary}")
        message = "\n".join(lines)
        pytest.fail(message)


def navigate(page: Page, action: Callable[[], Any]) -> None:
    """Do something that loads a new page, wait for it, then check it with axe."""
    with page.expect_navigation(wait_until="load"):
        action()
    assert_accessible(page)


def open_url(page: Page, url: str) -> None:
    page.goto(url, wait_until="load")
    assert_accessible(page)


def sign_in(page: Page, base_url: str, username: str) -> None:
    """Sign a demo user in through the real sign-in pages, checking each page with axe.

    Every browser test signs in through this one helper, so that a change to the sign-in journey
    (a second factor, say) is made here once.
    """
    from openmarac.accounts.models import User
    from openmarac.demo.partnership import DEMO_PASSWORD
    from tests.conftest import next_totp_code

    open_url(page, f"{base_url}/accounts/sign-in/")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    navigate(page, page.get_by_role("button", name="Sign in").click)
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Enter the code", exact=True).fill(
        next_totp_code(User.objects.get(username=username))
    )
    navigate(page, page.get_by_role("button", name="Continue").click)
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()


def sign_out(page: Page) -> None:
    navigate(page, page.get_by_role("button", name="Sign out").click)
