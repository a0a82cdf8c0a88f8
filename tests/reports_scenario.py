"""A known half-year of two MARAC areas, built through the services on a moved clock, for the
reports' tests to count exactly.

North Kent (NK), April to June 2026 (2026Q2):

* R1, police, Mon 20 April: a Black bisexual disabled woman born 3 March 1990 (36: 35 to 44),
  two children at home and one elsewhere, her son (born 10 January 2009, 17) the perpetrator.
  Accepted the same day, heard on Wed 13 May (closed to MARAC).
* R2, IDVA service, Tue 21 April: a white heterosexual man, not disabled, born in 2009 (16 by the
  year alone), no children, his ex-partner the perpetrator. Accepted on Fri 24 April (late),
  heard on 13 May (kept open).
* R3, police, Wed 22 April, victimless: declined the same day (criteria not met).
* R4, housing, Thu 23 April: returned as incomplete the same day, lapsed on 1 June.
* The 13 May meeting: the police chair and the IDVA service attend, children's services send
  apologies with their information in writing, health does not come. Agenda sent on time,
  research asked of the four standing agencies for both cases (police on time, IDVA late, the
  rest never), minutes and actions out on time. Actions: police's completed, the IDVA service's
  overdue and marked "no update", children's services' not feasible.

July to September 2026 (2026Q3):

* R5, police, Wed 1 July: R1's victim and perpetrator again, with one child at home: accepted as
  a repeat onto R1's case and heard on Wed 15 July, with R2's case reviewed at the same meeting
  (no referral of its own). Minutes published late, actions never sent, no agenda.
* R6, West Kent (WK), health, Mon 3 August: a transfer in, an Asian woman born 1 June 1980 (46),
  one child, her husband the perpetrator: accepted the next morning, heard on Wed 19 August.
* R2's case is closed as transferred out on Thu 10 September.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import time_machine
from django.utils import timezone

from openmarac.actions.models import Action, ActionStatus
from openmarac.agencies.models import Agency
from openmarac.cases.models import Case, CaseParticipant, ClosureReason, ParticipantRole
from openmarac.demo.referral_answers import COMPLETE_SECTIONS, demo_referral_answers
from openmarac.meetings.models import Listing, ListingReason, Meeting, MeetingKind
from openmarac.meetings.services import case_list
from openmarac.proceedings.models import AttendeeRole, Hearing
from openmarac.proceedings.services.attendance import apology_record, attendee_add, attendee_confirm
from openmarac.proceedings.services.conduct import meeting_close, meeting_open
from openmarac.proceedings.services.hearings import hearing_decide, hearing_open
from openmarac.proceedings.services.minutes import actions_publish, minutes_approve, minutes_publish
from openmarac.referrals.models import Referral
from openmarac.referrals.selectors import email_index
from openmarac.referrals.services import referral_submit
from openmarac.research.models import ResearchRequest
from openmarac.research.services import agenda_publish
from openmarac.triage.models import DeclineReason
from openmarac.triage.services.acceptance import referral_accept
from openmarac.triage.services.decisions import referral_decline, referral_return
from openmarac.triage.sweeps import chase_incomplete
from tests.triage_helpers import anonymous_request, resolve


def at(day: str, hour: int = 10) -> datetime.datetime:
    """A moment in London on ``day`` (ISO), at ``hour``."""
    return timezone.make_aware(
        datetime.datetime.combine(datetime.date.fromisoformat(day), datetime.time(hour))
    )


@dataclass
class Scenario:
    cast: Any
    referrals: dict[str, Referral] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    meetings: dict[str, Meeting] = field(default_factory=dict)


def _agency(cast: Any, name: str) -> Agency:
    return Agency.objects.get(partnership=cast.partnership, name=name)


def _referral(
    cast: Any,
    area: Any,
    agency: Agency,
    *,
    victim: tuple[str, str],
    changes: dict[str, Any],
    when: str,
) -> Referral:
    with time_machine.travel(at(when), tick=False):
        answers = demo_referral_answers(
            area, agency, victim=victim, perpetrator=("Perp", victim[1])
        )
        for section, values in changes.items():
            if section in ("perpetrator",):
                answers["perpetrators"]["items"][0].update(values)
            elif section == "children":
                answers["children"] = {"done": True, "items": values}
            else:
                answers[section].update(values)
        email = "referrer@example.org"
        referral = Referral.objects.create(
            partnership=cast.partnership,
            area=area,
            referrer_email=email,
            referrer_email_index=email_index(email),
            referrer_agency=agency,
            answers=answers,
            completed_sections=COMPLETE_SECTIONS,
        )
        referral_submit(referral=referral, request=anonymous_request())
    referral.refresh_from_db()
    return referral


def _child(lives: str) -> dict[str, Any]:
    return {
        "forenames": "Child",
        "surname": "Example",
        "date_of_birth": "2018",
        "school": "",
        "relationship_to_victim": "Daughter",
        "relationship_to_perpetrator": "",
        "lives_in_household": lives,
        "saw_or_heard": "not_known",
        "gender": "female",
    }


def _meeting(area: Any, day: str, kind: str = MeetingKind.REGULAR) -> Meeting:
    starts = datetime.date.fromisoformat(day)
    return Meeting.objects.create(
        area=area, kind=kind, starts_on=starts, ends_on=starts, start_time=datetime.time(10)
    )


def _accept(
    referral: Referral, actor: Any, meeting: Meeting, when: str, hour: int = 11, **links: Any
) -> Case:
    with time_machine.travel(at(when, hour), tick=False):
        resolve(referral, actor, links or None)
        result = referral_accept(
            referral=referral, actor=actor, reason="Meets the criteria", meeting=meeting
        )
    return result.case


def _hold(
    meeting: Meeting,
    cast: Any,
    *,
    outcomes: dict[int, str],
    attend: list[tuple[Any, Agency]],
    apologies: list[tuple[Agency, bool]] = (),  # type: ignore[assignment]
) -> None:
    """Hold ``meeting`` on its day: attendance, confirmations, each listed case decided, closed."""
    chair, coordinator = cast.chair, cast.coordinator
    with time_machine.travel(at(meeting.starts_on.isoformat(), 9), tick=False):
        for user, agency in attend:
            attendee = attendee_add(
                meeting=meeting,
                role=AttendeeRole.CHAIR if user == chair else AttendeeRole.REPRESENTATIVE,
                actor=coordinator,
                user=user,
                name="" if user else f"{agency.name} representative",
                agency=agency if user is None else None,
            )
            attendee_confirm(attendee=attendee, actor=coordinator)
        for agency, in_writing in apologies:
            apology_record(
                meeting=meeting, agency=agency, information_in_writing=in_writing, actor=coordinator
            )
    with time_machine.travel(at(meeting.starts_on.isoformat(), 10), tick=False):
        meeting_open(meeting=meeting, actor=chair)
        for listing in Listing.objects.filter(meeting=meeting).order_by("pk"):
            hearing = hearing_open(listing=listing, actor=chair)
            hearing_decide(hearing=hearing, outcome=outcomes[listing.case_id], actor=chair)
    with time_machine.travel(at(meeting.starts_on.isoformat(), 12), tick=False):
        meeting_close(meeting=meeting, actor=chair)


def _action(
    case: Case, meeting: Meeting, agency: Agency, cast: Any, due: str, **state: Any
) -> Action:
    return Action.objects.create(
        case=case,
        meeting=meeting,
        owner_agency=agency,
        what="Fictional action",
        addresses_risk="Fictional risk",
        due_on=datetime.date.fromisoformat(due),
        rationale="Fictional rationale",
        proposed_by=cast.chair,
        proposed_at=at(meeting.starts_on.isoformat(), 11),
        agreed_by=cast.chair,
        agreed_at=at(meeting.starts_on.isoformat(), 11),
        **{"status": ActionStatus.AGREED, **state},
    )


def build(cast: Any) -> Scenario:
    s = Scenario(cast=cast)
    hub = cast.coordinator
    north, west = cast.area_a, cast.area_b
    police = _agency(cast, "Example Constabulary")
    idva = _agency(cast, "Example IDVA Service")
    childrens = _agency(cast, "Example Children's Services")
    health = _agency(cast, "Example Health Trust")
    housing = _agency(cast, "Example Housing (West)")
    s.meetings["may"] = _meeting(north, "2026-05-13")
    s.meetings["july"] = _meeting(north, "2026-07-15")
    s.meetings["august"] = _meeting(west, "2026-08-19")

    r1 = _referral(
        cast,
        north,
        police,
        victim=("Una", "Scenarioone"),
        when="2026-04-20",
        changes={
            "victim": {"gender": "female", "date_of_birth": "1990-03-03"},
            "equality": {
                "ethnicity": "black",
                "sexual_orientation": "bisexual",
                "disability": "yes",
            },
            "children": [_child("yes"), _child("yes"), _child("no")],
            "perpetrator": {"date_of_birth": "2009-01-10", "relationship": "Son"},
        },
    )
    r2 = _referral(
        cast,
        north,
        idva,
        victim=("Duo", "Scenariotwo"),
        when="2026-04-21",
        changes={
            "victim": {"gender": "male", "date_of_birth": "2009"},
            "equality": {
                "ethnicity": "white",
                "sexual_orientation": "heterosexual",
                "trans": "no",
                "disability": "no",
            },
            "perpetrator": {"date_of_birth": "1985", "relationship": "Ex-partner"},
        },
    )
    r3 = _referral(
        cast,
        north,
        police,
        victim=("Tri", "Scenariothree"),
        when="2026-04-22",
        changes={"handling": {"victimless": "yes"}},
    )
    r4 = _referral(
        cast, north, housing, victim=("Quad", "Scenariofour"), when="2026-04-23", changes={}
    )
    s.referrals.update(r1=r1, r2=r2, r3=r3, r4=r4)
    s.cases["one"] = _accept(r1, hub, s.meetings["may"], "2026-04-20")
    s.cases["two"] = _accept(r2, hub, s.meetings["may"], "2026-04-24", hour=14)
    with time_machine.travel(at("2026-04-22", 15), tick=False):
        resolve(r3, hub)
        referral_decline(
            referral=r3,
            actor=hub,
            decline_reason=DeclineReason.THRESHOLD,
            explanation="The criteria are not met",
        )
    with time_machine.travel(at("2026-04-23", 15), tick=False):
        referral_return(referral=r4, actor=hub, missing="The risk checklist")
    chase_incomplete(at("2026-06-01", 9))

    may = s.meetings["may"]
    with time_machine.travel(at("2026-05-01", 9), tick=False):
        agenda_publish(meeting=may, actor=hub)
    requests = ResearchRequest.objects.filter(listing__meeting=may)
    for request in requests.filter(agency=police):
        ResearchRequest.objects.filter(pk=request.pk).update(
            completed_at=at(request.due_on.isoformat(), 16)
        )
    for request in requests.filter(agency=idva):
        late = request.due_on + datetime.timedelta(days=1)
        ResearchRequest.objects.filter(pk=request.pk).update(completed_at=at(late.isoformat(), 9))
    _hold(
        may,
        cast,
        outcomes={s.cases["one"].pk: "close", s.cases["two"].pk: "keep_open"},
        attend=[(cast.chair, police), (None, idva)],
        apologies=[(childrens, True)],
    )
    with time_machine.travel(at("2026-05-13", 15), tick=False):
        actions_publish(meeting=may, actor=hub)
    with time_machine.travel(at("2026-05-14", 10), tick=False):
        minutes_approve(meeting=may, actor=cast.chair)
        minutes_publish(meeting=may, actor=hub)
    _action(
        s.cases["one"],
        may,
        police,
        cast,
        "2026-05-20",
        status=ActionStatus.COMPLETED,
        closed_at=at("2026-05-18"),
    )
    _action(s.cases["one"], may, idva, cast, "2026-05-20", no_update_marked_at=at("2026-06-10"))
    _action(
        s.cases["two"],
        may,
        childrens,
        cast,
        "2026-06-01",
        status=ActionStatus.NOT_FEASIBLE,
        closed_at=at("2026-05-25"),
    )

    july = s.meetings["july"]
    one = s.cases["one"]
    victim = CaseParticipant.objects.get(case=one, role=ParticipantRole.VICTIM).person
    perpetrator = CaseParticipant.objects.get(case=one, role=ParticipantRole.PERPETRATOR).person
    r5 = _referral(
        cast,
        north,
        police,
        victim=("Una", "Scenarioone"),
        when="2026-07-01",
        changes={
            "victim": {"gender": "female", "date_of_birth": "1990-03-03"},
            "equality": {
                "ethnicity": "black",
                "sexual_orientation": "bisexual",
                "disability": "yes",
            },
            "children": [_child("yes")],
            "perpetrator": {"date_of_birth": "2009-01-10", "relationship": "Son"},
        },
    )
    s.referrals["r5"] = r5
    with time_machine.travel(at("2026-07-01", 11), tick=False):
        resolve(
            r5,
            hub,
            {(ParticipantRole.VICTIM, 0): victim, (ParticipantRole.PERPETRATOR, 0): perpetrator},
        )
        accepted = referral_accept(
            referral=r5, actor=hub, reason="A further incident", meeting=july
        )
    assert accepted.decision.is_repeat
    assert accepted.case.pk == one.pk
    with time_machine.travel(at("2026-07-02", 11), tick=False):
        case_list(case=s.cases["two"], actor=hub, reason=ListingReason.REVIEW, meeting=july)
    _hold(
        july,
        cast,
        outcomes={one.pk: "close", s.cases["two"].pk: "keep_open"},
        attend=[(cast.chair, police)],
    )
    with time_machine.travel(at("2026-08-20", 10), tick=False):
        minutes_approve(meeting=july, actor=cast.chair)
        minutes_publish(meeting=july, actor=hub)

    r6 = _referral(
        cast,
        west,
        health,
        victim=("Sei", "Scenariosix"),
        when="2026-08-03",
        changes={
            "handling": {"transfer_in": "yes", "transfer_from": "Example MARAC"},
            "victim": {"gender": "female", "date_of_birth": "1980-06-01"},
            "equality": {"ethnicity": "asian"},
            "children": [_child("yes")],
            "perpetrator": {"date_of_birth": "1975", "relationship": "Husband"},
        },
    )
    s.referrals["r6"] = r6
    august = s.meetings["august"]
    s.cases["six"] = _accept(r6, hub, august, "2026-08-04", hour=9)
    _hold(august, cast, outcomes={s.cases["six"].pk: "close"}, attend=[(cast.chair, police)])
    with time_machine.travel(at("2026-08-19", 15), tick=False):
        actions_publish(meeting=august, actor=hub)
    with time_machine.travel(at("2026-08-20", 10), tick=False):
        minutes_approve(meeting=august, actor=cast.chair)
        minutes_publish(meeting=august, actor=hub)
    # No service moves a case to another MARAC yet: the closure is recorded as the hub would.
    Case.objects.filter(pk=s.cases["two"].pk).update(
        status="closed", closed_at=at("2026-09-10"), closure_reason=ClosureReason.TRANSFERRED_OUT
    )
    assert Hearing.objects.filter(listing__meeting__in=s.meetings.values()).count() == 5
    return s
