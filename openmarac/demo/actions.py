"""Demo actions, so the action manager and the case page have something to show.

Called from ``openmarac.demo.partnership.load_demo``. North Kent's case gets an overdue police action, a police
action named to the police representative, a completed police action, and a proposal
from the invited agency waiting for the chair; West Kent's case gets an open housing action.
"""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.test import RequestFactory

from openmarac.accounts.models import User
from openmarac.actions.models import Action, ProfessionalsMeetingReason
from openmarac.actions.services.escalation import escalation_contact_set
from openmarac.actions.services.professionals import professionals_meeting_request
from openmarac.actions.services.progress import action_complete, action_update_add
from openmarac.actions.services.proposals import action_agree, action_propose
from openmarac.agencies.models import Agency
from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.core.workdays import calendar_for, local_date


def _request(user: User) -> HttpRequest:
    request = RequestFactory().post("/")
    request.user = user
    return request


def load_demo_actions(
    *, case_one: Case, case_two: Case, users: dict[str, User], now: datetime.datetime
) -> None:
    police, chair, housing = users["police"], users["chair"], users["housing"]
    invited, coordinator = users["invited"], users["coordinator"]
    victim_one = case_one.participants.get(role=ParticipantRole.VICTIM)
    victim_two = case_two.participants.get(role=ParticipantRole.VICTIM)
    calendar = calendar_for(case_one.partnership)
    today = local_date(now)

    def agreed(
        case: Case,
        proposer: User,
        owner: Agency,
        what: str,
        addresses: CaseParticipant | str,
        *,
        intervention: str,
        owner_user: User | None = None,
    ) -> Action:
        action = action_propose(
            case=case,
            owner_agency=owner,
            what=what,
            addresses=addresses,
            due_on=None,
            rationale="Reduces the risk identified in the research.",
            proposed_by=proposer,
            request=_request(proposer),
            owner_user=owner_user,
            intervention=intervention,
        )
        return action_agree(action=action, agreed_by=chair, request=_request(chair))

    overdue = agreed(
        case_one,
        police,
        police.agency,  # type: ignore[arg-type]
        "Place a marker on the victim's address so that calls get an urgent response.",
        victim_one,
        intervention="address-marker",
    )
    # Pretend it was agreed a while ago and is now overdue.
    agreed_at = now - datetime.timedelta(days=21)
    Action.objects.filter(pk=overdue.pk).update(
        due_on=calendar.add_working_days(today, -3), agreed_at=agreed_at
    )
    overdue.entries.update(at=agreed_at)
    action_update_add(
        action=overdue,
        by=police,
        text="Marker requested from the control room; waiting for confirmation.",
        request=_request(police),
    )
    agreed(
        case_one,
        police,
        police.agency,  # type: ignore[arg-type]
        "Review the perpetrator's bail conditions with the officer in the case.",
        "Risk of contact in breach of bail",
        owner_user=police,
        intervention="dvpo-bail",
    )
    done = agreed(
        case_one,
        police,
        police.agency,  # type: ignore[arg-type]
        "Carry out a welfare check on the victim and record the outcome.",
        victim_one,
        intervention="welfare-check",
    )
    action_complete(
        action=done,
        by=police,
        outcome="Welfare check done; the victim is safe and has the IDVA's number.",
        request=_request(police),
    )
    action_propose(
        case=case_one,
        owner_agency=invited.agency,  # type: ignore[arg-type]
        what="Offer the perpetrator an assessment with the recovery service.",
        addresses=case_one.participants.get(role=ParticipantRole.PERPETRATOR),
        due_on=None,
        rationale="Alcohol use is a risk factor in the research.",
        proposed_by=invited,
        request=_request(invited),
    )
    agreed(
        case_two,
        housing,
        housing.agency,  # type: ignore[arg-type]
        "Refer the victim's home to the sanctuary scheme for target hardening.",
        victim_two,
        intervention="sanctuary",
    )
    professionals_meeting_request(
        case=case_one,
        by=invited,
        reason=ProfessionalsMeetingReason.COMPLEX,
        note="",
        request=_request(invited),
    )
    escalation_contact_set(
        agency=police.agency,  # type: ignore[arg-type]
        user=police,
        email="police-manager@example.org",
        actor=coordinator,
        request=_request(coordinator),
    )
