"""In a real browser: the coordinator views the calendar, adds a meeting and publishes an agenda;
the police representative researches the case (one person "not known to us"); the research
board shows the police complete. Every page is checked with axe."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openmarac.cases.models import Case
from openmarac.demo.partnership import load_demo
from openmarac.meetings.services import case_list, meeting_for_allocation, meetings_generate
from openmarac.partnerships.models import Area
from openmarac.research.models import ResearchEntry

from .conftest import navigate, open_url, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def menu(page: Page) -> Any:
    return page.get_by_role("navigation", name="Main menu")


def fill_date(page: Page, legend: str, date: datetime.date) -> None:
    fieldset = page.get_by_role("group", name=legend, exact=True)
    fieldset.get_by_label("Day", exact=True).fill(str(date.day))
    fieldset.get_by_label("Month", exact=True).fill(str(date.month))
    fieldset.get_by_label("Year", exact=True).fill(str(date.year))


def test_an_agenda_is_published_and_an_agency_researches_its_case(
    live_server: Any, page: Page
) -> None:
    load_demo()
    base = live_server.url
    north_kent = Area.objects.get(code="NK")
    meetings_generate(area=north_kent)
    case = Case.objects.get(area=north_kent)
    meeting = meeting_for_allocation(area=north_kent, on=timezone.localdate())
    assert meeting is not None
    case_list(case=case, actor=None, meeting=meeting)
    when = f"{meeting.starts_on:%A} {meeting.starts_on.day} {meeting.starts_on:%B %Y}"

    # The coordinator looks at the calendar and adds an extra meeting.
    sign_in(page, base, "coordinator")
    navigate(page, menu(page).get_by_role("link", name="Meetings", exact=True).click)
    expect(page.get_by_role("heading", name="North Kent", exact=True)).to_be_visible()
    navigate(page, page.get_by_role("link", name="Add a meeting for North Kent").click)
    navigate(page, page.get_by_role("button", name="Add the meeting").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what kind of meeting")
    page.get_by_label("Additional meeting", exact=True).check()
    extra = timezone.localdate() + datetime.timedelta(days=20)
    fill_date(page, "Date of the meeting", extra)
    navigate(page, page.get_by_role("button", name="Add the meeting").click)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Additional meeting")

    # ...then publishes the agenda of the meeting the case is listed at.
    navigate(page, page.get_by_role("link", name="Back to meetings").click)
    navigate(
        page,
        page.get_by_role("table", name="Meetings of North Kent")
        .get_by_role("link", name=when)
        .click,
    )
    expect(page.get_by_role("link", name=case.reference, exact=True)).to_be_visible()
    navigate(page, page.get_by_role("button", name="Publish the agenda").click)
    navigate(page, page.get_by_role("button", name="Publish the agenda").click)
    expect(page.get_by_text("Agenda published.")).to_be_visible()
    sign_out(page)

    # The police representative researches the case.
    sign_in(page, base, "police")
    navigate(page, menu(page).get_by_role("link", name="Research", exact=True).click)
    navigate(page, page.get_by_role("link", name=case.reference, exact=True).click)
    expect(page.get_by_role("heading", name=f"Research for case {case.reference}")).to_be_visible()
    navigate(page, page.get_by_role("link", name="Add your agency's research on the victim").click)
    expect(page.get_by_text("Police: share history from the last 24 months.")).to_be_visible()
    page.get_by_label("Relevant information to share", exact=True).check()
    navigate(page, page.get_by_role("button", name="Save research").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the information your agency is sharing"
    )
    page.get_by_label("Information to share", exact=True).fill(
        "Fictional: two call-outs this year."
    )
    page.get_by_label("Fact", exact=True).check()
    navigate(page, page.get_by_role("button", name="Save research").click)
    navigate(
        page, page.get_by_role("link", name="Add your agency's research on the perpetrator").click
    )
    page.get_by_label("Not known to us", exact=True).check()
    navigate(page, page.get_by_role("button", name="Save research").click)
    expect(page.get_by_text("Not known to us")).to_be_visible()
    navigate(page, page.get_by_role("link", name="Mark your agency's research complete").click)
    navigate(page, page.get_by_role("button", name="Mark research complete").click)
    expect(page.get_by_text("Your agency's research on this case is complete")).to_be_visible()
    assert ResearchEntry.objects.filter(request__listing__case=case).count() == 2

    # The board shows the police complete and the others still to do.
    navigate(page, page.get_by_role("link", name="Back to the agenda").click)
    navigate(page, page.get_by_role("link", name="Research board").click)
    row = page.get_by_role("row", name=case.reference)
    expect(row).to_contain_text("Complete")
    expect(row).to_contain_text("1 of 5")
    open_url(page, f"{base}/research/")
    expect(page.get_by_role("row", name=case.reference)).to_contain_text("Complete")
