"""A restricted case does not exist for the uninvited: not in people, match suggestions or
counts; and a conflicted user loses its people too."""

from __future__ import annotations

import pytest

from openmarac.caseaccess.services import case_restrict, conflict_declare
from openmarac.cases.models import CaseParticipant, ParticipantRole, Restriction
from openmarac.cases.selectors import cases_visible_to
from openmarac.people.matching import PersonQuery, find_candidates
from openmarac.people.selectors import people_visible_to

pytestmark = pytest.mark.django_db


def _victim(case):
    return CaseParticipant.objects.get(case=case, role=ParticipantRole.VICTIM).person


def test_people_and_match_suggestions_leave_out_a_restricted_case(cast):
    victim = _victim(cast.case_a)
    query = PersonQuery(
        forenames=victim.forenames, surname=victim.surname, date_of_birth=victim.date_of_birth
    )
    suggested = find_candidates(query, people=people_visible_to(cast.police_rep))
    assert victim in [m.person for m in suggested]
    count_before = cases_visible_to(cast.police_rep).count()
    case_restrict(case=cast.case_a, restriction=Restriction.HBA, actor=cast.coordinator)
    assert victim not in people_visible_to(cast.police_rep)
    assert victim not in people_visible_to(cast.coordinator)
    suggested = find_candidates(query, people=people_visible_to(cast.police_rep))
    assert victim not in [m.person for m in suggested]
    assert cases_visible_to(cast.police_rep).count() == count_before - 1


def test_a_conflicted_user_loses_the_cases_people(cast):
    victim = _victim(cast.case_b)
    assert victim in people_visible_to(cast.housing_rep)
    conflict_declare(case=cast.case_b, user=cast.housing_rep)
    assert victim not in people_visible_to(cast.housing_rep)
    assert victim in people_visible_to(cast.police_rep)


def test_case_notices_reach_only_those_who_may_open_the_case(cast):
    from openmarac.cases.lifecycle import case_agency_users

    police = cast.police_rep.agency
    assert cast.police_rep in case_agency_users(cast.case_a, police)
    conflict_declare(case=cast.case_a, user=cast.police_rep)
    assert cast.police_rep not in case_agency_users(cast.case_a, police)
    case_restrict(case=cast.case_b, restriction=Restriction.CLOSED, actor=cast.coordinator)
    cast.case_b.refresh_from_db()
    assert case_agency_users(cast.case_b, cast.housing_rep.agency) == []
