"""Scoring one candidate against a query: the best reading of the names, then every other field."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from openmarac.people.normalise import name_tokens

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


@dataclass(frozen=True)
class Name:
    forenames: str
    surname: str
    alias: str = ""  # the alias as written, when this name is one


@dataclass(frozen=True)
class Record:
    """A candidate's details, decrypted in memory for comparison only."""

    names: tuple[Name, ...]
    date_of_birth: datetime.date | None
    birth_year: int | None
    addresses: tuple[tuple[str, str], ...]  # (lines, postcode)


def names_of(forenames: str, surname: str, aliases: tuple[str, ...]) -> tuple[Name, ...]:
    """The name and every alias; a one-word alias may be a surname or a forename."""
    names = [Name(forenames, surname)]
    for alias in aliases:
        words = alias.split()
        if len(words) >= 2:
            names.append(Name(" ".join(words[:-1]), words[-1], alias))
        elif words:
            names.append(Name(forenames, words[0], alias))
            names.append(Name(words[0], surname, alias))
    return tuple(names)


def _name_part(q: Name, c: Name) -> Part:
    straight_f = compare_forenames(q.forenames, c.forenames)
    straight_s = compare_surnames(q.surname, c.surname)
    best = Part(straight_f.weight + straight_s.weight, straight_f.evidence + straight_s.evidence)
    if name_tokens(q.forenames) and name_tokens(q.surname):
        swapped_f = compare_forenames(q.surname, c.forenames, field="name")
        swapped_s = compare_surnames(q.forenames, c.surname, field="name")
        weight = swapped_f.weight + swapped_s.weight - TRANSPOSED_COST
        if weight > best.weight and swapped_f.weight > 0 and swapped_s.weight > 0:
            label = "Forename and surname are written the other way round"
            evidence = [Evidence("name", label, True), *swapped_f.evidence, *swapped_s.evidence]
            best = Part(weight, evidence)
    # One name written in the other's box ("Lodge Adele" for "Gillian Lodge"): one agrees crosswise.
    for cross in (
        compare_surnames(q.forenames, c.surname, field="name"),
        compare_forenames(q.surname, c.forenames, field="name"),
    ):
        weight = cross.weight - TRANSPOSED_COST
        if cross.weight > 0 and weight > best.weight:
            label = "One name is written in the other name's place"
            best = Part(weight, [Evidence("name", label, True), *cross.evidence])
    if c.alias or q.alias:
        which = c.alias or q.alias
        best = Part(best.weight, [Evidence("aliases", f"Matched on the other name {which}", True)])
        best.evidence.extend(straight_f.evidence + straight_s.evidence)
    return best


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
        self._name_parts: dict[tuple[Name, Name], Part] = {}

    def _names_part(self, candidate: tuple[Name, ...]) -> Part:
        best: Part | None = None
        for q in self.names:
            for c in candidate:
                part = self._name_parts.get((q, c))
                if part is None:
                    part = self._name_parts[(q, c)] = _name_part(q, c)
                if best is None or part.weight > best.weight:
                    best = part
        return best or NOTHING

    def score(self, candidate: Record) -> tuple[float, list[Evidence]]:
        """The probability (0..1) that ``candidate`` is the person asked about, and why."""
        query = self.query
        names = self._names_part(candidate.names)
        dob = compare_dates_of_birth(
            query.date_of_birth, query.birth_year, candidate.date_of_birth, candidate.birth_year
        )
        address = _address_part(query, candidate)
        if address.weight > 0 and any(
            e.field in ("surname", "name") and e.agrees for e in names.evidence
        ):
            address = Part(address.weight * HOUSEHOLD_DISCOUNT, address.evidence)
        bits = PRIOR_BITS + names.weight + dob.weight + address.weight
        probability = 1.0 / (1.0 + 2.0 ** (-bits))
        evidence = names.evidence + dob.evidence + address.evidence
        # Agreements first, then disagreements, each in field order.
        evidence.sort(key=lambda item: not item.agrees)
        return round(probability, 4), evidence


def score(query: PersonQuery, candidate: Record) -> tuple[float, list[Evidence]]:
    """The probability (0..1) that ``candidate`` is the person ``query`` describes, and why."""
    return Scorer(query).score(candidate)
