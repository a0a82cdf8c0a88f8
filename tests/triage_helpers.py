"""Making submitted referrals and resolving their people, for the triage tests."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import RequestFactory

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency, Sector
from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.demo.referral_answers import COMPLETE_SECTIONS, demo_referral_answers
from openmarac.partnerships.models import Area
from openmarac.people.models import Person
from openmarac.people.services import PersonDetails, person_confirm_new, person_create, person_link
from openmarac.referrals.models import Referral
from openmarac.referrals.selectors import email_index
from openmarac.referrals.services import referral_submit

REFERRER = "worker@example.org"


class _Anonymous:
    is_authenticated = False


def anonymous_request() -> Any:
    request = RequestFactory().post("/")
    request.session = {}
    request.user = _Anonymous()
    return request


def submit_referral(
    area: Area,
    *,
    victim: tuple[str, str] = ("Alphaname", "Victimtest"),
    perpetrators: tuple[tuple[str, str], ...] = (("Betaname", "Perptest"),),
    agency: Agency | None = None,
    email: str = REFERRER,
) -> Referral:
    answers = demo_referral_answers(area, agency, victim=victim, perpetrator=perpetrators[0])
    template = answers["perpetrators"]["items"][0]
    answers["perpetrators"]["items"] = [
        {**template, "forenames": f, "surname": s} for f, s in perpetrators
    ]
    referral = Referral.objects.create(
        partnership=area.partnership,
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


def resolve(referral: Referral, actor: User, links: dict[tuple[str, int], Person] | None = None):
    """Link the referral's people as ``links`` says ((role, position) -> person); confirm the
    rest as new."""
    links = links or {}
    for participant in referral.participants.all():
        target = links.get((participant.role, participant.position))
        if target is not None:
            person_link(participant=participant, to=target, actor=actor)
        else:
            person_confirm_new(participant=participant, actor=actor)


def person(area: Area, forenames: str, surname: str) -> Person:
    return person_create(
        partnership=area.partnership,
        details=PersonDetails(
            forenames=forenames, surname=surname, date_of_birth=datetime.date(1985, 5, 5)
        ),
    )


def old_case(
    area: Area,
    reference: str,
    *,
    victim: Person,
    perpetrators: list[Person],
    referred_at: datetime.datetime | None = None,
    heard_on: datetime.date | None = None,
) -> Case:
    case = Case.objects.create(
        partnership=area.partnership,
        area=area,
        reference=reference,
        last_referred_at=referred_at,
        last_heard_on=heard_on,
    )
    CaseParticipant.objects.create(case=case, person=victim, role=ParticipantRole.VICTIM)
    for p in perpetrators:
        CaseParticipant.objects.create(case=case, person=p, role=ParticipantRole.PERPETRATOR)
    return case


def idva_user(area: Area) -> User:
    from tests.conftest import make_user

    agency = Agency.objects.get(partnership=area.partnership, sector=Sector.IDVA)
    return make_user("idvarep", agency=agency, is_agency_rep=True)
