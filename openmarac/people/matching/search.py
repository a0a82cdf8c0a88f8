"""Finding the existing people most likely to be the person on a referral."""

from __future__ import annotations

from django.db.models import Case, FloatField, QuerySet, Sum, Value, When

from openmarac.people import keys as person_keys
from openmarac.people.models import Person, PersonKey

from .score import Record, names_of, score
from .types import Match, PersonQuery

# People sharing the most key weight with the query, taken from the key table.
KEY_POOL = 1000
# Of those the caller may see, how many are decrypted and compared in full.
COMPARE_POOL = 20


def _source(query: PersonQuery) -> person_keys.KeySource:
    return person_keys.KeySource(
        forenames=query.forenames,
        surname=query.surname,
        aliases=query.aliases,
        date_of_birth=query.date_of_birth,
        birth_year=query.year,
        postcodes=(query.postcode,) if query.postcode else (),
        streets=tuple(k for k in [person_keys.street_key(query.address)] if k),
    )


def record_of(person: Person) -> Record:
    year = str(person.birth_year or "").strip()
    aliases = tuple(str(a) for a in (person.aliases or []) if str(a).strip())
    return Record(
        names=names_of(person.forenames or "", person.surname or "", aliases),
        date_of_birth=person.date_of_birth,
        birth_year=int(year) if year.isdigit() and len(year) == 4 else None,
        addresses=tuple((a.lines or "", a.postcode or "") for a in person.addresses.all()),
    )


def candidate_ids(
    query: PersonQuery, *, people: QuerySet[Person], enough: int | None = None
) -> list[int]:
    """Ids of people in ``people`` sharing blocking keys with ``query``, best first.

    Scope is checked page by page down the ranking, stopping once ``enough`` are found, so a
    user who may see most people costs one small check, and one who may see few still gets the
    best of those they may see.
    """
    weights = person_keys.weighted_keys_for(_source(query))
    if not weights:
        return []
    ranked = list(
        PersonKey.objects.filter(key__in=list(weights))
        .values("person_id")
        .annotate(
            weight=Sum(
                Case(
                    *(When(key=key, then=Value(w)) for key, w in weights.items()),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            )
        )
        .order_by("-weight", "person_id")
        .values_list("person_id", flat=True)[:KEY_POOL]
    )
    if query.person_id is not None:
        ranked = [pk for pk in ranked if pk != query.person_id]
    found: list[int] = []
    start, page = 0, 50
    while start < len(ranked) and (enough is None or len(found) < enough):
        chunk = ranked[start : start + page]
        allowed = set(
            people.filter(pk__in=chunk, merged_into__isnull=True).values_list("pk", flat=True)
        )
        found.extend(pk for pk in chunk if pk in allowed)
        start, page = start + page, page * 3
    return found


def find_candidates(query: PersonQuery, *, people: QuerySet[Person], limit: int = 5) -> list[Match]:
    """The people in ``people`` most likely to be the person ``query`` describes, best first.

    Candidates are found through blind-index blocking keys only, then decrypted in memory and
    compared field by field. Only people in ``people`` (and not merged into someone else) are
    ever returned, so pass the people the user may see: ``selectors.people_visible_to(user)``.
    """
    ids = candidate_ids(query, people=people, enough=COMPARE_POOL)[:COMPARE_POOL]
    if not ids or limit <= 0:
        return []
    order = {pk: position for position, pk in enumerate(ids)}
    found = Person.objects.filter(pk__in=ids).prefetch_related("addresses")
    matches = []
    for person in found:
        probability, evidence = score(query, record_of(person))
        matches.append(Match(person=person, score=probability, evidence=evidence))
    matches.sort(key=lambda m: (-m.score, order[m.person.pk]))
    return matches[:limit]
