"""Demo meetings, a published agenda and some research, for the demo partnership (fictional)."""

from __future__ import annotations

import datetime

from openmarac.accounts.models import User
from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.meetings.models import ListingReason
from openmarac.meetings.services import case_list, meetings_generate
from openmarac.partnerships.models import Area, Partnership
from openmarac.people.services import PersonDetails, person_create
from openmarac.research.models import Basis, Finding, ResearchRequest
from openmarac.research.services import agenda_publish, research_entry_save, research_submit

CYCLE_DEMO_PEOPLE = {
    ParticipantRole.VICTIM: ("Examplina", "Victimthree", datetime.date(1994, 2, 3), "female"),
    ParticipantRole.PERPETRATOR: ("Examplo", "Perpthree", datetime.date(1991, 7, 8), "male"),
    ParticipantRole.CHILD: ("Tinyexample", "Victimthree", datetime.date(2019, 5, 6), "not_known"),
}
CYCLE_DEMO_NAMES = sorted({n for f, s, _d, _g in CYCLE_DEMO_PEOPLE.values() for n in (f, s)})


def load_cycle_demo(
    *, partnership: Partnership, area: Area, coordinator: User, police: User, today: datetime.date
) -> None:
    """Medway: its calendar, one case on the next meeting's published agenda, and the police's
    research on it (one person "not known to us"), with the other agencies still to answer."""
    meetings_generate(area=area, start=today)
    case = Case.objects.create(
        partnership=partnership,
        area=area,
        reference=f"{area.code}-{today.year}-D0003",
        has_children=True,
    )
    for role, (forename, surname, dob, gender) in CYCLE_DEMO_PEOPLE.items():
        person = person_create(
            partnership=partnership,
            details=PersonDetails(
                forenames=forename,
                surname=surname,
                date_of_birth=dob,
                gender=gender,
                address_lines="3 Example Close\nWrenfield",
                postcode="ZZ3 3ZZ",
            ),
        )
        CaseParticipant.objects.create(case=case, person=person, role=role)
    listing = case_list(case=case, actor=coordinator, reason=ListingReason.NEW).listing
    agenda_publish(meeting=listing.meeting, actor=coordinator)
    research = ResearchRequest.objects.get(listing=listing, agency=police.agency)
    answers = {
        ParticipantRole.VICTIM: (
            Finding.INFORMATION,
            "Fictional demo research: two call-outs to the address, both recorded as verbal "
            "arguments.",
            Basis.FACT,
        ),
        ParticipantRole.PERPETRATOR: (
            Finding.INFORMATION,
            "Fictional demo research: one caution for criminal damage; officers assess the "
            "behaviour as escalating.",
            Basis.BOTH,
        ),
        ParticipantRole.CHILD: (Finding.NOT_KNOWN, "", ""),
    }
    for participant in case.participants.all():
        finding, information, basis = answers[ParticipantRole(participant.role)]
        research_entry_save(
            research=research,
            participant=participant,
            user=police,
            finding=finding,
            information=information,
            basis=basis,
            period_from=today - datetime.timedelta(days=700) if information else None,
            period_to=today if information else None,
        )
    research_submit(research=research, user=police, written_submission=False)
