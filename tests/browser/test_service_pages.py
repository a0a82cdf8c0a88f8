"""The service's own pages: anyone reaches the accessibility statement and the privacy notice
from the footer, and the hub edits the partnership's parts of the notice."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openmarac.demo.partnership import load_demo

from .conftest import navigate, open_url, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anyone_reads_the_accessibility_statement_and_privacy_notice_from_the_footer(
    live_server: Any, page: Page
) -> None:
    partnership = load_demo()
    base = live_server.url
    open_url(page, f"{base}/accounts/sign-in/")
    footer = page.get_by_role("contentinfo")
    navigate(page, footer.get_by_role("link", name="Accessibility statement").click)
    expect(
        page.get_by_role("heading", name="Accessibility statement for OpenMARAC")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Enforcement procedure")).to_be_visible()
    navigate(page, footer.get_by_role("link", name="Privacy notice").click)
    expect(page.get_by_role("heading", name=partnership.name)).to_be_visible()
    expect(page.get_by_text("UK GDPR Article 6(1)(e)")).to_be_visible()


def test_the_hub_edits_the_privacy_notice(live_server: Any, page: Page) -> None:
    load_demo()
    base = live_server.url
    sign_in(page, base, "coordinator")
    open_url(page, f"{base}/hub/privacy-notice/")
    page.get_by_label("Data controller", exact=True).fill("")
    navigate(page, page.get_by_role("button", name="Save the privacy notice").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the data controller's name and postal address"
    )
    page.get_by_label("Data controller", exact=True).fill("Example Council, Exampleton")
    page.get_by_label("Data protection officer", exact=True).fill("dpo@example.org")
    navigate(page, page.get_by_role("button", name="Save the privacy notice").click)
    expect(page.get_by_text("Privacy notice saved")).to_be_visible()
    expect(page.get_by_text("Example Council, Exampleton")).to_be_visible()
