"""The IDVA clock (000 §4.1, 002 §5.7): contact with the victim within the area's hours of
acceptance, attempts and their outcome, reminders and lateness, "victim declined IDVA" on the
referral (004 §4.7) shown at the meeting, and the engagement Gwent's repeat rule reads."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openmarac.cases.models import Case
from openmarac.idva.models import ContactOutcome, IdvaContact
from openmarac.idva.services import (
    IdvaError,
    idva_attempt_record,
    idva_clock_sweep,
    idva_contact_open,
    idva_due_at,
    victim_engaged,
)
from openmarac.notifications.models import Notice
from openmarac.triage.services.acceptance import referral_accept

from .conftest import TEST_NOW, client_for
from .triage_helpers import idva_user, resolve, submit_referral

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def _contact(cast, accepted_at=TEST_NOW) -> IdvaContact:
    return IdvaContact.objects.create(
        case=cast.case_a,
        accepted_at=accepted_at,
        due_at=idva_due_at(area=cast.area_a, accepted_at=accepted_at),
    )


def test_idva_contact_is_due_within_the_areas_working_hours_of_acceptance(cast):
    # Kent (000 §4.1): 48 hours; Monday 10:00 gives Wednesday 10:00.
    due = idva_due_at(area=cast.area_a, accepted_at=at(2026, 11, 23, 10))
    assert due == at(2026, 11, 25, 10)


def test_lincolnshire_gives_the_idva_72_hours_when_accepted_on_a_friday(cast):
    policy = cast.area_a.policy
    friday = at(2026, 11, 27, 16)
    # Without the Friday rule, 48 working hours skip the weekend: Tuesday 16:00.
    assert idva_due_at(area=cast.area_a, accepted_at=friday) == at(2026, 12, 1, 16)
    policy.idva_contact_friday_hours = 72
    policy.save()
    assert idva_due_at(area=cast.area_a, accepted_at=friday) == at(2026, 11, 30, 16)
    # Any other day keeps the 48 hours.
    assert idva_due_at(area=cast.area_a, accepted_at=at(2026, 11, 26, 16)) == at(2026, 11, 30, 16)


def test_accepting_a_referral_starts_the_idva_clock(cast):
    referral = submit_referral(cast.area_a, agency=cast.police_rep.agency)
    resolve(referral, cast.coordinator)
    with time_machine.travel(at(2026, 11, 23, 11), tick=False):
        result = referral_accept(referral=referral, actor=cast.coordinator, reason="Met")
    contact = IdvaContact.objects.get(referral=referral)
    assert contact.case == result.case
    assert contact.due_at == at(2026, 11, 25, 11)
    assert idva_contact_open(referral=referral, case=result.case, accepted_at=TEST_NOW) == contact


def test_attempts_record_their_time_and_method_and_the_outcome(cast):
    contact = _contact(cast)
    idva = idva_user(cast.area_a)
    with pytest.raises(IdvaError, match="Only the IDVA service"):
        idva_attempt_record(
            contact=contact,
            at=TEST_NOW,
            method="phone",
            note="",
            outcome="",
            presents_view="",
            actor=cast.police_rep,
            request=None,
        )
    with time_machine.travel(at(2026, 11, 24, 12), tick=False):
        idva_attempt_record(
            contact=contact,
            at=at(2026, 11, 23, 15),
            method="phone",
            note="No answer; voicemail not safe",
            outcome="",
            presents_view="",
            actor=idva,
            request=None,
        )
        idva_attempt_record(
            contact=contact,
            at=at(2026, 11, 24, 9),
            method="via_referrer",
            note="",
            outcome=ContactOutcome.ENGAGED,
            presents_view="The IDVA",
            actor=idva,
            request=None,
        )
    contact.refresh_from_db()
    assert [(a.at, a.method) for a in contact.attempts.all()] == [
        (at(2026, 11, 23, 15), "phone"),
        (at(2026, 11, 24, 9), "via_referrer"),
    ]
    assert contact.outcome == ContactOutcome.ENGAGED
    assert contact.presents_view == "The IDVA"
    assert victim_engaged(cast.case_a)


def test_sweep_reminds_the_idva_before_the_deadline_and_tells_the_hub_once_when_late(cast):
    idva = idva_user(cast.area_a)
    contact = _contact(cast)  # due Wednesday 25 November 10:00
    assert idva_clock_sweep(now=at(2026, 11, 25, 5)) == 0
    assert idva_clock_sweep(now=at(2026, 11, 25, 6, 30)) == 1
    assert idva_clock_sweep(now=at(2026, 11, 25, 7)) == 0
    reminder = Notice.objects.get(event="idva_contact.reminder", object_id=str(contact.pk))
    assert reminder.recipient_email == idva.email
    assert idva_clock_sweep(now=at(2026, 11, 25, 10, 1)) == 1
    assert idva_clock_sweep(now=at(2026, 11, 25, 12)) == 0
    late = Notice.objects.get(event="idva_contact.late", object_id=str(contact.pk))
    assert late.recipient_email == cast.partnership.hub_email
    for notice in (reminder, late):
        assert cast.case_a.reference not in notice.body
        assert "Demoname" not in notice.body + notice.subject


def test_a_contact_with_an_outcome_is_neither_reminded_nor_late(cast):
    contact = _contact(cast)
    contact.outcome = ContactOutcome.DECLINED
    contact.save()
    assert idva_clock_sweep(now=at(2026, 11, 26, 10)) == 0


def test_victim_declined_idva_is_captured_on_the_referral_and_shown_at_the_meeting(cast):
    from .test_proceedings import Room

    referral = submit_referral(cast.area_a, agency=cast.police_rep.agency)
    assert referral.victim_declined_idva is False
    answers = dict(referral.answers)
    answers["consent"] = {**answers["consent"], "idva_support": "declined"}
    referral.answers = answers
    referral.save()
    from openmarac.referrals.services import referral_submit

    from .triage_helpers import anonymous_request

    referral.status = "draft"
    referral.save()
    referral_submit(referral=referral, request=anonymous_request())
    referral.refresh_from_db()
    assert referral.victim_declined_idva is True
    referral.case = cast.case_a
    referral.save()
    room = Room(cast)
    contact = _contact(cast)
    contact.presents_view = "The referring agency"
    contact.save()
    page = client_for(cast.coordinator).get(
        reverse("proceedings:hearing", args=[room.meeting.pk, room.listing.pk])
    )
    body = page.content.decode()
    assert "the victim declined IDVA support" in body
    assert "Presents the victim's view: The referring agency" in body


def test_the_idva_list_takes_the_same_queries_for_3_and_30_contacts(cast):
    def measure(count: int) -> int:
        IdvaContact.objects.all().delete()
        cases = [
            Case.objects.create(
                partnership=cast.partnership, area=cast.area_a, reference=f"NK-IDVA-{n:03d}"
            )
            for n in range(count)
        ]
        for case in cases:
            IdvaContact.objects.create(case=case, accepted_at=TEST_NOW, due_at=TEST_NOW)
        with CaptureQueriesContext(connection) as captured:
            response = client_for(cast.coordinator).get(reverse("idva:contacts"))
        assert response.status_code == 200
        IdvaContact.objects.all().delete()
        Case.objects.filter(reference__startswith="NK-IDVA-").delete()
        return len(captured.captured_queries)

    measure(3)  # the first request of a session reads what later ones find cached
    assert measure(3) == measure(30)
