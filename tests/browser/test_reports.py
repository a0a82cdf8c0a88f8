"""The partnership lead reads the figures, downloads the SafeLives return as XLSX and CSV, opens
both files, and is refused a case. Every page is checked with axe-core."""

from __future__ import annotations

import csv
import re
from typing import Any

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.demo.partnership import load_demo
from openmarac.reports import periods
from openmarac.reports.figures import figures_for
from openmarac.reports.selectors import scope_for

from .conftest import assert_accessible, navigate, open_url, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _show(page: Page, period: str) -> None:
    page.get_by_label("Period").select_option(period)
    navigate(page, page.get_by_role("button", name="Show").click)


def test_the_lead_reads_the_figures_and_downloads_the_return(
    live_server: Any, page: Page, tmp_path: Any
) -> None:
    load_demo()
    base = live_server.url
    sign_in(page, base, "lead")
    # The lead's home is the dashboard.
    assert page.url == f"{base}/reports/"
    expect(page.get_by_role("heading", name="MARAC figures")).to_be_visible()
    _show(page, "2026Q4")
    expect(
        page.get_by_role("img", name=re.compile("^Bar chart of referrals received each month"))
    ).to_be_visible()
    expect(page.get_by_role("table", name="Referrals received per month by sector")).to_be_visible()

    navigate(page, page.get_by_role("link", name="How each figure is counted").click)
    expect(page.get_by_role("heading", name="How each figure is counted")).to_be_visible()
    open_url(page, f"{base}/reports/steering-group/?period=2026Q4")
    expect(page.get_by_text("MARAC steering group report")).to_be_visible()

    open_url(page, f"{base}/reports/return/")
    _show(page, "2026Q4")
    lead = User.objects.get(username="lead")
    expected = figures_for(scope_for(lead, area=None, period=periods.quarter(2026, 4)))
    assert expected["referrals_received"] > 0
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Download the return as a spreadsheet (XLSX)").click()
    assert xlsx.value.suggested_filename == "safelives-return-all-2026Q4.xlsx"
    saved = tmp_path / xlsx.value.suggested_filename
    xlsx.value.save_as(saved)
    book = openpyxl.load_workbook(saved, read_only=True)
    rows = {
        row[0]: row[3] for row in book["Return"].iter_rows(values_only=True) if row[0] and row[1]
    }
    assert rows["referrals_received"] == expected["referrals_received"]
    assert rows["actions_set"] == expected["actions_set"]
    with page.expect_download() as text:
        page.get_by_role("link", name="Download the return as CSV").click()
    with open(text.value.path(), encoding="utf-8-sig", newline="") as handle:
        lines = {row[0]: row[3] for row in csv.reader(handle) if len(row) == 4}
    assert lines["referrals_received"] == str(expected["referrals_received"])
    assert lines["hearings"] == str(expected["hearings"])

    # No case, person or referral page opens for a partnership lead.
    case = Case.objects.filter(area__code="NK").first()
    response = page.goto(f"{base}/cases/{case.reference}/", wait_until="load")
    assert response is not None
    assert response.status == 404
    assert_accessible(page)
