"""Single-referral matching latency over 1,000,000 synthetic people in PostgreSQL.

Loads the people once into the PostgreSQL database at ``DATABASE_URL`` (which must be a
database of its own, e.g. ``openmarac_bench``: the script refuses one holding anything else),
each on a case, with their encrypted details and blocking keys; a second run finds them
loaded and goes straight to timing. Then, for a few hundred referrals, times looking up the
victim and the perpetrator together, as the triage page does (``find_candidates_for`` over
``people_visible_to(coordinator)``), then as many single people alone (``find_candidates``),
and prints ``name=value`` lines. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from typing import Any

from common import percentile, setup

BENCH_PARTNERSHIP = "Latency benchmark"
CHUNK = 10_000


def ensure_database(url: str) -> None:
    """Create the benchmark database if it is missing (connecting to 'postgres' to do so)."""
    import psycopg
    from dj_database_url import parse
    from psycopg import sql

    conf = parse(url)
    if conf["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("bench/latency.py needs a PostgreSQL DATABASE_URL")
    params = {
        "host": conf.get("HOST") or None,
        "port": conf.get("PORT") or None,
        "user": conf.get("USER") or None,
        "password": conf.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [conf["NAME"]]
        ).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(conf["NAME"])))


def refuse_foreign_data() -> None:
    from openmarac.partnerships.models import Partnership

    others = Partnership.objects.exclude(name=BENCH_PARTNERSHIP)
    if others.exists():
        raise SystemExit(
            "This database holds other partnerships: point DATABASE_URL at a database used only "
            "for the benchmark (e.g. openmarac_bench)."
        )


def key_indexes(cursor: Any) -> list[tuple[str, str]]:
    """(drop, create) statements for the key table's secondary indexes and unique constraints."""
    cursor.execute(
        """
        SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid = 'people_personkey'::regclass AND contype = 'u'
        """
    )
    out = [
        (
            f'ALTER TABLE people_personkey DROP CONSTRAINT "{name}"',
            f'ALTER TABLE people_personkey ADD CONSTRAINT "{name}" {definition}',
        )
        for name, definition in cursor.fetchall()
    ]
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        WHERE i.tablename = 'people_personkey'
          AND i.indexname NOT IN (SELECT conname FROM pg_constraint
                                  WHERE conrelid = 'people_personkey'::regclass)
        """
    )
    out += [(f'DROP INDEX "{name}"', definition) for name, definition in cursor.fetchall()]
    return out


def next_ids(cursor: Any, model: Any, count: int) -> list[int]:
    table = model._meta.db_table
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
        [table, count],
    )
    return [row[0] for row in cursor.fetchall()]


def copy_rows(cursor: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    """COPY rows into a model's table; every column not given takes the field's default.

    Values go through each field's own ``get_db_prep_save``, so encrypted fields are encrypted
    exactly as the application stores them, and columns other features add still get a value.
    """
    from django.db import connection

    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and "id" not in rows[0])]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    defaults = {f.attname: f.get_default() for f in fields if f.attname not in rows[0]}
    with cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [
                    f.get_db_prep_save(
                        row[f.attname] if f.attname in row else defaults[f.attname], connection
                    )
                    for f in fields
                ]
            )


def load(total: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone
    from synthetic import Generator

    from openmarac.agencies.models import Agency
    from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
    from openmarac.partnerships.models import Area, Partnership
    from openmarac.people.keys import keys_for, source_for_person
    from openmarac.people.models import Gender, Person, PersonAddress

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE people_personkey, people_personaddress, cases_caseparticipant, "
            "cases_case, people_person CASCADE"
        )
    partnership, _ = Partnership.objects.get_or_create(
        name=BENCH_PARTNERSHIP, defaults={"hub_email": "hub@example.org"}
    )
    area, _ = Area.objects.get_or_create(
        partnership=partnership, code="LB", defaults={"name": "Bench"}
    )
    Agency.objects.get_or_create(
        partnership=partnership, name="Bench hub", defaults={"sector": "other", "is_hub": True}
    )
    now = timezone.now()
    generator = Generator()
    base = generator.households(int(total * 0.9))
    rng = random.Random(7)
    duplicates = [generator.variant(rng.choice(base)) for _ in range(total - len(base))]
    records = base + duplicates
    rng.shuffle(records)
    print(f"# generated {len(records)} records in {time.perf_counter() - started:.0f}s", flush=True)

    with connection.cursor() as cursor:
        indexes = key_indexes(cursor)
        for drop, _create in indexes:
            cursor.execute(drop)
    case_number = 0
    for start in range(0, len(records), CHUNK):
        chunk = records[start : start + CHUNK]
        with transaction.atomic(), connection.cursor() as cursor:
            person_ids = next_ids(cursor, Person, len(chunk))
            case_ids = next_ids(cursor, Case, (len(chunk) + 1) // 2)
            address_rows, key_lines, case_rows, participant_rows = [], [], [], []
            person_rows = []
            for person_id, r in zip(person_ids, chunk, strict=True):
                person_rows.append(
                    {
                        "id": person_id,
                        "partnership_id": partnership.pk,
                        "forenames": r.forenames,
                        "surname": r.surname,
                        "aliases": r.aliases,
                        "date_of_birth": r.date_of_birth,
                        "birth_year": r.birth_year,
                        "gender": Gender.FEMALE if r.gender == "female" else Gender.MALE,
                        "created_at": now,
                    }
                )
                if r.address or r.postcode:
                    address_rows.append(
                        {"person_id": person_id, "lines": r.address, "postcode": r.postcode}
                    )
                source = source_for_person(r, [r.postcode], [r.address])
                key_lines.extend(f"{person_id}\t{key}\n" for key in keys_for(source))
            for i, case_id in enumerate(case_ids):
                case_number += 1
                case_rows.append(
                    {
                        "id": case_id,
                        "partnership_id": partnership.pk,
                        "area_id": area.pk,
                        "reference": f"LB-{case_number:07d}",
                        "created_at": now,
                    }
                )
                for role, person_id in zip(
                    (ParticipantRole.VICTIM, ParticipantRole.PERPETRATOR),
                    person_ids[2 * i : 2 * i + 2],
                    strict=False,
                ):
                    participant_rows.append(
                        {"case_id": case_id, "person_id": person_id, "role": role}
                    )
            copy_rows(cursor, Person, person_rows)
            copy_rows(cursor, PersonAddress, address_rows)
            copy_rows(cursor, Case, case_rows)
            copy_rows(cursor, CaseParticipant, participant_rows)
            with cursor.copy("COPY people_personkey (person_id, key) FROM STDIN") as copy:
                copy.write("".join(key_lines))
        done = start + len(chunk)
        if done % 100_000 == 0 or done == len(records):
            print(f"# loaded {done} people, {time.perf_counter() - started:.0f}s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '1GB'")
        for _drop, create in indexes:
            cursor.execute(create)
    connection.ensure_connection()
    old = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.connection.autocommit = old
    print(f"# load finished in {time.perf_counter() - started:.0f}s", flush=True)


def ensure_licensed(user: Any) -> None:
    """Give the benchmark's coordinator what any coordinator needs to see cases.

    Visibility requires the hub agency's signatures of both agreements and an active licence;
    without them the coordinator would see no one and the lookups would time empty searches.
    """
    import datetime

    from openmarac.agencies.models import Agreement, AgreementSignature
    from openmarac.agencies.services import signature_record
    from openmarac.licences.models import Licence, LicenceStatus
    from openmarac.licences.services import licence_default_issue

    partnership = user.agency.partnership
    domain = user.email.rsplit("@", 1)[-1]
    if domain not in partnership.official_email_domains:
        partnership.official_email_domains = [*partnership.official_email_domains, domain]
        partnership.save(update_fields=["official_email_domains"])
    for agreement in Agreement:
        if not AgreementSignature.objects.filter(
            agency=user.agency, agreement=agreement, withdrawn_on__isnull=True
        ).exists():
            signature_record(
                agency=user.agency,
                agreement=agreement,
                signed_on=datetime.date(2026, 1, 1),
                signed_by="Benchmark",
            )
    if not Licence.objects.filter(user=user, status=LicenceStatus.ACTIVE).exists():
        licence_default_issue(user=user)


def phase_timings(referrals: list[list[tuple[Any, int]]], visible: Any) -> dict[str, list[float]]:
    """Each referral looked up again, one step of ``find_candidates_for`` at a time."""
    from openmarac.people.matching.search import (
        COMPARE_POOL,
        Scorer,
        fetch_records,
        in_scope,
        ranked_ids,
    )

    steps: dict[str, list[float]] = {"rank": [], "scope": [], "fetch": [], "compare": []}
    for referral in referrals:
        queries = [query for query, _want in referral]
        t0 = time.perf_counter()
        rankings = [ranked_ids(query) for query in queries]
        t1 = time.perf_counter()
        pools = [
            ids[:COMPARE_POOL] for ids in in_scope(rankings, people=visible, enough=COMPARE_POOL)
        ]
        t2 = time.perf_counter()
        _people, records = fetch_records({pk for ids in pools for pk in ids})
        t3 = time.perf_counter()
        for query, ids in zip(queries, pools, strict=True):
            scorer = Scorer(query)
            for pk in ids:
                scorer.score(records[pk])
        t4 = time.perf_counter()
        for name, seconds in zip(steps, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            steps[name].append(seconds * 1000)
    return steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--referrals", type=int, default=1000)
    parser.add_argument("--reload", action="store_true", help="load the people again")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    ensure_database(url)
    setup()

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    refuse_foreign_data()

    from synthetic import Generator

    from openmarac.accounts.models import User
    from openmarac.agencies.models import Agency
    from openmarac.people.matching import (
        MATCH_THRESHOLD,
        PersonQuery,
        find_candidates,
        find_candidates_for,
    )
    from openmarac.people.models import Person, PersonKey
    from openmarac.people.selectors import people_visible_to

    loaded = Person.objects.filter(partnership__name=BENCH_PARTNERSHIP).count()
    if args.reload or loaded != args.people or not PersonKey.objects.exists():
        load(args.people)
    hub = Agency.objects.get(partnership__name=BENCH_PARTNERSHIP, name="Bench hub")
    coordinator, _ = User.objects.get_or_create(
        username="bench-coordinator",
        defaults={"agency": hub, "is_hub_coordinator": True, "email": "bench@example.org"},
    )
    ensure_licensed(coordinator)
    people_count = Person.objects.count()
    key_count = PersonKey.objects.count()

    # Referrals: a victim and a perpetrator each, two in three already known (written differently).
    rng = random.Random(11)
    generator = Generator(seed=99)
    max_id = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    min_id = Person.objects.order_by("pk").values_list("pk", flat=True).first() or 0

    def known() -> tuple[PersonQuery, int]:
        while True:
            person = (
                Person.objects.filter(pk__gte=rng.randint(min_id, max_id))
                .prefetch_related("addresses")
                .order_by("pk")
                .first()
            )
            if person is not None:
                break
        q = PersonQuery.from_person(person)
        from synthetic import Synthetic

        record = Synthetic(
            forenames=q.forenames,
            surname=q.surname,
            date_of_birth=q.date_of_birth,
            birth_year=str(q.birth_year or ""),
            address=q.address,
            postcode=q.postcode,
            gender="",
            true_id=person.pk,
            aliases=list(q.aliases),
        )
        v = generator.variant(record)
        query = PersonQuery(
            forenames=v.forenames,
            surname=v.surname,
            aliases=tuple(v.aliases),
            date_of_birth=v.date_of_birth,
            birth_year=int(v.birth_year) if v.birth_year else None,
            address=v.address,
            postcode=v.postcode,
        )
        return query, person.pk

    def unknown() -> tuple[PersonQuery, int]:
        r = generator.households(1)[0]
        query = PersonQuery(
            forenames=r.forenames,
            surname=r.surname,
            date_of_birth=r.date_of_birth,
            birth_year=int(r.birth_year) if r.birth_year else None,
            address=r.address,
            postcode=r.postcode,
        )
        return query, 0

    referrals = [
        [known() if rng.random() < 2 / 3 else unknown() for _ in range(2)]
        for _ in range(args.referrals + 20)
    ]
    # Single people, other than the referrals', for the one-person figure.
    singles = [known() if rng.random() < 2 / 3 else unknown() for _ in range(args.referrals)]
    visible = people_visible_to(coordinator)
    timings: list[float] = []
    cpu: list[float] = []
    lookups: list[float] = []
    found = asked = 0
    for number, referral in enumerate(referrals):
        # What the triage page does: every person on the referral looked up at once.
        t0 = time.perf_counter()
        c0 = time.process_time()
        answers = find_candidates_for([q for q, _want in referral], people=visible, limit=5)
        elapsed = (time.perf_counter() - t0) * 1000
        cpu_ms = (time.process_time() - c0) * 1000
        if number < 20:
            continue  # warm-up: connections, caches
        timings.append(elapsed)
        cpu.append(cpu_ms)
        for (_query, want), matches in zip(referral, answers, strict=True):
            if want:
                asked += 1
                found += bool(
                    matches and matches[0].person.pk == want and matches[0].score >= MATCH_THRESHOLD
                )
    for query, _want in singles:
        t1 = time.perf_counter()
        find_candidates(query, people=visible, limit=5)
        lookups.append((time.perf_counter() - t1) * 1000)
    phases = phase_timings(referrals[20:], visible)
    timings.sort()
    lookups.sort()
    cpu.sort()
    print(f"match_people={people_count}")
    print(f"match_person_keys={key_count}")
    print(f"match_referrals_timed={len(timings)}")
    print(f"match_p50_ms={percentile(timings, 0.50):.1f}")
    print(f"match_p95_ms={percentile(timings, 0.95):.1f}")
    print(f"match_p99_ms={percentile(timings, 0.99):.1f}")
    # One person looked up alone (other people than the referrals').
    print(f"match_lookup_p50_ms={percentile(lookups, 0.50):.1f}")
    print(f"match_lookup_p95_ms={percentile(lookups, 0.95):.1f}")
    # Python's own CPU time per referral (the database's work is not in it), and how busy the
    # machine was: wall-clock figures on a shared machine include waiting for a core.
    print(f"match_app_cpu_p50_ms={percentile(cpu, 0.50):.1f}")
    print(f"match_app_cpu_p95_ms={percentile(cpu, 0.95):.1f}")
    print(f"machine_load_average_1min={os.getloadavg()[0]:.1f}")
    print(f"machine_cores={os.cpu_count()}")
    # Where a referral's time goes, step by step (wall clock, median over the referrals).
    for name, values in phases.items():
        print(f"match_step_{name}_p50_ms={percentile(sorted(values), 0.50):.1f}")
    print(f"synthetic_known_top1_recall={found / asked if asked else float('nan'):.4f}")
    print(f"database_vendor={connection.vendor}")


if __name__ == "__main__":
    main()
