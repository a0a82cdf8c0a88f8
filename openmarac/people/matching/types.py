"""What a search for a person is asked with, and what it answers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from openmarac.people.models import Person

# A top answer at or above this score is taken to be the same person (see docs/performance.md).
MATCH_THRESHOLD = 0.5
# Two candidates whose log-odds differ by less than this many bits (a factor of two in the odds)
# are tied: the evidence does not say which of them is the person asked about.
TIE_BITS = 1.0


@dataclass(frozen=True)
class PersonQuery:
    """The identifying details of someone named on a referral, as given.

    ``person_id`` is set when the query was built from a stored person: that person is never
    suggested as a match for themselves.
    """

    forenames: str = ""
    surname: str = ""
    aliases: tuple[str, ...] = ()
    date_of_birth: datetime.date | None = None
    birth_year: int | None = None
    address: str = ""
    postcode: str = ""
    person_id: int | None = None

    @classmethod
    def from_person(cls, person: Person) -> PersonQuery:
        addresses = list(person.addresses.all())
        current = next((a for a in addresses if a.is_current), addresses[-1] if addresses else None)
        return cls(
            forenames=person.forenames or "",
            surname=person.surname or "",
            aliases=tuple(str(a) for a in (person.aliases or []) if str(a).strip()),
            date_of_birth=person.date_of_birth,
            birth_year=_year(person.birth_year),
            address=current.lines if current else "",
            postcode=current.postcode if current else "",
            person_id=person.pk,
        )

    @property
    def year(self) -> int | None:
        """The year of birth, from the full date when there is one."""
        return self.date_of_birth.year if self.date_of_birth else self.birth_year


def _year(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) == 4 else None


@dataclass(frozen=True)
class Evidence:
    """One reason for or against a match, in words a coordinator can check."""

    field: str
    label: str
    agrees: bool
    # The comparison level behind it (``exact``, ``generation``, ``relative``...), for code.
    level: str = ""


@dataclass
class Match:
    """An existing person who may be the person asked about, with the evidence.

    ``score`` is the estimated probability, from 0 to 1, that they are the same person.
    ``tied`` is set when another candidate for the same query is as likely (see ``TIE_BITS``):
    then neither is a confident match, however high the score.
    """

    person: Person
    score: float
    evidence: list[Evidence] = field(default_factory=list)
    tied: bool = False

    @property
    def is_likely(self) -> bool:
        return self.score >= MATCH_THRESHOLD

    @property
    def is_confident(self) -> bool:
        """Likely, and clearly more likely than every other candidate."""
        return self.is_likely and not self.tied

    @property
    def possible_relative(self) -> bool:
        """The evidence says this may be a relative of the person asked about."""
        return any(e.level == "relative" for e in self.evidence)
