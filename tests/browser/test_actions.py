"""The action manager in a real browser: the police representative finds their overdue action,
adds an update and completes another with an outcome. Every page is checked with axe."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from openmarac.actions.models import Action, ActionStatus, EntryKind
from openmarac.demo.partnership import load_demo

from .conftest import navigate, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MARKER = "Place a marker on the victim's address so that calls get an urgent response."
BAIL = "Review the perpetrator's bail conditions with the officer in the case."


def menu(page: Page, name: str) -> Any:
    return page.get_by_role("navigation", name="Main menu").get_by_role("link", name=name)


def test_a_representative_updates_and_completes_actions(live_server: Any, page: Page) -> None:
    load_demo()
    base = live_server.url
    sign_in(page, base, "police")

    navigate(page, menu(page, "Actions").click)
    expect(page.get_by_role("heading", name="Action manager", level=1)).to_be_visible()
    overdue = page.get_by_role("table").filter(has_text="Overdue")
    expect(overdue.get_by_role("link", name=MARKER[:60], exact=False)).to_be_visible()

    # An update on the overdue action.
    navigate(page, overdue.get_by_role("link").first.click)
    expect(page.get_by_text("This action is overdue")).to_be_visible()
    navigate(page, page.get_by_role("link", name="Add an update").click)
    navigate(page, page.get_by_role("button", name="Add update").click)  # empty: an error
    expect(page.get_by_role("alert")).to_contain_text("Enter the update")
    page.get_by_label("Update", exact=True).fill("Control room confirmed the marker request.")
    navigate(page, page.get_by_role("button", name="Add update").click)
    expect(page.get_by_text("Update added")).to_be_visible()
    expect(page.get_by_text("Control room confirmed the marker request.")).to_be_visible()

    # Completing the named bail action from the manager, with an outcome.
    navigate(page, menu(page, "Actions").click)
    navigate(page, page.get_by_role("link", name="Show only actions named to me").click)
    navigate(page, page.get_by_role("link", name=BAIL[:60], exact=False).click)
    navigate(page, page.get_by_role("link", name="Complete the action").click)
    page.get_by_label("Outcome: what was done", exact=True).fill("Bail conditions reviewed.")
    navigate(page, page.get_by_role("button", name="Complete action").click)
    expect(page.get_by_text("Action completed")).to_be_visible()

    navigate(page, page.get_by_role("link", name="Back to case").click)
    expect(page.get_by_role("heading", name="Actions", level=2)).to_be_visible()

    marker = Action.objects.get(intervention="address-marker")
    assert marker.status == ActionStatus.AGREED
    assert [e.text for e in marker.entries.filter(kind=EntryKind.UPDATE)][-1] == (
        "Control room confirmed the marker request."
    )
    bail = Action.objects.get(intervention="dvpo-bail")
    assert bail.status == ActionStatus.COMPLETED
    assert bail.outcome == "Bail conditions reviewed."
