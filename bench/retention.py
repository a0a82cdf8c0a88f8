"""The daily retention sweep over 100,000 closed cases in PostgreSQL.

Loads, into the PostgreSQL database at ``DATABASE_URL`` (a database of its own, e.g.
``openmarac_bench``: the script refuses one holding another partnership), a partnership from the
Lincolnshire preset with ``--cases`` closed cases: most archived long ago and scheduled for review
over the next 75 years, ``--due`` of them whose review falls today, and ``--to-archive`` closed
since the last sweep and now past their flag period. Then it times one sweep of the retention
steps (re-applying disposals, archiving, marking reviews due), which must find exactly those,
and a second sweep, which must find nothing, and prints ``name=value`` lines with the query plans
of the two look-ups (an index scan, not a sequential scan). Each run loads the cases afresh.
See docs/retention.md.
"""

from __future__ import annotations

import argparse
import datetime
import os
import time
from typing import Any

from common import ROOT, setup
from latency import copy_rows, ensure_database, next_ids

BENCH_PARTNERSHIP = "Retention benchmark"
WORKER_INTERVAL_SECONDS = 60  # run_worker's default --interval
CHUNK = 20_000


def refuse_foreign_data() -> None:
    from openmarac.partnerships.models import Partnership

    if Partnership.objects.exclude(name=BENCH_PARTNERSHIP).exists():
        raise SystemExit(
            "This database holds other partnerships: point DATABASE_URL at a database used only "
            "for the benchmark (e.g. openmarac_bench)."
        )


def load(*, cases: int, due: int, to_archive: int, today: datetime.date) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from openmarac.cases.models import Case
    from openmarac.partnerships.models import Area, Partnership
    from openmarac.partnerships.services import partnership_create_from_preset
    from openmarac.retention.models import CaseRetention

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE retention_retentiondecision, retention_caseretention, "
            "retention_disposalcertificate, cases_case CASCADE"
        )
    partnership = Partnership.objects.filter(name=BENCH_PARTNERSHIP).first()
    if partnership is None:
        partnership = partnership_create_from_preset(
            preset="lincolnshire",
            name=BENCH_PARTNERSHIP,
            official_email_domains=["example.org"],
            hub_email="hub@example.org",
        )
    area = Area.objects.get(partnership=partnership)
    now = timezone.now()
    archived_count = cases - to_archive
    number = 0
    for start in range(0, cases, CHUNK):
        size = min(CHUNK, cases - start)
        with transaction.atomic(), connection.cursor() as cursor:
            ids = next_ids(cursor, Case, size)
            case_rows, retention_rows = [], []
            for offset, case_id in enumerate(ids):
                n = start + offset
                number += 1
                archived = n < archived_count
                if archived:
                    # Closed between 2000 and 2025; reviews spread over the next 75 years, but
                    # ``due`` of them fall today.
                    closed = now - datetime.timedelta(days=365 + (n * 37) % 9000)
                    review_on = (
                        today
                        if n < due
                        else today + datetime.timedelta(days=1 + (n * 101) % (75 * 365))
                    )
                else:
                    closed = now - datetime.timedelta(days=60)  # flags ended, delay passed
                case_rows.append(
                    {
                        "id": case_id,
                        "partnership_id": partnership.pk,
                        "area_id": area.pk,
                        "reference": f"RB-{number:07d}",
                        "status": "closed",
                        "created_at": closed - datetime.timedelta(days=400),
                        "last_referred_at": closed - datetime.timedelta(days=380),
                        "closed_at": closed,
                        "closure_reason": "period_ended",
                        "open_until": timezone.localdate(closed),
                        "archived_at": closed + datetime.timedelta(days=30) if archived else None,
                    }
                )
                if archived:
                    retention_rows.append(
                        {
                            "case_id": case_id,
                            "group_code": "standard",
                            "state": "scheduled",
                            "review_on": review_on,
                            "scheduled_at": closed + datetime.timedelta(days=30),
                        }
                    )
            copy_rows(cursor, Case, case_rows)
            copy_rows(cursor, CaseRetention, retention_rows)
    connection.ensure_connection()
    old = connection.connection.autocommit
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE retention_caseretention")
    connection.connection.autocommit = old
    print(f"# loaded {cases} closed cases in {time.perf_counter() - started:.0f}s", flush=True)


def plan(queryset: Any) -> list[str]:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return [row[0] for row in cursor.fetchall()]


def sweep(now: datetime.datetime) -> tuple[float, dict[str, int]]:
    from openmarac.retention.decisions import disposals_reapply
    from openmarac.retention.services import retention_archive_due, retention_mark_due

    started = time.perf_counter()
    counts = {
        "reapplied": disposals_reapply(now=now),
        "archived": retention_archive_due(now=now),
        "marked_due": retention_mark_due(now=now),
    }
    return time.perf_counter() - started, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=300)
    parser.add_argument("--to-archive", type=int, default=200)
    args = parser.parse_args()

    ensure_database(os.environ.get("DATABASE_URL", ""))
    # The sweep e-mails the hub how many cases fell due: kept in memory, not printed.
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    # The benchmark's own register: re-applying disposals reads it on every sweep.
    os.environ.setdefault("DISPOSAL_REGISTER", str(ROOT / "var" / "bench" / "disposals.jsonl"))
    setup()

    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    refuse_foreign_data()

    from openmarac.cases.archive import cases_due_for_archive
    from openmarac.retention.models import CaseRetention

    now = timezone.now()
    today = timezone.localdate(now)
    load(cases=args.cases, due=args.due, to_archive=args.to_archive, today=today)

    due_query = CaseRetention.objects.filter(
        state="scheduled", held_at__isnull=True, review_on__lte=today
    )
    archive_query = cases_due_for_archive(today=today)
    for name, queryset in (("due_plan", due_query), ("archive_plan", archive_query)):
        for line in plan(queryset):
            print(f"# {name}: {line}")
    due_plan = " ".join(plan(due_query))
    archive_plan = " ".join(plan(archive_query))

    seconds, counts = sweep(now)
    again, second_counts = sweep(now)
    print(f"cases={args.cases}")
    print(f"closed_cases={args.cases}")
    for name, value in counts.items():
        print(f"first_sweep_{name}={value}")
    print(f"first_sweep_seconds={seconds:.2f}")
    print(f"second_sweep_found={sum(second_counts.values())}")
    print(f"second_sweep_seconds={again:.3f}")
    print(f"worker_interval_seconds={WORKER_INTERVAL_SECONDS}")
    print(f"within_one_interval={'yes' if seconds < WORKER_INTERVAL_SECONDS else 'no'}")
    print(f"due_lookup_uses_index={'yes' if 'retention_review_idx' in due_plan else 'no'}")
    print(f"archive_lookup_uses_index={'yes' if 'case_to_archive_idx' in archive_plan else 'no'}")
    for name, text in (("due", due_plan), ("archive", archive_plan)):
        if "Seq Scan on retention_caseretention" in text or "Seq Scan on cases_case" in text:
            raise SystemExit(f"the {name} look-up scans a whole table")
    if counts["archived"] != args.to_archive or counts["marked_due"] != args.due:
        raise SystemExit("the sweep did not find exactly the cases due")
    if sum(second_counts.values()):
        raise SystemExit("the second sweep found work the first left")


if __name__ == "__main__":
    main()
