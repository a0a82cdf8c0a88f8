"""Long lists in the browser: the hub pages through its cases and filters the action manager,
without JavaScript doing any of it, and every page passes axe-core."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to
from openmarac.demo.partnership import load_demo
from openmarac.partnerships.models import Area

from .conftest import navigate, open_url, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_hub_pages_through_its_cases_and_filters_its_actions(
    live_server: Any, page: Page
) -> None:
    partnership = load_demo()
    from openmarac.accounts.models import User

    coordinator = User.objects.get(username="coordinator")
    area = Area.objects.get(code="NK")
    missing = 51 - cases_visible_to(coordinator).count()
    Case.objects.bulk_create(
        Case(partnership=partnership, area=area, reference=f"NK-PL-{number:04d}")
        for number in range(missing)
    )
    sign_in(page, live_server.url, "coordinator")
    open_url(page, f"{live_server.url}/cases/")
    expect(page.get_by_text("Page 1 of 2: 1 to 50 of 51.")).to_be_visible()
    navigate(page, page.get_by_role("link", name="Next page").click)
    expect(page.get_by_text("Page 2 of 2: 51 to 51 of 51.")).to_be_visible()
    navigate(page, page.get_by_role("link", name="Previous page").click)

    open_url(page, f"{live_server.url}/actions/")
    expect(page.get_by_role("heading", name="Action manager")).to_be_visible()
    page.get_by_label("Status").select_option("closed")
    navigate(page, page.get_by_role("button", name="Show actions").click)
    assert "status=closed" in page.url
    expect(page.get_by_label("Status")).to_have_value("closed")
