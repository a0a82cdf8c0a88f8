"""The meeting: attendance, confidentiality, quorum, order, conflicts, outcomes, minutes, PDFs."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency, Sector
from openmarac.audit.models import AuditEvent
from openmarac.cases.models import Case, CaseStatus, ClosureReason
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.workdays import local_midnight
from openmarac.meetings.models import Listing, ListingReason, ListingStatus, Meeting, MeetingKind
from openmarac.meetings.services import case_list
from openmarac.partnerships.models import Area, CaseOrder
from openmarac.partnerships.services import partnership_create_from_preset
from openmarac.proceedings.actions_app import actions_available
from openmarac.proceedings.models import (
    AttendeeRole,
    CaseAlert,
    CorrectionStatus,
    MeetingRecord,
    MinutesStatus,
    Outcome,
)
from openmarac.proceedings.services.attendance import (
    apology_record,
    attendee_add,
    attendee_confirm,
    quorum_check,
)
from openmarac.proceedings.services.conduct import (
    actions_due_at,
    meeting_close,
    meeting_open,
    meeting_order_apply,
    minutes_due_at,
    timetable,
)
from openmarac.proceedings.services.conflicts import conflict_declare, present_agencies
from openmarac.proceedings.services.corrections import correction_decide, correction_request
from openmarac.proceedings.services.guards import ProceedingsError
from openmarac.proceedings.services.hearings import hearing_decide, hearing_open, information_record
from openmarac.proceedings.services.minutes import minutes_approve, minutes_publish
from openmarac.proceedings.sweeps import hub_review, minutes_deadlines

from .conftest import client_for, delivered_mail, make_user

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC


# Building a meeting.


def agency(cast, sector: str) -> Agency:
    return Agency.objects.get(partnership=cast.partnership, sector=sector)


def rep(cast, name: str, sector: str):
    return make_user(name, agency=agency(cast, sector), is_agency_rep=True)


def new_meeting(cast, area: Area | None = None, on: D = D(2026, 12, 15)) -> Meeting:
    area = area or cast.area_a
    return Meeting.objects.create(
        area=area,
        kind=MeetingKind.EXTRA,
        starts_on=on,
        ends_on=on,
        start_time=datetime.time(9, 30),
        agenda_published_at=local_midnight(on - datetime.timedelta(days=8)),
    )


def listed(cast, meeting: Meeting, case: Case, reason: str = ListingReason.NEW) -> Listing:
    return case_list(case=case, actor=cast.coordinator, meeting=meeting, reason=reason).listing


class Room:
    """A North Kent meeting with the chair, the minute taker and four agencies present."""

    def __init__(self, cast):
        self.cast = cast
        self.meeting = new_meeting(cast)
        self.listing = listed(cast, self.meeting, cast.case_a)
        self.idva = rep(cast, "idvarep", Sector.IDVA)
        self.health = rep(cast, "healthrep", Sector.HEALTH)
        self.childrens = rep(cast, "childrensrep", Sector.CHILDRENS_SOCIAL_CARE)
        add = attendee_add
        c = cast.coordinator
        self.chair = add(meeting=self.meeting, role=AttendeeRole.CHAIR, user=cast.chair, actor=c)
        self.minute_taker = add(
            meeting=self.meeting, role=AttendeeRole.MINUTE_TAKER, user=c, actor=c
        )
        self.police = add(
            meeting=self.meeting, role=AttendeeRole.REPRESENTATIVE, user=cast.police_rep, actor=c
        )
        self.people = [self.chair, self.minute_taker, self.police]
        for user in (self.idva, self.health):
            self.people.append(
                add(meeting=self.meeting, role=AttendeeRole.REPRESENTATIVE, user=user, actor=c)
            )

    def confirm_all(self):
        for attendee in self.meeting.attendees.all():
            attendee_confirm(attendee=attendee, actor=self.cast.coordinator)

    def open(self):
        self.confirm_all()
        # The meeting is weeks ahead of the test's clock: its chair confirms opening it early.
        meeting_open(meeting=self.meeting, actor=self.cast.chair, early_confirmed=True)

    def hear(self, listing=None):
        return hearing_open(listing=listing or self.listing, actor=self.cast.coordinator)


# Attendance, confidentiality and quorum.


def test_attendance_records_people_by_agency_and_apologies_with_information_in_writing(cast):
    room = Room(cast)
    housing = agency(cast, Sector.HOUSING)
    apology = apology_record(
        meeting=room.meeting, agency=housing, information_in_writing=True, actor=cast.coordinator
    )
    assert apology.information_in_writing
    observer = attendee_add(
        meeting=room.meeting, role=AttendeeRole.OBSERVER, name="A Student", actor=cast.coordinator
    )
    assert observer.agency is None
    assert observer.role == AttendeeRole.OBSERVER
    with pytest.raises(ProceedingsError, match="already recorded"):
        attendee_add(
            meeting=room.meeting,
            role=AttendeeRole.REPRESENTATIVE,
            user=cast.police_rep,
            actor=cast.coordinator,
        )
    with pytest.raises(ProceedingsError, match="recorded as attending"):
        apology_record(
            meeting=room.meeting,
            agency=cast.police_rep.agency,
            information_in_writing=False,
            actor=cast.coordinator,
        )
    # An agency that turns up after all loses its apology.
    attendee_add(
        meeting=room.meeting,
        role=AttendeeRole.REPRESENTATIVE,
        user=cast.housing_rep,
        actor=cast.coordinator,
    )
    assert not room.meeting.apologies.exists()


def test_no_case_opens_before_every_attendee_confirms_the_confidentiality_statement(cast):
    room = Room(cast)
    with pytest.raises(ProceedingsError, match="confidentiality"):
        meeting_open(meeting=room.meeting, actor=cast.coordinator)
    room.open()
    # Someone joining later must confirm too before the next case opens.
    late = attendee_add(
        meeting=room.meeting,
        role=AttendeeRole.REPRESENTATIVE,
        user=room.childrens,
        actor=cast.coordinator,
    )
    with pytest.raises(ProceedingsError, match="confidentiality"):
        room.hear()
    attendee_confirm(attendee=late, actor=cast.coordinator)
    assert room.hear().listing == room.listing
    assert AuditEvent.objects.filter(action="meeting.confidentiality_confirm").count() == 6


def test_observers_never_count_towards_quorum(cast):
    room = Room(cast)
    policy = room.meeting.area.policy
    policy.quorum_min_statutory_agencies = 3
    policy.save()
    # Police and health count; the demo IDVA service is not statutory and no sector is required.
    assert quorum_check(room.meeting).statutory_present == 2
    attendee_add(
        meeting=room.meeting,
        role=AttendeeRole.OBSERVER,
        name="Visiting Observer",
        agency=agency(cast, Sector.HOUSING),
        actor=cast.coordinator,
    )
    assert not quorum_check(room.meeting).met
    attendee_add(
        meeting=room.meeting,
        role=AttendeeRole.REPRESENTATIVE,
        user=cast.housing_rep,
        actor=cast.coordinator,
    )
    assert quorum_check(room.meeting).met


def lincolnshire_rule(area: Area) -> None:
    policy = area.policy
    policy.quorum_requires_chair = True
    policy.quorum_requires_administrator = True
    policy.quorum_min_statutory_agencies = 5
    policy.quorum_required_sectors = ["police", "health", "idva"]
    policy.quorum_childrens_when_children = True
    policy.save()


def test_lincolnshire_quorum_needs_chair_admin_five_statutory_and_childrens_when_children(cast):
    room = Room(cast)
    lincolnshire_rule(cast.area_a)
    quorum = quorum_check(room.meeting)
    # Police, IDVA and health are present: three, where five are needed.
    assert not quorum.met
    assert quorum.statutory_present == 3
    assert "3 of the 5 statutory agencies needed are present" in quorum.problems
    housing = attendee_add(
        meeting=room.meeting,
        role=AttendeeRole.REPRESENTATIVE,
        user=cast.housing_rep,
        actor=cast.coordinator,
    )
    probation = Agency.objects.create(
        partnership=cast.partnership,
        name="Example Probation",
        sector=Sector.PROBATION,
        statutory=True,
    )
    attendee_add(
        meeting=room.meeting,
        role=AttendeeRole.REPRESENTATIVE,
        name="Pat Probation",
        agency=probation,
        actor=cast.coordinator,
    )
    assert quorum_check(room.meeting).met
    # A case with children on the list makes children's services necessary.
    Case.objects.filter(pk=cast.case_a.pk).update(has_children=True)
    quorum = quorum_check(room.meeting)
    assert not quorum.met
    assert quorum.problems == ["Children's social care is not represented"]
    attendee_add(
        meeting=room.meeting,
        role=AttendeeRole.REPRESENTATIVE,
        user=room.childrens,
        actor=cast.coordinator,
    )
    assert quorum_check(room.meeting).met
    # Without a chair or an administrator it is not quorate, whatever else is there.
    room.meeting.attendees.filter(pk=room.chair.pk).delete()
    assert quorum_check(room.meeting).problems == ["No chair is recorded"]
    assert housing.pk


def test_the_meeting_screen_warns_when_the_meeting_is_not_quorate(cast):
    room = Room(cast)
    lincolnshire_rule(cast.area_a)
    page = client_for(cast.coordinator).get(reverse("proceedings:meeting", args=[room.meeting.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "The meeting is not quorate" in body
    assert "3 of the 5 statutory agencies needed are present" in body


# Order and the running timetable.


def test_reviews_come_first_then_children_and_the_timetable_runs_from_the_start_time(cast):
    meeting = new_meeting(cast)
    area = cast.area_a
    policy = area.policy
    policy.minutes_per_case = 10  # Gwent: 10 minutes, 15 with children
    policy.minutes_per_case_with_children = 15
    policy.save()
    first = listed(cast, meeting, cast.case_a)
    with_children = Case.objects.create(
        partnership=cast.partnership, area=area, reference="NK-T-0002", has_children=True
    )
    review = Case.objects.create(partnership=cast.partnership, area=area, reference="NK-T-0003")
    second = listed(cast, meeting, with_children)
    third = listed(cast, meeting, review, reason=ListingReason.REVIEW)
    meeting_order_apply(meeting=meeting, mode=CaseOrder.CHILDREN_FIRST, actor=cast.coordinator)
    slots = timetable(meeting)
    assert [s.listing.pk for s in slots] == [third.pk, second.pk, first.pk]
    assert [f"{s.starts_at:%H:%M}" for s in slots] == ["09:30", "09:40", "09:55"]
    assert [s.minutes for s in slots] == [10, 15, 10]
    meeting_order_apply(meeting=meeting, mode=CaseOrder.AS_LISTED, actor=cast.coordinator)
    assert [s.listing.pk for s in timetable(meeting)] == [third.pk, first.pk, second.pk]


def test_cases_can_be_clustered_by_referring_agency(cast):
    from openmarac.referrals.models import Referral

    meeting = new_meeting(cast)
    health, police = agency(cast, Sector.HEALTH), agency(cast, Sector.POLICE)
    listings = []
    for number, referrer in enumerate((police, health, police), start=1):
        case = Case.objects.create(
            partnership=cast.partnership, area=cast.area_a, reference=f"NK-C-{number}"
        )
        referral = Referral.objects.create(
            partnership=cast.partnership,
            area=cast.area_a,
            referrer_email="r@example.org",
            referrer_email_index="x",
            referrer_agency=referrer,
            case=case,
        )
        listings.append(
            case_list(case=case, actor=cast.coordinator, meeting=meeting, referral=referral).listing
        )
    meeting_order_apply(meeting=meeting, mode=CaseOrder.BY_AGENCY, actor=cast.coordinator)
    clusters = [s.cluster for s in timetable(meeting)]
    assert clusters == ["Example Constabulary", "Example Constabulary", "Example Health Trust"]


# Conflicts of interest.


def test_a_conflicted_attendee_cannot_read_the_case_or_its_minutes(cast):
    room = Room(cast)
    conflict_declare(listing=room.listing, attendee=room.police, actor=cast.coordinator)
    assert not cases_visible_to(cast.police_rep).filter(pk=cast.case_a.pk).exists()
    client = client_for(cast.police_rep)
    assert client.get(reverse("caserecord:record", args=[cast.case_a.reference])).status_code == 404
    # Others at the meeting still see it.
    assert cases_visible_to(room.idva).filter(pk=cast.case_a.pk).exists()
    assert AuditEvent.objects.filter(action="meeting.conflict_declare").exists()


def test_a_conflicted_chair_or_minute_taker_names_who_takes_over(cast):
    room = Room(cast)
    with pytest.raises(ProceedingsError, match="Name who will act as chair"):
        conflict_declare(listing=room.listing, attendee=room.chair, actor=cast.coordinator)
    observer = attendee_add(
        meeting=room.meeting, role=AttendeeRole.OBSERVER, name="Ob Server", actor=cast.coordinator
    )
    with pytest.raises(ProceedingsError, match="observer cannot take over"):
        conflict_declare(
            listing=room.listing, attendee=room.chair, stand_in=observer, actor=cast.coordinator
        )
    declaration = conflict_declare(
        listing=room.listing, attendee=room.chair, stand_in=room.police, actor=cast.coordinator
    )
    assert declaration.stand_in == room.police


def test_an_attendee_declares_their_own_conflict_on_the_conflicts_page(cast):
    room = Room(cast)
    client = client_for(room.health)
    url = reverse("proceedings:conflict_add", args=[room.meeting.pk])
    page = client.get(url)
    assert page.status_code == 200
    # They can only declare for themselves.
    assert [c[0] for c in page.context["form"].fields["attendee"].choices][1:] == [
        room.people[4].pk
    ]
    response = client.post(url, {"listing": room.listing.pk, "attendee": room.people[4].pk})
    assert response.status_code == 302
    assert client.get(reverse("caserecord:record", args=[cast.case_a.reference])).status_code == 404
    # Someone who is not at the meeting cannot use the page.
    assert client_for(cast.housing_rep).get(url).status_code == 404


def test_a_conflict_must_be_declared_before_the_case_is_opened(cast):
    room = Room(cast)
    room.open()
    room.hear()
    with pytest.raises(ProceedingsError, match="before the case is opened"):
        conflict_declare(listing=room.listing, attendee=room.police, actor=cast.coordinator)


# Minutes deadlines, on the working calendar.


def preset_meeting(preset: str, code: str, on: D) -> Meeting:
    partnership_create_from_preset(
        preset=preset, official_email_domains=["example.org"], hub_email="hub@example.org"
    )
    area = Area.objects.get(code=code)
    return Meeting.objects.create(
        area=area, starts_on=on, ends_on=on, start_time=datetime.time(9, 0), kind=MeetingKind.EXTRA
    )


def test_lincolnshire_minutes_are_due_ten_working_days_after_over_christmas():
    # Tue 15 Dec 2026; 25 Dec, the weekend and Mon 28 Dec (Boxing Day observed) do not count.
    meeting = preset_meeting("lincolnshire", "LINC", D(2026, 12, 15))
    closed = datetime.datetime(2026, 12, 15, 13, 0, tzinfo=UTC)
    assert minutes_due_at(meeting, closed) == local_midnight(D(2027, 1, 1))
    # Actions go out within one working day: by the end of Wednesday.
    assert actions_due_at(meeting) == local_midnight(D(2026, 12, 17))


def test_cambridgeshire_minutes_are_due_24_working_hours_after_the_meeting_closes():
    # Closed at noon on Christmas Eve: 12 hours that day, then nothing until Tuesday 29th.
    meeting = preset_meeting("cambridgeshire-peterborough", "CAM", D(2026, 12, 24))
    closed = datetime.datetime(2026, 12, 24, 12, 0, tzinfo=UTC)
    due = minutes_due_at(meeting, closed)
    assert due == datetime.datetime(2026, 12, 29, 12, 0, tzinfo=UTC)
    # Friday afternoon: due Monday afternoon, across a plain weekend.
    friday = datetime.datetime(2026, 11, 27, 15, 0, tzinfo=UTC)
    assert minutes_due_at(meeting, friday) == datetime.datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def test_the_sweep_reminds_before_the_minutes_deadline_and_flags_them_late_once(cast):
    room = Room(cast)
    policy = cast.area_a.policy
    policy.minutes_due_working_days = 10
    policy.save()
    with time_machine.travel(datetime.datetime(2026, 12, 15, 9, 30, tzinfo=UTC), tick=False):
        room.open()
        room.hear()
        hearing = room.listing.hearing
        hearing.outcome = Outcome.KEEP_OPEN  # decided without the lifecycle for this test
        hearing.save()
    with time_machine.travel(datetime.datetime(2026, 12, 15, 13, 0, tzinfo=UTC), tick=False):
        record = meeting_close(meeting=room.meeting, actor=cast.coordinator)
    assert record.minutes_due_at == local_midnight(D(2027, 1, 1))
    delivered_mail()
    # Wednesday 30 Dec: more than a working day left, nothing yet.
    assert (
        minutes_deadlines(datetime.datetime(2026, 12, 30, 12, 0, tzinfo=UTC)) == 1
    )  # actions late
    record.refresh_from_db()
    assert record.actions_late_at is not None
    assert record.minutes_late_at is None
    subjects = [m.subject for m in delivered_mail()]
    assert "MARAC actions have not been sent to their owners" in subjects
    assert "MARAC minutes are due soon" not in subjects
    # Thursday 31 Dec, the last working day: reminded once.
    thursday = datetime.datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
    assert minutes_deadlines(thursday) == 1
    minutes_deadlines(thursday + datetime.timedelta(hours=2))
    reminders = [m for m in delivered_mail() if m.subject == "MARAC minutes are due soon"]
    hub = set(
        User.objects.filter(is_hub_coordinator=True, is_active=True).values_list("email", flat=True)
    )
    # Once to each hub coordinator, and never twice.
    assert sorted(m.to[0] for m in reminders) == sorted(hub)
    assert cast.coordinator.email in hub
    assert "Victim" not in reminders[0].body
    # New Year's Day: late.
    assert minutes_deadlines(datetime.datetime(2027, 1, 1, 0, 1, tzinfo=UTC)) == 1
    record.refresh_from_db()
    assert record.minutes_late_at is not None
    assert minutes_deadlines(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=UTC)) == 0
    late = [m.to[0] for m in delivered_mail() if m.subject == "MARAC minutes are late"]
    assert sorted(late) == sorted(hub)  # once to each hub coordinator


# Outcomes.


def heard(cast, outcome: str = Outcome.KEEP_OPEN, **kwargs):
    room = Room(cast)
    room.open()
    hearing = room.hear()
    information_record(
        hearing=hearing,
        agency=cast.police_rep.agency,
        text="Two call-outs in the last month.",
        in_writing=False,
        actor=cast.coordinator,
    )
    hearing_decide(hearing=hearing, outcome=outcome, actor=cast.chair, **kwargs)
    hearing.refresh_from_db()
    return room, hearing


def test_keeping_a_case_open_gives_the_areas_period_then_a_hub_review(cast):
    with time_machine.travel(datetime.datetime(2026, 12, 15, 10, 0, tzinfo=UTC), tick=False):
        room, hearing = heard(cast, Outcome.KEEP_OPEN)
    hearing.refresh_from_db()
    assert hearing.keep_open_until == D(2026, 12, 29)  # Kent: two weeks
    case = Case.objects.get(pk=cast.case_a.pk)
    assert case.last_heard_on == D(2026, 12, 15)
    assert case.status == CaseStatus.OPEN
    assert case.open_until == D(2027, 12, 15)  # the lifecycle's 12-month period started
    assert Listing.objects.get(pk=room.listing.pk).status == ListingStatus.HEARD
    delivered_mail()
    assert hub_review(datetime.datetime(2026, 12, 28, 12, 0, tzinfo=UTC)) == 0
    assert hub_review(datetime.datetime(2026, 12, 29, 12, 0, tzinfo=UTC)) == 1
    assert hub_review(datetime.datetime(2026, 12, 30, 12, 0, tzinfo=UTC)) == 0
    review = [m for m in delivered_mail() if m.subject == "A MARAC case is due for hub review"]
    hub = set(
        User.objects.filter(is_hub_coordinator=True, is_active=True).values_list("email", flat=True)
    )
    assert sorted(m.to[0] for m in review) == sorted(hub)
    assert cast.coordinator.email in hub


def test_closing_to_marac_keeps_the_case_flagged_for_its_period(cast):
    with time_machine.travel(datetime.datetime(2026, 12, 15, 10, 0, tzinfo=UTC), tick=False):
        _room, hearing = heard(cast, Outcome.CLOSE)
    case = Case.objects.get(pk=cast.case_a.pk)
    assert hearing.outcome == Outcome.CLOSE
    assert hearing.keep_open_until is None
    assert case.status == CaseStatus.OPEN
    assert case.open_until == D(2027, 12, 15)


def test_not_high_risk_needs_every_agency_present_and_a_reason(cast):
    room = Room(cast)
    room.open()
    hearing = room.hear()
    present = present_agencies(room.listing)
    assert {a.sector for a in present} == {Sector.POLICE, Sector.IDVA, Sector.HEALTH}
    with pytest.raises(ProceedingsError, match="Enter why"):
        hearing_decide(
            hearing=hearing, outcome=Outcome.NOT_HIGH_RISK, consensus=present, actor=cast.chair
        )
    with pytest.raises(ProceedingsError, match=r"Every agency present must agree .*\(1 have not\)"):
        hearing_decide(
            hearing=hearing,
            outcome=Outcome.NOT_HIGH_RISK,
            reason="Risk managed by a single agency",
            consensus=present[:2],
            actor=cast.chair,
        )
    assert Case.objects.get(pk=cast.case_a.pk).status == CaseStatus.OPEN


def test_not_high_risk_closes_the_case_with_an_alert_and_tells_the_referrer_and_agencies(cast):
    from openmarac.referrals.models import Referral

    referral = Referral.objects.create(
        partnership=cast.partnership,
        area=cast.area_a,
        reference="NK-REF-0001",
        referrer_email="referrer.person@example.org",
        referrer_email_index="y",
        referrer_agency=cast.police_rep.agency,
        case=cast.case_a,
    )
    room = Room(cast)
    Listing.objects.filter(pk=room.listing.pk).update(referral=referral)
    room.open()
    hearing = room.hear()
    delivered_mail()
    hearing_decide(
        hearing=hearing,
        outcome=Outcome.NOT_HIGH_RISK,
        reason="The information shows the risk is not high.",
        consensus=present_agencies(room.listing),
        actor=cast.chair,
    )
    case = Case.objects.get(pk=cast.case_a.pk)
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == ClosureReason.NOT_HIGH_RISK
    alert = CaseAlert.objects.get(case=case)
    assert "Not deemed high risk" in alert.text
    assert "risk is not high" in alert.text
    assert hearing.consensus_agencies.count() == 3
    mail = delivered_mail()
    to_referrer = [m for m in mail if m.to == ["referrer.person@example.org"]]
    assert len(to_referrer) == 1
    assert "NK-REF-0001" in to_referrer[0].subject
    assert "risk is not high" not in to_referrer[0].body  # the reason is given by the rep
    unflag = [m for m in mail if "remove your flags" in m.subject]
    assert {m.to[0] for m in unflag} >= {cast.police_rep.email, room.idva.email}
    for message in mail:
        assert "Demoname" not in message.body
        assert "Victimone" not in message.body


def test_a_frozen_case_cannot_be_recorded(cast):
    from openmarac.cases.lifecycle import case_death_record

    room = Room(cast)
    room.open()
    hearing = room.hear()
    victim = cast.case_a.participants.get(role="victim")
    case_death_record(
        case=cast.case_a,
        role="victim",
        participant=victim,
        died_on=D(2026, 11, 20),
        actor=cast.coordinator,
        request=None,
    )
    with pytest.raises(ProceedingsError, match="frozen"):
        hearing_decide(hearing=hearing, outcome=Outcome.CLOSE, actor=cast.chair)


# Minutes: approval, publication, visibility and corrections.


def held(cast):
    """A meeting heard, closed, approved and published; housing referred the case but did not
    attend, and the invited agency neither referred nor attended."""
    from openmarac.referrals.models import Referral

    referral = Referral.objects.create(
        partnership=cast.partnership,
        area=cast.area_a,
        reference="NK-REF-0002",
        referrer_email="someone@example.org",
        referrer_email_index="z",
        referrer_agency=cast.housing_rep.agency,
        case=cast.case_a,
    )
    CaseInvitationModel = cast.case_a.invitations.model
    CaseInvitationModel.objects.get_or_create(
        case=cast.case_a, agency=cast.housing_rep.agency, defaults={"invited_by": cast.coordinator}
    )
    room = Room(cast)
    Listing.objects.filter(pk=room.listing.pk).update(referral=referral)
    room.listing.refresh_from_db()
    room.open()
    hearing = room.hear()
    info = information_record(
        hearing=hearing,
        agency=room.health.agency,
        text="Seen at A&E twice.",
        in_writing=False,
        actor=cast.coordinator,
    )
    hearing_decide(hearing=hearing, outcome=Outcome.KEEP_OPEN, actor=cast.chair)
    meeting_close(meeting=room.meeting, actor=cast.coordinator)
    return room, hearing, info


def test_minutes_are_approved_by_the_chair_then_published_to_attendees(cast):
    room, _hearing, _info = held(cast)
    with pytest.raises(ProceedingsError, match="chair must approve"):
        minutes_publish(meeting=room.meeting, actor=cast.coordinator)
    client = client_for(cast.coordinator)
    # The coordinator is not the chair: approving is refused.
    approve = reverse("proceedings:minutes_approve", args=[room.meeting.pk])
    assert client.post(approve).status_code == 404
    assert client_for(cast.chair).post(approve).status_code == 302
    record = MeetingRecord.objects.get(meeting=room.meeting)
    assert record.minutes_status == MinutesStatus.APPROVED
    delivered_mail()
    assert (
        client.post(reverse("proceedings:minutes_publish", args=[room.meeting.pk])).status_code
        == 302
    )
    record.refresh_from_db()
    assert record.minutes_status == MinutesStatus.PUBLISHED
    told = {m.to[0] for m in delivered_mail() if m.subject == "MARAC minutes are available"}
    # Attendees, and the referring agency that did not attend.
    assert cast.police_rep.email in told
    assert room.health.email in told
    assert cast.housing_rep.email in told
    assert cast.invited_rep.email not in told


def test_minutes_are_read_only_by_the_meetings_access_list(cast):
    room, _hearing, _info = held(cast)
    minutes_approve(meeting=room.meeting, actor=cast.chair)
    url = reverse("proceedings:minutes", args=[room.meeting.pk])
    # Before publication only the hub and the chair see the draft.
    assert client_for(cast.police_rep).get(url).status_code == 404
    assert client_for(cast.chair).get(url).status_code == 200
    minutes_publish(meeting=room.meeting, actor=cast.coordinator)
    attendee = client_for(cast.police_rep).get(url)
    assert attendee.status_code == 200
    body = attendee.content.decode()
    assert "Seen at A&amp;E twice." in body
    assert "Attendance" in body
    # The referring agency that did not attend sees its own case only, not the attendance.
    referrer = client_for(cast.housing_rep).get(url)
    assert referrer.status_code == 200
    assert cast.case_a.reference in referrer.content.decode()
    assert "Attendance" not in referrer.content.decode()
    # Anyone else, even with access to the case, sees nothing.
    for user in (cast.invited_rep, cast.lead, rep(cast, "otherhealth", Sector.HEALTH)):
        assert client_for(user).get(url).status_code == 404
    assert AuditEvent.objects.filter(action="minutes.view.denied").exists()


def test_a_conflicted_attendee_does_not_see_that_case_in_the_minutes(cast):
    from openmarac.referrals.models import Referral  # noqa: F401

    room = Room(cast)
    other = Case.objects.create(partnership=cast.partnership, area=cast.area_a, reference="NK-T-9")
    second = listed(cast, room.meeting, other)
    conflict_declare(listing=second, attendee=room.police, actor=cast.coordinator)
    room.open()
    for listing in (room.listing, second):
        hearing = room.hear(listing)
        hearing_decide(hearing=hearing, outcome=Outcome.CLOSE, actor=cast.chair)
    meeting_close(meeting=room.meeting, actor=cast.coordinator)
    minutes_approve(meeting=room.meeting, actor=cast.chair)
    minutes_publish(meeting=room.meeting, actor=cast.coordinator)
    client = client_for(cast.police_rep)
    body = client.get(reverse("proceedings:minutes", args=[room.meeting.pk])).content.decode()
    assert cast.case_a.reference in body
    assert "NK-T-9" not in body
    assert (
        client.get(reverse("proceedings:hearing", args=[room.meeting.pk, second.pk])).status_code
        == 404
    )


def test_an_agency_corrects_what_it_shared_and_the_history_is_kept(cast):
    room, _hearing, info = held(cast)
    minutes_approve(meeting=room.meeting, actor=cast.chair)
    minutes_publish(meeting=room.meeting, actor=cast.coordinator)
    url = reverse("proceedings:correction_new", args=[info.pk])
    # Police did not share it, so police cannot correct it.
    assert client_for(cast.police_rep).get(url).status_code == 404
    health = client_for(room.health)
    assert health.get(url).status_code == 200
    bad = health.post(url, {"proposed_text": "Seen at A&E once.", "reason": ""})
    assert "Enter why it needs correcting" in bad.content.decode()
    assert (
        health.post(url, {"proposed_text": "Seen at A&E once.", "reason": "Typo"}).status_code
        == 302
    )
    correction = info.corrections.get()
    assert correction.status == CorrectionStatus.REQUESTED
    hub = client_for(cast.coordinator)
    decide = reverse("proceedings:correction", args=[correction.pk])
    assert client_for(cast.chair).get(decide).status_code == 404
    assert hub.post(decide, {"decision": "accept", "note": ""}).status_code == 302
    info.refresh_from_db()
    correction.refresh_from_db()
    assert info.text == "Seen at A&E once."
    assert correction.status == CorrectionStatus.ACCEPTED
    assert correction.previous_text == "Seen at A&E twice."
    # A second request, rejected, leaves the text alone.
    second = correction_request(
        information=info, proposed_text="Never seen.", reason="Wrong", actor=room.health
    )
    with pytest.raises(ProceedingsError, match="why the correction is rejected"):
        correction_decide(correction=second, accept=False, actor=cast.coordinator)
    correction_decide(
        correction=second, accept=False, note="Recorded as said", actor=cast.coordinator
    )
    info.refresh_from_db()
    assert info.text == "Seen at A&E once."
    assert [c.status for c in info.corrections.all()] == ["accepted", "rejected"]


# PDFs.


def pdf_pages(content: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


def test_the_minutes_pdf_is_marked_on_every_page_and_the_download_audited(cast):
    room, hearing, _info = held(cast)
    long_text = "\n".join(f"Paragraph {n} of the discussion." for n in range(160))
    services_hearing = hearing
    services_hearing.discussion = long_text
    services_hearing.save()
    response = client_for(cast.coordinator).get(
        reverse("proceedings:minutes_pdf", args=[room.meeting.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) > 1
    for text in pages:
        assert "Downloaded by" in text
        assert "(coordinator)" in text
    assert "Seen at A&E twice." in "".join(pages)
    event = AuditEvent.objects.get(action="minutes_pdf.download")
    assert event.actor_id == cast.coordinator.pk
    assert event.object_id == str(room.meeting.pk)


def test_the_agenda_pdf_lists_the_timetable_and_is_marked_and_audited(cast):
    meeting = new_meeting(cast)
    listed(cast, meeting, cast.case_a)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, 5, tzinfo=UTC), tick=False):
        response = client_for(cast.police_rep).get(
            reverse("proceedings:agenda_pdf", args=[meeting.pk])
        )
    assert response.status_code == 200
    (text,) = pdf_pages(response.content)
    assert "Downloaded by Pat Police (police) on 1 December 2026 at 10:05" in text
    assert cast.case_a.reference in text
    assert "09:30" in text
    assert "strictly confidential" in text
    assert AuditEvent.objects.filter(action="agenda_pdf.download", actor=cast.police_rep).exists()
    # Housing is not a standing member in North Kent and not invited: no agenda.
    assert (
        client_for(cast.housing_rep)
        .get(reverse("proceedings:agenda_pdf", args=[meeting.pk]))
        .status_code
        == 404
    )


def test_a_pdf_download_needs_a_recent_second_factor(cast):
    meeting = new_meeting(cast)
    listed(cast, meeting, cast.case_a)
    url = reverse("proceedings:agenda_pdf", args=[meeting.pk])
    start = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        client = client_for(cast.police_rep)
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        client.get("/cases/")  # still active, but the second factor is no longer recent
    with time_machine.travel(start + datetime.timedelta(minutes=28), tick=False):
        response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    assert not AuditEvent.objects.filter(action="agenda_pdf.download").exists()


# The meeting screen, through its pages.


@pytest.mark.skipif(
    not actions_available(), reason="agreeing actions needs the actions app's models"
)
def test_the_coordinator_runs_a_meeting_through_its_pages(cast):
    meeting = new_meeting(cast, on=D(2026, 11, 23))
    listing = listed(cast, meeting, cast.case_a)
    idva = rep(cast, "idvarep", Sector.IDVA)
    hub = client_for(cast.coordinator)
    base = f"/meetings/{meeting.pk}/run/"
    page = hub.get(base)
    assert page.status_code == 200
    # A missing choice shows the error summary and keeps what was typed.
    bad = hub.post(base + "attendees/", {"name": "Someone Typed", "role": ""})
    assert "Choose the person&#x27;s role at the meeting" in bad.content.decode()
    assert 'value="Someone Typed"' in bad.content.decode()
    for role, user in (
        ("chair", cast.chair),
        ("minute_taker", cast.coordinator),
        ("representative", cast.police_rep),
        ("representative", idva),
    ):
        assert hub.post(base + "attendees/", {"role": role, "user": user.pk}).status_code == 302
    assert (
        hub.post(
            base + "apologies/",
            {"agency": agency(cast, Sector.HEALTH).pk, "in_writing": "yes"},
        ).status_code
        == 302
    )
    # Opening before everyone confirms is refused with a message.
    hub.post(base + "open/")
    assert MeetingRecord.objects.get(meeting=meeting).opened_at is None
    for attendee in meeting.attendees.all():
        hub.post(f"{base}attendees/{attendee.pk}/confirm/")
    hub.post(base + "order/", {"mode": "children_first"})
    assert hub.post(base + "open/").status_code == 302
    screen = hub.get(base).content.decode()
    assert f"Open case {cast.case_a.reference}" in screen
    assert hub.post(f"{base}cases/{listing.pk}/open/").status_code == 302
    case_url = f"{base}cases/{listing.pk}/"
    assert (
        hub.post(
            case_url + "information/",
            {
                "info-agency": agency(cast, Sector.HEALTH).pk,
                "info-text": "Health sent this in writing.",
                "info-in_writing": "yes",
            },
        ).status_code
        == 302
    )
    assert (
        hub.post(
            case_url,
            {
                "risks": "Escalating threats.",
                "victim_voice": "Wants to stay at home.",
                "discussion": "Agencies agreed a plan.",
                "feedback_agency": idva.agency.pk,
                "feedback_what": "The safety plan.",
            },
        ).status_code
        == 302
    )
    action_page = hub.get(case_url + "actions/")
    owners = [c[1] for c in action_page.context["form"].fields["owner_agency"].choices]
    # Health sent apologies: it cannot be given an action at the meeting.
    assert "Example Health Trust" not in owners
    assert "Example Constabulary" in owners
    response = hub.post(
        case_url + "actions/",
        {
            "owner_agency": cast.police_rep.agency.pk,
            "what": "Place a marker on the address.",
            "addresses": "The victim",
            "due_in_days": "",
            "rationale": "Fast response to any call.",
        },
    )
    assert response.status_code == 302, response.content.decode()[-1500:]
    from openmarac.actions.models import Action, ActionStatus

    action = Action.objects.get(case=cast.case_a, meeting=meeting)
    assert action.status == ActionStatus.AGREED
    assert action.meeting_id == meeting.pk
    # Not high risk without everyone's agreement is refused on the page.
    outcome_url = case_url + "outcome/"
    refused = hub.post(
        outcome_url,
        {"outcome": "not_high_risk", "reason": "Low risk", "consensus": [idva.agency.pk]},
    )
    assert "Every agency present must agree" in refused.content.decode()
    assert hub.post(outcome_url, {"outcome": "keep_open", "reason": ""}).status_code == 302
    assert hub.post(base + "close/").status_code == 302
    chair = client_for(cast.chair)
    assert chair.post(f"/meetings/{meeting.pk}/minutes/approve/").status_code == 302
    assert hub.post(f"/meetings/{meeting.pk}/minutes/publish/").status_code == 302
    assert hub.post(f"/meetings/{meeting.pk}/minutes/actions/").status_code == 302
    minutes = client_for(idva).get(f"/meetings/{meeting.pk}/minutes/").content.decode()
    for text in (
        "Health sent this in writing.",
        "(sent in writing)",
        "Escalating threats.",
        "Wants to stay at home.",
        "Place a marker on the address.",
        "Keep open for further actions",
        "Example Health Trust: information sent in writing",
    ):
        assert text in minutes
