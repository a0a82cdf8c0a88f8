"""Linking people: the matcher finds the true person first through every kind of variant."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings

from openmarac.cases.models import (
    Case,
    CaseAccessGrant,
    CaseParticipant,
    ParticipantRole,
    Restriction,
)
from openmarac.core.crypto import blind_index
from openmarac.partnerships.models import Area, Partnership
from openmarac.people.keys import KeySource, key_values, keys_for, street_key
from openmarac.people.matching import (
    MATCH_THRESHOLD,
    PersonQuery,
    find_candidates,
    find_candidates_for,
)
from openmarac.people.matching.nicknames import forename_forms, same_forename, table_size
from openmarac.people.models import Person, PersonAddress, PersonKey
from openmarac.people.selectors import people_visible_to
from openmarac.people.services import PersonDetails, person_create

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def partnership():
    return Partnership.objects.create(name="Matching", hub_email="hub@example.org")


def make(
    partnership, forenames="", surname="", dob=None, *, aliases=(), year="", address="", postcode=""
):
    return person_create(
        partnership=partnership,
        details=PersonDetails(
            forenames=forenames,
            surname=surname,
            aliases=list(aliases),
            date_of_birth=dob,
            birth_year=year,
            address_lines=address,
            postcode=postcode,
        ),
    )


def top(partnership, **query):
    matches = find_candidates(
        PersonQuery(**query), people=Person.objects.filter(partnership=partnership)
    )
    assert matches, "no candidate at all"
    return matches


def labels(match):
    return [e.label for e in match.evidence]


def decoys(partnership):
    """People who share something with the true people below, but are someone else."""
    make(partnership, "Roberta", "Smith", D(1980, 3, 4), address="9 Low Road", postcode="ZZ9 9ZZ")
    make(partnership, "Robert", "Smithson", D(1972, 8, 19), postcode="ZZ1 1ZZ")
    make(partnership, "Robert", "Smith", D(1991, 11, 23), address="4 Mill Lane", postcode="ZZ5 5ZZ")
    make(partnership, "Rob", "Smith", D(1958, 5, 30))
    make(partnership, "Jane", "Smith", D(1980, 3, 4), postcode="ZZ2 2ZZ")
    make(partnership, "Katie", "Jones", D(1985, 12, 1), postcode="ZZ3 3ZZ")
    make(partnership, "Catherine", "Jonas", D(1979, 6, 7))
    make(partnership, "John", "Brown", D(1964, 1, 2), postcode="ZZ1 1ZZ")


def test_the_forename_table_is_real_and_symmetric():
    assert table_size() > 500
    assert same_forename("Bob", "Robert")
    assert same_forename("Robert", "bobby")
    assert same_forename("Kate", "Katherine")
    assert same_forename("Kate", "Catherine")
    assert same_forename("Alex", "Alexandra")
    assert same_forename("Alex", "Alexander")
    assert not same_forename("Alexander", "Alexandra")
    assert not same_forename("Robert", "Richard")
    assert forename_forms("Zebedee") == frozenset({"zebedee"})


def test_a_nickname_finds_the_formal_name(partnership):
    decoys(partnership)
    robert = make(partnership, "Robert", "Smith", D(1980, 3, 4), postcode="ZZ1 1ZZ")
    best = top(partnership, forenames="Bob", surname="Smith", date_of_birth=D(1980, 3, 4))[0]
    assert best.person == robert
    assert best.score >= 0.95
    assert "Forename Bob is a short form of Robert" in labels(best)
    assert "Date of birth matches" in labels(best)


def test_a_short_form_stored_is_found_from_the_formal_name(partnership):
    decoys(partnership)
    kate = make(partnership, "Kate", "Jones", D(1985, 12, 2))
    best = top(partnership, forenames="Katherine", surname="Jones", date_of_birth=D(1985, 12, 2))[0]
    assert best.person == kate
    assert "Forename Katherine is a short form of Kate" not in labels(best)
    assert "Forename Kate is a short form of Katherine" in labels(best)


def test_one_part_of_a_hyphenated_surname_finds_the_whole(partnership):
    decoys(partnership)
    jane = make(partnership, "Jane", "Smith-Jones", D(1990, 7, 8))
    make(partnership, "Jane", "Jones", D(1961, 2, 2))
    best = top(partnership, forenames="Jane", surname="Jones", date_of_birth=D(1990, 7, 8))[0]
    assert best.person == jane
    assert "Surname Jones is part of Smith-Jones" in labels(best)


def test_a_double_barrelled_surname_without_a_hyphen(partnership):
    decoys(partnership)
    person = make(partnership, "Helena", "Bonham Carter", D(1966, 5, 26))
    make(partnership, "Helena", "Carter", D(1977, 1, 1))
    hyphenated = top(partnership, forenames="Helena", surname="Bonham-Carter", birth_year=1966)[0]
    assert hyphenated.person == person
    assert "Surname Bonham-Carter matches" in labels(hyphenated)
    best = top(partnership, forenames="Helena", surname="Carter", date_of_birth=D(1966, 5, 26))[0]
    assert best.person == person
    assert "Surname Carter is part of Bonham Carter" in labels(best)


def test_a_maiden_name_recorded_as_an_alias_finds_the_married_person(partnership):
    decoys(partnership)
    married = make(partnership, "Jane", "Brown", D(1980, 3, 4), aliases=["Jane Smith"])
    best = top(partnership, forenames="Jane", surname="Smith", date_of_birth=D(1980, 3, 4))
    # The decoy Jane Smith born the same day is a real rival; the alias holder must rank with her
    # and above everyone else, and explain the alias.
    assert married in [m.person for m in best[:2]]
    alias_match = next(m for m in best if m.person == married)
    assert any(e.field == "aliases" for e in alias_match.evidence)


def test_a_married_name_given_as_an_alias_on_the_referral(partnership):
    decoys(partnership)
    person = make(partnership, "Susan", "Okafor", D(1983, 9, 14), postcode="ZZ6 6ZZ")
    best = top(
        partnership,
        forenames="Susan",
        surname="Whitley",
        aliases=("Susan Okafor",),
        date_of_birth=D(1983, 9, 14),
    )[0]
    assert best.person == person
    assert best.score >= MATCH_THRESHOLD


def test_forename_and_surname_written_the_other_way_round(partnership):
    decoys(partnership)
    person = make(partnership, "Wei", "Zhang", D(1975, 10, 3))
    make(partnership, "Wei", "Zhao", D(1988, 4, 4))
    best = top(partnership, forenames="Zhang", surname="Wei", date_of_birth=D(1975, 10, 3))[0]
    assert best.person == person
    assert "Forename and surname are written the other way round" in labels(best)


def test_typing_and_phonetic_variants(partnership):
    decoys(partnership)
    john = make(partnership, "John", "Smith", D(1970, 2, 14), postcode="ZZ7 7ZZ")
    best = top(partnership, forenames="Jon", surname="Smyth", date_of_birth=D(1970, 2, 14))[0]
    assert best.person == john
    assert "Surname Smyth is spelt like Smith" in labels(best)
    mohammed = make(partnership, "Mohammed", "Hussain", D(1992, 6, 1))
    best = top(partnership, forenames="Muhammad", surname="Hussein", date_of_birth=D(1992, 6, 1))[0]
    assert best.person == mohammed
    typo = top(partnership, forenames="Jhon", surname="Simth", postcode="ZZ77ZZ")[0]
    assert typo.person == john


def test_a_date_of_birth_with_day_and_month_swapped(partnership):
    decoys(partnership)
    person = make(partnership, "Karen", "Walsh", D(1979, 5, 11))
    make(partnership, "Karen", "Walsh", D(1984, 8, 30))
    best = top(partnership, forenames="Karen", surname="Walsh", date_of_birth=D(1979, 11, 5))[0]
    assert best.person == person
    assert "Date of birth has day and month swapped" in labels(best)
    assert best.score >= MATCH_THRESHOLD


def test_a_date_of_birth_with_one_digit_wrong(partnership):
    decoys(partnership)
    person = make(partnership, "Karen", "Walsh", D(1979, 5, 11))
    make(partnership, "Karen", "Walsh", D(1984, 8, 30))
    best = top(partnership, forenames="Karen", surname="Walsh", date_of_birth=D(1978, 5, 11))[0]
    assert best.person == person
    assert "Date of birth differs by one digit" in labels(best)


def test_only_a_year_of_birth(partnership):
    decoys(partnership)
    person = make(partnership, "Darren", "Price", D(1986, 4, 17))
    make(partnership, "Darren", "Price", D(1962, 4, 17))
    best = top(partnership, forenames="Darren", surname="Price", birth_year=1986)[0]
    assert best.person == person
    assert "Year of birth matches (only the year is known)" in labels(best)
    stored_year_only = make(partnership, "Lisa", "Marsh", year="1990")
    make(partnership, "Lisa", "Marsh", D(1971, 3, 3))
    best = top(partnership, forenames="Lisa", surname="Marsh", date_of_birth=D(1990, 9, 9))[0]
    assert best.person == stored_year_only


def test_missing_fields(partnership):
    decoys(partnership)
    person = make(partnership, "Tracey", "Holt", D(1981, 1, 21), postcode="ZZ8 8ZZ")
    make(partnership, "Tracey", "Holt", D(1955, 7, 7), postcode="ZZ4 4ZZ")
    no_forename = top(partnership, surname="Holt", date_of_birth=D(1981, 1, 21))[0]
    assert no_forename.person == person
    no_dob = top(partnership, forenames="Tracey", surname="Holt", postcode="ZZ8 8ZZ")[0]
    assert no_dob.person == person
    no_surname = top(partnership, forenames="Tracey", postcode="ZZ88ZZ", birth_year=1981)[0]
    assert no_surname.person == person
    assert find_candidates(PersonQuery(), people=Person.objects.all()) == []


def test_addresses_written_differently(partnership):
    decoys(partnership)
    person = make(
        partnership, "Paul", "Green", address="12 High Street\nWrenfield", postcode="ZZ1 1AB"
    )
    make(partnership, "Paul", "Green", address="40 Station Road\nWrenfield", postcode="ZZ4 6CD")
    make(partnership, "Paul", "Green", address="7 Church Lane", postcode="ZZ2 2EF")
    best = top(
        partnership,
        forenames="Paul",
        surname="Green",
        address="Flat 3, 12 High St",
        postcode="zz11ab",
    )[0]
    assert best.person == person
    assert "Postcode matches" in labels(best)
    assert "Same street and house number, flat number differs or is missing" in labels(best)
    without_postcode = top(partnership, forenames="Paul", surname="Green", address="12 high st.")[0]
    assert without_postcode.person == person
    assert "Address matches" in labels(without_postcode)


def test_scores_are_probabilities_that_fall_with_the_evidence(partnership):
    decoys(partnership)
    robert = make(
        partnership, "Robert", "Smith", D(1980, 3, 4), address="1 Elm Road", postcode="ZZ1 1ZZ"
    )
    matches = top(
        partnership,
        forenames="Robert",
        surname="Smith",
        date_of_birth=D(1980, 3, 4),
        address="1 Elm Rd",
        postcode="ZZ11ZZ",
    )
    assert matches[0].person == robert
    assert matches[0].score > 0.99
    assert all(0.0 <= m.score <= 1.0 for m in matches)
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    # Someone with the same name but another date of birth and address is not a likely match.
    other = next(m for m in matches if m.person != robert and m.person.forenames == "Robert")
    assert other.score < MATCH_THRESHOLD
    assert any(not e.agrees and e.field == "date_of_birth" for e in other.evidence)


def test_the_limit_is_respected(partnership):
    for day in range(1, 9):
        make(partnership, "Amy", "Lee", D(1990, 1, day))
    assert (
        len(
            find_candidates(
                PersonQuery(forenames="Amy", surname="Lee"), people=Person.objects.all(), limit=3
            )
        )
        == 3
    )


def test_a_person_outside_people_is_never_returned(partnership):
    inside = make(partnership, "Gemma", "Stone", D(1988, 8, 8), postcode="ZZ1 2AB")
    outside = make(partnership, "Gemma", "Stone", D(1988, 8, 8), postcode="ZZ1 2AB")
    query = PersonQuery(forenames="Gemma", surname="Stone", date_of_birth=D(1988, 8, 8))
    found = find_candidates(query, people=Person.objects.exclude(pk=outside.pk))
    assert [m.person for m in found] == [inside]
    assert find_candidates(query, people=Person.objects.none()) == []


def test_merged_people_and_the_query_person_are_not_suggested(partnership):
    kept = make(partnership, "Gemma", "Stone", D(1988, 8, 8))
    husk = make(partnership, "Gemma", "Stone", D(1988, 8, 8))
    husk.merged_into = kept
    husk.save()
    third = make(partnership, "Gemma", "Stone", D(1988, 8, 8))
    found = find_candidates(PersonQuery.from_person(third), people=Person.objects.all())
    assert [m.person for m in found] == [kept]


def test_from_person_reads_the_current_address(partnership):
    person = make(
        partnership,
        "Ann",
        "Lowe",
        D(1970, 1, 1),
        aliases=["Ann Hart"],
        address="2 Oak Way",
        postcode="ZZ1 1ZZ",
    )
    PersonAddress.objects.create(
        person=person, lines="Old place", postcode="ZZ9 9ZZ", is_current=False
    )
    query = PersonQuery.from_person(person)
    assert (query.forenames, query.surname, query.aliases) == ("Ann", "Lowe", ("Ann Hart",))
    assert (query.address, query.postcode, query.year) == ("2 Oak Way", "ZZ1 1ZZ", 1970)
    assert query.person_id == person.pk


def test_no_plaintext_reaches_the_key_table(partnership):
    person = make(
        partnership,
        "Roberta",
        "Smith-Jones",
        D(1980, 3, 4),
        aliases=["Bobbie Brown"],
        address="1 Elm Road",
        postcode="ZZ1 1ZZ",
    )
    stored = list(PersonKey.objects.filter(person=person).values_list("key", flat=True))
    assert len(stored) >= 20
    assert all(re.fullmatch(r"[0-9a-f]{32}", key) for key in stored)
    source = KeySource(
        "Roberta",
        "Smith-Jones",
        ("Bobbie Brown",),
        D(1980, 3, 4),
        None,
        ("ZZ1 1ZZ",),
        (street_key("1 Elm Road"),),
    )
    assert street_key("1 Elm Road") == "1|elm"
    plain = set(key_values(source))
    assert not plain & set(stored)
    assert set(stored) == {blind_index(v, purpose="person") for v in plain}
    for fragment in ("roberta", "smith", "jones", "brown", "1980", "zz1", "SM0"):
        assert not any(fragment in key for key in stored)
    # The keys are keyed: another index key gives other keys for the same details.
    other = "A" * 43 + "="
    with override_settings(OPENMARAC_INDEX_KEY=other):
        assert keys_for(source).isdisjoint(stored)


def test_keys_are_rebuilt_when_a_person_or_address_is_saved(partnership):
    person = make(partnership, "Amy", "Lee", D(1990, 1, 1))
    query = PersonQuery(forenames="Amy", surname="Walker", date_of_birth=D(1990, 1, 1))
    assert find_candidates(query, people=Person.objects.all())[0].score < 0.99
    person.surname = "Walker"
    person.save()
    assert find_candidates(query, people=Person.objects.all())[0].score > 0.99
    assert not find_candidates(
        PersonQuery(forenames="Amy", surname="Lee"), people=Person.objects.all()
    )
    address = PersonAddress.objects.create(person=person, lines="3 Birch Close", postcode="ZZ3 4XY")
    by_postcode = PersonQuery(forenames="Amy", surname="Walker", postcode="ZZ34XY")
    assert keys_for(KeySource("Amy", "Walker", postcodes=("ZZ3 4XY",))) & set(
        PersonKey.objects.filter(person=person).values_list("key", flat=True)
    )
    address.delete()
    assert not keys_for(KeySource("Amy", "Walker", postcodes=("ZZ3 4XY",))) - keys_for(
        KeySource("Amy", "Walker")
    ) & set(PersonKey.objects.filter(person=person).values_list("key", flat=True))
    assert find_candidates(by_postcode, people=Person.objects.all())[0].person == person


def test_deleting_a_person_removes_their_keys_without_rebuilding_them(partnership, monkeypatch):
    from openmarac.people import signals

    person = make(partnership, "Amy", "Lee", D(1990, 1, 1), address="3 Birch Close", postcode="ZZ3")
    PersonAddress.objects.create(person=person, lines="8 Oak Road", postcode="ZZ4 1AB")
    kept = make(partnership, "Ben", "Hall", D(1970, 5, 6), address="1 Elm Way", postcode="ZZ5 1AB")
    rebuilt = []
    monkeypatch.setattr(signals, "person_keys_rebuild", lambda **kw: rebuilt.append(kw))

    PersonAddress.objects.filter(person=kept).first().delete()  # an address on its own: rebuilt
    assert rebuilt == [{"person_id": kept.pk}]
    person.delete()
    Person.objects.filter(pk=kept.pk).delete()  # a queryset delete too
    assert rebuilt == [{"person_id": kept.pk}]
    assert not PersonKey.objects.exists()
    assert not PersonAddress.objects.exists()


def test_the_rebuild_command_restores_every_key(partnership):
    person = make(partnership, "Nadia", "Khan", D(1993, 2, 28), postcode="ZZ1 1ZZ")
    before = set(PersonKey.objects.filter(person=person).values_list("key", flat=True))
    PersonKey.objects.all().delete()
    assert not find_candidates(
        PersonQuery(forenames="Nadia", surname="Khan"), people=Person.objects.all()
    )
    out = io.StringIO()
    call_command("rebuild_person_keys", stdout=out)
    assert "Rebuilt the keys of 1 people" in out.getvalue()
    assert set(PersonKey.objects.filter(person=person).values_list("key", flat=True)) == before


# -- who may be suggested ----------------------------------------------------------------------


def on_case(case, person, role=ParticipantRole.VICTIM):
    CaseParticipant.objects.create(case=case, person=person, role=role)
    return person


def test_people_visible_to_follows_the_cases_a_user_may_see(cast):
    a_people = set(Person.objects.filter(case_roles__case=cast.case_a))
    b_people = set(Person.objects.filter(case_roles__case=cast.case_b))
    # The demo also lists a Medway case on a published agenda; the hub sees its people too.
    medway = set(Person.objects.filter(case_roles__case__area__code="MED"))
    # ...and runs a demo meeting in Mid-Kent with two cases.
    mid_kent = set(Person.objects.filter(case_roles__case__area__code="MK"))
    assert set(people_visible_to(cast.coordinator)) == a_people | b_people | medway | mid_kent
    assert set(people_visible_to(cast.housing_rep)) == b_people
    assert set(people_visible_to(cast.invited_rep)) == a_people
    for nobody in (cast.lead, cast.revoked, None):
        assert not people_visible_to(nobody).exists()


def test_people_visible_to_leaves_out_restricted_cases_not_granted(cast):
    victim = on_case(cast.case_a, make(cast.partnership, "Hidden", "Person", D(1990, 1, 1)))
    cast.case_a.restriction = Restriction.HBA
    cast.case_a.save()
    assert victim not in people_visible_to(cast.coordinator)
    CaseAccessGrant.objects.create(
        case=cast.case_a, user=cast.coordinator, granted_by=cast.coordinator
    )
    assert victim in people_visible_to(cast.coordinator)


def test_people_visible_to_leaves_out_merged_people(cast):
    kept = Person.objects.filter(case_roles__case=cast.case_a).first()
    husk = on_case(cast.case_b, make(cast.partnership, "Merged", "Away", D(1990, 1, 1)))
    assert husk in people_visible_to(cast.coordinator)
    husk.merged_into = kept
    husk.save()
    assert husk not in people_visible_to(cast.coordinator)


def test_a_coordinator_never_sees_another_partnerships_people_in_suggestions(cast):
    elsewhere = Partnership.objects.create(name="Elsewhere", hub_email="hub@elsewhere.example")
    area = Area.objects.create(partnership=elsewhere, name="Other", code="OT")
    case = Case.objects.create(partnership=elsewhere, area=area, reference="OT-1")
    twin = {"forenames": "Shared", "surname": "Name", "dob": D(1984, 4, 4), "postcode": "ZZ1 1ZZ"}
    theirs = on_case(case, make(elsewhere, **twin))
    ours = on_case(cast.case_b, make(cast.partnership, **twin))
    query = PersonQuery(forenames="Shared", surname="Name", date_of_birth=D(1984, 4, 4))
    found = [m.person for m in find_candidates(query, people=people_visible_to(cast.coordinator))]
    assert found == [ours]
    assert theirs not in found
    restricted = Case.objects.create(
        partnership=cast.partnership,
        area=cast.area_a,
        reference="NK-R-1",
        restriction=Restriction.CLOSED,
    )
    hidden = on_case(restricted, make(cast.partnership, **twin))
    found = [m.person for m in find_candidates(query, people=people_visible_to(cast.coordinator))]
    assert hidden not in found
    assert not [
        m
        for m in find_candidates(query, people=people_visible_to(cast.housing_rep))
        if m.person != ours
    ]


def test_a_relative_with_the_same_name_and_address_ranks_below_the_person(partnership):
    father = make(
        partnership, "Robert", "Smith", D(1961, 2, 9), address="4 Ash Grove", postcode="ZZ1 5AA"
    )
    son = make(
        partnership, "Robert", "Smith", D(1989, 10, 20), address="4 Ash Grove", postcode="ZZ1 5AA"
    )
    query = {
        "forenames": "Rob",
        "surname": "Smith",
        "date_of_birth": D(1989, 10, 20),
        "address": "4 Ash Grove",
        "postcode": "ZZ1 5AA",
    }
    first, second = top(partnership, **query)[:2]
    assert (first.person, second.person) == (son, father)
    assert first.score > 0.99
    assert second.score < MATCH_THRESHOLD
    assert "Dates of birth 28 years apart: likely a relative" in labels(second)
    assert second.possible_relative
    assert not next(e for e in second.evidence if e.field == "date_of_birth").agrees


def test_street_keys_and_flat_numbers():
    assert street_key("Flat 3, 12a High St") == "12a|hig"
    assert street_key("12A high street") == "12a|hig"
    assert street_key("The Cottage, Mill Lane") == ""


def test_a_visible_person_ranked_below_many_invisible_ones_is_still_found(partnership):
    crowd = [make(partnership, "Amy", "Lee", D(1990, 1, 1)) for _ in range(140)]
    wanted = crowd[-1]  # ties rank by id, so this one comes last
    found = find_candidates(
        PersonQuery(forenames="Amy", surname="Lee", date_of_birth=D(1990, 1, 1)),
        people=Person.objects.filter(pk=wanted.pk),
    )
    assert [m.person for m in found] == [wanted]


def test_a_referrals_people_looked_up_together_get_the_answers_of_one_at_a_time(partnership):
    decoys(partnership)
    victim = make(partnership, "Katherine", "Price", D(1986, 7, 9), postcode="ZZ3 3ZZ")
    abuser = make(partnership, "Robert", "Smith", D(1980, 3, 4), address="9 Low Road")
    people = Person.objects.filter(partnership=partnership)
    queries = [
        PersonQuery(forenames="Kate", surname="Price", date_of_birth=D(1986, 9, 7)),
        PersonQuery(forenames="Bob", surname="Smith", birth_year=1980, address="9 Low Rd"),
        PersonQuery(forenames="Nobody", surname="Known"),
    ]
    together = find_candidates_for(queries, people=people, limit=3)
    alone = [find_candidates(q, people=people, limit=3) for q in queries]
    assert together[0][0].person == victim
    assert together[1][0].person == abuser
    assert together[2] == []
    for both, one in zip(together, alone, strict=True):
        assert [(m.person, m.score, m.evidence) for m in both] == [
            (m.person, m.score, m.evidence) for m in one
        ]
    assert find_candidates_for(queries, people=people, limit=0) == [[], [], []]


def test_looking_up_a_referrals_people_takes_a_fixed_number_of_queries(partnership):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    decoys(partnership)
    make(partnership, "Katherine", "Jones", D(1985, 12, 1), postcode="ZZ3 3ZZ")
    make(partnership, "Robert", "Smith", D(1980, 3, 4), address="9 Low Road")
    queries = [
        PersonQuery(forenames="Kate", surname="Jones", date_of_birth=D(1985, 1, 12)),
        PersonQuery(forenames="Bob", surname="Smith", birth_year=1980),
    ]
    with CaptureQueriesContext(connection) as captured:
        answers = find_candidates_for(
            queries, people=Person.objects.filter(partnership=partnership)
        )
    assert all(answers)
    # A ranking per person, then one scope check, the people and their addresses for all.
    assert len(captured.captured_queries) == 5
    # Contact details and safety notes are never read to compare people.
    person_query = next(
        q["sql"]
        for q in captured.captured_queries
        if "people_person" in q["sql"] and "forenames" in q["sql"]
    )
    assert "contact_safety_notes" not in person_query
    assert '"phone"' not in person_query
