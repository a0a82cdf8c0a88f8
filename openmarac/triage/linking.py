"""Suggesting known people for a person named on a referral, from the user's scope only."""

from __future__ import annotations

from django.db.models import QuerySet

from openmarac.accounts.models import User
from openmarac.people.matching import Match, PersonQuery, find_candidates, find_candidates_for
from openmarac.people.models import Person
from openmarac.people.selectors import people_visible_to


def linkable_people(user: User) -> QuerySet[Person]:
    """Unmerged people on cases the user may see: the only people they may link or merge."""
    return people_visible_to(user)


def suggestions(user: User, person: Person, *, limit: int = 5) -> list[Match]:
    """The known people most likely to be ``person``, best first, each with its evidence."""
    people = linkable_people(user).exclude(pk=person.pk)
    return find_candidates(PersonQuery.from_person(person), people=people, limit=limit)


def suggestions_for(user: User, persons: list[Person], *, limit: int = 5) -> dict[int, list[Match]]:
    """``suggestions`` for several people at once (a referral's), keyed by person id.

    None of ``persons`` is ever suggested for another of them or for themselves.
    """
    if not persons:
        return {}
    people = linkable_people(user).exclude(pk__in=[p.pk for p in persons])
    answers = find_candidates_for(
        [PersonQuery.from_person(p) for p in persons], people=people, limit=limit
    )
    return {p.pk: found for p, found in zip(persons, answers, strict=True)}
