"""The matcher's rules one by one: graded dates of birth, households, the parts of names.

Each test is named after the rule it holds the matcher to (docs/adr/0008, docs/performance.md).
"""

from __future__ import annotations

import datetime
import re

import pytest

from openmarac.people.keys import KeySource, key_values
from openmarac.people.matching import MATCH_THRESHOLD, PersonQuery, find_candidates
from openmarac.people.matching.compare import (
    DOB,
    compare_dates_of_birth,
    compare_forenames,
    compare_surnames,
)
from openmarac.people.matching.score import Record, Scorer, names_of
from openmarac.people.models import Person
from openmarac.people.normalise import DATA, fold, parse_name
from openmarac.people.services import PersonDetails, person_create

D = datetime.date
HOME = ("4 Ash Grove\nBramley", "ZZ1 5AA")


def dob_level(a, b):
    return compare_dates_of_birth(a, None, b, None).level


def record(forenames, surname, dob=None, *, year=None, aliases=(), address=HOME):
    return Record(
        names=names_of(forenames, surname, tuple(aliases)),
        date_of_birth=dob,
        birth_year=year,
        addresses=(address,) if address else (),
    )


def assess(query: PersonQuery, candidate: Record):
    """(probability, labels, the match's evidence) of one candidate."""
    _bits, probability, evidence = Scorer(query).assess(candidate)
    return probability, [e.label for e in evidence], evidence


def at_home(forenames, surname, dob=None, **extra):
    return PersonQuery(
        forenames=forenames,
        surname=surname,
        date_of_birth=dob,
        address=HOME[0],
        postcode=HOME[1],
        **extra,
    )


def is_relative(evidence):
    return any(e.level == "relative" for e in evidence)


# -- dates of birth, graded --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "level"),
    [
        (D(1980, 3, 4), D(1980, 3, 4), "exact"),
        (D(1980, 3, 4), D(1980, 4, 3), "swapped"),
        (D(1980, 3, 4), D(1980, 3, 7), "one_digit"),
        (D(1980, 3, 14), D(1980, 3, 41 - 30), "one_digit"),  # 14 and 11: one digit
        (D(1980, 3, 14), D(1980, 1, 1), "placeholder"),
        (D(1980, 1, 1), D(1980, 9, 26), "placeholder"),
        (D(1980, 9, 26), D(1980, 9, 1), "placeholder"),
        (D(1980, 9, 26), D(1979, 9, 26), "year_out"),
        (D(1980, 9, 26), D(1980, 9, 13), "year_month"),
        (D(1980, 9, 26), D(1981, 2, 13), "different"),
        (D(1980, 9, 26), D(1984, 2, 13), "few_years"),
        (D(1961, 2, 9), D(1992, 10, 20), "generation"),
    ],
)
def test_rule_dates_of_birth_are_compared_by_how_they_differ(a, b, level):
    assert dob_level(a, b) == level
    assert dob_level(b, a) == level


def test_rule_each_date_of_birth_level_has_its_own_weight_in_order_of_doubt():
    weights = [
        DOB[name].weight
        for name in (
            "exact",
            "swapped",
            "year_out",
            "one_digit",
            "placeholder",
            "year_month",
            "different",
            "few_years",
            "generation",
        )
    ]
    assert weights == sorted(weights, reverse=True)
    assert len(set(weights)) == len(weights)
    assert DOB["placeholder"].weight > 0 > DOB["different"].weight
    # A generation apart is strong evidence of two people: stronger than a surname agreeing.
    assert DOB["generation"].weight < -9


def test_rule_a_generation_apart_is_explained_as_likely_a_relative():
    part = compare_dates_of_birth(D(1961, 2, 9), None, D(1992, 10, 20), None)
    assert part.evidence[0].label == "Dates of birth 31 years apart: likely a relative"
    assert not part.evidence[0].agrees
    few = compare_dates_of_birth(D(1980, 9, 26), None, D(1984, 2, 13), None)
    assert few.evidence[0].label == "Dates of birth 4 years apart"


def test_rule_only_a_year_of_birth_is_graded_too():
    def level(a, b):
        return compare_dates_of_birth(None, a, D(b, 6, 1), None).level

    assert level(1980, 1980) == "year"
    assert level(1980, 1981) == "year_near"
    assert level(1980, 1986) == "few_years"
    assert level(1960, 1990) == "generation"
    assert compare_dates_of_birth(None, None, D(1980, 1, 1), None).level == ""


def test_rule_a_placeholder_date_with_a_married_surname_is_still_a_match():
    stored = record("Amina", "Begum", D(1979, 8, 17))
    query = at_home("Amina", "Hussain", D(1979, 1, 1))
    probability, labels, _ = assess(query, stored)
    assert probability >= MATCH_THRESHOLD
    assert (
        "Same year of birth; one date is 1 January, often written when only the year is known"
        in labels
    )
    year_out = at_home("Amina", "Hussain", D(1980, 8, 17))
    assert assess(year_out, stored)[0] >= MATCH_THRESHOLD


# -- households ---------------------------------------------------------------------------------


def test_rule_household_the_same_name_a_generation_apart_is_held_below_the_threshold():
    father = record("Robert", "Smith", D(1961, 2, 9))
    son = at_home("Robert", "Smith", D(1992, 10, 20))
    probability, labels, evidence = assess(son, father)
    assert probability < MATCH_THRESHOLD
    assert is_relative(evidence)
    assert (
        "Possibly a relative: the same name, born a generation apart (a parent and child?)"
        in labels
    )
    # Elsewhere, the same: the date of birth alone keeps them apart.
    moved = PersonQuery(forenames="Robert", surname="Smith", date_of_birth=D(1992, 10, 20))
    assert assess(moved, father)[0] < MATCH_THRESHOLD


def test_rule_household_a_conflicting_forename_with_a_clearly_different_date_is_held_below():
    brother = record("Kyle", "Osborne", D(1990, 6, 2))
    for dob in (D(1993, 11, 30), D(1990, 12, 20), D(1971, 1, 5), None):
        probability, _labels, evidence = assess(at_home("Dean", "Osborne", dob), brother)
        assert probability < MATCH_THRESHOLD, dob
        assert is_relative(evidence), dob


def test_rule_household_a_conflicting_forename_with_only_the_year_or_a_placeholder_is_held():
    brother = record("Kyle", "Osborne", D(1990, 6, 2))
    for query in (
        at_home("Dean", "Osborne", birth_year=1990),
        at_home("Dean", "Osborne", D(1990, 1, 1)),
        at_home("Dean", "Osborne", D(1989, 6, 2)),
    ):
        probability, _labels, evidence = assess(query, brother)
        assert probability < MATCH_THRESHOLD, query
        assert is_relative(evidence), query


def test_rule_household_a_middle_name_or_initial_alone_with_no_date_is_held():
    sister = record("Amelia Hannah", "Kelly", None)
    for written in ("Hannah Olivia", "A"):
        probability, _labels, evidence = assess(at_home(written, "Kelly", D(1945, 3, 30)), sister)
        assert probability < MATCH_THRESHOLD, written
        assert is_relative(evidence), written


def test_rule_household_a_conflicting_forename_born_on_the_same_day_years_apart_is_held():
    # 1990 and 1980 differ by one digit, but a brother born on the same day ten years later is
    # not a slip in the date.
    brother = record("Kyle", "Osborne", D(1990, 6, 2))
    probability, _labels, evidence = assess(at_home("Dean", "Osborne", D(1980, 6, 2)), brother)
    assert dob_level(D(1980, 6, 2), D(1990, 6, 2)) == "one_digit"
    assert probability < MATCH_THRESHOLD
    assert is_relative(evidence)
    # One digit out within the year is still a possible slip: a possible twin.
    probability, labels, _evidence = assess(at_home("Dean", "Osborne", D(1990, 6, 3)), brother)
    assert probability >= MATCH_THRESHOLD
    assert "Possibly a relative at the same address (twin?): the forenames differ" in labels


def test_rule_household_a_conflicting_forename_with_the_same_date_is_a_possible_twin():
    twin = record("Kyle", "Osborne", D(1990, 6, 2))
    probability, labels, _evidence = assess(at_home("Dean", "Osborne", D(1990, 6, 2)), twin)
    # Not the surname and address alone: the date of birth agrees too, so it may be a slip in
    # the forename, but the page says it may be a twin.
    assert probability >= MATCH_THRESHOLD
    assert "Possibly a relative at the same address (twin?): the forenames differ" in labels


@pytest.mark.parametrize(
    ("written", "stored"),
    [("Bob", "Robert"), ("Robrt", "Robert"), ("R", "Robert"), ("James", "Robert James")],
)
def test_rule_household_a_nickname_typo_initial_or_middle_name_is_no_conflict(written, stored):
    person = record(stored, "Smith", D(1970, 2, 14))
    probability, _labels, evidence = assess(at_home(written, "Smith", D(1970, 2, 14)), person)
    assert probability >= MATCH_THRESHOLD
    assert not is_relative(evidence)


def test_rule_household_a_shared_middle_name_alone_is_a_conflicting_forename():
    part = compare_forenames("Jack Oliver", "Harry Oliver")
    assert part.level == "shared_middle"
    assert not part.evidence[0].agrees
    brother = record("Harry Oliver", "Davies", D(1988, 3, 3))
    probability, _labels, evidence = assess(
        at_home("Jack Oliver", "Davies", D(1991, 7, 9)), brother
    )
    assert probability < MATCH_THRESHOLD
    assert is_relative(evidence)


def test_rule_generational_suffixes_are_read_and_differing_ones_hold_the_score_down():
    assert parse_name("Robert", "Smith Jr").suffix == "junior"
    assert parse_name("Robert", "Smith Snr").suffix == "senior"
    assert parse_name("Henry", "Ford II").suffix == "ii"
    assert parse_name("Robert", "Smith Jr").surname == "smith"
    assert compare_surnames("Smith", names_of("Robert", "Smith Jr", ())[0].surname).level == (
        "exact"
    )
    father = record("Robert", "Smith Snr", None)
    probability, labels, _evidence = assess(at_home("Robert", "Smith Jr"), father)
    assert probability < MATCH_THRESHOLD
    assert "Generational suffixes differ (Jr, Snr): a parent and child of one name?" in labels
    # One suffix alone says nothing: the same man is written with and without it.
    plain = record("Robert", "Smith", D(1961, 2, 9))
    assert assess(at_home("Robert", "Smith Snr", D(1961, 2, 9)), plain)[0] > 0.99


def test_rule_son_of_and_daughter_of_wording_is_read_and_a_named_parent_is_a_relative():
    assert parse_name("Imran s/o Tariq", "Khan").parent == "tariq"
    assert parse_name("Ali bin Hassan", "Ahmed").parent == "hassan"
    assert parse_name("Aisha daughter of Yusuf", "Ahmed").parent == "yusuf"
    assert parse_name("Osama", "bin Laden").surname == "bin laden"  # a family name
    assert parse_name("Imran s/o Tariq", "Khan").given == ("imran",)
    father = record("Tariq", "Khan", None)
    probability, labels, _evidence = assess(at_home("Imran son of Tariq", "Khan"), father)
    assert probability < MATCH_THRESHOLD
    assert "Named as the child of Tariq: a relative of that person" in labels
    cousin = record("Imran s/o Javed", "Khan", D(1990, 1, 2))
    probability, labels, _ = assess(at_home("Imran s/o Tariq", "Khan", D(1990, 1, 2)), cousin)
    assert "Parents named differently (Tariq, Javed)" in labels


# -- the names MARACs see -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "which"),
    [
        ("Mohammed", "Muhammad", "forename"),
        ("Mohamed", "Mohd", "forename"),
        ("Yousef", "Yusuf", "forename"),
        ("Chowdhury", "Choudhury", "surname"),
        ("Chaudhry", "Chowdhury", "surname"),
        ("Hussain", "Hossain", "surname"),
    ],
)
def test_rule_transliterations_are_another_spelling_of_one_name(a, b, which):
    compare = compare_forenames if which == "forename" else compare_surnames
    part = compare(a, b)
    assert part.level == "spelling"
    assert part.weight > 4
    assert "another spelling of" in part.evidence[0].label


def test_rule_letters_without_an_accent_to_drop_are_spelt_in_english():
    assert fold("Łukasz Wiśniewski") == "lukasz wisniewski"
    assert fold("Đặng Søren Straße") == "dang soren strasse"
    assert compare_forenames("Łukasz", "Lukasz").level == "exact"


def test_rule_thi_and_van_carry_no_identity_on_their_own():
    assert compare_forenames("Thị Lan", "Lan").level == "exact"
    assert compare_forenames("Thi Lan", "Thi Hoa").level == "different"
    assert parse_name("Lan", "Nguyen Thi").surname == "nguyen"
    assert compare_forenames("Văn Minh", "Van Minh").level == "exact"


def test_rule_mohammed_before_the_name_a_man_goes_by_carries_no_identity():
    assert compare_forenames("Mohammed Imran", "Imran").level == "exact"
    assert compare_forenames("Md Imran", "Muhammad Imran").level == "exact"
    assert compare_forenames("Mohammed Ali", "Mohammed Imran").level == "different"
    only = compare_forenames("Mohammed", "Mohammed Imran")
    assert only.level == "devotional"
    assert only.weight == 0


def test_rule_abdul_joins_the_name_after_it():
    for written in ("Abdul Rahman", "Abdulrahman", "Abd al-Rahman", "Abdur Rahman", "Abdel Rahman"):
        assert parse_name(written, "").given == ("abdulrahman",), written
    assert compare_forenames("Abdul Rahman", "Abdul Karim").level == "different"
    assert parse_name("Abdullah", "").given == ("abdullah",)


def test_rule_family_name_given_first_is_read_the_other_way_round():
    stored = record("Thi Lan", "Nguyen", D(1975, 10, 3))
    query = at_home("Nguyen", "Thi Lan", D(1975, 10, 3))
    probability, labels, _ = assess(query, stored)
    assert probability > 0.99
    assert "Forename and surname are written the other way round" in labels


def test_rule_two_forenames_in_the_forename_field_match_the_one_a_person_goes_by():
    assert compare_forenames("Mary Jane", "Jane").level == "middle"
    assert compare_forenames("Jane", "Mary Jane").level == "middle"
    assert compare_forenames("Mary Jane", "Mary").level == "exact"


def test_rule_transliterated_names_share_blocking_keys():
    def keys(forenames, surname):
        return set(key_values(KeySource(forenames, surname, date_of_birth=D(1990, 1, 2))))

    assert keys("Muhammad", "Choudhury") & keys("Mohammed", "Chowdhury")
    assert any(
        k.startswith("n:") for k in keys("Muhammad", "Choudhury") & keys("Mohamed", "Chaudhry")
    )
    assert keys("Łukasz", "Wiśniewski") == keys("Lukasz", "Wisniewski")
    assert keys("Robert", "Smith Jr") == keys("Robert", "Smith")
    assert keys("Thi Lan", "Nguyen") >= keys("Lan", "Nguyen")


def test_rule_the_name_data_files_say_where_every_section_comes_from():
    for name in ("spellings.txt", "name_parts.txt"):
        entries = 0
        block: list[str] = []  # the comments since the last blank line or entry
        sourced = False
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                block, sourced = [], False
            elif line.startswith("#"):
                block.append(line)
            else:
                if block:
                    sourced = any(re.search(r"\b(Listed in|From)\b", c) for c in block)
                    block = []
                assert sourced, f"{name}: {line!r} has no source above it"
                entries += 1
        assert entries >= 7


# -- aliases, a new address, ties (through the database) ----------------------------------------


@pytest.fixture
def partnership(db):
    from openmarac.partnerships.models import Partnership

    return Partnership.objects.create(name="Rules", hub_email="hub@example.org")


def make(partnership, forenames, surname, dob=None, *, aliases=(), address="", postcode=""):
    return person_create(
        partnership=partnership,
        details=PersonDetails(
            forenames=forenames,
            surname=surname,
            aliases=list(aliases),
            date_of_birth=dob,
            address_lines=address,
            postcode=postcode,
        ),
    )


def test_rule_aliases_on_either_side_find_the_person(partnership):
    people = Person.objects.filter(partnership=partnership)
    stored = make(partnership, "Jane", "Brown", D(1980, 3, 4), aliases=["Jane Okafor"])
    make(partnership, "Jane", "Whitley", D(1961, 2, 2))
    # The referral gives a name the record has only as an alias, and an alias of its own.
    query = PersonQuery(
        forenames="Jane",
        surname="Whitley",
        aliases=("Jane Okafor",),
        date_of_birth=D(1980, 3, 4),
    )
    best = find_candidates(query, people=people)[0]
    assert best.person == stored
    assert best.score >= MATCH_THRESHOLD
    assert "Matched on the other name Jane Okafor" in [e.label for e in best.evidence]


def test_rule_a_new_address_does_not_count_against_names_and_date_of_birth_that_agree(
    partnership,
):
    people = Person.objects.filter(partnership=partnership)
    stored = make(
        partnership, "Kelly", "Marsh", D(1984, 5, 6), address="9 Low Road", postcode="ZZ9 9ZZ"
    )
    query = PersonQuery(
        forenames="Kelly",
        surname="Marsh",
        date_of_birth=D(1984, 5, 6),
        address="Refuge",
        postcode="ZY1 1AA",
    )
    best = find_candidates(query, people=people)[0]
    assert best.person == stored
    labels = [e.label for e in best.evidence]
    assert "Address differs; not counted against, as the names and date of birth agree" in labels
    assert "Addresses differ" not in labels
    # With only the year of birth, the new address still counts.
    year_only = PersonQuery(
        forenames="Kelly", surname="Marsh", birth_year=1984, address="Refuge", postcode="ZY1 1AA"
    )
    assert "Addresses differ" in [
        e.label for e in find_candidates(year_only, people=people)[0].evidence
    ]


def test_rule_candidates_as_likely_as_each_other_are_tied_and_not_confident(partnership):
    people = Person.objects.filter(partnership=partnership)
    father = make(
        partnership, "Jack", "Clarke", D(1961, 2, 9), address="51 Nelson Close", postcode="ZD9 1GT"
    )
    son = make(
        partnership, "Jack", "Clarke", D(1990, 7, 1), address="51 Nelson Close", postcode="ZD9 1GT"
    )
    # No date of birth: nothing tells father from son.
    matches = find_candidates(
        PersonQuery(forenames="Jack", surname="Clarke", address="51 Nelson Close"), people=people
    )
    assert {m.person for m in matches[:2]} == {father, son}
    assert matches[0].is_likely
    assert all(m.tied for m in matches[:2])
    assert not matches[0].is_confident
    # A date of birth breaks the tie: the son is confident, the father a possible relative.
    dated = find_candidates(
        PersonQuery(
            forenames="Jack",
            surname="Clarke",
            date_of_birth=D(1990, 7, 1),
            address="51 Nelson Close",
        ),
        people=people,
    )
    assert dated[0].person == son
    assert dated[0].is_confident
    assert dated[1].person == father
    assert dated[1].possible_relative
    assert not dated[1].tied


# -- the triage page ----------------------------------------------------------------------------


def test_rule_the_triage_page_says_a_tie_and_marks_a_possible_relative(cast):
    from django.urls import reverse

    from openmarac.cases.models import ParticipantRole

    from .conftest import client_for
    from .triage_helpers import old_case, submit_referral

    area = cast.case_a.area

    def known(forenames, surname, dob, address="", postcode=""):
        return make(area.partnership, forenames, surname, dob, address=address, postcode=postcode)

    # Two known Edmund Quills nothing tells apart; the referral gives no date of birth for him.
    first = known("Edmund", "Quill", D(1985, 5, 5))
    second = known("Edmund", "Quill", D(1985, 5, 5))
    # A known Harriet Quill at the referral's address, 32 years older than the one referred.
    mother = known("Harriet", "Quill", D(1960, 3, 3), "2 Example Road\nThistlebrook", "ZZ9 9ZZ")
    old_case(area, "NK-OLD-T", victim=mother, perpetrators=[first, second])
    referral = submit_referral(
        area, victim=("Harriet", "Quill"), perpetrators=(("Edmund", "Quill"),)
    )
    page = (
        client_for(cast.coordinator)
        .get(reverse("triage:referral", args=[referral.public_id]))
        .content.decode()
    )
    assert page.count('data-match="tie"') == 1
    assert "none is shown as a match" in page
    assert page.count(">Tied</strong>") == 2
    assert page.count(">Possible relative</strong>") == 1
    assert (
        "<strong>Caution</strong>: Possibly a relative: the same name, born a generation apart"
        in page
    )
    assert "Years of birth 32 years apart: likely a relative" in page
    own = {p.role: p.person for p in referral.participants.all()}
    assert own[ParticipantRole.VICTIM].birth_year == "1992"
