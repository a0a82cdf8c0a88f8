"""``make restore-check``: prove that a database backup restores and its audit chain verifies.

It follows docs/operations.md ("Backups") step by step on scratch databases of this machine's
PostgreSQL, with keys made for the run:

1. a source database as production builds it (migrations, checklists), with the fictional demo
   partnership in it and a sweep run over it, whose audit chain verifies;
2. a signed anchor of the chain's head taken, as the daily anchor e-mail carries it;
3. ``pg_dump --format=custom`` of the source;
4. ``pg_restore`` into a second, empty database;
5. on the restored database, with the key backup: ``verify_audit`` (the whole chain) and
   ``verify_audit --anchor`` (nothing lost up to the anchor, the anchor's signature valid), the
   same number of rows in every table, and the people's names readable;
6. and what a backup is without its keys: the dump names no one, and a different ``SECRET_KEY``
   cannot vouch for the anchor.

Both databases are dropped after a pass; the dump and logs stay in ``var/restore-check/``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import prod_check
import psycopg
from prod_check import (
    PYTHON,
    ROOT,
    Stand,
    database_create,
    database_drop,
    manage,
    manage_run,
    new_key,
    write_secret,
)
from psycopg import sql

NAMES_SCRIPT = (
    "import json, django; django.setup()\n"
    "from openmarac.demo.partnership import demo_names\n"
    "from openmarac.people.models import Person\n"
    "print(json.dumps({'demo': demo_names(),"
    " 'read': sorted({p.surname for p in Person.objects.all()})}))\n"
)
ANCHOR_SCRIPT = (
    "import django; django.setup()\n"
    "from openmarac.audit.anchor import anchor_sign, chain_head\n"
    "print(anchor_sign(chain_head()))\n"
)


def _python(stand: Stand, script: str, *, database: str) -> str:
    env = {**stand.environment(database=database), "DJANGO_SETTINGS_MODULE": "openmarac.settings"}
    return subprocess.run(
        [str(PYTHON), "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.strip()


def _row_counts(stand: Stand, database: str) -> dict[str, int]:
    with psycopg.connect(f"{stand.postgres}/{database}") as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        counts = {}
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            row = connection.execute(query).fetchone()
            counts[table] = int(row[0]) if row else 0
        return counts


def say(message: str) -> None:
    prod_check.say(message, check="restore-check")


class Checks:
    def __init__(self) -> None:
        self.failures = 0

    def __call__(self, condition: bool, name: str, why: str = "") -> None:
        print(f"  {'ok  ' if condition else 'FAIL'} {name}{'' if condition else ': ' + why}")
        self.failures += 0 if condition else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default="openmarac_restorecheck")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    options = parser.parse_args()
    source, restored = f"{options.database}_source", f"{options.database}_restored"
    stand = Stand(
        work=ROOT / "var" / "restore-check",
        database=source,
        postgres=options.postgres,
        redis="",
    )
    started = time.monotonic()
    stand.prepare()
    check = Checks()
    dump = stand.work / "openmarac.dump"

    say(f"source database {source}: migrations, checklists, the demo partnership, a sweep")
    database_create(stand, source)
    manage(stand, "migrate", "--noinput")
    manage(stand, "load_checklists")
    manage(stand, "load_demo", production=False)
    manage(stand, "run_sweep")
    before = manage(stand, "verify_audit").strip()
    check(before.startswith("Audit chain intact"), "source_chain_verifies", before)
    anchor = _python(stand, ANCHOR_SCRIPT, database=source)

    say(f"pg_dump of {source}, pg_restore into {restored}")
    subprocess.run(
        [
            "pg_dump",
            "--format=custom",
            "--no-owner",
            f"--file={dump}",
            f"{stand.postgres}/{source}",
        ],
        check=True,
        timeout=300,
    )
    database_create(stand, restored)
    subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={stand.postgres}/{restored}",
            str(dump),
        ],
        check=True,
        timeout=300,
    )

    say("the restored database, with the key backup")
    after = manage(stand, "verify_audit", database=restored).strip()
    check(after == before, "restored_chain_verifies", f"{after!r} after {before!r}")
    held = manage(stand, "verify_audit", "--anchor", anchor, database=restored).strip()
    check("signature valid" in held, "restored_log_holds_the_signed_anchor", held)
    counts = _row_counts(stand, source), _row_counts(stand, restored)
    check(
        counts[0] == counts[1] and sum(counts[0].values()) > 500,
        "every_table_has_its_rows",
        f"{len(counts[0])} tables, {sum(counts[0].values())} rows before, "
        f"{sum(counts[1].values())} after",
    )
    names = json.loads(_python(stand, NAMES_SCRIPT, database=restored))
    check("Victimone" in names["read"], "names_read_back_with_the_data_keys", str(names["read"]))

    say("the backup without its keys")
    sql = subprocess.run(
        ["pg_restore", "--file=-", str(dump)], capture_output=True, check=True, timeout=300
    ).stdout.decode("utf-8", "replace")
    found = sorted({n for n in names["demo"] if n.lower() in sql.lower()})
    check(len(sql) > 100_000 and not found, "the_dump_names_no_one", f"found {found}")
    other_key = write_secret(
        stand.work / "credentials" / "another_secret_key", new_key() + new_key()
    )
    forged = manage_run(
        stand, "verify_audit", "--anchor", anchor, database=restored, key_file=str(other_key)
    )
    check(forged.returncode != 0, "another_secret_key_cannot_vouch_for_the_anchor", "it did")

    if check.failures == 0:
        database_drop(stand, source)
        database_drop(stand, restored)
    ok = check.failures == 0
    say(f"{'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
