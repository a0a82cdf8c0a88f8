"""Defects found walking through the service (issue 16), each with the test that shows it."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from openmarac.audit.models import AuditEvent
from openmarac.partnerships.presets import PRESETS
from openmarac.partnerships.services import partnership_create_from_preset
from openmarac.proceedings.actions_app import actions_available
from openmarac.proceedings.models import AttendeeRole
from openmarac.proceedings.services.attendance import attendee_add, attendee_confirm
from openmarac.proceedings.services.conduct import MeetingOpensEarly, meeting_open
from openmarac.proceedings.services.guards import ProceedingsError, record_for
from openmarac.referrals.forms.people import VictimForm

from .conftest import client_for
from .test_proceedings import Room, new_meeting

D = datetime.date
UTC = datetime.UTC
ROOT = Path(__file__).resolve().parent.parent


# The outcome banner.


def test_the_outcome_banner_names_the_outcome_just_recorded(cast):
    room = Room(cast)
    room.open()
    room.hear()
    hub = client_for(cast.coordinator)
    url = f"/meetings/{room.meeting.pk}/run/cases/{room.listing.pk}/outcome/"
    response = hub.post(url, {"outcome": "keep_open", "reason": ""})
    assert response.status_code == 302
    banners = [str(m) for m in get_messages(response.wsgi_request)]
    assert banners == ["Outcome recorded: Keep open for further actions"]


# Opening a meeting before its date, and running an empty meeting.


def test_a_meeting_weeks_before_its_date_opens_only_when_its_chair_confirms(cast):
    room = Room(cast)  # 15 December 2026; the clock reads 23 November
    room.confirm_all()
    base = f"/meetings/{room.meeting.pk}/run/"
    with pytest.raises(MeetingOpensEarly):
        meeting_open(meeting=room.meeting, actor=cast.coordinator)
    hub = client_for(cast.coordinator)
    refused = hub.post(base + "open/")
    assert refused.status_code == 302
    assert refused["Location"] == base + "open/early/"
    assert record_for(room.meeting).opened_at is None
    page = hub.get(base + "open/early/").content.decode()
    assert "22 days from today" in page
    assert "Only the meeting's chair can confirm this" in page
    assert hub.post(base + "open/early/", {"confirm": ["yes"]}).status_code == 400
    assert record_for(room.meeting).opened_at is None

    chair = client_for(cast.chair)
    unticked = chair.post(base + "open/early/", {})
    assert unticked.status_code == 400
    assert "Confirm that the meeting should open before its date" in unticked.content.decode()
    assert record_for(room.meeting).opened_at is None
    assert chair.post(base + "open/early/", {"confirm": ["yes"]}).status_code == 302
    record = record_for(room.meeting)
    assert record.opened_at is not None
    assert record.opened_by == cast.chair
    event = AuditEvent.objects.get(action="meeting.open")
    assert event.detail["early_days"] == 22


def test_a_meeting_opens_without_confirming_within_its_areas_days(cast):
    room = Room(cast)
    room.confirm_all()
    policy = room.meeting.area.policy
    assert policy.open_days_before == 1
    policy.open_days_before = 30
    policy.save()
    room.meeting.refresh_from_db()
    hub = client_for(cast.coordinator)
    assert hub.post(f"/meetings/{room.meeting.pk}/run/open/")["Location"] == (
        f"/meetings/{room.meeting.pk}/run/"
    )
    assert record_for(room.meeting).opened_by == cast.coordinator


@pytest.mark.django_db
def test_every_preset_lets_a_meeting_open_a_day_before_its_date():
    for preset in PRESETS:
        partnership = partnership_create_from_preset(
            preset=preset, official_email_domains=["example.org"], hub_email="hub@example.org"
        )
        policies = [area.policy.open_days_before for area in partnership.areas.all()]
        assert policies
        assert set(policies) == {1}


def test_an_empty_meeting_cannot_be_run(cast):
    meeting = new_meeting(cast, on=D(2026, 11, 23))
    chair = attendee_add(
        meeting=meeting, role=AttendeeRole.CHAIR, user=cast.chair, actor=cast.coordinator
    )
    attendee_confirm(attendee=chair, actor=cast.coordinator)
    with pytest.raises(ProceedingsError, match="no cases listed"):
        meeting_open(meeting=meeting, actor=cast.coordinator)
    response = client_for(cast.coordinator).post(f"/meetings/{meeting.pk}/run/open/")
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "There are no cases listed for this meeting: list a case before you run it" in page
    assert "govuk-error-message" in page
    assert record_for(meeting).opened_at is None


# Closed actions.


@pytest.mark.skipif(not actions_available(), reason="needs the actions app's models")
def test_a_closed_action_shows_why_instead_of_its_forms_and_refuses_a_post_keeping_the_text(cast):
    from openmarac.actions.models import ActionStatus, EntryKind
    from openmarac.actions.services.progress import action_complete

    from .test_actions import agreed

    action = agreed(cast)
    with time_machine.travel(datetime.datetime(2026, 11, 24, 14, 5, tzinfo=UTC), tick=False):
        action_complete(action=action, by=cast.police_rep, outcome="Marker placed", request=None)
    rep = client_for(cast.police_rep)
    detail = rep.get(reverse("actions:detail", args=[action.public_id])).content.decode()
    assert "This action is closed: completed." in detail
    assert "Completed on 24 November 2026 at 14:05 by Pat Police (Example Constabulary)" in detail
    assert reverse("actions:update", args=[action.public_id]) not in detail
    for name, field in (
        ("actions:update", "text"),
        ("actions:complete", "text"),
        ("actions:not_feasible", "explanation"),
        ("actions:comment", "text"),
    ):
        url = reverse(name, args=[action.public_id])
        page = rep.get(url)
        assert page.status_code == 200
        assert "This action is closed: completed." in page.content.decode()
        main = page.content.decode().split("<main")[1].split("</main>")[0]
        assert "<form" not in main
        refused = rep.post(url, {field: "Called the victim again on Tuesday."})
        assert refused.status_code == 409
        text = refused.content.decode()
        assert "govuk-error-summary" in text
        assert "This action was closed before you sent this: nothing was saved" in text
        assert "Called the victim again on Tuesday." in text
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    assert not action.entries.filter(kind__in=[EntryKind.UPDATE, EntryKind.COMMENT]).exists()
    assert AuditEvent.objects.filter(action="action.comment.closed").count() == 1


# Error messages written for people.

QUESTION_AS_INSTRUCTION = re.compile(
    r"^(select|enter|choose)\s+(is|are|has|have|do|does|did|can|could|should|was|were|will|"
    r"describe)\b",
    re.IGNORECASE,
)


def _question(label: str) -> str:
    """The question's words as asked, without its number or question mark, in lower case."""
    return re.sub(r"^\d+\.\s*", "", label).rstrip("?").strip().lower()


def _messages(form) -> list[tuple[str, str]]:
    """Every error message a form can show, with the label of the field it belongs to: the
    messages each field holds, and those the form adds when it is sent empty."""
    out = []
    for field in form.fields.values():
        for message in field.error_messages.values():
            out.append((str(field.label or ""), str(message)))
    for name, errors in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        out.extend((label, str(error)) for error in errors)
    return out


def test_every_referral_error_message_is_written_for_people_not_built_from_the_question(cast):
    from openmarac.checklists.models import ChecklistDefinition
    from openmarac.referrals.forms.approval import ApprovalForm
    from openmarac.referrals.forms.risk import ChecklistAnswersForm
    from openmarac.referrals.sections import SECTIONS
    from openmarac.triage import forms as triage_forms

    definitions = list(ChecklistDefinition.objects.all())
    assert definitions
    forms = []
    for definition in definitions:
        context = {
            "partnership": cast.partnership,
            "escalation_window_months": 12,
            "dvds_is_criterion": True,
            "main_checklists": definitions,
            "checklist_definition": definition,
        }
        for section in SECTIONS:
            # Every checklist's questions; the other sections once.
            if definition != definitions[0] and not issubclass(section.form, ChecklistAnswersForm):
                continue
            # Sent empty, and with the answers that make further questions required.
            for data in ({}, {"stalking_present": "yes", "consent": "refused", "repeat": "yes"}):
                forms.append(section.form(data=data, context=context))
    forms.append(ApprovalForm(data={"decision": "return"}))
    for form_class in (
        triage_forms.ReturnForm,
        triage_forms.DeclineForm,
        triage_forms.ReasonForm,
        triage_forms.WeeklyUpdateForm,
    ):
        forms.append(form_class(data={}))
    forms.append(triage_forms.AcceptForm(data={}, meetings=[]))

    checked = 0
    for form in forms:
        form.is_valid()
        for label, message in _messages(form):
            if message == "This field is required.":
                continue
            checked += 1
            assert not QUESTION_AS_INSTRUCTION.match(message), message
            assert not message.endswith("?"), message
            if label.endswith("?"):
                assert _question(label) not in message.lower(), (label, message)
    assert checked > 300
    # The messages the walk-through found.
    victim = VictimForm(data={}, context={})
    victim.is_valid()
    assert victim.errors["pregnant"] == [
        "Select yes if the victim is pregnant or has had a baby in the last 18 months"
    ]


# The audit case search.


def test_a_wrong_reference_in_the_audit_case_search_shows_an_inline_error(cast):
    hub = client_for(cast.coordinator)
    for reference in ("NK-2026-NOPE", cast.case_a.reference + "9"):
        response = hub.get(reverse("audit:case"), {"reference": reference})
        assert response.status_code == 404
        page = response.content.decode()
        assert "govuk-error-summary" in page
        assert 'href="#id_reference"' in page
        assert "govuk-error-message" in page
        assert "No case has that reference" in page
        assert f'value="{reference}"' in page
    assert AuditEvent.objects.filter(action="audit_report.case.denied").count() == 2
    found = hub.get(reverse("audit:case"), {"reference": cast.case_a.reference})
    assert found.status_code == 200
    assert "Who viewed or changed this case" in found.content.decode()


# make run on another port.


def _make_run(port: str, **env: str) -> list[str]:
    """The commands ``make run`` would run (``make -n`` runs none of them)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT", "MAKEFLAGS")}
    result = subprocess.run(
        ["make", "-n", "run", f"PORT={port}"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [
        line
        for line in result.stdout.splitlines()
        if "manage.py run_worker --" in line or "manage.py runserver" in line
    ]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_run_on_another_port_sets_the_site_url_for_e_mailed_links():
    served = _make_run("8101")
    assert len(served) == 2
    assert all("SITE_URL='http://127.0.0.1:8101'" in line for line in served), served
    assert "runserver 127.0.0.1:8101" in served[-1]
    chosen = _make_run("8101", SITE_URL="https://marac.example.org")
    assert all("SITE_URL='https://marac.example.org'" in line for line in chosen), chosen


# The agenda's time column.


def test_the_agenda_labels_the_time_each_case_is_given_time_not_minutes(cast):
    from .test_proceedings import listed, pdf_pages

    meeting = new_meeting(cast)
    listed(cast, meeting, cast.case_a)
    hub = client_for(cast.coordinator)
    (text,) = pdf_pages(hub.get(reverse("proceedings:agenda_pdf", args=[meeting.pk])).content)
    # The PDF's table comes out one cell a line: its header, then each case's row.
    cells = text.split("\nCases\n", 1)[1].splitlines()
    assert cells[:5] == ["Start", "Case", "Reason", "Children", "Time"]
    assert cells[5:10] == ["09:30", cast.case_a.reference, "New referral", "No", "15 min"]
    page = hub.get(f"/meetings/{meeting.pk}/run/").content.decode()
    timetable = page.split('id="timetable"')[1].split("</thead>")[0]
    headers = re.findall(r'<th scope="col" class="govuk-table__header">([^<]*)</th>', timetable)
    assert headers[:5] == ["Start", "Case", "Reason", "Children", "Time"]
    assert "Minutes" not in headers


# The favicon.


def test_the_favicon_is_gov_uk_frontends_and_every_page_links_the_icons(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/build/assets/images/favicon.ico"
    built = finders.find("build/assets/images/favicon.ico")
    shipped = ROOT / "node_modules/govuk-frontend/dist/govuk/assets/images/favicon.ico"
    assert built
    assert Path(built).read_bytes() == shipped.read_bytes()
    assert finders.find("build/assets/manifest.json")
    page = client.get(reverse("accounts:sign_in")).content.decode()
    for link in (
        '<link rel="icon" sizes="48x48" href="/static/build/assets/images/favicon.ico">',
        'href="/static/build/assets/images/favicon.svg" type="image/svg+xml"',
        '<link rel="apple-touch-icon" href="/static/build/assets/images/govuk-icon-180.png">',
        '<link rel="manifest" href="/static/build/assets/manifest.json">',
    ):
        assert link in page


# The accessibility statement and the privacy notice.


def test_the_accessibility_statement_is_public_and_linked_from_every_page(client, cast):
    page = client.get("/accessibility/").content.decode()
    for part in (
        "Accessibility statement for OpenMARAC",
        "partially compliant with the",
        "WCAG 2.2 success criterion 1.3.1 (Info and Relationships)",
        "success criterion 2.2.1, Timing Adjustable",
        "Feedback and contact information",
        f'href="mailto:{cast.partnership.hub_email}"',
        "Enforcement procedure",
        "Equality Advisory and Support Service",
        "Preparation of this accessibility statement",
        "was last tested in",
    ):
        assert part in page, part
    for url in ("/accessibility/", "/privacy/", reverse("accounts:sign_in")):
        footer = client.get(url).content.decode().split('<footer class="govuk-footer"')[1]
        assert 'href="/accessibility/">Accessibility statement</a>' in footer
        assert 'href="/privacy/">Privacy notice</a>' in footer


def test_the_privacy_notice_is_public_and_the_partnership_edits_its_own_parts(cast):
    anonymous = client_for(None)
    page = anonymous.get("/privacy/").content.decode()
    assert cast.partnership.name in page
    for basis in ("Article 6(1)(e)", "Article 9(2)(g)", "Article 9(2)(h)", "Schedule 1"):
        assert basis in page
    assert "Information Commissioner&#x27;s Office" in page or "Information Commissioner's" in page
    # Retention is read from each area's rules.
    for area in cast.partnership.areas.all():
        for group in area.retention_groups.all():
            assert group.summary in page
    assert "has not yet said who the data controller is" in page

    lead = client_for(cast.lead)
    form = lead.get("/hub/privacy-notice/")
    assert form.status_code == 200
    refused = lead.post("/hub/privacy-notice/", {"privacy_controller": "", "privacy_contact": ""})
    assert refused.status_code == 200
    assert "Enter the data controller&#x27;s name and postal address" in refused.content.decode()
    saved = lead.post(
        "/hub/privacy-notice/",
        {
            "privacy_controller": "Example County Council\n1 High Street, Exampleton",
            "privacy_contact": "dpo@example.org",
            "privacy_more": "",
        },
    )
    assert saved.status_code == 302
    page = anonymous.get("/privacy/").content.decode()
    assert "Example County Council<br>1 High Street, Exampleton" in page
    assert "dpo@example.org" in page
    event = AuditEvent.objects.get(action="privacy_notice.change")
    assert event.actor_id == cast.lead.pk
    assert event.detail["changed"] == ["privacy_controller", "privacy_contact"]
    assert client_for(cast.police_rep).get("/hub/privacy-notice/").status_code == 404
