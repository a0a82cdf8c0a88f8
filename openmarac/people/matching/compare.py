"""Comparing two people field by field, Fellegi-Sunter style.

Each comparison puts a pair of values at one *level* (exact, a short form, a typing slip, ...).
Every level has two probabilities: ``m``, how often two records of the same person show that
level, and ``u``, how often two different people do. The level's weight is ``log2(m / u)``
bits: positive when the level is evidence for a match, negative against. Missing values weigh
nothing. The weights of all fields add up, and with the prior odds give the probability that
the pair is one person (see ``score.py``). The m and u values are set by hand from what is
known of real referral data and checked on the benchmarks in docs/performance.md.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

import jellyfish

from openmarac.people.normalise import (
    ADDRESS_NOISE,
    address_tokens,
    is_weak,
    name_tokens,
    normalise_postcode,
    parse_name,
    phonetic,
    postcode_district,
    postcode_sector,
    same_spelling,
)

from .nicknames import formal_name, same_forename
from .types import Evidence


@dataclass(frozen=True)
class Level:
    name: str
    m: float
    u: float

    @property
    def weight(self) -> float:
        return math.log2(self.m / self.u)


FORENAME = {
    "exact": Level("exact", 0.86, 0.012),
    "spelling": Level("spelling", 0.03, 0.001),
    "nickname": Level("nickname", 0.05, 0.002),
    "middle": Level("middle", 0.02, 0.002),
    # Different first forenames, one later forename in common (brothers often share one).
    "shared_middle": Level("shared_middle", 0.004, 0.003),
    "typo": Level("typo", 0.04, 0.003),
    "sounds": Level("sounds", 0.015, 0.01),
    # Only a name too common to tell people apart is shared (Mohammed, Thị): no evidence.
    "devotional": Level("devotional", 0.01, 0.01),
    "initial": Level("initial", 0.01, 0.06),
    "different": Level("different", 0.015, 0.913),
}
SURNAME = {
    "exact": Level("exact", 0.85, 0.004),
    "spelling": Level("spelling", 0.03, 0.0008),
    "part": Level("part", 0.05, 0.001),
    "typo": Level("typo", 0.06, 0.002),
    "sounds": Level("sounds", 0.015, 0.008),
    "different": Level("different", 0.025, 0.985),
}
# Dates of birth by how they differ. The u values are the share of pairs of different people
# showing the level when dates of birth are spread over about 70 years (two people are 15 or more
# years apart 61% of the time, 2 to 14 years 33%, under 2 years 6%); the m values are how often
# one person's two records show it: mostly an exact date, then the slips clerks make (a digit,
# day and month swapped, 1 January or the 1st written when only the year or month was known, an
# age turned into a year), rarely a date years out, and a generation out almost never.
DOB = {
    "exact": Level("exact", 0.9, 0.00005),
    "swapped": Level("swapped", 0.015, 0.00005),
    "one_digit": Level("one_digit", 0.05, 0.0015),
    "placeholder": Level("placeholder", 0.012, 0.0004),
    "year_out": Level("year_out", 0.01, 0.0001),
    "year_month": Level("year_month", 0.01, 0.0014),
    "year": Level("year", 0.9, 0.018),
    "year_near": Level("year_near", 0.05, 0.035),
    "different": Level("different", 0.01, 0.057),
    "few_years": Level("few_years", 0.015, 0.33),
    "generation": Level("generation", 0.001, 0.61),
}
# A generation apart: parent and child.
GENERATION_YEARS = 15
POSTCODE = {
    "exact": Level("exact", 0.8, 0.0008),
    "sector": Level("sector", 0.06, 0.008),
    "district": Level("district", 0.03, 0.04),
    "different": Level("different", 0.11, 0.95),
}
ADDRESS = {
    "exact": Level("exact", 0.7, 0.0005),
    "building": Level("building", 0.06, 0.001),
    "street": Level("street", 0.06, 0.01),
    "similar": Level("similar", 0.06, 0.04),
    "different": Level("different", 0.12, 0.95),
}
# Relatives share a surname and an address: when the surname agrees, an agreeing address says
# less about the person, so its weight is scaled down by this much.
HOUSEHOLD_DISCOUNT = 0.5
# Names written the other way round happen, but rarely: the swapped reading pays this many bits.
TRANSPOSED_COST = 1.5


@dataclass
class Part:
    """The outcome of comparing one field: its weight and what to tell the coordinator."""

    weight: float
    evidence: list[Evidence]

    @property
    def level(self) -> str:
        """The level of a one-field comparison ('' when nothing was compared)."""
        return self.evidence[0].level if self.evidence else ""


NOTHING = Part(0.0, [])


def _similar(a: str, b: str) -> float:
    return jellyfish.jaro_winkler_similarity(a, b)


def _one_slip(a: str, b: str) -> bool:
    return len(a) > 3 and len(b) > 3 and jellyfish.damerau_levenshtein_distance(a, b) <= 1


def _edits(a: str, b: str) -> int:
    return int(jellyfish.damerau_levenshtein_distance(a, b))


def _shown(value: str) -> str:
    return " ".join(value.split()).title()


def compare_forenames(query: str, candidate: str, *, field: str = "forenames") -> Part:
    q_names, c_names = parse_name(query, "").given, parse_name(candidate, "").given
    if not q_names or not c_names:
        return NOTHING
    q, c = q_names[0], c_names[0]
    shown_q, shown_c = _shown(q), _shown(c)

    def part(level: str, label: str, agrees: bool = True) -> Part:
        return Part(FORENAME[level].weight, [Evidence(field, label, agrees, level)])

    if q == c:
        return part("exact", f"Forename {shown_q} matches")
    if same_spelling(q, c):
        return part("spelling", f"Forename {shown_q} is another spelling of {shown_c}")
    if len(q) > 1 and len(c) > 1 and same_forename(q, c):
        formal = formal_name(q, c)
        if formal == c:
            return part("nickname", f"Forename {shown_q} is a short form of {shown_c}")
        if formal == q:
            return part("nickname", f"Forename {shown_c} is a short form of {shown_q}")
        return part(
            "nickname", f"Forenames {shown_q} and {shown_c} are both forms of {_shown(formal)}"
        )
    if len(q) == 1 or len(c) == 1:
        if q[0] == c[0]:
            return part("initial", f"Forename initial {q[0].upper()} agrees with {shown_c}")
        return part("different", f"Forename initial {q[0].upper()} differs from {shown_c}", False)
    # Abdulrahman and Abdulkarim share only "servant of": compare what follows it.
    q_own, c_own = (q[5:], c[5:]) if q.startswith("abdul") and c.startswith("abdul") else (q, c)
    if _one_slip(q_own, c_own) or (_similar(q_own, c_own) >= 0.92 and _edits(q_own, c_own) <= 2):
        return part("typo", f"Forename {shown_q} is spelt like {shown_c}")
    q_strong = {t for t in q_names if not is_weak(t)}
    c_strong = {t for t in c_names if not is_weak(t)}
    if q in c_strong or c in q_strong:
        # One record has the name the person goes by; the other has it as a middle name.
        return part("middle", "Forenames share a middle name")
    shared = sorted(q_strong & c_strong)
    if shared:
        return part(
            "shared_middle",
            f"Forenames differ ({shown_q}, {shown_c}); only the middle name {_shown(shared[0])} "
            "is shared",
            False,
        )
    if (is_weak(q) and any(same_spelling(q, t) for t in c_names)) or (
        is_weak(c) and any(same_spelling(c, t) for t in q_names)
    ):
        weak = shown_q if is_weak(q) else shown_c
        return part(
            "devotional",
            f"Forenames share only {weak}, too common a name to tell people apart",
            False,
        )
    if phonetic(q_own) == phonetic(c_own) or _similar(q_own, c_own) >= 0.85:
        return part("sounds", f"Forename {shown_q} sounds like {shown_c}")
    return part("different", f"Forenames differ ({shown_q}, {shown_c})", False)


def compare_surnames(query: str, candidate: str, *, field: str = "surname") -> Part:
    q_tokens, c_tokens = name_tokens(query), name_tokens(candidate)
    if not q_tokens or not c_tokens:
        return NOTHING
    q, c = "".join(q_tokens), "".join(c_tokens)
    shown_q, shown_c = _shown(query), _shown(candidate)

    def part(level: str, label: str, agrees: bool = True) -> Part:
        return Part(SURNAME[level].weight, [Evidence(field, label, agrees, level)])

    if q == c:
        return part("exact", f"Surname {shown_q} matches")
    if same_spelling(q, c):
        return part("spelling", f"Surname {shown_q} is another spelling of {shown_c}")
    if len(q_tokens) > 1 or len(c_tokens) > 1:
        shared = [t for t in q_tokens if t in c_tokens and len(t) > 1]
        if shared:
            shorter, longer = (shown_q, shown_c) if len(q) < len(c) else (shown_c, shown_q)
            return part("part", f"Surname {shorter} is part of {longer}")
    if _one_slip(q, c) or (_similar(q, c) >= 0.92 and _edits(q, c) <= 2):
        return part("typo", f"Surname {shown_q} is spelt like {shown_c}")
    if len(q_tokens) > 1 or len(c_tokens) > 1:
        for a in q_tokens:
            for b in c_tokens:
                if len(a) > 3 and (_similar(a, b) >= 0.92 or _one_slip(a, b)):
                    return part("part", f"Surname {shown_q} is close to part of {shown_c}")
    if phonetic(q) == phonetic(c) or _similar(q, c) >= 0.85:
        return part("sounds", f"Surname {shown_q} sounds like {shown_c}")
    return part("different", f"Surnames differ ({shown_q}, {shown_c})", False)


def _placeholder(a: datetime.date, b: datetime.date) -> str:
    """Why two dates of one year may be one date written with a placeholder, or ''."""
    if a.year != b.year:
        return ""
    if (a.month, a.day) == (1, 1) or (b.month, b.day) == (1, 1):
        return (
            "Same year of birth; one date is 1 January, often written when only the year is known"
        )
    if a.month == b.month and 1 in (a.day, b.day):
        return (
            "Same year and month of birth; one date is the 1st, often written when only the "
            "month is known"
        )
    return ""


def compare_dates_of_birth(
    q_dob: datetime.date | None,
    q_year: int | None,
    c_dob: datetime.date | None,
    c_year: int | None,
) -> Part:
    def part(level: str, label: str, agrees: bool = True) -> Part:
        return Part(DOB[level].weight, [Evidence("date_of_birth", label, agrees, level)])

    if q_dob and c_dob:
        if q_dob == c_dob:
            return part("exact", "Date of birth matches")
        if (q_dob.year, q_dob.month, q_dob.day) == (c_dob.year, c_dob.day, c_dob.month):
            return part("swapped", "Date of birth has day and month swapped")
        a, b = q_dob.strftime("%Y%m%d"), c_dob.strftime("%Y%m%d")
        if sum(x != y for x, y in zip(a, b, strict=True)) == 1:
            return part("one_digit", "Date of birth differs by one digit")
        if jellyfish.damerau_levenshtein_distance(a, b) == 1:
            return part("one_digit", "Date of birth has two digits the other way round")
        placeholder = _placeholder(q_dob, c_dob)
        if placeholder:
            return part("placeholder", placeholder)
        if abs(q_dob.year - c_dob.year) == 1 and (q_dob.month, q_dob.day) == (
            c_dob.month,
            c_dob.day,
        ):
            return part("year_out", "Date of birth is one year out, with the same day and month")
        if (q_dob.year, q_dob.month) == (c_dob.year, c_dob.month):
            return part("year_month", "Year and month of birth match, the day differs")
        apart = abs(q_dob.year - c_dob.year)
        if abs((q_dob - c_dob).days) < 2 * 365:
            return part("different", "Dates of birth differ", False)
        if apart < GENERATION_YEARS:
            return part("few_years", f"Dates of birth {apart} years apart", False)
        return part("generation", f"Dates of birth {apart} years apart: likely a relative", False)
    q_known = q_dob.year if q_dob else q_year
    c_known = c_dob.year if c_dob else c_year
    if q_known is None or c_known is None:
        return NOTHING
    apart = abs(q_known - c_known)
    if apart == 0:
        return part("year", "Year of birth matches (only the year is known)")
    if apart == 1:
        return part("year_near", "Year of birth is one year out (only the year is known)")
    if apart < GENERATION_YEARS:
        return part("few_years", f"Years of birth {apart} years apart", False)
    return part("generation", f"Years of birth {apart} years apart: likely a relative", False)


def compare_postcodes(query: str, candidate: str) -> Part:
    q, c = normalise_postcode(query), normalise_postcode(candidate)
    if not q or not c:
        return NOTHING

    def part(level: str, label: str, agrees: bool = True) -> Part:
        return Part(POSTCODE[level].weight, [Evidence("postcode", label, agrees, level)])

    if q == c:
        return part("exact", "Postcode matches")
    if postcode_sector(q) and postcode_sector(q) == postcode_sector(c):
        return part("sector", "Postcode sector matches, the full postcode differs")
    if _one_slip(q, c) or (
        len(q) == len(c) and sum(x != y for x, y in zip(q, c, strict=False)) == 1
    ):
        return part("sector", "Postcode differs by one character")
    if postcode_district(q) and postcode_district(q) == postcode_district(c):
        return part("district", "Postcode district matches, the full postcode differs")
    return part("different", "Postcodes differ", False)


def _word_overlap(a: list[str], b: list[str]) -> float:
    """How far each side's words are found, allowing spelling slips, averaged both ways."""
    if not a or not b:
        return 0.0

    def covered(xs: list[str], ys: list[str]) -> float:
        same = set(ys)
        return sum(x in same or any(_similar(x, y) >= 0.9 for y in ys) for x in xs) / len(xs)

    return (covered(a, b) + covered(b, a)) / 2


_FLAT_WORDS = frozenset({"flat", "unit", "room", "suite"})


def _numbers(tokens: list[str]) -> tuple[str, frozenset[str]]:
    """The house number (first number not after 'flat'), and the flat and other numbers."""
    house = ""
    others = set()
    for position, token in enumerate(tokens):
        if not token[:1].isdigit():
            continue
        after_flat = position > 0 and tokens[position - 1] in _FLAT_WORDS
        if not house and not after_flat:
            house = token
        else:
            others.add(token)
    if not house and others:
        house = sorted(others)[0]
        others.discard(house)
    return house, frozenset(others)


def compare_addresses(query: str, candidate: str) -> Part:
    q_tokens, c_tokens = address_tokens(query), address_tokens(candidate)
    if not q_tokens or not c_tokens:
        return NOTHING
    q_house, q_other = _numbers(q_tokens)
    c_house, c_other = _numbers(c_tokens)
    q_words = [t for t in q_tokens if not t[:1].isdigit() and t not in ADDRESS_NOISE]
    c_words = [t for t in c_tokens if not t[:1].isdigit() and t not in ADDRESS_NOISE]
    overlap = _word_overlap(q_words, c_words)

    def part(level: str, label: str, agrees: bool = True) -> Part:
        return Part(ADDRESS[level].weight, [Evidence("address", label, agrees, level)])

    if overlap >= 0.75:
        if q_house == c_house and q_other == c_other:
            return part("exact", "Address matches")
        if q_house and q_house == c_house:
            return part(
                "building", "Same street and house number, flat number differs or is missing"
            )
        return part("street", "Same street, different house number")
    if overlap >= 0.4 and q_house and q_house == c_house:
        return part("similar", "Address partly matches")
    return part("different", "Addresses differ", False)
