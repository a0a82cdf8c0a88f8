"""Search against the permission matrix's cast and the IDOR matrix's attackers.

The search URL takes no object id, so it has no row in ``tests/idor/``; instead each attacker of
that matrix searches for the case it must not reach, by reference and by the name of the person
on it, and must get exactly the answer a search for nothing gets.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from openmarac.audit.models import AuditEvent
from openmarac.cases.models import CaseParticipant
from openmarac.people.services import PersonDetails, person_create

from .conftest import client_for
from .idor.common import ATTACKERS, the_case_each_may_not_see
from .matrix.common import CAST, SIGN_IN
from .test_idor_matrix import client_of
from .test_idor_matrix import world as world  # the IDOR matrix's fixture

pytestmark = pytest.mark.django_db

URL = reverse("search:results")
SIGN_IN_PAGES = (reverse("accounts:sign_in"), reverse("referrals:email"))
# Surnames that sound like no other, one for the person on each case an attacker may not see.
SURNAMES = ["Quarrington", "Fotheringay", "Abernethy", "Mulholland", "Trevelyan", "Zabrowski"]


def result_heading(response) -> str:
    found = re.search(r'id="results">([^<]*)</h2>', response.content.decode())
    return found.group(1) if found else ""


def test_searching_answers_the_cast_as_the_page_does(cast):
    expected = {
        "coordinator": 200,
        "chair": 200,
        "police_rep": 200,
        "housing_rep": 200,
        "invited_rep": 200,
        "lead": 404,
        "revoked": SIGN_IN,
        "anonymous": SIGN_IN,
    }
    for member in CAST:
        response = client_for(cast.user(member)).post(URL, {"q": cast.case_a.reference})
        if expected[member] == SIGN_IN:
            assert response.status_code == 302, member
            assert response["Location"].startswith(reverse("accounts:sign_in")), member
        else:
            assert response.status_code == expected[member], member


def test_the_cast_finds_case_a_exactly_as_they_may_open_it(cast):
    for member in ("coordinator", "chair", "police_rep", "housing_rep", "invited_rep"):
        user = cast.user(member)
        opens = client_for(user).get(
            reverse("caserecord:record", kwargs={"reference": cast.case_a.reference})
        )
        found = result_heading(client_for(user).post(URL, {"q": cast.case_a.reference}))
        assert found == ("1 result" if opens.status_code == 200 else "No results"), member


def test_no_attacker_finds_the_case_it_may_not_reach(world):
    named = {}
    for attacker in ATTACKERS:
        case = the_case_each_may_not_see(world, attacker)
        if case is None or case.pk in named:
            continue
        surname = SURNAMES[len(named)]
        person = person_create(
            partnership=case.partnership,
            details=PersonDetails(forenames="Katherine", surname=surname),
        )
        CaseParticipant.objects.create(case=case, person=person, role="victim")
        named[case.pk] = surname
    tried = 0
    for attacker in ATTACKERS:
        case = the_case_each_may_not_see(world, attacker)
        if case is None:
            continue
        client = client_of(world, attacker)
        surname = named[case.pk]
        for typed in (case.reference, f"Katherine {surname}", f"Kate {surname[:-1]}"):
            response = client.post(URL, {"q": typed})
            where = f"{attacker} searching {typed}"
            if response.status_code == 302:
                # Signed out (a referrer, or a user whose licence ended): sent to sign in.
                assert response["Location"].startswith(SIGN_IN_PAGES), where
                continue
            if response.status_code == 404:
                # Refused the page itself, whatever is searched for (a coordinator whose
                # licence expired is no longer hub staff).
                assert client.post(URL, {"q": "Nobody Atall"}).status_code == 404, where
                continue
            assert response.status_code == 200, where
            assert result_heading(response) == "No results", where
            assert case.reference not in response.content.decode().replace(typed, ""), where
            tried += 1
    assert tried >= 21
    # Each search was recorded, as a search that found nothing: never as a refusal that would
    # tell the attacker (or a reader of the trail) that something was there.
    assert not AuditEvent.objects.filter(action__startswith="search", outcome="denied").exists()


def test_the_rightful_users_do_find_them(world):
    restricted = world.restricted_case
    person = person_create(
        partnership=restricted.partnership,
        details=PersonDetails(forenames="Katherine", surname="Quarrington"),
    )
    CaseParticipant.objects.create(case=restricted, person=person, role="victim")
    chair = client_for(world.cast.chair)
    assert result_heading(chair.post(URL, {"q": restricted.reference})) == "1 result"
    assert result_heading(chair.post(URL, {"q": "Kate Quarington"})) == "1 result"
    police = client_for(world.cast.police_rep)
    assert result_heading(police.post(URL, {"q": world.ordinary_case.reference})) == "1 result"
