"""Setting up an authenticator app at first sign-in, signing in with it, and ending a session
from another device, in a real browser. Every page is checked with axe."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.core import mail
from playwright.sync_api import Browser, Page, expect

from openmarac.accounts.models import SecurityPolicy, SetupLinkPurpose, User
from openmarac.accounts.setup_links import setup_link_issue
from openmarac.agencies.models import Agency
from openmarac.demo.partnership import DEMO_PASSWORD, load_demo

from ..conftest import make_user, next_totp_code
from .conftest import assert_accessible, navigate, open_url, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "lantern orbit meadow 42!X"


def test_enrol_then_sign_in_with_the_app_and_end_the_other_session(
    page: Page, browser: Browser, live_server
):
    partnership = load_demo()
    SecurityPolicy.objects.filter(partnership=partnership).update(allow_email_codes=False)
    police = Agency.objects.get(partnership=partnership, name="Example Constabulary")
    make_user("idle", agency=police, is_agency_rep=True, totp=False)
    user = make_user("newcomer", agency=police, is_agency_rep=True, totp=False)
    user.set_unusable_password()
    user.save()
    mail.outbox.clear()
    setup_link_issue(user=user, purpose=SetupLinkPurpose.NEW_ACCOUNT, actor=None, request=None)
    path = re.search(r"(/accounts/set-up/[A-Za-z0-9_\-]+/)", mail.outbox[-1].body).group(1)
    base = live_server.url

    # A password alone meets a page that asks for the set-up link, and a link that is not a live
    # one is refused plainly.
    open_url(page, f"{base}/accounts/sign-in/")
    page.get_by_label("Username", exact=True).fill("idle")
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    navigate(page, page.get_by_role("button", name="Sign in").click)
    expect(page.get_by_role("heading", name="You need a set-up link")).to_be_visible()
    assert_accessible(page)
    open_url(page, f"{base}/accounts/set-up/not-a-live-link/")
    expect(page.get_by_role("heading", name="This link cannot be used")).to_be_visible()
    assert_accessible(page)

    # A new account: the e-mailed link, a password, then setting up an authenticator app.
    open_url(page, f"{base}{path}")
    expect(page.get_by_role("heading", name="Set up your sign-in")).to_be_visible()
    assert_accessible(page)
    navigate(page, page.get_by_role("button", name="Continue").click)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password", exact=True).fill(NEW_PASSWORD)
    navigate(page, page.get_by_role("button", name="Save password").click)
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    assert_accessible(page)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("code.om-secret").inner_text().replace(" ", "")
    page.get_by_label("Enter the 6-digit code your app shows").fill("000000")
    navigate(page, page.get_by_role("button", name="Continue").click)
    expect(page.get_by_role("alert")).to_contain_text("The code is not correct")
    page.get_by_label("Enter the 6-digit code your app shows").fill(pyotp.TOTP(secret).now())
    page.get_by_label("Name this authenticator (optional)").fill("Work phone")
    navigate(page, page.get_by_role("button", name="Continue").click)
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    assert page.locator(".om-recovery-codes li").count() == 10
    navigate(page, page.get_by_role("link", name="I have saved my codes").click)
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()

    # The same user signs in on a second device with the app's next code.
    other_context = browser.new_context(bypass_csp=True, locale="en-GB")
    other = other_context.new_page()
    try:
        open_url(other, f"{base}/accounts/sign-in/")
        other.get_by_label("Username", exact=True).fill("newcomer")
        other.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
        navigate(other, other.get_by_role("button", name="Sign in").click)
        other.get_by_label("Enter the code", exact=True).fill(next_totp_code(user))
        navigate(other, other.get_by_role("button", name="Continue").click)
        expect(other.get_by_role("navigation", name="Main menu")).to_be_visible()

        # From the first device, they see both sessions and end the other one.
        navigate(
            page,
            page.get_by_role("navigation", name="Main menu")
            .get_by_role("link", name="Your account")
            .click,
        )
        expect(page.get_by_role("heading", name="Your account")).to_be_visible()
        rows = page.locator("table.govuk-table tbody tr")
        expect(rows).to_have_count(2)
        other_row = rows.filter(has_not_text="This session")
        navigate(page, other_row.get_by_role("button", name="End session").click)
        expect(page.get_by_role("alert")).to_contain_text("Session ended")
        expect(page.locator("table.govuk-table tbody tr")).to_have_count(1)

        open_url(other, f"{base}/accounts/security/")
        expect(other.get_by_role("heading", name="Sign in")).to_be_visible()
    finally:
        other_context.close()
    assert User.objects.get(username="newcomer").user_sessions.filter(ended_at=None).count() == 1


def test_the_hub_confirms_it_is_them_then_edits_the_security_policy_and_an_account(
    page: Page, live_server, settings
):

    load_demo()
    base = live_server.url
    sign_in(page, base, "coordinator")
    settings.STEP_UP_SECONDS = 0  # every sensitive page now asks again
    navigate(
        page,
        page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Accounts").click,
    )
    expect(page.get_by_role("heading", name="Accounts")).to_be_visible()
    navigate(page, page.get_by_role("link", name="Security policy").click)
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    page.get_by_label("Enter the code", exact=True).fill(
        next_totp_code(User.objects.get(username="coordinator"))
    )
    settings.STEP_UP_SECONDS = 600
    navigate(page, page.get_by_role("button", name="Continue").click)
    expect(page.get_by_role("heading", name="Security policy")).to_be_visible()
    page.get_by_label("Slow down signing in after this many failed attempts").fill("6")
    navigate(page, page.get_by_role("button", name="Save security policy").click)
    expect(page.get_by_role("alert")).to_contain_text("Security policy saved")
    assert SecurityPolicy.objects.get().lockout_threshold == 6
    page.get_by_label("Sign out after this many minutes without activity").fill("")
    navigate(page, page.get_by_role("button", name="Save security policy").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the idle time-out")

    open_url(page, f"{base}/accounts/hub/")
    navigate(page, page.get_by_role("link", name="Pat Police").click)
    reset = re.compile(r"^(Reset password and e-mail|E-mail) a set-up link$")
    navigate(page, page.get_by_role("button", name=reset).click)
    expect(page.get_by_role("alert")).to_contain_text("single-use link")
    assert_accessible(page)
    assert not User.objects.get(username="police").has_usable_password()
