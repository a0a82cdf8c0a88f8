"""A demo meeting the hub coordinator can run: Mid-Kent, today, with two fictional cases listed
(one involving children) and Mid-Kent's quorum rule set so that the warning can be seen."""

from __future__ import annotations

import datetime

from openmarac.accounts.models import User
from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.meetings.models import Meeting, MeetingKind
from openmarac.meetings.services import case_list
from openmarac.partnerships.models import Area, Partnership
from openmarac.people.models import Person
from openmarac.research.services import agenda_publish


def load_proceedings_demo(
    partnership: Partnership, people: dict[str, Person], *, today: datetime.date
) -> Meeting:
    area = Area.objects.get(partnership=partnership, code="MK")
    policy = area.policy
    policy.quorum_min_statutory_agencies = 3
    policy.quorum_required_sectors = ["police", "idva"]
    policy.quorum_childrens_when_children = True
    policy.minutes_per_case = 10
    policy.minutes_per_case_with_children = 15
    policy.save()
    coordinator = User.objects.get(username="coordinator")
    meeting = Meeting.objects.create(
        area=area,
        kind=MeetingKind.EXTRA,
        starts_on=today,
        ends_on=today,
        start_time=datetime.time(10, 0),
        created_by=coordinator,
    )
    year = today.year
    for number, victim, perpetrator, children in (
        ("D0005", "victim_five", "perp_five", False),
        ("D0006", "victim_six", "perp_six", True),
    ):
        case = Case.objects.create(
            partnership=partnership,
            area=area,
            reference=f"MK-{year}-{number}",
            has_children=children,
        )
        CaseParticipant.objects.create(
            case=case, person=people[victim], role=ParticipantRole.VICTIM
        )
        CaseParticipant.objects.create(
            case=case, person=people[perpetrator], role=ParticipantRole.PERPETRATOR
        )
        case_list(case=case, actor=coordinator, meeting=meeting)
    agenda_publish(meeting=meeting, actor=coordinator)
    return meeting
