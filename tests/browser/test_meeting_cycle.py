"""In a real browser, a whole MARAC cycle with three agencies: the agenda is published; police,
the IDVA service and children's services research the case (the IDVA service: "not known");
the coordinator records attendance, apologies with information in writing, an observer and every
confirmation of the confidentiality statement, sees the quorum warning clear, records a conflict
of interest, hears the cases and agrees actions; the chair approves the minutes, the coordinator
publishes them; police complete their action and children's services' action is escalated as
overdue by the deadline sweep. Every page is checked with axe."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from openmarac.agencies.models import Agency, Sector
from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.demo.partnership import load_demo
from openmarac.meetings.models import Meeting, MeetingKind
from openmarac.meetings.services import case_list
from openmarac.partnerships.models import Area
from openmarac.proceedings.models import MeetingRecord, MinutesStatus
from openmarac.research.models import ResearchEntry
from openmarac.research.services import agenda_publish

from ..conftest import make_user
from .conftest import navigate, open_url, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

actions_models = pytest.importorskip(
    "openmarac.actions.models", reason="the cycle's actions need the actions app's models"
)
Action, ActionStatus = actions_models.Action, actions_models.ActionStatus


def menu(page: Page) -> Any:
    return page.get_by_role("navigation", name="Main menu")


def research(page: Page, base: str, username: str, case: Case, answers: list[str]) -> None:
    """Sign in as ``username`` and research the victim and the perpetrator of ``case``."""
    sign_in(page, base, username)
    navigate(page, menu(page).get_by_role("link", name="Research", exact=True).click)
    navigate(page, page.get_by_role("link", name=case.reference, exact=True).click)
    for person, answer in zip(("victim", "perpetrator"), answers, strict=True):
        navigate(
            page,
            page.get_by_role("link", name=f"Add your agency's research on the {person}").click,
        )
        if answer == "not known":
            page.get_by_label("Not known to us", exact=True).check()
        else:
            page.get_by_label("Relevant information to share", exact=True).check()
            page.get_by_label("Information to share", exact=True).fill(answer)
            page.get_by_label("Fact", exact=True).check()
        navigate(page, page.get_by_role("button", name="Save research").click)
    navigate(page, page.get_by_role("link", name="Mark your agency's research complete").click)
    navigate(page, page.get_by_role("button", name="Mark research complete").click)
    expect(page.get_by_text("Your agency's research on this case is complete")).to_be_visible()
    sign_out(page)


def add_attendee(page: Page, role: str, *, licence: str = "", name: str = "") -> None:
    navigate(page, page.get_by_role("link", name="Add an attendee or observer").click)
    page.get_by_label(role, exact=True).check()
    if licence:
        page.get_by_label("Licence holder", exact=True).select_option(label=licence)
    if name:
        page.get_by_label("Name (for someone without a licence)", exact=True).fill(name)
    navigate(page, page.get_by_role("button", name="Add", exact=True).click)
    expect(page.get_by_text("Attendee recorded")).to_be_visible()


def add_action(page: Page, agency: str, what: str, days: str) -> None:
    navigate(page, page.get_by_role("link", name="Add an agreed action").click)
    page.get_by_label("Owning agency", exact=True).select_option(label=agency)
    page.get_by_label("What is to be done", exact=True).fill(what)
    page.get_by_label("The person or risk it addresses", exact=True).fill("The victim")
    page.get_by_label("Due in working days", exact=True).fill(days)
    page.get_by_label("Rationale", exact=True).fill("Agreed at the meeting to reduce the risk.")
    navigate(page, page.get_by_role("button", name="Agree the action").click)
    expect(page.get_by_text("Action agreed")).to_be_visible()


def test_a_whole_meeting_cycle_with_three_agencies(live_server: Any, page: Page) -> None:
    partnership = load_demo()
    base = live_server.url
    area = Area.objects.get(partnership=partnership, code="NK")
    policy = area.policy
    policy.quorum_min_statutory_agencies = 3
    policy.quorum_required_sectors = ["police", "idva"]
    policy.quorum_childrens_when_children = True
    policy.action_escalation_working_days_overdue = 5  # as Lincolnshire
    policy.save()
    make_user(
        "idvarep",
        agency=Agency.objects.get(partnership=partnership, sector=Sector.IDVA),
        is_agency_rep=True,
    )
    make_user(
        "childrensrep",
        agency=Agency.objects.get(partnership=partnership, sector=Sector.CHILDRENS_SOCIAL_CARE),
        is_agency_rep=True,
    )
    first = Case.objects.get(area=area)
    second = Case.objects.create(
        partnership=partnership, area=area, reference="NK-CYCLE-0002", has_children=True
    )
    CaseParticipant.objects.create(
        case=second,
        person=first.participants.get(role=ParticipantRole.PERPETRATOR).person,
        role=ParticipantRole.PERPETRATOR,
    )
    today = timezone.localdate()
    meeting = Meeting.objects.create(
        area=area,
        kind=MeetingKind.EXTRA,
        starts_on=today,
        ends_on=today,
        start_time=datetime.time(9, 30),
    )
    for case in (first, second):
        case_list(case=case, actor=None, meeting=meeting)

    # The agenda is published (as the deadline sweep does at the area's lead time).
    agenda_publish(meeting=meeting)
    sign_in(page, base, "coordinator")
    open_url(page, f"{base}/meetings/{meeting.pk}/")
    expect(page.get_by_text("Research board")).to_be_visible()
    sign_out(page)

    # Three agencies research the first case; the IDVA service knows neither person.
    research(page, base, "police", first, ["Fictional: two call-outs.", "not known"])
    research(page, base, "idvarep", first, ["not known", "not known"])
    research(page, base, "childrensrep", first, ["Fictional: known to the school.", "not known"])
    assert ResearchEntry.objects.filter(request__listing__case=first).count() == 6

    # The coordinator runs the meeting.
    sign_in(page, base, "coordinator")
    open_url(page, f"{base}/meetings/{meeting.pk}/")
    navigate(
        page, page.get_by_role("link", name="Meeting screen: attendance, cases and minutes").click
    )
    add_attendee(page, "Chair", licence="Chris Chair (Example Constabulary)")
    add_attendee(
        page, "Administrator (minute taker)", licence="Casey Coordinator (Example MARAC Hub Team)"
    )
    add_attendee(page, "Agency representative", licence="Pat Police (Example Constabulary)")
    add_attendee(page, "Agency representative", licence="Idvarep Example (Example IDVA Service)")
    add_attendee(page, "Observer", name="Olive Observer")
    warning = page.locator("#quorum-warning")
    expect(warning).to_contain_text("The meeting is not quorate")
    expect(warning).to_contain_text("Children's social care is not represented")
    add_attendee(
        page,
        "Agency representative",
        licence="Childrensrep Example (Example Children's Services)",
    )
    expect(page.locator("#quorum-warning")).to_have_count(0)
    expect(page.get_by_text("Quorate", exact=True)).to_be_visible()

    navigate(page, page.get_by_role("link", name="Record apologies").click)
    page.get_by_label("Agency sending apologies", exact=True).select_option(
        label="Example Health Trust"
    )
    page.get_by_label("Yes", exact=True).check()
    navigate(page, page.get_by_role("button", name="Record apologies").click)
    expect(page.get_by_text("Example Health Trust: information sent in writing")).to_be_visible()

    # No case opens before everyone confirms the confidentiality statement.
    navigate(page, page.get_by_role("button", name="Open the meeting").click)
    expect(
        page.get_by_text("have not confirmed the confidentiality statement").first
    ).to_be_visible()
    while page.get_by_role("button", name="Confirmed by").count():
        navigate(page, page.get_by_role("button", name="Confirmed by").first.click)

    # The IDVA declares a conflict in the second case.
    navigate(page, page.get_by_role("link", name="Record a conflict of interest").click)
    page.get_by_label("Case", exact=True).select_option(label="NK-CYCLE-0002")
    page.get_by_label("Who has the conflict of interest", exact=True).select_option(
        label="Idvarep Example (Agency representative)"
    )
    navigate(page, page.get_by_role("button", name="Declare the conflict").click)
    expect(page.get_by_text("Idvarep Example: NK-CYCLE-0002")).to_be_visible()

    navigate(page, page.get_by_role("button", name="Open the meeting").click)
    expect(page.get_by_text("The meeting is open")).to_be_visible()
    rows = page.locator("#timetable tbody tr")
    expect(rows.first).to_contain_text("NK-CYCLE-0002")  # children first
    expect(rows.first).to_contain_text("09:30")

    # The first case: information, the record, two actions, kept open.
    navigate(page, page.get_by_role("button", name=f"Open case {first.reference}").click)
    page.get_by_label("Agency", exact=True).select_option(label="Example Constabulary")
    page.get_by_label("Information shared", exact=True).fill("Fictional: two call-outs.")
    page.get_by_label("No, shared at the meeting", exact=True).check()
    navigate(page, page.get_by_role("button", name="Record the information").click)
    page.get_by_label("Risks identified", exact=True).fill("Fictional: escalating threats.")
    page.get_by_label("The victim's voice", exact=True).fill("Fictional: wants to stay home.")
    page.get_by_label("Who feeds back to the victim", exact=True).select_option(
        label="Example IDVA Service"
    )
    page.get_by_label("What they feed back", exact=True).fill("The safety plan.")
    navigate(page, page.get_by_role("button", name="Save the case record").click)
    add_action(page, "Example Constabulary", "Fictional: place a marker on the address.", "5")
    add_action(page, "Example Children's Services", "Fictional: child and family check.", "0")
    navigate(page, page.get_by_role("link", name="Record the outcome").click)
    page.get_by_label("Keep open for further actions", exact=True).check()
    navigate(page, page.get_by_role("button", name="Record the outcome").click)

    # The second case: closed to MARAC.
    navigate(page, page.get_by_role("button", name="Open case NK-CYCLE-0002").click)
    expect(page.get_by_text("Idvarep Example declared a conflict of interest")).to_be_visible()
    navigate(page, page.get_by_role("link", name="Record the outcome").click)
    page.get_by_label("Close to MARAC", exact=True).check()
    navigate(page, page.get_by_role("button", name="Record the outcome").click)
    navigate(page, page.get_by_role("button", name="Close the meeting").click)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Minutes of the meeting")
    sign_out(page)

    # The conflicted IDVA cannot open the second case.
    sign_in(page, base, "idvarep")
    response = page.goto(f"{base}/cases/NK-CYCLE-0002/")
    assert response is not None
    assert response.status == 404
    sign_out(page)

    # The chair approves; the coordinator publishes the minutes and sends the actions.
    sign_in(page, base, "chair")
    open_url(page, f"{base}/meetings/{meeting.pk}/minutes/")
    navigate(page, page.get_by_role("button", name="Approve the minutes").click)
    expect(page.locator("#minutes-status")).to_have_text("Approved by the chair")
    sign_out(page)
    sign_in(page, base, "coordinator")
    open_url(page, f"{base}/meetings/{meeting.pk}/minutes/")
    navigate(page, page.get_by_role("button", name="Publish the minutes to attendees").click)
    navigate(page, page.get_by_role("button", name="Send the actions to their owners").click)
    record = MeetingRecord.objects.get(meeting=meeting)
    assert record.minutes_status == MinutesStatus.PUBLISHED
    assert record.actions_published_at is not None
    sign_out(page)

    # Police read the minutes and complete their action.
    sign_in(page, base, "police")
    navigate(page, menu(page).get_by_role("link", name="Minutes", exact=True).click)
    navigate(page, page.get_by_role("link", name=f"North Kent, {today:%-d %B %Y}").click)
    expect(page.get_by_text("Fictional: escalating threats.")).to_be_visible()
    expect(page.get_by_text("NK-CYCLE-0002", exact=False).first).to_be_visible()
    police_action = Action.objects.get(owner_agency__sector=Sector.POLICE, meeting=meeting)
    open_url(page, f"{base}/actions/{police_action.public_id}/")
    navigate(page, page.get_by_role("link", name="Complete the action").click)
    page.get_by_label("Outcome: what was done", exact=True).fill("Fictional: marker placed.")
    navigate(page, page.get_by_role("button", name="Complete action").click)
    police_action.refresh_from_db()
    assert police_action.status == ActionStatus.COMPLETED
    sign_out(page)

    # Children's services' action is past due; the deadline sweep escalates it.
    from openmarac.actions.sweeps import escalate_overdue

    later = timezone.now() + datetime.timedelta(days=14)
    assert escalate_overdue(later) >= 1  # the demo's own actions may be overdue too
    childrens_action = Action.objects.get(
        owner_agency__sector=Sector.CHILDRENS_SOCIAL_CARE, meeting=meeting
    )
    assert childrens_action.escalated_at is not None
    sign_in(page, base, "childrensrep")
    open_url(page, f"{base}/actions/{childrens_action.public_id}/")
    expect(page.get_by_text("Escalated", exact=True).first).to_be_visible()
    open_url(page, f"{base}/meetings/{meeting.pk}/minutes/")
    expect(page.get_by_text("Fictional: child and family check.")).to_be_visible()
