"""Scoring one candidate against a query: the best reading of the names, then every other field."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from openmarac.people.normalise import name_tokens, normalise_name, parse_name, same_spelling

from .compare import (
    HOUSEHOLD_DISCOUNT,
    NOTHING,
    TRANSPOSED_COST,
    Part,
    compare_addresses,
    compare_dates_of_birth,
    compare_forenames,
    compare_postcodes,
    compare_surnames,
)
from .types import Evidence, PersonQuery

# Prior odds, in bits, that a candidate sharing a blocking key is the person asked about.
PRIOR_BITS = -10.5
# Where a possible relative's score is held: below the match threshold, so a relative is never
# taken for the person, but still listed with the evidence for a coordinator to see.
RELATIVE_CAP = 0.45
RELATIVE_CAP_BITS = math.log2(RELATIVE_CAP / (1 - RELATIVE_CAP))
# Forename levels that say the forenames are the same name, and those that say they are not.
FORENAME_AGREES = frozenset({"exact", "spelling", "nickname", "middle", "typo", "initial"})
FORENAME_CONFLICTS = frozenset({"different"})
# Forename levels that agree only in part: at one address, relatives' forenames often do.
FORENAME_PARTLY = frozenset({"middle", "shared_middle", "initial", "devotional"})
# Names and a date of birth that agree so well that a new address says nothing against them.
FORENAME_SAME = frozenset({"exact", "spelling", "nickname", "typo"})
DOB_SAME = frozenset({"exact", "swapped"})
# Date-of-birth levels that say nothing for the same person, or say two people: with these, a
# shared surname and address is all the evidence there is.
DOB_CLEARLY_DIFFERENT = frozenset({"different", "few_years", "generation", "year_near", ""})
# The only date-of-birth levels that let a conflicting forename at the same surname and address
# still be the person (a slip in the forename): the same date, or the same written with one
# slip within the year. Anything less (only the year, a placeholder, the same day and month in
# another year, as a brother born on the same day years later has) is a relative there.
DOB_TWIN = frozenset({"exact", "swapped", "one_digit"})
SURNAME_AGREES = frozenset({"exact", "spelling", "part", "typo"})
# Parent's names differing in "son of" wording, in bits.
PARENT_DIFFERS = -4.0


@dataclass(frozen=True)
class Name:
    forenames: str
    surname: str  # the family name, without a generational suffix or patronymic
    alias: str = ""  # the alias as written, when this name is one
    suffix: str = ""  # junior, senior or a number
    parent: str = ""  # a parent's given name, from "son of" or "bin"

    @classmethod
    def read(cls, forenames: str, surname: str, alias: str = "") -> Name:
        parsed = parse_name(forenames, surname)
        # The surname as written (Smith-Jones) unless reading it took something off (Smith Jr).
        same = normalise_name(parsed.surname) == normalise_name(surname)
        return cls(
            forenames=" ".join(parsed.given),
            surname=surname if same else parsed.surname,
            alias=alias,
            suffix=parsed.suffix,
            parent=parsed.parent,
        )


@dataclass(frozen=True)
class Record:
    """A candidate's details, decrypted in memory for comparison only."""

    names: tuple[Name, ...]
    date_of_birth: datetime.date | None
    birth_year: int | None
    addresses: tuple[tuple[str, str], ...]  # (lines, postcode)


def names_of(forenames: str, surname: str, aliases: tuple[str, ...]) -> tuple[Name, ...]:
    """The name and every alias; a one-word alias may be a surname or a forename."""
    names = [Name.read(forenames, surname)]
    for alias in aliases:
        words = alias.split()
        if len(words) >= 2:
            names.append(Name.read(" ".join(words[:-1]), words[-1], alias))
        elif words:
            names.append(Name.read(forenames, words[0], alias))
            names.append(Name.read(words[0], surname, alias))
    return tuple(names)


@dataclass
class NamesPart(Part):
    """The best reading of two names, with the levels its forenames and surnames reached."""

    forename: str = ""
    surname: str = ""


def _name_part(q: Name, c: Name) -> NamesPart:
    straight_f = compare_forenames(q.forenames, c.forenames)
    straight_s = compare_surnames(q.surname, c.surname)
    best = NamesPart(
        straight_f.weight + straight_s.weight,
        straight_f.evidence + straight_s.evidence,
        straight_f.level,
        straight_s.level,
    )
    if name_tokens(q.forenames) and name_tokens(q.surname):
        swapped_f = compare_forenames(q.surname, c.forenames, field="name")
        swapped_s = compare_surnames(q.forenames, c.surname, field="name")
        weight = swapped_f.weight + swapped_s.weight - TRANSPOSED_COST
        if weight > best.weight and swapped_f.weight > 0 and swapped_s.weight > 0:
            label = "Forename and surname are written the other way round"
            evidence = [
                Evidence("name", label, True, "transposed"),
                *swapped_f.evidence,
                *swapped_s.evidence,
            ]
            best = NamesPart(weight, evidence, swapped_f.level, swapped_s.level)
    # One name written in the other's box ("Lodge Adele" for "Gillian Lodge"): one agrees crosswise.
    for cross, kind in (
        (compare_surnames(q.forenames, c.surname, field="name"), "surname"),
        (compare_forenames(q.surname, c.forenames, field="name"), "forename"),
    ):
        weight = cross.weight - TRANSPOSED_COST
        if cross.weight > 0 and weight > best.weight:
            label = "One name is written in the other name's place"
            evidence = [Evidence("name", label, True, "crossed"), *cross.evidence]
            levels = {"forename": "", "surname": ""} | {kind: cross.level}
            best = NamesPart(weight, evidence, levels["forename"], levels["surname"])
    if c.alias or q.alias:
        which = c.alias or q.alias
        best.evidence = [Evidence("aliases", f"Matched on the other name {which}", True, "alias")]
        best.evidence.extend(straight_f.evidence + straight_s.evidence)
    return best


def _relatives(
    q: Name, c: Name, names: NamesPart, dob: Part, household: bool, same_year: bool
) -> tuple[float, list[Evidence], bool]:
    """What says the candidate may be a relative rather than the person: (bits, evidence, cap).

    ``cap`` holds the score below the match threshold: the candidate is then shown, with the
    evidence, but never taken for the person.
    """
    found: list[Evidence] = []
    bits = 0.0
    cap = False

    def relative(label: str, *, hold: bool) -> None:
        nonlocal cap
        found.append(Evidence("relative", label, False, "relative"))
        cap = cap or hold

    if q.suffix and c.suffix and q.suffix != c.suffix:
        relative(
            f"Generational suffixes differ ({_suffix_shown(q.suffix)}, "
            f"{_suffix_shown(c.suffix)}): a parent and child of one name?",
            hold=True,
        )
    for child, parent in ((q, c), (c, q)):
        named = child.parent
        if named and parent.forenames and same_spelling(named, parent.forenames.split()[0]):
            relative(f"Named as the child of {named.title()}: a relative of that person", hold=True)
    if q.parent and c.parent and not same_spelling(q.parent, c.parent):
        bits += PARENT_DIFFERS
        found.append(
            Evidence(
                "name",
                f"Parents named differently ({q.parent.title()}, {c.parent.title()})",
                False,
                "parent",
            )
        )
    dob_level = dob.level
    if dob_level == "generation" and names.forename in FORENAME_AGREES:
        relative(
            "Possibly a relative: the same name, born a generation apart (a parent and child?)",
            hold=True,
        )
    elif household and names.forename in FORENAME_CONFLICTS:
        if dob_level not in DOB_TWIN or (dob_level == "one_digit" and not same_year):
            relative(
                "Possibly a relative at the same address: the forenames and dates of birth differ",
                hold=True,
            )
        else:
            relative(
                "Possibly a relative at the same address (twin?): the forenames differ",
                hold=False,
            )
    elif household and names.forename in FORENAME_PARTLY and dob_level in DOB_CLEARLY_DIFFERENT:
        relative(
            "Possibly a relative at the same address: the forenames agree only in part and the "
            "dates of birth differ",
            hold=True,
        )
    elif household and not names.forename and dob_level in DOB_CLEARLY_DIFFERENT - {""}:
        relative(
            "Possibly a relative at the same address: only the surname and address agree",
            hold=True,
        )
    return bits, found, cap


def _suffix_shown(suffix: str) -> str:
    return {"junior": "Jr", "senior": "Snr"}.get(suffix, suffix.upper())


def _address_part(query: PersonQuery, candidate: Record) -> Part:
    best: Part | None = None
    for lines, postcode in candidate.addresses or (("", ""),):
        postcode_part = compare_postcodes(query.postcode, postcode)
        lines_part = compare_addresses(query.address, lines)
        high, low = sorted((postcode_part.weight, lines_part.weight), reverse=True)
        # A postcode and an address line agreeing are not independent: the second counts less.
        weight = high + (0.1 * low if low > 0 else low)
        part = Part(weight, postcode_part.evidence + lines_part.evidence)
        if best is None or part.weight > best.weight:
            best = part
    return best or NOTHING


class Scorer:
    """Scores candidates against one query, reusing what they have in common.

    The query's names are read once, and each (query name, candidate name) comparison is made
    once per search: the candidates for "Olivia Smith" are mostly Olivias and Smiths. The memo
    lives only as long as the search, so no decrypted detail outlives it.
    """

    def __init__(self, query: PersonQuery) -> None:
        self.query = query
        self.names = names_of(query.forenames, query.surname, query.aliases)
        self._name_parts: dict[tuple[Name, Name], NamesPart] = {}

    def _names_part(self, candidate: tuple[Name, ...]) -> tuple[NamesPart, Name, Name]:
        best: tuple[NamesPart, Name, Name] | None = None
        for q in self.names:
            for c in candidate:
                part = self._name_parts.get((q, c))
                if part is None:
                    part = self._name_parts[(q, c)] = _name_part(q, c)
                if best is None or part.weight > best[0].weight:
                    best = (part, q, c)
        if best is None:
            empty = Name("", "")
            return NamesPart(0.0, []), empty, empty
        return best

    def assess(self, candidate: Record) -> tuple[float, float, list[Evidence]]:
        """The log-odds (bits) and probability that ``candidate`` is the person asked about, and why."""
        query = self.query
        names, q_name, c_name = self._names_part(candidate.names)
        dob = compare_dates_of_birth(
            query.date_of_birth, query.birth_year, candidate.date_of_birth, candidate.birth_year
        )
        address = _address_part(query, candidate)
        surname_agrees = names.surname in SURNAME_AGREES
        household = address.weight > 0 and surname_agrees
        if address.weight > 0 and any(
            e.field in ("surname", "name") and e.agrees for e in names.evidence
        ):
            # Relatives share a surname and an address: together they say less about the person.
            address = Part(address.weight * HOUSEHOLD_DISCOUNT, address.evidence)
        elif (
            address.weight < 0
            and names.forename in FORENAME_SAME
            and surname_agrees
            and dob.level in DOB_SAME
        ):
            # Victims move, often to a refuge: a new address is no evidence against a person
            # whose names and date of birth agree.
            label = "Address differs; not counted against, as the names and date of birth agree"
            address = Part(0.0, [Evidence("address", label, False, "moved")])
        same_year = query.year is not None and query.year == (
            candidate.date_of_birth.year if candidate.date_of_birth else candidate.birth_year
        )
        extra, relatives, cap = _relatives(q_name, c_name, names, dob, household, same_year)
        bits = PRIOR_BITS + names.weight + dob.weight + address.weight + extra
        if cap:
            bits = min(bits, RELATIVE_CAP_BITS)
        probability = 1.0 / (1.0 + 2.0 ** (-bits))
        evidence = names.evidence + dob.evidence + address.evidence
        # Agreements first, then a possible relative, then other disagreements, in field order.
        evidence.sort(key=lambda item: not item.agrees)
        position = len([e for e in evidence if e.agrees])
        evidence = evidence[:position] + relatives + evidence[position:]
        return bits, probability, evidence

    def score(self, candidate: Record) -> tuple[float, list[Evidence]]:
        """The probability (0..1) that ``candidate`` is the person asked about, and why."""
        _bits, probability, evidence = self.assess(candidate)
        return round(probability, 4), evidence


def score(query: PersonQuery, candidate: Record) -> tuple[float, list[Evidence]]:
    """The probability (0..1) that ``candidate`` is the person ``query`` describes, and why."""
    return Scorer(query).score(candidate)
