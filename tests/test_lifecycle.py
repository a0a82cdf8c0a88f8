"""The period a case stays open to MARAC, flags, closure and recording a death."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from openmarac.audit.models import AuditEvent
from openmarac.cases.lifecycle import (
    LifecycleError,
    case_death_record,
    case_is_frozen,
    case_period_restart,
    cases_close_expired,
)
from openmarac.cases.models import CaseDeath, CaseParticipant, CaseStatus, ClosureReason
from openmarac.jobs.services import run_sweep
from openmarac.partnerships.models import Area
from openmarac.partnerships.services import partnership_create_from_preset

from .conftest import client_for, delivered_mail, make_user

pytestmark = pytest.mark.django_db
D = datetime.date


def at(day: D, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


def recipients(subject_part: str) -> list[str]:
    return sorted(m.to[0] for m in delivered_mail() if subject_part in m.subject)


def test_hearing_a_case_opens_it_for_twelve_months_and_asks_its_agencies_to_flag(cast):
    case = case_period_restart(
        case=cast.case_b, heard_on=D(2026, 12, 7), actor=cast.coordinator, request=None
    )
    assert case.last_heard_on == D(2026, 12, 7)
    assert case.open_until == D(2027, 12, 7)
    assert case.status == CaseStatus.OPEN
    mail = [m for m in delivered_mail() if "flag on your systems" in m.subject]
    # West Kent's standing agencies' representatives: police (and the chair is not a rep), housing.
    assert sorted(m.to[0] for m in mail) == ["housing@example.org", "police@example.org"]
    body = mail[0].body
    assert cast.case_b.reference in body
    assert "the victim and the perpetrator" in body
    for name in ("Samplena", "Victimtwo", "Perptwo"):
        assert name not in body
        assert name not in mail[0].subject
    assert AuditEvent.objects.filter(action="case.period_restart", object_id=str(case.pk)).exists()


def test_lincolnshire_agencies_are_told_not_to_flag_the_perpetrator(cast):
    policy = cast.area_b.policy
    policy.flag_perpetrator = False
    policy.save()
    case_period_restart(
        case=cast.case_b, heard_on=D(2026, 12, 7), actor=cast.coordinator, request=None
    )
    mail = [m for m in delivered_mail() if "flag on your systems" in m.subject]
    assert mail
    assert all("the victim (not the perpetrator)" in m.body for m in mail)


def test_the_lincolnshire_preset_does_not_flag_perpetrators():
    partnership_create_from_preset(
        preset="lincolnshire", official_email_domains=["example.org"], hub_email="h@example.org"
    )
    assert Area.objects.get(code="LINC").policy.flag_perpetrator is False


def test_a_repeat_restarts_the_period_and_hearing_twice_flags_once(cast):
    case_period_restart(case=cast.case_b, heard_on=D(2026, 12, 7), actor=None, request=None)
    case_period_restart(case=cast.case_b, heard_on=D(2026, 12, 7), actor=None, request=None)
    assert len(recipients("flag on your systems")) == 2  # one each, not two each
    case = case_period_restart(case=cast.case_b, heard_on=D(2027, 5, 3), actor=None, request=None)
    assert case.open_until == D(2028, 5, 3)
    assert len(recipients("flag on your systems")) == 4
    with pytest.raises(LifecycleError):
        case_period_restart(case=cast.case_b, heard_on=D(2027, 1, 1), actor=None, request=None)


def test_the_case_closes_the_day_after_its_period_even_on_a_bank_holiday_and_flags_are_removed(
    cast,
):
    case_period_restart(case=cast.case_b, heard_on=D(2025, 12, 24), actor=None, request=None)
    delivered_mail()
    # 24 December 2026 is the last day open; Christmas Day (a bank holiday) it closes.
    with time_machine.travel(at(D(2026, 12, 24), 22), tick=False):
        run_sweep()
    cast.case_b.refresh_from_db()
    assert cast.case_b.status == CaseStatus.OPEN
    assert recipients("remove your flags") == []
    with time_machine.travel(at(D(2026, 12, 25), 1), tick=False):
        run_sweep()
        run_sweep()  # idempotent
    cast.case_b.refresh_from_db()
    assert cast.case_b.status == CaseStatus.CLOSED
    assert cast.case_b.closure_reason == ClosureReason.PERIOD_ENDED
    removal = [m for m in delivered_mail() if "remove your flags" in m.subject]
    assert sorted(m.to[0] for m in removal) == ["housing@example.org", "police@example.org"]
    assert all(cast.case_b.reference in m.body and "Samplena" not in m.body for m in removal)


def test_a_repeat_heard_before_the_end_keeps_the_case_open(cast):
    case_period_restart(case=cast.case_a, heard_on=D(2025, 12, 9), actor=None, request=None)
    case_period_restart(case=cast.case_a, heard_on=D(2026, 11, 10), actor=None, request=None)
    assert cases_close_expired(now=at(D(2026, 12, 14))) == 0
    cast.case_a.refresh_from_db()
    assert cast.case_a.status == CaseStatus.OPEN


def test_the_invited_agency_is_told_to_flag_its_case(cast):
    case_period_restart(case=cast.case_a, heard_on=D(2026, 12, 8), actor=None, request=None)
    # North Kent: police standing; housing only by invite and not invited; substance invited.
    assert recipients("flag on your systems") == ["invited@example.org", "police@example.org"]


def test_recording_a_death_freezes_the_case_and_tells_the_da_lead(cast):
    partnership = cast.partnership
    partnership.da_lead_email = "da-lead@example.org"
    partnership.save()
    assert not case_is_frozen(cast.case_a)
    victim = CaseParticipant.objects.get(case=cast.case_a, role="victim")
    case_death_record(
        case=cast.case_a,
        role="victim",
        participant=victim,
        died_on=D(2026, 11, 1),
        actor=cast.coordinator,
        request=None,
    )
    assert case_is_frozen(cast.case_a)
    assert not case_is_frozen(cast.case_b)
    lead = [m for m in delivered_mail() if m.to == ["da-lead@example.org"]]
    assert len(lead) == 1
    assert cast.case_a.reference in lead[0].body
    assert "Demoname" not in lead[0].body
    assert "Victimone" not in lead[0].body
    assert AuditEvent.objects.filter(action="case.death_record").count() == 1


def test_a_death_must_name_a_person_of_that_case_in_that_role(cast):
    perpetrator = CaseParticipant.objects.get(case=cast.case_b, role="perpetrator")
    with pytest.raises(LifecycleError):
        case_death_record(
            case=cast.case_a,
            role="perpetrator",
            participant=perpetrator,
            actor=cast.coordinator,
            request=None,
        )
    with pytest.raises(LifecycleError):
        case_death_record(case=cast.case_a, role="child", actor=cast.coordinator, request=None)
    assert not CaseDeath.objects.exists()


def test_the_hub_records_a_death_through_the_page_and_others_cannot(cast):
    url = reverse("cases:death", kwargs={"reference": cast.case_a.reference})
    assert client_for(cast.police_rep).get(url).status_code == 404
    client = client_for(cast.coordinator)
    page = client.get(url)
    assert page.status_code == 200
    assert "Record a death" in page.content.decode()
    empty = client.post(url, {})
    assert "Select who has died" in empty.content.decode()
    perpetrator = CaseParticipant.objects.get(case=cast.case_a, role="perpetrator")
    future = client.post(
        url,
        {
            "person": perpetrator.pk,
            "died_on_day": "1",
            "died_on_month": "1",
            "died_on_year": "2099",
        },
    )
    assert "Date of death must be" in future.content.decode()
    assert not case_is_frozen(cast.case_a)
    done = client.post(url, {"person": perpetrator.pk, "notes": "Told by phone"})
    assert done.status_code == 302
    death = CaseDeath.objects.get()
    assert death.role == "perpetrator"
    assert death.recorded_by == cast.coordinator
    detail = client.get(reverse("caserecord:record", kwargs={"reference": cast.case_a.reference}))
    assert "frozen from routine edits" in detail.content.decode()


def test_a_hub_user_of_another_partnership_cannot_reach_the_case(cast):
    other = partnership_create_from_preset(
        preset="gwent", official_email_domains=["example.org"], hub_email="h@example.org"
    )
    from openmarac.agencies.models import Agency

    hub = Agency.objects.create(partnership=other, name="Other hub", sector="other", is_hub=True)
    stranger = make_user("stranger", agency=hub, is_hub_coordinator=True)
    url = reverse("cases:death", kwargs={"reference": cast.case_a.reference})
    assert client_for(stranger).get(url).status_code == 404
