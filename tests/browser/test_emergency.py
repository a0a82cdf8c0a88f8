"""An emergency MARAC in a real browser: the hub asks for one on a case, the MARAC manager
approves it with a time, and an urgent action is recorded and sent. Every page is checked with
axe."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openmarac.actions.models import Action, ActionStatus
from openmarac.cases.models import Case
from openmarac.demo.partnership import load_demo
from openmarac.emergencies.models import EmergencyRequest, EmergencyStatus
from openmarac.meetings.models import MeetingKind

from .conftest import navigate, open_url, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_emergency_request_approval_meeting_and_urgent_action(live_server: Any, page: Page) -> None:
    load_demo()
    base = live_server.url
    case = Case.objects.get(area__code="NK")

    sign_in(page, base, "coordinator")
    open_url(page, f"{base}/cases/{case.reference}/")
    navigate(page, page.get_by_role("link", name="Ask for an emergency MARAC").click)
    navigate(page, page.get_by_role("button", name="Ask for an emergency MARAC").click)
    expect(page.get_by_role("alert")).to_contain_text("Enter why the case cannot wait")
    page.get_by_label("Why can the case not wait for the next meeting?").fill(
        "Threats to kill made last night; the perpetrator is released today."
    )
    navigate(page, page.get_by_role("button", name="Ask for an emergency MARAC").click)
    expect(page.get_by_text("Waiting for a decision").first).to_be_visible()
    open_url(page, f"{base}/hub/triage/")
    expect(page.get_by_role("heading", name="Emergency MARACs")).to_be_visible()
    expect(page.get_by_text("Waiting 0 hours for a decision")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "manager")
    open_url(page, f"{base}/emergencies/")
    navigate(page, page.get_by_role("link", name=case.reference).click)
    navigate(page, page.get_by_role("link", name="Decide this request").click)
    page.get_by_label("Yes, hold an emergency MARAC").check()
    navigate(page, page.get_by_role("button", name="Record the decision").click)
    expect(page.get_by_role("alert")).to_contain_text("Enter the date of the emergency MARAC")
    page.get_by_label("Day").fill("24")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Start time").fill("14:00")
    navigate(page, page.get_by_role("button", name="Record the decision").click)
    expect(page.get_by_text("Emergency MARAC approved")).to_be_visible()
    expect(page.get_by_text("for 30 minutes")).to_be_visible()

    navigate(page, page.get_by_role("link", name="Record an urgent action").click)
    page.get_by_label("Example Constabulary").check()
    page.get_by_label("What is to be done").fill("Place an urgent marker on the address.")
    page.get_by_label("Rationale").fill("Imminent risk of serious harm.")
    navigate(page, page.get_by_role("button", name="Record and send the action").click)
    expect(page.get_by_text("Urgent action recorded and sent to the agency")).to_be_visible()
    expect(page.get_by_text("Place an urgent marker on the address.")).to_be_visible()

    asked = EmergencyRequest.objects.get(case=case)
    assert asked.status == EmergencyStatus.APPROVED
    assert asked.meeting.kind == MeetingKind.EMERGENCY
    action = Action.objects.get(meeting=asked.meeting)
    assert action.status == ActionStatus.AGREED
