"""The case record in a real browser, as the police representative of a standing member agency:
with JavaScript on and off, at desktop width and at 320 px, every section is there, nothing
scrolls sideways, and axe-core finds nothing."""

from __future__ import annotations

import datetime
import re
from datetime import UTC
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from openmarac.accounts.models import User
from openmarac.cases.models import Case, ParticipantRole
from openmarac.demo.partnership import load_demo
from openmarac.meetings.models import Listing, ListingReason, ListingStatus, Meeting, MeetingKind
from openmarac.proceedings.models import Hearing, MeetingRecord, MinutesStatus, Outcome
from openmarac.research.models import Finding, ResearchEntry, ResearchRequest
from openmarac.triage.models import UpdateKind, WeeklyUpdate

from .conftest import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)
SECTIONS = [
    "Summary",
    "People",
    "Referrals",
    "Hearings",
    "Research",
    "Actions",
    "Weekly updates",
    "Related and linked cases",
    "Timeline",
]


def a_heard_case() -> Case:
    """The demo's North Kent case, heard at a meeting with research from the police."""
    case = Case.objects.get(area__code="NK")
    police = User.objects.get(username="police")
    coordinator = User.objects.get(username="coordinator")
    day = datetime.date(2026, 11, 10)
    now = datetime.datetime(2026, 11, 10, 11, 0, tzinfo=UTC)
    meeting = Meeting.objects.create(
        area=case.area,
        kind=MeetingKind.EXTRA,
        starts_on=day,
        ends_on=day,
        start_time=datetime.time(9, 30),
        agenda_published_at=now - datetime.timedelta(days=8),
    )
    MeetingRecord.objects.create(meeting=meeting, minutes_status=MinutesStatus.PUBLISHED)
    listing = Listing.objects.create(
        meeting=meeting,
        case=case,
        reason=ListingReason.NEW,
        status=ListingStatus.HEARD,
        listed_at=now - datetime.timedelta(days=10),
    )
    Hearing.objects.create(
        listing=listing,
        opened_at=now,
        opened_by=coordinator,
        outcome=Outcome.KEEP_OPEN,
        decided_at=now,
    )
    research = ResearchRequest.objects.create(
        listing=listing,
        agency=police.agency,
        requested_at=now - datetime.timedelta(days=8),
        due_on=day - datetime.timedelta(days=2),
        completed_at=now - datetime.timedelta(days=3),
    )
    ResearchEntry.objects.create(
        request=research,
        participant=case.participants.get(role=ParticipantRole.VICTIM),
        finding=Finding.INFORMATION,
        information="Two call-outs to the address in October.",
        updated_by=police,
        updated_at=now - datetime.timedelta(days=3),
    )
    WeeklyUpdate.objects.create(
        case=case,
        kind=UpdateKind.NEW_ADDRESS,
        information="The victim moved to a refuge out of the area.",
        purpose="Agencies update their records.",
        submitted_by=police,
        agency=police.agency,
        created_at=now + datetime.timedelta(days=7),
    )
    return case


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def javascript(request: Any) -> bool:
    return bool(request.param)


def record_pages(browser: Browser, base_url: str, javascript: bool) -> list[Page]:
    """The police representative signed in (through the real pages, with JavaScript), then a
    desktop and a 320 px page on that session, with JavaScript on or off."""
    options: dict[str, Any] = {
        "bypass_csp": True,
        "locale": "en-GB",
        "timezone_id": "Europe/London",
    }
    signing = browser.new_context(**options)
    sign_in(signing.new_page(), base_url, "police")
    state = signing.storage_state()
    signing.close()
    pages = []
    for width in (1280, 320):
        context = browser.new_context(
            **options,
            storage_state=state,
            java_script_enabled=javascript,
            viewport={"width": width, "height": 900},
        )
        context.set_default_timeout(15_000)
        pages.append(context.new_page())
    return pages


def check(page: Page) -> None:
    """axe-core on the page as it stands. A page without JavaScript cannot run axe, so its
    markup, exactly as that browser received and laid it out, is opened with its own scripts
    taken out in a page that can, and checked there."""
    page.wait_for_load_state("load")
    if page.evaluate("() => document.body.classList.contains('js-enabled')"):
        assert_accessible(page)
        return
    markup = SCRIPT.sub("", page.content())
    browser = page.context.browser
    assert browser is not None
    viewport = page.viewport_size or {"width": 1280, "height": 900}
    checker = browser.new_context(bypass_csp=True, locale="en-GB", viewport=viewport)
    try:
        twin = checker.new_page()
        address = page.url.split("#")[0]
        twin.route(
            lambda url: url.split("#")[0] == address,
            lambda route: route.fulfill(body=markup, content_type="text/html"),
        )
        twin.goto(page.url, wait_until="load")
        assert not twin.evaluate("() => document.body.classList.contains('js-enabled')")
        assert_accessible(twin)
    finally:
        checker.close()


def navigate(page: Page, action: Any) -> None:
    with page.expect_navigation(wait_until="load"):
        action()
    check(page)


def test_the_case_record_reads_well_at_every_width_with_and_without_javascript(
    live_server: Any, browser: Browser, javascript: bool
) -> None:
    load_demo()
    case = a_heard_case()
    pages = record_pages(browser, live_server.url, javascript)
    try:
        for page in pages:
            width = page.viewport_size["width"] if page.viewport_size else 0
            page.goto(f"{live_server.url}/", wait_until="load")
            check(page)
            menu = page.get_by_role("navigation", name="Main menu")
            toggle = menu.get_by_role("button", name="Menu")
            if toggle.is_visible():  # at 320 px with JavaScript, the menu folds behind it
                toggle.click()
            navigate(page, menu.get_by_role("link", name="Cases").click)
            navigate(page, page.get_by_role("link", name=case.reference).click)
            expect(
                page.get_by_role("heading", name=f"Case {case.reference}", level=1)
            ).to_be_visible()
            for section in SECTIONS:
                expect(
                    page.get_by_role("heading", name=section, level=2, exact=True)
                ).to_be_visible()
            expect(page.get_by_text("Two call-outs to the address in October.")).to_be_visible()
            expect(page.get_by_text("Keep open for further actions", exact=True)).to_be_visible()
            expect(
                page.get_by_text("The victim moved to a refuge out of the area.")
            ).to_be_visible()
            expect(
                page.get_by_role("link", name="Download the case record as a PDF")
            ).to_be_visible()
            # The contents links move within the page, JavaScript or not.
            page.get_by_role("link", name="Timeline", exact=True).click()
            assert page.url.endswith("#timeline"), page.url
            check(page)
            scroll, inner = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]"
            )
            assert scroll <= inner, f"the record scrolls sideways at {width} px: {scroll} > {inner}"
    finally:
        for page in pages:
            page.context.close()
