"""Finding the existing people most likely to be the people named on a referral.

Each look-up has three steps, each one database round trip however many people are asked about:

1. *Rank* (one query per person asked about): the people sharing blocking keys with them, by
   the summed weight of the keys shared, from the key table alone (see ``keys.py``).
2. *Scope*: of those, in rank order, the ones the caller may see, checked page by page for every
   person asked about at once, until each has ``COMPARE_POOL`` or the ranking runs out.
3. *Compare*: those people are fetched once, decrypted in memory and scored field by field.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection
from django.db.models import QuerySet

from openmarac.people import keys as person_keys
from openmarac.people.models import Person, PersonAddress, PersonKey

from .score import Record, Scorer, names_of
from .types import TIE_BITS, Match, PersonQuery

# People sharing the most key weight with the query, taken from the key table.
KEY_POOL = 1000
# Of those the caller may see, how many are decrypted and compared in full.
COMPARE_POOL = 20
# The first page of a ranking checked against the caller's scope, a little more than the pool
# (a coordinator may see nearly everyone on the key table); each later page is 3 times larger.
SCOPE_PAGE = 25
# Encrypted details comparison never reads: they are not decrypted for a search.
NOT_COMPARED = ("phone", "email", "contact_safety_notes", "equality")

_RANK_SQL = (
    "WITH wanted (key_value, weight) AS (VALUES {rows}) "
    "SELECT k.person_id FROM {table} k JOIN wanted ON wanted.key_value = k.key "
    "GROUP BY k.person_id ORDER BY SUM(wanted.weight) DESC, k.person_id LIMIT %s"
)


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


def record_of(person: Person, addresses: Sequence[tuple[str, str]] | None = None) -> Record:
    """A person's details for comparison; ``addresses`` as (lines, postcode) when already read."""
    year = str(person.birth_year or "").strip()
    aliases = tuple(str(a) for a in (person.aliases or []) if str(a).strip())
    if addresses is None:
        addresses = [(a.lines, a.postcode) for a in person.addresses.all()]
    return Record(
        names=names_of(person.forenames or "", person.surname or "", aliases),
        date_of_birth=person.date_of_birth,
        birth_year=int(year) if year.isdigit() and len(year) == 4 else None,
        addresses=tuple((lines or "", postcode or "") for lines, postcode in addresses),
    )


def fetch_records(ids: set[int]) -> tuple[dict[int, Person], dict[int, Record]]:
    """The people with these ids, and their details for comparison: two queries in all."""
    if not ids:
        return {}, {}
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids).defer(*NOT_COMPARED)}
    addresses: dict[int, list[tuple[str, str]]] = {pk: [] for pk in people}
    for person_id, lines, postcode in (
        PersonAddress.objects.filter(person_id__in=ids)
        .order_by("pk")
        .values_list("person_id", "lines", "postcode")
    ):
        if person_id in addresses:
            addresses[person_id].append((lines, postcode))
    return people, {pk: record_of(person, addresses[pk]) for pk, person in people.items()}


def ranked_ids(query: PersonQuery) -> list[int]:
    """Up to ``KEY_POOL`` ids of people sharing blocking keys with ``query``, most weight first.

    Reads only the key table, whoever is asking: scope is applied afterwards. The keys and their
    weights travel as a ``VALUES`` list joined to the key index, so the statement is the same
    small text for every query and costs no ORM expression building.
    """
    weights = person_keys.weighted_keys_for(_source(query))
    if not weights:
        return []
    table = connection.ops.quote_name(PersonKey._meta.db_table)
    # Weights as floating point: PostgreSQL would otherwise sum them as exact ``numeric``, twice
    # as slow over the tens of thousands of rows a common name shares.
    rows = ", ".join(["(%s, CAST(%s AS DOUBLE PRECISION))"] * len(weights))
    # Only the quoted table name and placeholders are written into the text; every value is a
    # parameter.
    sql = _RANK_SQL.format(rows=rows, table=table)  # nosec B608
    params: list[str | float | int] = [value for pair in weights.items() for value in pair]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, KEY_POOL])
        ranked = [row[0] for row in cursor.fetchall()]
    if query.person_id is not None:
        ranked = [pk for pk in ranked if pk != query.person_id]
    return ranked


def in_scope(
    rankings: Sequence[list[int]], *, people: QuerySet[Person], enough: int | None = None
) -> list[list[int]]:
    """Each ranking cut to the people in ``people`` (unmerged), keeping its order.

    Pages of every ranking still short of ``enough`` are checked together in one query, so a
    user who may see most people costs one small check for a whole referral, and one who may see
    few still gets the best of those they may see.
    """
    found: list[list[int]] = [[] for _ in rankings]
    allowed: set[int] = set()
    checked: set[int] = set()
    start, page = 0, SCOPE_PAGE
    while True:
        pages = [
            ranking[start : start + page] if enough is None or len(found[position]) < enough else []
            for position, ranking in enumerate(rankings)
        ]
        unchecked = {pk for chunk in pages for pk in chunk} - checked
        if not any(pages):
            return found
        if unchecked:
            allowed.update(
                people.filter(pk__in=unchecked, merged_into__isnull=True).values_list(
                    "pk", flat=True
                )
            )
            checked |= unchecked
        for position, chunk in enumerate(pages):
            found[position].extend(pk for pk in chunk if pk in allowed)
        start, page = start + page, page * 3


def candidate_ids(
    query: PersonQuery, *, people: QuerySet[Person], enough: int | None = None
) -> list[int]:
    """Ids of people in ``people`` sharing blocking keys with ``query``, best first."""
    return in_scope([ranked_ids(query)], people=people, enough=enough)[0]


def find_candidates_for(
    queries: Sequence[PersonQuery], *, people: QuerySet[Person], limit: int = 5
) -> list[list[Match]]:
    """For each of ``queries`` (e.g. a referral's victim and perpetrators), its likely matches.

    The same answers as ``find_candidates`` for each query, with one scope check and one fetch
    of candidates for all of them.
    """
    if limit <= 0:
        return [[] for _ in queries]
    pools = [
        ids[:COMPARE_POOL]
        for ids in in_scope([ranked_ids(q) for q in queries], people=people, enough=COMPARE_POOL)
    ]
    fetched, records = fetch_records({pk for ids in pools for pk in ids})
    answers = []
    for query, ids in zip(queries, pools, strict=True):
        scorer = Scorer(query)
        order = {pk: position for position, pk in enumerate(ids)}
        scored = []
        for pk in ids:
            if pk in fetched:
                bits, probability, evidence = scorer.assess(records[pk])
                match = Match(person=fetched[pk], score=round(probability, 4), evidence=evidence)
                scored.append((bits, match))
        scored.sort(key=lambda pair: (-pair[0], order[pair[1].person.pk]))
        mark_ties(scored)
        answers.append([match for _bits, match in scored[:limit]])
    return answers


def mark_ties(scored: Sequence[tuple[float, Match]]) -> None:
    """Mark the best candidates as tied when the next is within ``TIE_BITS`` of the best.

    ``scored`` is (log-odds, match), best first. Tied candidates are every one as close to the
    best as that: the evidence does not choose between them, so none is a confident match.
    """
    if len(scored) < 2 or scored[0][0] - scored[1][0] >= TIE_BITS:
        return
    best = scored[0][0]
    for bits, match in scored:
        if best - bits >= TIE_BITS:
            break
        match.tied = True


def find_candidates(query: PersonQuery, *, people: QuerySet[Person], limit: int = 5) -> list[Match]:
    """The people in ``people`` most likely to be the person ``query`` describes, best first.

    Candidates are found through blind-index blocking keys only, then decrypted in memory and
    compared field by field. Only people in ``people`` (and not merged into someone else) are
    ever returned, so pass the people the user may see: ``selectors.people_visible_to(user)``.
    """
    return find_candidates_for([query], people=people, limit=limit)[0]
