"""SMART actions: who may own, agree, update and close them; the action manager; online action
planning and professionals' meetings; reminders, overdue escalation and the no-update marker."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import RequestFactory
from django.urls import reverse

from openmarac.accounts.models import User
from openmarac.actions.library import BUILT_IN, library_for
from openmarac.actions.models import (
    Action,
    ActionEntry,
    ActionStatus,
    EntryKind,
    Intervention,
    OwnerAgreement,
    PlanningStage,
    ProfessionalsMeetingRequest,
)
from openmarac.actions.selectors import action_board_for, actions_outstanding_for
from openmarac.actions.services.interventions import library_save
from openmarac.actions.services.planning import planning_stage_open
from openmarac.actions.services.professionals import professionals_meeting_request
from openmarac.actions.services.progress import (
    action_complete,
    action_mark_not_feasible,
    action_update_add,
)
from openmarac.actions.services.proposals import (
    action_agree,
    action_comment,
    action_decline,
    action_owner_agree,
    action_propose,
)
from openmarac.actions.services.rules import ActionError, default_due_on
from openmarac.actions.sweeps import sweep_all
from openmarac.agencies.models import Agency, Sector
from openmarac.audit.models import AuditEvent
from openmarac.cases.models import Case, CaseInvitation, ParticipantRole
from openmarac.meetings.models import Listing, Meeting, MeetingKind
from openmarac.notifications.models import Notice
from openmarac.partnerships.presets import PRESETS

from .conftest import client_for, delivered_mail, make_user

UTC = datetime.UTC
D = datetime.date


def at(year: int, month: int, day: int, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=UTC)


def req(user: Any) -> Any:
    request = RequestFactory().post("/")
    request.user = user
    return request


def victim(case: Case) -> Any:
    return case.participants.get(role=ParticipantRole.VICTIM)


def propose(cast: Any, **overrides: Any) -> Action:
    """A police action volunteered by the police representative on North Kent's case."""
    values: dict[str, Any] = {
        "case": cast.case_a,
        "owner_agency": cast.police_rep.agency,
        "what": "Place a marker on the address.",
        "addresses": victim(cast.case_a),
        "due_on": None,
        "rationale": "Calls from the address get an urgent response.",
        "proposed_by": cast.police_rep,
        "request": req(cast.police_rep),
    }
    values.update(overrides)
    return action_propose(**values)


def agreed(cast: Any, **overrides: Any) -> Action:
    return action_agree(action=propose(cast, **overrides), agreed_by=cast.chair, request=None)


def health(cast: Any) -> Agency:
    return Agency.objects.get(partnership=cast.partnership, sector=Sector.HEALTH)


# ---------------------------------------------------------------------------------------------
# SMART and ownership rules.


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("what", "  ", "Enter what is to be done"),
        ("rationale", "", "Enter the rationale"),
        ("addresses", "", "Choose the person or name the risk"),
        ("due_on", D(2020, 1, 1), "today or in the future"),
    ],
)
def test_an_action_must_be_smart(cast, field, value, message):
    with pytest.raises(ActionError, match=message):
        propose(cast, **{field: value})
    assert not Action.objects.filter(what="Place a marker on the address.").exists()


def test_an_action_addresses_a_person_of_its_own_case_or_a_named_risk(cast):
    with pytest.raises(ActionError, match="Choose a person in this case"):
        propose(cast, addresses=victim(cast.case_b))
    action = propose(cast, addresses="Risk to staff visiting the address")
    assert action.addresses_participant is None
    assert action.addresses_label == "Risk: Risk to staff visiting the address"


@time_machine.travel(at(2026, 12, 24, 10), tick=False)
def test_the_default_due_date_is_the_areas_working_days_across_christmas(cast):
    # Thursday 24 December + 5 working days: Christmas (Fri), the weekend, Boxing Day observed
    # (Mon 28), then 29, 30, 31 December, New Year's Day (Fri), Mon 4 and Tue 5 January.
    assert cast.area_a.policy.action_default_due_working_days == 5
    action = propose(cast)
    assert action.due_on == D(2027, 1, 5) == default_due_on(cast.case_a)


def test_only_an_agency_active_in_the_case_can_own_an_action(cast):
    housing = cast.housing_rep.agency  # by invite in North Kent, not invited to this case
    with pytest.raises(ActionError, match="not active in this case"):
        propose(cast, owner_agency=housing, proposed_by=cast.chair)
    # The invited agency is active in the case it is invited to…
    substance = cast.invited_rep.agency
    assert propose(cast, owner_agency=substance, proposed_by=cast.invited_rep).pk
    # …but not once the invitation has expired.
    CaseInvitation.objects.filter(case=cast.case_a, agency=substance).update(
        expires_at=at(2020, 1, 1)
    )
    with pytest.raises(ActionError, match="not active"):
        propose(cast, owner_agency=substance, proposed_by=cast.chair)


def test_the_named_owner_must_belong_to_the_owning_agency(cast):
    with pytest.raises(ActionError, match="named person"):
        propose(cast, owner_user=cast.housing_rep)
    action = propose(cast, owner_user=cast.police_rep)
    assert action.owner_user == cast.police_rep


def test_an_agency_volunteering_an_action_has_agreed_to_own_it(cast):
    action = propose(cast)
    assert action.status == ActionStatus.PROPOSED
    assert action.owner_agreement == OwnerAgreement.VOLUNTEERED
    assert action.owner_agreed_by == cast.police_rep


def test_the_chair_cannot_task_an_agency_that_has_not_agreed(cast):
    action = propose(cast, owner_agency=health(cast), proposed_by=cast.chair)
    assert action.owner_agreed_at is None
    with pytest.raises(ActionError, match="has not agreed to own this action"):
        action_agree(action=action, agreed_by=cast.chair, request=None)
    # A health representative agrees in advance: who and when are recorded.
    nurse = make_user("nurse", agency=health(cast), is_agency_rep=True)
    with time_machine.travel(at(2026, 11, 24, 11), tick=False):
        action_owner_agree(action=action, user=nurse, request=None)
    action.refresh_from_db()
    assert action.owner_agreement == OwnerAgreement.IN_ADVANCE
    assert action.owner_agreed_by == nurse
    assert action.owner_agreed_at == at(2026, 11, 24, 11)
    assert action.entries.filter(kind=EntryKind.OWNER_AGREED, by=nurse).exists()
    with pytest.raises(ActionError, match="Only the owning agency"):
        action_owner_agree(
            action=propose(cast, owner_agency=health(cast), proposed_by=cast.chair),
            user=cast.police_rep,
            request=None,
        )
    action_agree(action=action, agreed_by=cast.chair, request=None)
    assert Action.objects.get(pk=action.pk).status == ActionStatus.AGREED


def test_at_a_meeting_the_attending_agency_agrees_and_the_meeting_is_recorded(cast):
    meeting = Meeting.objects.create(
        area=cast.area_a,
        kind=MeetingKind.REGULAR,
        starts_on=D(2026, 12, 8),
        ends_on=D(2026, 12, 8),
        start_time=datetime.time(10),
    )
    action = propose(cast, owner_agency=health(cast), proposed_by=cast.coordinator)
    action = action_agree(action=action, agreed_by=cast.coordinator, request=None, meeting=meeting)
    assert action.status == ActionStatus.AGREED
    assert action.owner_agreement == OwnerAgreement.ATTENDING
    assert action.meeting == meeting


def test_only_the_chair_or_hub_agree_and_areas_without_online_planning_agree_at_meetings(cast):
    action = propose(cast)
    with pytest.raises(ActionError, match="Only the chair or the hub"):
        action_agree(action=action, agreed_by=cast.police_rep, request=None)
    policy = cast.area_a.policy
    policy.online_action_planning = False  # as Lincolnshire, Cambridgeshire and Gwent
    policy.save()
    with pytest.raises(ActionError, match="agreed at the meeting"):
        action_agree(action=action, agreed_by=cast.chair, request=None)


def test_the_protocol_presets_set_online_planning_and_overdue_handling():
    kent = PRESETS["kent-medway"]["areas"][0]["policy"]
    assert kent["online_action_planning"] is True
    assert kent["action_planning_working_days"] == 5
    lincs = PRESETS["lincolnshire"]["areas"][0]["policy"]
    assert lincs["action_escalation_working_days_overdue"] == 5
    assert lincs["action_escalation_response_working_hours"] == 24
    assert not lincs.get("online_action_planning", False)
    for area in PRESETS["cambridgeshire-peterborough"]["areas"]:
        assert area["policy"]["action_no_update_working_days_overdue"] == 10
        assert not area["policy"].get("online_action_planning", False)
    for area in PRESETS["gwent"]["areas"]:
        assert not area["policy"].get("online_action_planning", False)


def test_a_declined_proposal_stays_on_the_record_with_its_reason(cast):
    action = propose(cast)
    with pytest.raises(ActionError, match="Enter why"):
        action_decline(action=action, by=cast.chair, reason=" ", request=None)
    action_decline(action=action, by=cast.chair, reason="Already covered", request=None)
    action.refresh_from_db()
    assert action.status == ActionStatus.DECLINED
    assert action.outcome == "Already covered"


# ---------------------------------------------------------------------------------------------
# Updates and closing: only the owner, never deleted.


def test_only_the_owning_agency_updates_completes_or_closes_its_action(cast):
    action = agreed(cast)
    for outsider in (cast.invited_rep, cast.coordinator):
        with pytest.raises(ActionError, match="Only the agency that owns"):
            action_update_add(action=action, by=outsider, text="Done", request=None)
        with pytest.raises(ActionError, match="Only the agency that owns"):
            action_complete(action=action, by=outsider, outcome="Done", request=None)
    with pytest.raises(ActionError, match="access"):
        action_update_add(action=action, by=cast.housing_rep, text="Done", request=None)
    entry = action_update_add(action=action, by=cast.police_rep, text="Requested", request=None)
    assert entry.kind == EntryKind.UPDATE
    assert entry.by_agency == cast.police_rep.agency
    # Anyone with access may comment, without changing the action.
    action_comment(action=action, by=cast.invited_rep, text="We can help", request=None)
    assert Action.objects.get(pk=action.pk).status == ActionStatus.AGREED


def test_completing_needs_an_outcome_and_keeps_the_action(cast):
    action = agreed(cast)
    with pytest.raises(ActionError, match="Enter the outcome"):
        action_complete(action=action, by=cast.police_rep, outcome="", request=None)
    action_complete(action=action, by=cast.police_rep, outcome="Marker placed", request=None)
    action.refresh_from_db()
    assert (action.status, action.outcome, action.closed_by) == (
        ActionStatus.COMPLETED,
        "Marker placed",
        cast.police_rep,
    )
    with pytest.raises(ActionError, match="Only an open action"):
        action_update_add(action=action, by=cast.police_rep, text="More", request=None)
    kinds = list(action.entries.values_list("kind", flat=True))
    assert kinds == [EntryKind.PROPOSED, EntryKind.AGREED, EntryKind.COMPLETED]


def test_not_feasible_needs_a_reason_and_keeps_the_action(cast):
    action = agreed(cast)
    with pytest.raises(ActionError, match="Choose why"):
        action_mark_not_feasible(
            action=action, by=cast.police_rep, reason="", explanation="x", request=None
        )
    action_mark_not_feasible(
        action=action,
        by=cast.police_rep,
        reason="remit",
        explanation="The address is outside our force area",
        request=None,
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.NOT_FEASIBLE
    assert action.not_feasible_reason == "remit"
    entry = action.entries.get(kind=EntryKind.NOT_FEASIBLE)
    assert entry.text == "Outside the agency's remit: The address is outside our force area"


def test_actions_have_no_delete_path(cast):
    action = agreed(cast)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        action.delete()
    for name in ("actions:update", "actions:complete", "actions:not_feasible"):
        response = client_for(cast.police_rep).delete(reverse(name, args=[action.public_id]))
        assert response.status_code == 405
    assert Action.objects.filter(pk=action.pk).exists()


# ---------------------------------------------------------------------------------------------
# The action manager.


def test_the_action_manager_lists_each_agencys_and_each_users_actions(cast):
    police = action_board_for(cast.police_rep)
    assert [a.what for a in police.overdue] == [
        "Place a marker on the victim's address so that calls get an urgent response."
    ]
    assert {a.intervention for a in police.due_soon + police.open} == {"dvpo-bail"}
    assert [a.intervention for a in police.closed] == ["welfare-check"]
    assert police.proposed == []  # the invited agency's proposal is not police's
    mine = action_board_for(cast.police_rep, mine=True)
    assert [a.intervention for a in mine.due_soon + mine.open] == ["dvpo-bail"]
    assert mine.overdue == []
    assert mine.closed == []
    invited = action_board_for(cast.invited_rep)
    assert len(invited.proposed) == 1
    assert invited.total_open == 0
    housing = action_board_for(cast.housing_rep)
    assert {a.case_id for a in housing.due_soon + housing.open} == {cast.case_b.pk}
    hub = action_board_for(cast.coordinator, every_agency=True)
    assert hub.total_open == 3
    assert len(hub.proposed) == 1
    assert action_board_for(cast.lead).total_open == 0


def test_the_action_manager_page_shows_the_agencys_actions(cast):
    response = client_for(cast.police_rep).get(reverse("actions:manager"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Overdue" in body
    assert "Place a marker on the victim" in body
    assert "sanctuary scheme" not in body  # housing's action on another case
    assert AuditEvent.objects.filter(action="action_manager.view", actor=cast.police_rep).exists()


def test_actions_show_on_the_case_page_to_everyone_with_access(cast):
    for user in (cast.chair, cast.invited_rep, cast.coordinator):
        body = client_for(user).get(reverse("caserecord:record", args=[cast.case_a.reference]))
        text = body.content.decode()
        assert "Review the perpetrator" in text, user.username
        assert "sanctuary" not in text


def test_updating_and_completing_through_the_pages(cast):
    action = agreed(cast)
    client = client_for(cast.police_rep)
    response = client.post(reverse("actions:update", args=[action.public_id]), {"text": ""})
    assert response.status_code == 200
    assert "Enter the update" in response.content.decode()
    client.post(reverse("actions:update", args=[action.public_id]), {"text": "Booked"})
    response = client.post(
        reverse("actions:complete", args=[action.public_id]), {"text": "Marker placed"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    assert [e.text for e in action.entries.filter(kind=EntryKind.UPDATE)] == ["Booked"]
    denied = client_for(cast.invited_rep).post(
        reverse("actions:update", args=[action.public_id]), {"text": "x"}
    )
    assert denied.status_code == 404


def test_proposing_through_the_page_prefills_from_the_library(cast):
    client = client_for(cast.invited_rep)
    url = reverse("actions:propose", args=[cast.case_a.reference])
    page = client.get(url, {"intervention": "rspca"}).content.decode()
    assert "Refer to the RSPCA about animals at risk" in page
    response = client.post(
        url,
        {
            "what": "Refer to the RSPCA about the dogs at the address.",
            "owner_agency": str(cast.invited_rep.agency_id),
            "owner_user": "",
            "addresses": "risk",
            "risk": "",
            "due_on_day": "",
            "due_on_month": "",
            "due_on_year": "",
            "rationale": "",
            "intervention": "rspca",
        },
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Describe the risk the action addresses" in text
    assert "Enter the rationale for the action" in text
    assert "Refer to the RSPCA about the dogs at the address." in text  # kept what was typed
    due = default_due_on(cast.case_a)
    response = client.post(
        url,
        {
            "what": "Refer to the RSPCA about the dogs at the address.",
            "owner_agency": str(cast.invited_rep.agency_id),
            "addresses": "risk",
            "risk": "Animals used to control the victim",
            "due_on_day": due.day,
            "due_on_month": due.month,
            "due_on_year": due.year,
            "rationale": "Animal abuse is a risk factor.",
            "intervention": "rspca",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(intervention="rspca")
    assert action.owner_agency == cast.invited_rep.agency
    assert action.due_on == due


def test_the_hub_can_keep_its_own_library(cast):
    assert [e.slug for e in library_for(cast.partnership)] == [e.slug for e in BUILT_IN]
    titles = {e.slug for e in BUILT_IN}
    assert {"address-marker", "panic-alarm", "sanctuary", "dvds", "marac-transfer"} <= titles
    library_save(
        partnership=cast.partnership,
        entries=[{"slug": "iris", "title": "IRIS referral", "what": "Refer to IRIS."}],
        actor=cast.coordinator,
        request=None,
    )
    assert [e.slug for e in library_for(cast.partnership)] == ["iris"]
    with pytest.raises(ActionError):
        library_save(partnership=cast.partnership, entries=[], actor=cast.police_rep, request=None)
    assert Intervention.objects.count() == 1


# ---------------------------------------------------------------------------------------------
# Online action planning and professionals' meetings.


@time_machine.travel(at(2026, 12, 23, 12), tick=False)
def test_online_planning_lasts_the_areas_working_days_across_christmas_and_new_year(cast):
    stage = planning_stage_open(case=cast.case_a, actor=cast.coordinator)
    # Wed 23 Dec + 5 working days: Thu 24, [Fri 25, Sat, Sun, Mon 28 bank holidays/weekend],
    # Tue 29, Wed 30, Thu 31, [Fri 1 Jan], Mon 4 January.
    assert stage.closes_on == D(2027, 1, 4)
    assert planning_stage_open(case=cast.case_a, actor=cast.coordinator) == stage
    sweep_all(at(2027, 1, 4, 16))
    stage.refresh_from_db()
    assert stage.closed_at is None
    sweep_all(at(2027, 1, 5, 9))
    stage.refresh_from_db()
    assert stage.closed_at is not None
    # Members were told, by a notice with no case details.
    sent = [m for m in delivered_mail() if "Online action planning" in m.subject]
    assert {m.to[0] for m in sent} >= {"police@example.org", "invited@example.org"}
    for message in sent:
        assert cast.case_a.reference not in message.body + message.subject


def test_planning_is_refused_where_the_area_agrees_actions_at_meetings(cast):
    policy = cast.area_a.policy
    policy.online_action_planning = False
    policy.save()
    with pytest.raises(ActionError, match="agrees actions at its meetings"):
        planning_stage_open(case=cast.case_a, actor=cast.coordinator)
    policy.online_action_planning = True
    policy.save()
    with pytest.raises(ActionError, match="Only the hub"):
        planning_stage_open(case=Case.objects.get(pk=cast.case_a.pk), actor=cast.police_rep)


def test_the_chair_agrees_online_and_the_owner_is_told_without_case_details(cast):
    client = client_for(cast.coordinator)
    client.post(reverse("actions:planning_open", args=[cast.case_a.reference]), {})
    assert PlanningStage.objects.filter(case=cast.case_a, closed_at__isnull=True).exists()
    action = propose(cast, owner_user=cast.police_rep)
    mail.outbox.clear()
    due = action.due_on
    response = client_for(cast.chair).post(
        reverse("actions:agree", args=[action.public_id]),
        {"due_on_day": due.day, "due_on_month": due.month, "due_on_year": due.year},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.AGREED
    assert action.meeting is None
    sent = [m for m in delivered_mail() if "agreed" in m.subject]
    assert [m.to for m in sent] == [["police@example.org"]]
    assert cast.case_a.reference not in sent[0].body
    assert "Demoname" not in sent[0].body


def test_a_professionals_meeting_is_asked_for_and_scheduled(cast):
    asked = ProfessionalsMeetingRequest.objects.get(case=cast.case_a)  # the demo's request
    with pytest.raises(ActionError, match="already been asked for"):
        professionals_meeting_request(
            case=cast.case_a, by=cast.police_rep, reason="urgent", note="", request=None
        )
    page = client_for(cast.police_rep).get(
        reverse("actions:professionals_request", args=[cast.case_a.reference])
    )
    assert "Agencies actively involved in this case" in page.content.decode()
    listed = client_for(cast.coordinator).get(reverse("actions:professionals_list"))
    assert cast.case_a.reference in listed.content.decode()
    day = D(2026, 12, 2)  # a Wednesday after the suite's clock
    response = client_for(cast.coordinator).post(
        reverse("actions:professionals_schedule", args=[asked.public_id]),
        {
            "starts_on_day": day.day,
            "starts_on_month": day.month,
            "starts_on_year": day.year,
            "start_time": "14:00",
        },
    )
    assert response.status_code == 302, response.content.decode()
    asked.refresh_from_db()
    assert asked.meeting.kind == MeetingKind.PROFESSIONALS
    assert asked.meeting.start_time == datetime.time(14)
    assert Listing.objects.filter(meeting=asked.meeting, case=cast.case_a).exists()
    # A new request can now be made, and the count of agencies involved is kept.
    again = professionals_meeting_request(
        case=cast.case_a, by=cast.police_rep, reason="urgent", note="", request=None
    )
    assert again.agencies_involved >= 2


def test_the_meeting_reviews_actions_agreed_before_it(cast):
    meeting = Meeting.objects.create(
        area=cast.area_a,
        kind=MeetingKind.REGULAR,
        starts_on=datetime.date.today() + datetime.timedelta(days=14),
        ends_on=datetime.date.today() + datetime.timedelta(days=14),
        start_time=datetime.time(10),
    )
    outstanding = list(actions_outstanding_for(meeting))
    assert {a.intervention for a in outstanding} == {"address-marker", "dvpo-bail"}
    assert all(a.case == cast.case_a for a in outstanding)


# ---------------------------------------------------------------------------------------------
# Reminders, escalation and the no-update marker (frozen clock over Christmas).


def _notices(action: Action, event: str) -> list[Notice]:
    return list(Notice.objects.filter(event=event, object_id=str(action.pk)))


def test_a_reminder_goes_before_the_due_date_once(cast):
    with time_machine.travel(at(2026, 12, 21), tick=False):
        action = agreed(cast, due_on=D(2026, 12, 29))
    # One working day before Tue 29 December is Thu 24 December (25 and 28 are bank holidays).
    sweep_all(at(2026, 12, 23, 9))
    assert _notices(action, "action.reminder") == []
    sweep_all(at(2026, 12, 24, 9))
    sweep_all(at(2026, 12, 24, 10))
    reminders = _notices(action, "action.reminder")
    assert [n.recipient_email for n in reminders] == ["police@example.org"]


def _lincolnshire(cast: Any) -> None:
    policy = cast.area_a.policy
    policy.action_escalation_working_days_overdue = 5
    policy.action_escalation_response_working_hours = 24
    policy.save()


def test_lincolnshire_escalates_five_working_days_overdue_to_rep_and_line_manager(cast):
    _lincolnshire(cast)
    with time_machine.travel(at(2026, 12, 21), tick=False):
        action = agreed(cast, due_on=D(2026, 12, 23))
    # Due Wed 23 Dec; working days overdue: 24, 29, 30, 31 Dec, then Mon 4 Jan is the 5th.
    sweep_all(at(2026, 12, 31, 12))
    action.refresh_from_db()
    assert action.escalated_at is None
    mail.outbox.clear()
    with time_machine.travel(at(2027, 1, 4, 9), tick=False):
        sweep_all(at(2027, 1, 4, 9))
        sweep_all(at(2027, 1, 4, 10))
    action.refresh_from_db()
    assert action.escalated_at == at(2027, 1, 4, 9)
    assert action.escalation_response_due_at == at(2027, 1, 5, 9)
    escalations = _notices(action, "action.escalated")
    assert sorted(n.recipient_email for n in escalations) == [
        "police-manager@example.org",
        "police@example.org",
    ]
    sent = [m for m in delivered_mail() if m.subject == "A MARAC action is overdue"]
    assert {m.to[0] for m in sent} >= {"police-manager@example.org", "police@example.org"}
    for message in sent:
        assert cast.case_a.reference not in message.body
        assert "Demoname" not in message.body
        assert "24 working hours" in message.body
        assert "rationale" in message.body
    assert action.entries.filter(kind=EntryKind.ESCALATED).count() == 1
    # The rep's next update is recorded as the rationale the protocol asks for.
    entry = action_update_add(
        action=action, by=cast.police_rep, text="Officer on leave", request=None
    )
    assert entry.kind == EntryKind.RATIONALE


def test_without_a_threshold_nothing_is_escalated(cast):
    with time_machine.travel(at(2026, 12, 21), tick=False):
        action = agreed(cast, due_on=D(2026, 12, 23))
    sweep_all(at(2027, 2, 1, 9))
    action.refresh_from_db()
    assert action.escalated_at is None
    assert _notices(action, "action.escalated") == []


def _cambridgeshire(cast: Any) -> None:
    policy = cast.area_a.policy
    policy.action_no_update_working_days_overdue = 10
    policy.save()


def test_cambridgeshire_marks_no_update_from_lead_agency_after_its_period(cast):
    _cambridgeshire(cast)
    with time_machine.travel(at(2026, 12, 21), tick=False):
        silent = agreed(cast, due_on=D(2026, 12, 23))
        updated = agreed(cast, due_on=D(2026, 12, 23), what="Fit a panic alarm.")
    with time_machine.travel(at(2026, 12, 29), tick=False):
        action_update_add(action=updated, by=cast.police_rep, text="Fitting booked", request=None)
    # Ten working days after Wed 23 Dec (24, 29, 30, 31, 4, 5, 6, 7, 8, 11): Mon 11 January.
    sweep_all(at(2027, 1, 8, 17))
    silent.refresh_from_db()
    assert silent.no_update_marked_at is None
    with time_machine.travel(at(2027, 1, 11, 9), tick=False):
        sweep_all(at(2027, 1, 11, 9))
        sweep_all(at(2027, 1, 11, 9))
    silent.refresh_from_db()
    updated.refresh_from_db()
    assert silent.no_update_marked_at == at(2027, 1, 11, 9)
    assert updated.no_update_marked_at is None
    assert silent.entries.filter(kind=EntryKind.NO_UPDATE).count() == 1
    assert len(_notices(silent, "action.no_update")) == 1
    page = client_for(cast.police_rep).get(reverse("actions:detail", args=[silent.public_id]))
    assert "No update from lead agency" in page.content.decode()
    # An update clears the marker; the history keeps it.
    action_update_add(action=silent, by=cast.police_rep, text="Now done", request=None)
    silent.refresh_from_db()
    assert silent.no_update_marked_at is None
    assert ActionEntry.objects.filter(action=silent, kind=EntryKind.NO_UPDATE).exists()


def test_a_sweep_run_twice_sends_each_notice_once(cast):
    _lincolnshire(cast)
    with time_machine.travel(at(2026, 12, 21), tick=False):
        action = agreed(cast, due_on=D(2026, 12, 23))
    mail.outbox.clear()
    with time_machine.travel(at(2027, 1, 4, 9), tick=False):
        first = sweep_all(at(2027, 1, 4, 9))
        second = sweep_all(at(2027, 1, 4, 9))
    assert first["escalate"] >= 1
    assert second == {
        "reminders": 0,
        "escalate": 0,
        "no_update": 0,
        "planning_close": 0,
        "planning_open": 0,
    }
    notices = list(Notice.objects.filter(event="action.escalated"))
    assert len({(n.object_id, n.recipient_email) for n in notices}) == len(notices)
    assert len(_notices(action, "action.escalated")) == 2  # the rep and their line manager
    sent = [m for m in delivered_mail() if m.subject == "A MARAC action is overdue"]
    assert len(sent) == len(notices)
    assert action.entries.filter(kind=EntryKind.ESCALATED).count() == 1


def test_a_case_frozen_by_a_recorded_death_refuses_action_changes(cast):
    from openmarac.cases.lifecycle import case_death_record

    action = agreed(cast)
    case_death_record(case=cast.case_a, role="victim", actor=cast.coordinator, request=None)
    with pytest.raises(ActionError, match="frozen"):
        propose(cast)
    with pytest.raises(ActionError, match="frozen"):
        action_update_add(action=action, by=cast.police_rep, text="x", request=None)
    with pytest.raises(ActionError, match="frozen"):
        action_complete(action=action, by=cast.police_rep, outcome="x", request=None)
    with pytest.raises(ActionError, match="frozen"):
        planning_stage_open(case=cast.case_a, actor=cast.coordinator)
    page = client_for(cast.police_rep).get(reverse("actions:detail", args=[action.public_id]))
    assert "actions can no longer be changed" in page.content.decode()
    assert "Add an update" not in page.content.decode()


def test_a_user_from_another_partnership_sees_no_action(cast):
    from openmarac.partnerships.services import partnership_create_from_preset

    other = partnership_create_from_preset(
        preset="gwent", official_email_domains=["example.net"], hub_email="hub@example.net"
    )
    agency = Agency.objects.create(partnership=other, name="Other police", sector=Sector.POLICE)
    stranger = make_user("stranger", agency=agency, is_agency_rep=True, is_chair=True)
    action = Action.objects.filter(case=cast.case_a).first()
    assert action_board_for(stranger).total_open == 0
    response = client_for(stranger).get(reverse("actions:detail", args=[action.public_id]))
    assert response.status_code == 404
    assert User.objects.filter(username="stranger").exists()


def test_online_planning_opens_once_research_is_in_or_overdue(cast):
    from openmarac.meetings.services import case_list
    from openmarac.research.models import ResearchRequest
    from openmarac.research.services import agenda_publish

    with time_machine.travel(at(2026, 12, 14, 9), tick=False):
        meeting = Meeting.objects.create(
            area=cast.area_a,
            kind=MeetingKind.EXTRA,
            starts_on=D(2027, 1, 12),
            ends_on=D(2027, 1, 12),
            start_time=datetime.time(10),
        )
        listing = case_list(case=cast.case_a, actor=cast.coordinator, meeting=meeting).listing
        agenda_publish(meeting=meeting, actor=cast.coordinator)
    requests = ResearchRequest.objects.filter(listing=listing)
    assert requests.count() >= 3
    requests.update(due_on=D(2026, 12, 24))
    first = requests.first()
    requests.exclude(pk=first.pk).update(completed_at=at(2026, 12, 15))
    # One agency is still researching on its due date (Thu 24 Dec): planning waits.
    with time_machine.travel(at(2026, 12, 24, 12), tick=False):
        sweep_all(at(2026, 12, 24, 12))
    assert not PlanningStage.objects.filter(case=cast.case_a).exists()
    # Christmas Day: the due date has passed, so planning opens without the late agency, for
    # five working days: 29, 30, 31 December, [1 January], 4 and 5 January.
    with time_machine.travel(at(2026, 12, 25, 9), tick=False):
        assert sweep_all(at(2026, 12, 25, 9))["planning_open"] >= 1
        assert sweep_all(at(2026, 12, 25, 10))["planning_open"] == 0
    stage = PlanningStage.objects.get(case=cast.case_a)
    assert stage.opened_by is None
    assert stage.closes_on == D(2027, 1, 5)
    # After it closes it is not opened again for the same research.
    with time_machine.travel(at(2027, 1, 6, 9), tick=False):
        result = sweep_all(at(2027, 1, 6, 9))
    assert result["planning_close"] >= 1
    assert result["planning_open"] == 0
    assert PlanningStage.objects.filter(case=cast.case_a).count() == 1


def test_planning_opens_when_every_agency_has_completed_its_research(cast):
    from openmarac.meetings.services import case_list
    from openmarac.research.models import ResearchRequest
    from openmarac.research.services import agenda_publish

    meeting = Meeting.objects.create(
        area=cast.area_a,
        kind=MeetingKind.EXTRA,
        starts_on=datetime.date.today() + datetime.timedelta(days=20),
        ends_on=datetime.date.today() + datetime.timedelta(days=20),
        start_time=datetime.time(10),
    )
    listing = case_list(case=cast.case_a, actor=cast.coordinator, meeting=meeting).listing
    agenda_publish(meeting=meeting, actor=cast.coordinator)
    requests = ResearchRequest.objects.filter(listing=listing)
    first = requests.first()
    requests.exclude(pk=first.pk).update(completed_at=first.requested_at)
    sweep_all()
    assert not PlanningStage.objects.filter(case=cast.case_a).exists()
    requests.filter(pk=first.pk).update(completed_at=first.requested_at)
    sweep_all()
    assert PlanningStage.objects.filter(case=cast.case_a, closed_at__isnull=True).exists()


def test_the_hub_edits_the_library_through_its_pages(cast):
    client = client_for(cast.coordinator)
    page = client.get(reverse("actions:library")).content.decode()
    assert "RSPCA referral" in page
    response = client.post(
        reverse("actions:library_edit", args=["rspca"]),
        {"title": "RSPCA or animal welfare referral", "what": "", "active": "yes"},
    )
    assert "Enter the text the action starts from" in response.content.decode()
    client.post(
        reverse("actions:library_edit", args=["rspca"]),
        {"title": "RSPCA or animal welfare referral", "what": "Refer to RSPCA.", "active": "yes"},
    )
    client.post(
        reverse("actions:library_edit", args=["panic-alarm"]),
        {"title": "Panic alarm", "what": "Fit an alarm.", "active": "no"},
    )
    client.post(
        reverse("actions:library_add"),
        {"title": "IRIS referral", "what": "Refer the GP practice to IRIS.", "active": "yes"},
    )
    offered = {e.slug: e for e in library_for(cast.partnership)}
    assert offered["rspca"].title == "RSPCA or animal welfare referral"
    assert "panic-alarm" not in offered
    assert offered["iris-referral"].what == "Refer the GP practice to IRIS."
    assert len(offered) == len(BUILT_IN)  # one hidden, one added
    assert client.get(reverse("actions:library_edit", args=["no-such"])).status_code == 404
    refused = client_for(cast.police_rep).post(reverse("actions:library_add"), {"title": "x"})
    assert refused.status_code == 404
