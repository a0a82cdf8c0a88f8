"""Triage: the SLA clock, decisions, chasing returned referrals, linking and merging people,
repeats, complex cases and weekly updates."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from openmarac.audit.models import AuditEvent
from openmarac.cases.models import CaseLink, CaseParticipant, CaseStatus, ParticipantRole
from openmarac.idva.models import ContactOutcome, IdvaContact
from openmarac.meetings.models import Listing, ListingReason, ListingStatus
from openmarac.meetings.services import meeting_add
from openmarac.notifications.models import Notice
from openmarac.people.models import Person, PersonAddress, PersonKey
from openmarac.people.services import (
    PersonLinkError,
    person_confirm_new,
    person_link,
    person_merge,
    person_unlink,
    person_unmerge,
)
from openmarac.referrals.models import LinkStatus, Referral, ReferralStatus
from openmarac.triage.models import DecisionKind, IncompleteChase, Routing, TriageDecision
from openmarac.triage.services.acceptance import referral_accept
from openmarac.triage.services.decisions import referral_decline, referral_return
from openmarac.triage.services.errors import TriageError
from openmarac.triage.services.weekly_updates import weekly_update_submit
from openmarac.triage.sla import SlaState, sla_clock
from openmarac.triage.sweeps import chase_incomplete, sla_overdue

from .conftest import client_for, delivered_mail, other_partnership_coordinator
from .referral_helpers import verified_referrer
from .triage_helpers import (
    REFERRER,
    idva_user,
    old_case,
    person,
    resolve,
    submit_referral,
)

UTC = datetime.UTC
pytestmark = pytest.mark.django_db


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def notices(event: str, obj=None) -> list[Notice]:
    found = Notice.objects.filter(event=event).order_by("pk")
    if obj is not None:
        found = found.filter(object_id=str(obj.pk))
    return list(found)


def recipients(event: str) -> set[str]:
    return {n.recipient_email for n in notices(event)}


# The SLA clock.


def test_the_triage_clock_runs_on_working_hours_across_christmas_and_a_weekend(cast):
    referral = submit_referral(cast.area_a)
    # Thursday 24 December 2026, 15:00. Friday is Christmas Day, Monday 28th the Boxing Day
    # substitute: 9 hours on Thursday, then 15 on Tuesday 29th.
    Referral.objects.filter(pk=referral.pk).update(submitted_at=at(2026, 12, 24, 15))
    referral.refresh_from_db()
    clock = sla_clock(referral, now=at(2026, 12, 28, 12))
    assert clock.due_at == at(2026, 12, 29, 15)
    assert clock.state == SlaState.ON_TIME
    assert clock.hours_left == 15
    assert sla_clock(referral, now=at(2026, 12, 29, 8)).state == SlaState.ON_TIME  # 7 h left
    amber = sla_clock(referral, now=at(2026, 12, 29, 10))
    assert amber.state == SlaState.DUE_SOON
    assert amber.label == "Due soon: 5 working hours left"
    red = sla_clock(referral, now=at(2026, 12, 29, 17))
    assert red.state == SlaState.OVERDUE
    assert red.label == "Overdue by 2 working hours"


def test_the_area_sets_the_triage_deadline(cast):
    policy = cast.area_a.policy
    policy.triage_sla_working_hours = 8
    policy.save()
    referral = submit_referral(cast.area_a)
    Referral.objects.filter(pk=referral.pk).update(submitted_at=at(2026, 11, 27, 20))  # Friday
    referral.refresh_from_db()
    assert sla_clock(referral, now=at(2026, 11, 27, 21)).due_at == at(2026, 11, 30, 4)


def test_the_queue_shows_each_clock_in_words_most_urgent_first(cast):
    late = submit_referral(cast.area_a, victim=("Late", "Victimtest"))
    soon = submit_referral(cast.area_a, victim=("Soon", "Victimtest"))
    Referral.objects.filter(pk=late.pk).update(submitted_at=at(2026, 12, 24, 15))
    Referral.objects.filter(pk=soon.pk).update(submitted_at=at(2026, 12, 29, 14))
    with time_machine.travel(at(2026, 12, 30, 10), tick=False):
        page = client_for(cast.coordinator).get(reverse("triage:queue")).content.decode()
    assert "Overdue by 19 working hours" in page
    assert "Due soon: 4 working hours left" in page
    assert page.index(late.reference) < page.index(soon.reference)
    assert 'data-sla="overdue"' in page
    assert 'data-sla="due_soon"' in page


def test_the_hub_is_told_once_when_a_referral_passes_its_deadline(cast):
    Referral.objects.filter(status=ReferralStatus.SUBMITTED).update(submitted_at=at(2026, 12, 28))
    referral = submit_referral(cast.area_a)
    Referral.objects.filter(pk=referral.pk).update(submitted_at=at(2026, 12, 24, 15))
    assert sla_overdue(at(2026, 12, 29, 14)) == 0
    assert sla_overdue(at(2026, 12, 29, 15)) == 1
    assert sla_overdue(at(2026, 12, 29, 16)) == 0
    assert [n.recipient_email for n in notices("triage.sla_overdue", referral)] == [
        cast.partnership.hub_email
    ]


# Decisions.


def test_accepting_a_new_referral_creates_the_case_lists_it_and_tells_who_the_policy_says(cast):
    idva = idva_user(cast.area_a)
    referral = submit_referral(cast.area_a, agency=cast.police_rep.agency)
    resolve(referral, cast.coordinator)
    result = referral_accept(referral=referral, actor=cast.coordinator, reason="DASH 15")
    referral.refresh_from_db()
    case = result.case
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.case == case
    assert case.reference == referral.reference
    assert case.area == cast.area_a
    assert case.participants.count() == referral.participants.count() == 2
    listing = Listing.objects.get(case=case)
    assert listing.reason == ListingReason.NEW
    assert listing.referral == referral
    decision = TriageDecision.objects.get(referral=referral)
    assert decision.kind == DecisionKind.ACCEPT
    assert decision.reason == "DASH 15"
    assert decision.meeting == listing.meeting
    assert decision.decided_by == cast.coordinator
    assert AuditEvent.objects.filter(action="triage.accept", object_id=str(referral.pk)).exists()
    assert recipients("triage.accepted.referrer") == {REFERRER}
    assert cast.police_rep.email in recipients("triage.accepted.agency")
    assert recipients("triage.accepted.idva") == {idva.email}
    assert cast.housing_rep.email not in recipients("triage.accepted.members")  # by invite in NK
    assert cast.police_rep.email in recipients("triage.accepted.members")
    for mail in delivered_mail():
        assert "Victimtest" not in mail.body
        assert "Perptest" not in mail.body
        assert "DASH 15" not in mail.body


def test_the_policy_can_leave_out_the_idva_and_the_agency(cast):
    idva_user(cast.area_a)
    policy = cast.area_a.policy
    policy.notify_idva_on_accept = False
    policy.notify_agency_rep_of_outcome = False
    policy.save()
    referral = submit_referral(cast.area_a, agency=cast.police_rep.agency)
    resolve(referral, cast.coordinator)
    referral_accept(referral=referral, actor=cast.coordinator, reason="Met")
    assert notices("triage.accepted.idva") == []
    assert notices("triage.accepted.agency") == []
    assert recipients("triage.accepted.referrer") == {REFERRER}


def test_a_referral_cannot_be_accepted_until_everyone_on_it_is_checked(cast):
    referral = submit_referral(cast.area_a)
    with pytest.raises(TriageError, match="Check every person"):
        referral_accept(referral=referral, actor=cast.coordinator, reason="Met")
    resolve(referral, cast.coordinator)
    with pytest.raises(TriageError, match="reason"):
        referral_accept(referral=referral, actor=cast.coordinator, reason=" ")


def test_a_referral_can_be_attached_to_an_existing_open_case_of_its_area(cast):
    referral = submit_referral(cast.area_a)
    resolve(referral, cast.coordinator)
    result = referral_accept(
        referral=referral, actor=cast.coordinator, reason="Same family", attach_to=cast.case_a
    )
    assert result.case == cast.case_a
    assert not result.assessment.is_repeat
    other = submit_referral(cast.area_a, victim=("Other", "Victimtest"))
    resolve(other, cast.coordinator)
    with pytest.raises(TriageError, match="own area"):
        referral_accept(referral=other, actor=cast.coordinator, reason="x", attach_to=cast.case_b)


def test_declining_sends_the_reason_but_not_the_explanation_by_email(cast):
    referral = submit_referral(cast.area_a, agency=cast.police_rep.agency)
    referral_decline(
        referral=referral,
        actor=cast.coordinator,
        decline_reason="not_domestic_abuse",
        explanation="The people are neighbours, not personally connected.",
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    (mail,) = [m for m in delivered_mail() if m.to == [REFERRER] and "declined" in m.subject]
    assert "Domestic Abuse Act 2021" in mail.body
    assert "neighbours" not in mail.body
    assert cast.police_rep.email in recipients("triage.declined.agency")
    # The referrer reads the explanation after verifying their address.
    client = verified_referrer(REFERRER)
    page = client.get(reverse("referrals:submitted", args=[referral.public_id])).content.decode()
    assert "neighbours, not personally connected" in page
    with pytest.raises(TriageError, match="not waiting"):
        referral_decline(
            referral=referral, actor=cast.coordinator, decline_reason="threshold", explanation="x"
        )


def test_decline_needs_a_known_reason_and_an_explanation(cast):
    referral = submit_referral(cast.area_a)
    with pytest.raises(TriageError, match="Select"):
        referral_decline(
            referral=referral, actor=cast.coordinator, decline_reason="bad", explanation="x"
        )
    with pytest.raises(TriageError, match="Explain"):
        referral_decline(
            referral=referral, actor=cast.coordinator, decline_reason="out_of_area", explanation=""
        )


# Return as incomplete, completing it, and chasing.


def test_a_returned_referral_is_completed_through_the_referrers_own_journey(cast):
    referral = submit_referral(cast.area_a)
    first_people = set(referral.participants.values_list("person_id", flat=True))
    referral_return(
        referral=referral, actor=cast.coordinator, missing="Section 4: the perpetrator's address"
    )
    (mail,) = [m for m in delivered_mail() if "needs more information" in m.subject]
    assert "perpetrator's address" not in mail.body
    link = re.search(r"http\S+", mail.body).group(0)
    path = link.split("8000", 1)[-1] if "8000" in link else link
    assert path == reverse("referrals:task_list", args=[referral.public_id])

    # The secure link leads through e-mail verification back to the referral.
    client = Client()
    assert client.get(path)["Location"] == reverse("referrals:email")
    client.post("/refer/email/", {"email": REFERRER})
    code = re.search(r"\b(\d{6})\b", delivered_mail()[-1].body).group(1)
    response = client.post("/refer/email/code/", {"code": code})
    assert response["Location"] == path
    page = client.get(path).content.decode()
    assert "Returned by the MARAC hub" in page
    assert "perpetrator&#x27;s address" in page

    check = reverse("referrals:check", args=[referral.public_id])
    assert client.post(check)["Location"] == reverse(
        "referrals:submitted", args=[referral.public_id]
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
    assert not first_people & set(referral.participants.values_list("person_id", flat=True))
    assert not Person.objects.filter(pk__in=first_people).exists()
    assert not PersonKey.objects.filter(person_id__in=first_people).exists()
    assert not PersonAddress.objects.filter(person_id__in=first_people).exists()
    assert len(notices("referral.new_for_hub", referral)) == 2
    # Completed, so the sweep neither chases nor lapses it.
    assert chase_incomplete(at(2027, 6, 1, 10)) == 0
    assert IncompleteChase.objects.get(referral=referral).completed_at is not None
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED


def test_chasing_escalating_and_lapsing_across_christmas_new_year_and_weekends(cast):
    agency = cast.police_rep.agency
    agency.escalation_email = "da-lead@example.org"
    agency.save()
    referral = submit_referral(cast.area_a, agency=agency)
    with time_machine.travel(at(2026, 12, 24, 10), tick=False):  # Thursday before Christmas
        referral_return(referral=referral, actor=cast.coordinator, missing="The DASH")
    # Working days: 29, 30, 31 Dec, (1 Jan holiday), 4 Jan is the 4th.
    assert chase_incomplete(at(2027, 1, 4, 9, 59)) == 0
    assert chase_incomplete(at(2027, 1, 4, 10)) == 1
    assert chase_incomplete(at(2027, 1, 4, 11)) == 0
    assert len(notices("triage.chase.referrer")) == 1
    assert chase_incomplete(at(2027, 1, 8, 10)) == 1  # 8th working day
    assert len(notices("triage.chase.referrer")) == 2
    assert notices("triage.chase.escalated") == []
    assert chase_incomplete(at(2027, 1, 12, 10)) == 1  # 10th: beginning of week 3
    assert recipients("triage.chase.escalated") == {
        "da-lead@example.org",
        cast.partnership.hub_email,
    }
    assert chase_incomplete(at(2027, 1, 19, 9)) == 0
    assert chase_incomplete(at(2027, 1, 19, 10)) == 1  # 15th: end of week 3
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.LAPSED
    lapse = TriageDecision.objects.get(referral=referral, kind=DecisionKind.LAPSE)
    assert lapse.responsibility == "referrer"
    assert lapse.decided_by is None
    assert {REFERRER, cast.partnership.hub_email, cast.police_rep.email} <= recipients(
        "triage.lapsed"
    )
    assert chase_incomplete(at(2027, 2, 1, 10)) == 0
    assert len(notices("triage.chase.referrer")) == 2
    assert len(notices("triage.lapsed")) >= 3
    # The referrer can no longer change it.
    from openmarac.referrals.services import EDITABLE

    assert referral.status not in EDITABLE


def test_the_chase_rule_is_the_areas_setting_and_a_missed_sweep_catches_up_once(cast):
    policy = cast.area_a.policy
    policy.incomplete_chase_count = 3
    policy.incomplete_chase_interval_working_days = 1
    policy.incomplete_escalate_working_days = None
    policy.incomplete_lapse_working_days = None
    policy.save()
    referral = submit_referral(cast.area_a)
    with time_machine.travel(at(2026, 11, 27, 16), tick=False):  # a Friday
        referral_return(referral=referral, actor=cast.coordinator, missing="The DASH")
    assert chase_incomplete(at(2026, 11, 30, 15)) == 0  # Monday: not yet a working day
    assert chase_incomplete(at(2026, 12, 2, 17)) == 1  # Wednesday: third chase due, sent once
    chase = IncompleteChase.objects.get(referral=referral)
    assert chase.chases_sent == 3
    assert len(notices("triage.chase.referrer")) == 1
    assert chase_incomplete(at(2027, 6, 1, 10)) == 0
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RETURNED_BY_HUB  # this area never lapses


# Linking and merging people.


def test_link_and_undo_before_acceptance(cast):
    referral = submit_referral(cast.area_a)
    victim = referral.participants.get(role=ParticipantRole.VICTIM)
    own = victim.person
    known = cast.case_a.participants.get(role=ParticipantRole.VICTIM).person
    person_link(participant=victim, to=known, actor=cast.coordinator)
    victim.refresh_from_db()
    assert victim.person == known
    assert victim.submitted_person == own
    assert victim.link_status == LinkStatus.LINKED
    with pytest.raises(PersonLinkError):
        person_unlink(participant=victim, actor=cast.coordinator, reason="")
    person_unlink(participant=victim, actor=cast.coordinator, reason="Different date of birth")
    victim.refresh_from_db()
    assert victim.person == own
    assert victim.link_status == LinkStatus.PENDING
    actions = list(
        AuditEvent.objects.filter(action__startswith="person.").values_list("action", flat=True)
    )
    assert actions == ["person.link", "person.unlink"]


def test_a_wrong_link_undone_after_acceptance_moves_the_case_role_back(cast):
    known = cast.case_a.participants.get(role=ParticipantRole.PERPETRATOR).person
    referral = submit_referral(cast.area_b)
    resolve(referral, cast.coordinator, {(ParticipantRole.PERPETRATOR, 0): known})
    result = referral_accept(referral=referral, actor=cast.coordinator, reason="Met")
    assert CaseParticipant.objects.filter(case=result.case, person=known).exists()
    perp = referral.participants.get(role=ParticipantRole.PERPETRATOR)
    person_unlink(participant=perp, actor=cast.coordinator, reason="Not the same man")
    perp.refresh_from_db()
    assert not CaseParticipant.objects.filter(case=result.case, person=known).exists()
    assert CaseParticipant.objects.filter(
        case=result.case, person=perp.person, role=ParticipantRole.PERPETRATOR
    ).exists()
    assert CaseParticipant.objects.filter(case=cast.case_a, person=known).exists()


def test_merge_and_unmerge_restore_every_role_exactly(cast):
    victim_a = cast.case_a.participants.get(role=ParticipantRole.VICTIM).person
    victim_b = cast.case_b.participants.get(role=ParticipantRole.VICTIM).person
    # A third case where both records already appear in the same role: a duplicate to drop.
    both = old_case(cast.area_a, "NK-BOTH", victim=victim_a, perpetrators=[])
    CaseParticipant.objects.create(case=both, person=victim_b, role=ParticipantRole.VICTIM)
    referral = submit_referral(cast.area_b)
    v = referral.participants.get(role=ParticipantRole.VICTIM)
    person_link(participant=v, to=victim_b, actor=cast.coordinator)

    def snapshot():
        return (
            sorted(CaseParticipant.objects.values_list("case_id", "person_id", "role")),
            sorted(referral.participants.values_list("pk", "person_id")),
            sorted(Person.objects.values_list("pk", "merged_into_id")),
        )

    before = snapshot()
    merge = person_merge(
        kept=victim_a, merged=victim_b, actor=cast.coordinator, reason="Same person, new surname"
    )
    victim_b.refresh_from_db()
    assert victim_b.merged_into == victim_a
    assert not CaseParticipant.objects.filter(person=victim_b).exists()
    assert CaseParticipant.objects.filter(case=cast.case_b, person=victim_a).exists()
    assert CaseParticipant.objects.filter(case=both, person=victim_a).count() == 1
    v.refresh_from_db()
    assert v.person == victim_a
    with pytest.raises(PersonLinkError, match="already been merged"):
        person_merge(kept=victim_b, merged=victim_a, actor=cast.coordinator, reason="x")
    person_unmerge(merge=merge, actor=cast.coordinator, reason="Different people after all")
    assert snapshot() == before
    with pytest.raises(PersonLinkError, match="already been undone"):
        person_unmerge(merge=merge, actor=cast.coordinator, reason="again")
    assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
        "person.merge",
        "person.unmerge",
    }


def test_a_merge_is_undone_only_after_a_later_merge_of_the_same_record(cast):
    a = person(cast.area_a, "Aname", "Mergetest")
    b = person(cast.area_a, "Bname", "Mergetest")
    c = person(cast.area_a, "Cname", "Mergetest")
    first = person_merge(kept=a, merged=b, actor=cast.coordinator, reason="same")
    second = person_merge(kept=c, merged=a, actor=cast.coordinator, reason="same")
    with pytest.raises(PersonLinkError, match="later merge"):
        person_unmerge(merge=first, actor=cast.coordinator, reason="wrong")
    person_unmerge(merge=second, actor=cast.coordinator, reason="wrong")
    person_unmerge(merge=first, actor=cast.coordinator, reason="wrong")
    assert not Person.objects.filter(pk__in=[a.pk, b.pk, c.pk], merged_into__isnull=False).exists()


def test_links_are_only_made_while_the_referral_waits(cast):
    referral = submit_referral(cast.area_a)
    referral_decline(
        referral=referral, actor=cast.coordinator, decline_reason="out_of_area", explanation="x"
    )
    victim = referral.participants.get(role=ParticipantRole.VICTIM)
    with pytest.raises(PersonLinkError, match="waits for triage"):
        person_confirm_new(participant=victim, actor=cast.coordinator)


# Repeats.


def _pair(cast, area=None):
    area = area or cast.area_a
    victim = person(area, "Repeatvictim", "Pairtest")
    perp = person(area, "Repeatperp", "Pairtest")
    return victim, perp


def _accept_linked(cast, referral, victim, perps, **kwargs):
    links = {(ParticipantRole.VICTIM, 0): victim}
    for i, p in enumerate(perps):
        if p is not None:
            links[(ParticipantRole.PERPETRATOR, i)] = p
    resolve(referral, cast.coordinator, links)
    return referral_accept(referral=referral, actor=cast.coordinator, reason="Met", **kwargs)


NOW = at(2026, 11, 23, 10)


@time_machine.travel(NOW, tick=False)
def test_same_pair_within_the_window_is_a_repeat_that_relists_and_restarts_the_period(cast):
    victim, perp = _pair(cast)
    earlier = old_case(
        cast.area_a,
        "NK-OLD-1",
        victim=victim,
        perpetrators=[perp],
        referred_at=NOW - datetime.timedelta(days=300),
        heard_on=datetime.date(2026, 2, 10),
    )
    earlier.status = CaseStatus.CLOSED
    earlier.save()
    referral = submit_referral(cast.area_a)
    result = _accept_linked(cast, referral, victim, [perp])
    referral.refresh_from_db()
    earlier.refresh_from_db()
    assert result.case == earlier
    assert referral.case == earlier
    assert referral.is_repeat
    assert earlier.status == CaseStatus.OPEN
    listing = Listing.objects.get(case=earlier)
    assert listing.reason == ListingReason.REPEAT
    assert earlier.last_heard_on == listing.meeting.starts_on
    assert earlier.open_until == listing.meeting.starts_on.replace(year=2027)
    assert result.decision.is_repeat
    assert result.decision.routing == Routing.AGENDA
    assert not CaseLink.objects.exists()


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("setup", "kind"),
    [
        ("same_victim_other_perpetrator", "victim"),
        ("same_perpetrator_other_victim", "perpetrator"),
        ("beyond_window", "earlier"),
        ("other_area", "elsewhere"),
        ("information_only", "information"),
    ],
)
def test_what_is_not_a_repeat_becomes_a_new_case_linked_for_context(cast, setup, kind):
    victim, perp = _pair(cast)
    other = person(cast.area_a, "Otherperson", "Pairtest")
    recent = NOW - datetime.timedelta(days=60)
    area = cast.area_b if setup == "other_area" else cast.area_a
    referred = NOW - datetime.timedelta(days=400) if setup == "beyond_window" else recent
    earlier = old_case(area, "OLD-1", victim=victim, perpetrators=[perp], referred_at=referred)
    referral = submit_referral(cast.area_a)
    new_victim, new_perp = victim, perp
    if setup == "same_victim_other_perpetrator":
        new_perp = other
    if setup == "same_perpetrator_other_victim":
        new_victim = other
    result = _accept_linked(
        cast,
        referral,
        new_victim,
        [new_perp],
        information_only=setup == "information_only",
    )
    assert not result.assessment.is_repeat
    assert result.case != earlier
    assert result.case.reference == referral.reference
    (link,) = CaseLink.objects.all()
    assert (link.case, link.related_case, link.kind) == (result.case, earlier, kind)
    assert Listing.objects.get(case=result.case).reason == ListingReason.NEW
    earlier.refresh_from_db()
    assert earlier.open_until is None


@time_machine.travel(NOW, tick=False)
def test_the_window_runs_from_the_last_hearing_where_the_area_says_so(cast):
    victim, perp = _pair(cast)
    kwargs = {
        "victim": victim,
        "perpetrators": [perp],
        "referred_at": NOW - datetime.timedelta(days=430),
        "heard_on": datetime.date(2026, 1, 5),  # heard 10 months ago, referred 14 months ago
    }
    old_case(cast.area_a, "NK-OLD-R", **kwargs)
    referral = submit_referral(cast.area_a)
    assert not _accept_linked(cast, referral, victim, [perp]).assessment.is_repeat

    policy = cast.area_a.policy
    policy.repeat_from = "meeting"
    policy.save()
    victim2, perp2 = _pair(cast)
    earlier = old_case(
        cast.area_a, "NK-OLD-M", **{**kwargs, "victim": victim2, "perpetrators": [perp2]}
    )
    referral2 = submit_referral(cast.area_a, victim=("Second", "Victimtest"))
    result = _accept_linked(cast, referral2, victim2, [perp2])
    assert result.assessment.is_repeat
    assert result.case == earlier


@time_machine.travel(NOW, tick=False)
def test_an_incident_with_any_of_several_perpetrators_counts(cast):
    victim, perp = _pair(cast)
    second = person(cast.area_a, "Secondperp", "Pairtest")
    earlier = old_case(
        cast.area_a,
        "NK-OLD-2",
        victim=victim,
        perpetrators=[perp, second],
        referred_at=NOW - datetime.timedelta(days=30),
    )
    referral = submit_referral(
        cast.area_a, perpetrators=(("New", "Perptest"), ("Secondperp", "Pairtest"))
    )
    result = _accept_linked(cast, referral, victim, [None, second])
    assert result.assessment.is_repeat
    assert result.case == earlier
    assert earlier.participants.filter(role=ParticipantRole.PERPETRATOR).count() == 3


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("heard_days_ago", "engaged", "routing"),
    [(60, True, "idva_only"), (60, False, "agenda"), (120, True, "agenda")],
)
def test_gwent_sends_an_early_repeat_with_an_engaged_victim_to_the_idva_only(
    cast, heard_days_ago, engaged, routing
):
    idva = idva_user(cast.area_a)
    policy = cast.area_a.policy
    policy.repeat_idva_only_within_months = 3
    policy.save()
    victim, perp = _pair(cast)
    heard = (NOW - datetime.timedelta(days=heard_days_ago)).date()
    earlier = old_case(
        cast.area_a,
        "NK-OLD-G",
        victim=victim,
        perpetrators=[perp],
        referred_at=NOW - datetime.timedelta(days=heard_days_ago + 20),
        heard_on=heard,
    )
    # The engagement is what the IDVA service recorded on the earlier case, not a question.
    IdvaContact.objects.create(
        case=earlier,
        accepted_at=NOW - datetime.timedelta(days=heard_days_ago + 20),
        due_at=NOW - datetime.timedelta(days=heard_days_ago + 18),
        outcome=ContactOutcome.ENGAGED if engaged else ContactOutcome.DECLINED,
        outcome_at=NOW - datetime.timedelta(days=heard_days_ago + 19),
    )
    referral = submit_referral(cast.area_a)
    result = _accept_linked(cast, referral, victim, [perp])
    assert result.assessment.is_repeat
    assert result.decision.routing == routing
    assert Listing.objects.filter(case=earlier).exists() == (routing == "agenda")
    assert idva.email in recipients("triage.accepted.idva")
    assert bool(notices("triage.accepted.members")) == (routing == "agenda")
    earlier.refresh_from_db()
    assert (earlier.last_heard_on == heard) == (routing == "idva_only")


# Complex cases.


def _hear(case, days_ago: list[int]):
    for n, days in enumerate(days_ago):
        meeting = meeting_add(
            area=case.area,
            starts_on=NOW.date() + datetime.timedelta(days=1 + n),
            actor=None,
        )
        meeting.starts_on = meeting.ends_on = NOW.date() - datetime.timedelta(days=days)
        meeting.save()
        Listing.objects.create(
            meeting=meeting,
            case=case,
            reason=ListingReason.REVIEW,
            status=ListingStatus.HEARD,
            listed_at=NOW,
        )


@time_machine.travel(NOW, tick=False)
def test_a_case_heard_four_times_in_twelve_months_is_highlighted_to_the_chair(cast):
    _hear(cast.case_a, [20, 100, 200, 300])
    _hear(cast.case_b, [20, 100, 200, 400])  # the fourth hearing is too old
    for user in (cast.chair, cast.coordinator):
        page = client_for(user).get(reverse("triage:complex_cases")).content.decode()
        assert cast.case_a.reference in page
        assert cast.case_b.reference not in page
    assert client_for(cast.police_rep).get(reverse("triage:complex_cases")).status_code == 404
    case_page = client_for(cast.chair).get(
        reverse("caserecord:record", args=[cast.case_a.reference])
    )
    assert "Complex case review candidate" in case_page.content.decode()
    other = client_for(cast.chair).get(reverse("caserecord:record", args=[cast.case_b.reference]))
    assert "Complex case review candidate" not in other.content.decode()


# Weekly updates.


def test_a_weekly_update_is_shown_to_the_cases_members_and_asks_for_the_flag(cast):
    idva = idva_user(cast.area_a)
    url = reverse("triage:weekly_update_new", args=[cast.case_a.reference])
    response = client_for(cast.police_rep).post(
        url,
        {
            "kind": "new_address",
            "information": "Moved to a refuge in another town",
            "purpose": "Not a repeat: no incident. Agencies to update addresses.",
            "extend_flag": "yes",
        },
    )
    assert response.status_code == 302
    updates = reverse("triage:weekly_updates", args=[cast.case_a.reference])
    for user in (cast.coordinator, cast.chair, cast.invited_rep, cast.police_rep):
        page = client_for(user).get(updates).content.decode()
        assert "Moved to a refuge" in page
        assert "Agencies asked to extend the flag" in page
    assert client_for(cast.housing_rep).get(updates).status_code == 404
    (notice, *_others) = notices("weekly_update.members")
    assert "flag" in notice.subject
    assert cast.case_a.reference in notice.body
    assert "refuge" not in notice.body
    assert cast.police_rep.email not in recipients("weekly_update.members")  # the author
    assert {idva.email, cast.invited_rep.email} <= recipients("weekly_update.members")
    assert cast.housing_rep.email not in recipients("weekly_update.members")


def test_a_weekly_update_form_keeps_what_was_typed_and_explains_errors(cast):
    url = reverse("triage:weekly_update_new", args=[cast.case_a.reference])
    response = client_for(cast.police_rep).post(url, {"information": "Kept text"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Kept text" in page
    assert "Enter the purpose of the update" in page


def test_weekly_updates_need_an_open_case(cast):
    cast.case_a.status = CaseStatus.CLOSED
    cast.case_a.save()
    with pytest.raises(TriageError, match="open case"):
        weekly_update_submit(
            case=cast.case_a,
            actor=cast.police_rep,
            kind="school",
            information="x",
            purpose="y",
            extend_flag=False,
        )


def test_a_restricted_referral_becomes_a_case_only_its_accepting_coordinator_sees(cast):
    referral = submit_referral(cast.area_a)
    Referral.objects.filter(pk=referral.pk).update(restriction_requested="hba")
    referral.refresh_from_db()
    resolve(referral, cast.coordinator)
    result = referral_accept(referral=referral, actor=cast.coordinator, reason="HBA pathway")
    assert result.case.restriction == "hba"
    assert result.case.access_grants.filter(user=cast.coordinator).exists()
    assert notices("triage.accepted.members") == []


def test_nothing_is_added_to_a_frozen_case(cast):
    from openmarac.cases.models import CaseDeath

    CaseDeath.objects.create(
        case=cast.case_a, role="victim", recorded_by=cast.coordinator, recorded_at=NOW
    )
    referral = submit_referral(cast.area_a)
    resolve(referral, cast.coordinator)
    with pytest.raises(TriageError, match="frozen"):
        referral_accept(
            referral=referral, actor=cast.coordinator, reason="Met", attach_to=cast.case_a
        )
    with pytest.raises(TriageError, match="frozen"):
        weekly_update_submit(
            case=cast.case_a,
            actor=cast.police_rep,
            kind="school",
            information="x",
            purpose="y",
            extend_flag=False,
        )


def test_the_presets_carry_the_lincolnshire_chase_rule_and_the_gwent_idva_rule():
    from openmarac.partnerships.presets import PRESETS

    (lincs,) = PRESETS["lincolnshire"]["areas"]
    assert lincs["policy"]["incomplete_chase_count"] == 2
    assert lincs["policy"]["incomplete_chase_interval_working_days"] * 2 <= 10  # within 2 weeks
    assert lincs["policy"]["incomplete_escalate_working_days"] == 10  # beginning of week 3
    assert lincs["policy"]["incomplete_lapse_working_days"] == 15  # end of week 3
    for area in PRESETS["gwent"]["areas"]:
        assert area["policy"]["repeat_idva_only_within_months"] == 3
    assert "repeat_idva_only_within_months" not in PRESETS["kent-medway"]["areas"][0]["policy"]


# Suggestions on the triage page.


def test_the_triage_page_ranks_known_people_with_evidence_and_links_by_post(cast):
    victim = cast.case_a.participants.get(role=ParticipantRole.VICTIM).person
    referral = submit_referral(cast.area_a, victim=(victim.forenames, victim.surname))
    client = client_for(cast.coordinator)
    url = reverse("triage:referral", args=[referral.public_id])
    page = client.get(url).content.decode()
    assert f'name="person" value="{victim.pk}"' in page
    assert "Agrees: " in page
    participant = referral.participants.get(role=ParticipantRole.VICTIM)
    decide = reverse("triage:participant_decide", args=[referral.public_id, participant.pk])
    # A person the coordinator may not see cannot be linked, even by a crafted form.
    stranger = person(cast.area_a, "Nocase", "Pairtest")
    assert client.post(decide, {"decision": "link", "person": stranger.pk}).status_code == 404
    assert client.post(decide, {"decision": "link", "person": victim.pk}).status_code == 302
    participant.refresh_from_db()
    assert participant.person == victim
    assert participant.link_status == LinkStatus.LINKED
    page = client.get(url).content.decode()
    assert "Linked to" in page
    assert "repeat-finding" not in page  # the perpetrator is not yet linked


def test_a_referrals_people_are_looked_up_together_and_never_suggested_for_each_other(cast):
    from openmarac.triage.linking import suggestions, suggestions_for

    area = cast.case_a.area
    known_victim = person(area, "Harriet", "Quill")
    known_abuser = person(area, "Edmund", "Quill")
    old_case(area, "NK-OLD-Q", victim=known_victim, perpetrators=[known_abuser])
    referral = submit_referral(
        area, victim=("Harriet", "Quill"), perpetrators=(("Edmund", "Quill"),)
    )
    own = {p.role: p.person for p in referral.participants.all()}
    found = suggestions_for(cast.coordinator, list(own.values()))
    victim_matches = [m.person for m in found[own[ParticipantRole.VICTIM].pk]]
    abuser_matches = [m.person for m in found[own[ParticipantRole.PERPETRATOR].pk]]
    assert victim_matches[0] == known_victim
    assert abuser_matches[0] == known_abuser
    # The referral's own new records are never offered, for themselves or for each other.
    assert not set(own.values()) & set(victim_matches + abuser_matches)
    # Each list is what looking the person up alone gives, apart from the referral's own people.
    alone = [m.person for m in suggestions(cast.coordinator, own[ParticipantRole.VICTIM])]
    assert [p for p in alone if p not in own.values()] == victim_matches
    assert suggestions_for(cast.coordinator, []) == {}


def test_a_coordinator_never_sees_another_partnerships_people_in_suggestions(cast):
    from openmarac.triage.linking import suggestions

    coordinator2 = other_partnership_coordinator("coordinator2", domain="example.org")
    other = coordinator2.agency.partnership
    gwent_area = other.areas.get(code="NEW")
    demo_victim = cast.case_a.participants.get(role=ParticipantRole.VICTIM).person
    twin = person(gwent_area, demo_victim.forenames, demo_victim.surname)
    old_case(gwent_area, "NEW-OLD-1", victim=twin, perpetrators=[])
    referral = submit_referral(gwent_area, victim=(demo_victim.forenames, demo_victim.surname))
    own = referral.participants.get(role=ParticipantRole.VICTIM).person
    found = [m.person for m in suggestions(coordinator2, own)]
    assert found == [twin]
    assert demo_victim not in [m.person for m in suggestions(coordinator2, demo_victim)]
    assert twin not in [m.person for m in suggestions(cast.coordinator, demo_victim)]
    page = client_for(coordinator2).get(reverse("triage:referral", args=[referral.public_id]))
    assert f'value="{twin.pk}"' in page.content.decode()
    assert f'value="{demo_victim.pk}"' not in page.content.decode()
    # And the demo coordinator cannot open the other partnership's referral at all.
    assert (
        client_for(cast.coordinator)
        .get(reverse("triage:referral", args=[referral.public_id]))
        .status_code
        == 404
    )


def test_an_old_referral_link_refuses_a_coordinator_of_another_partnership(cast):
    """The old hub link redirects only to a referral the coordinator may see: a coordinator of
    another partnership is refused there, not sent on towards the first partnership's referral."""
    stranger = other_partnership_coordinator()
    referral = submit_referral(cast.area_a, victim=("Oldlink", "Victimtest"))
    url = reverse("referrals:hub_detail", args=[referral.public_id])

    response = client_for(stranger).get(url)

    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        actor=stranger,
        action="referral.view.denied",
        outcome="denied",
        object_id=str(referral.public_id),
    ).exists()
    own = client_for(cast.coordinator).get(url)
    assert own.status_code == 302
    assert own["Location"] == reverse("triage:referral", args=[referral.public_id])
