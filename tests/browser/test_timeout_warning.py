"""The time-out warning in a real browser: two minutes before the session ends an accessible
modal dialog says so, "Stay signed in" (or Escape) keeps the session going through the server,
"Sign out" signs out, and when the time is up the dialog says the session has ended. Without
JavaScript the dialog never opens and the page works as before. Every state is checked with axe.

The browser's clock is Playwright's fake one, moved forward by the test; the server's is the
tests' clock, so the session itself ends only where the test makes it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from openmarac.demo.partnership import load_demo

from .conftest import assert_accessible, navigate, open_url, sign_in

WARNING = "You\u2019re about to be signed out"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _dialog(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("dialog", name=WARNING)


def test_the_warning_comes_two_minutes_before_the_end_and_can_keep_the_session(
    page: Page, live_server
):
    load_demo()
    base = live_server.url
    page.clock.install()
    sign_in(page, base, "chair")
    open_url(page, f"{base}/cases/")
    expect(page.locator("#om-timeout")).to_be_hidden()

    # The partnership's idle limit is 15 minutes: nothing at 12 minutes 50, the warning at 13.
    page.clock.run_for("12:50")
    expect(page.locator("#om-timeout")).to_be_hidden()
    page.clock.run_for("00:11")
    dialog = _dialog(page)
    expect(dialog).to_be_visible()
    expect(page.get_by_role("heading", name=WARNING)).to_be_focused()
    expect(dialog.locator("[data-countdown]")).to_contain_text("1 minute")
    expect(dialog.locator("[aria-live=polite]")).to_contain_text("you will be signed out in 2")
    assert_accessible(page)

    # Escape is "Stay signed in": the server is asked, and the dialog closes.
    with page.expect_response("**/accounts/session/keep-alive/") as answer:
        page.keyboard.press("Escape")
    assert answer.value.status == 200
    assert answer.value.json()["signed_in"] is True
    expect(page.locator("#om-timeout")).to_be_hidden()

    # The countdown starts again from the server's answer; the button does the same.
    page.clock.run_for("12:50")
    expect(page.locator("#om-timeout")).to_be_hidden()
    page.clock.run_for("00:15")
    expect(_dialog(page)).to_be_visible()
    with page.expect_response("**/accounts/session/keep-alive/"):
        _dialog(page).get_by_role("button", name="Stay signed in").click()
    expect(page.locator("#om-timeout")).to_be_hidden()

    # Left alone, the dialog says the session has ended and offers to sign in again.
    page.clock.run_for("15:01")
    ended = page.get_by_role("dialog", name="You have been signed out")
    expect(ended).to_be_visible()
    expect(ended.get_by_role("link", name="Sign in again")).to_have_attribute(
        "href", "/accounts/sign-in/?next=/cases/"
    )
    assert_accessible(page)


def test_sign_out_from_the_warning(page: Page, live_server):
    load_demo()
    base = live_server.url
    page.clock.install()
    sign_in(page, base, "coordinator")
    page.clock.run_for("13:05")
    expect(_dialog(page)).to_be_visible()
    navigate(page, _dialog(page).get_by_role("button", name="Sign out").click)
    expect(page.get_by_role("navigation", name="Main menu")).to_have_count(0)
    expect(page.locator("#om-timeout")).to_have_count(0)


def test_a_session_that_ended_on_the_server_is_told_so(page: Page, live_server):
    load_demo()
    base = live_server.url
    page.clock.install()
    sign_in(page, base, "chair")
    # The session is ended elsewhere (the hub, or another tab signing out).
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
    page.clock.run_for("13:05")
    with page.expect_response("**/accounts/session/keep-alive/") as answer:
        _dialog(page).get_by_role("button", name="Stay signed in").click()
    assert answer.value.status == 401
    expect(page.get_by_role("dialog", name="You have been signed out")).to_be_visible()
    assert_accessible(page)


def _accessible_without_scripts(browser: Browser, html: str, base: str) -> None:
    """axe needs JavaScript, which the page under test has off: check the same document, as the
    server sent it, in a page where none of its own scripts run."""
    html = re.sub(r"<script\b.*?</script>", "", html, flags=re.DOTALL)
    html = html.replace("<head>", f'<head><base href="{base}/">', 1)
    context = browser.new_context(bypass_csp=True, locale="en-GB")
    try:
        checker = context.new_page()
        checker.set_content(html, wait_until="load")
        expect(checker.locator("#om-timeout")).to_be_hidden()
        assert_accessible(checker)
    finally:
        context.close()


def test_without_javascript_the_dialog_never_opens_and_pages_work(browser: Browser, live_server):
    load_demo()
    base = live_server.url
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(f"{base}/accounts/sign-in/")
        from openmarac.accounts.models import User
        from openmarac.demo.partnership import DEMO_PASSWORD
        from tests.conftest import next_totp_code

        page.get_by_label("Username", exact=True).fill("chair")
        page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        page.get_by_label("Enter the code", exact=True).fill(
            next_totp_code(User.objects.get(username="chair"))
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
        page.goto(f"{base}/cases/")
        expect(page.locator("#om-timeout")).to_be_attached()
        expect(page.locator("#om-timeout")).to_be_hidden()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        _accessible_without_scripts(browser, page.content(), base)
        # The page's own sign-out still works, as a plain form.
        with page.expect_navigation():
            page.locator("header").get_by_role("button", name="Sign out").click()
        expect(page.locator("#om-timeout")).to_have_count(0)
    finally:
        context.close()
