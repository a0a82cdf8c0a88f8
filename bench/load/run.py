"""Many users at once, and faults: Locust against gunicorn on PostgreSQL, all on 127.0.0.1.

Loads (once) the page benchmark's partnership (bench/pages_data.py) into the PostgreSQL
database at ``DATABASE_URL`` (a database of its own, e.g. ``openmarac_load_bench``), then, each
run: gives every simulated user an account and a signed-in session (both factors satisfied as
the tests do it) and its own share of the work, writes the plan, starts gunicorn with
``--workers`` workers (deploy/gunicorn.conf.py) and runs Locust headless for ``--seconds`` with
``--users`` users (coordinators 3, representatives 6, referrers 1 in 10; bench/load/locustfile.py).
A fault, if asked for, is made during the run:

- ``pg-kill``: every connection to the database is ended (``pg_terminate_backend``) at a third
  and at two thirds of the run, as a PostgreSQL restart would end them (the shared server here
  cannot be restarted);
- ``web-worker-kill``: a gunicorn worker is killed (SIGKILL) at a third and at two thirds;
- ``redis-down``: the application runs with ``REDIS_URL`` and ``CACHE_URL`` on a closed port.

Afterwards every write the users were told succeeded (the ledger) is looked for in the database.
Prints ``name=value`` lines ending with::

    load_users=N load_requests=N load_rps=N load_p50_ms=N load_p95_ms=N load_p99_ms=N
    load_errors=N load_acknowledged=N load_lost=N
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import ROOT, setup

HERE = Path(__file__).resolve().parent

OUT = ROOT / "var" / "bench" / "load"
STANDING = ("police", "idva", "childrens", "acute_health", "housing", "probation")
CLOSED_PORT = "redis://127.0.0.1:9/0"


def prepare_data(cases: int) -> None:
    import pages
    import pages_data
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    pages.refuse_foreign_data()
    if pages_data.loaded_cases() == 0:
        pages_data.build(random.Random(17), cases)


def _session(user: Any) -> str:
    from django.test import Client

    from openmarac.accounts.models import UserSession
    from openmarac.accounts.services import MFA_AT, SIGNED_IN_AT

    client = Client()
    client.force_login(user)
    session = client.session
    session[MFA_AT] = session[SIGNED_IN_AT] = int(time.time())
    session.save()
    UserSession.objects.create(
        user=user, session_key=session.session_key, ip_address="127.0.0.1", device="Load test"
    )
    return str(session.session_key)


def _account(username: str, agency: Any, **roles: bool) -> Any:
    from openmarac.accounts.models import User
    from openmarac.licences.services import licence_default_issue

    user, made = User.objects.get_or_create(
        username=username,
        defaults={"agency": agency, "email": f"{username}@example.org", **roles},
    )
    if made:
        licence_default_issue(user=user)
    return user


def _pending_referrals(count: int, rng: random.Random) -> list[str]:
    """``count`` referrals submitted to the hub (as a referrer would), for triage to decide."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import RequestFactory

    from openmarac.referrals.services import referral_submit

    request = RequestFactory().post("/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    out = []
    for referral in _drafts("referrer@example.org", count, rng):
        referral_submit(referral=referral, request=request)
        out.append(str(referral.public_id))
    return out


def _drafts(email: str, count: int, rng: random.Random) -> list[Any]:
    """Complete referrals not yet sent, as a referrer leaves them before the check page."""
    from django.utils import timezone
    from pages_data import PARTNERSHIP

    from openmarac.agencies.models import Agency
    from openmarac.demo.referral_answers import COMPLETE_SECTIONS, demo_referral_answers
    from openmarac.partnerships.models import Area
    from openmarac.referrals.models import Referral
    from openmarac.referrals.selectors import email_index

    areas = list(Area.objects.filter(partnership__name=PARTNERSHIP))
    police = Agency.objects.get(partnership__name=PARTNERSHIP, name="Bench police")
    made = []
    for _ in range(count):
        area = rng.choice(areas)
        surname = f"Loadtest{rng.randrange(10**6)}"
        made.append(
            Referral.objects.create(
                partnership=area.partnership,
                area=area,
                referrer_email=email,
                referrer_email_index=email_index(email),
                referrer_agency=police,
                answers=demo_referral_answers(
                    area,
                    police,
                    victim=(rng.choice(["Amberly", "Corawen", "Delphine"]), surname),
                    perpetrator=(rng.choice(["Brandor", "Edmar", "Fenton"]), surname),
                    assessed_on=timezone.localdate(),
                ),
                completed_sections=COMPLETE_SECTIONS,
            )
        )
    return made


def prepare_plan(users: int, seconds: int, rng: random.Random) -> dict[str, list[dict[str, Any]]]:
    """Accounts, sessions and each user's own share of the work."""
    from django.contrib.sessions.backends.db import SessionStore
    from pages_data import PARTNERSHIP

    from openmarac.actions.models import Action
    from openmarac.agencies.models import Agency
    from openmarac.cases.models import CaseParticipant
    from openmarac.research.models import ResearchRequest

    agencies = {
        a.name.removeprefix("Bench "): a
        for a in Agency.objects.filter(partnership__name=PARTNERSHIP, name__startswith="Bench ")
    }
    coordinators = max(1, users * 3 // 10)
    referrers = max(1, users // 10)
    representatives = max(1, users - coordinators - referrers)
    decisions_each = max(2, seconds // 30)
    plan: dict[str, list[dict[str, Any]]] = {
        "coordinators": [],
        "representatives": [],
        "referrers": [],
    }
    for n in range(coordinators):
        user = _account(f"load-coordinator-{n}", agencies["hub"], is_hub_coordinator=True)
        plan["coordinators"].append(
            {"cookie": _session(user), "referrals": _pending_referrals(decisions_each, rng)}
        )
    open_research = list(
        ResearchRequest.objects.filter(
            completed_at__isnull=True,
            listing__case__partnership__name=PARTNERSHIP,
            listing__case__restriction="",
            listing__meeting__status="scheduled",
            # representatives see a case once its agenda is published
            listing__meeting__agenda_published_at__isnull=False,
        ).values_list("pk", "agency__name", "listing_id", "listing__case_id")
    )
    participants: dict[int, list[int]] = {}
    for case_id, person in CaseParticipant.objects.filter(
        case_id__in=[row[3] for row in open_research], role__in=["victim", "perpetrator"]
    ).values_list("case_id", "pk"):
        participants.setdefault(case_id, []).append(person)
    work: dict[str, list[list[int]]] = {}
    for request_id, agency_name, listing_id, case_id in open_research:
        for person in participants.get(case_id, []):
            work.setdefault(agency_name.removeprefix("Bench "), []).append(
                [request_id, person, listing_id]
            )
    actions: dict[str, list[str]] = {}
    for public_id, agency_name in Action.objects.filter(
        case__partnership__name=PARTNERSHIP, closed_at__isnull=True, case__restriction=""
    ).values_list("public_id", "owner_agency__name")[:2000]:
        actions.setdefault(agency_name.removeprefix("Bench "), []).append(str(public_id))
    for n in range(representatives):
        sector = STANDING[n % len(STANDING)]
        user = _account(f"load-rep-{sector}-{n}", agencies[sector], is_agency_rep=True)
        share = work.get(sector, [])[n // len(STANDING) :: max(1, representatives // 6)]
        plan["representatives"].append(
            {"cookie": _session(user), "entries": share, "actions": actions.get(sector, [])}
        )
    for n in range(referrers):
        email = f"load-referrer-{n}@example.org"
        session = SessionStore()
        session["referrer_email"] = email
        session.create()
        drafts = _drafts(email, max(2, seconds // 60), rng)
        plan["referrers"].append(
            {"cookie": session.session_key, "drafts": [str(d.public_id) for d in drafts]}
        )
    return plan


def check_ledger(path: Path) -> tuple[int, list[str]]:
    """Every acknowledged write, looked for in the database; returns (count, what is missing)."""
    from openmarac.actions.models import ActionEntry
    from openmarac.referrals.models import Referral, ReferralStatus
    from openmarac.research.models import ResearchEntry

    lines = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    missing = []
    last_research: dict[tuple[int, int], str] = {}
    for entry in lines:
        kind = entry["kind"]
        if kind == "decline":
            status = Referral.objects.get(public_id=entry["referral"]).status
            if status != ReferralStatus.DECLINED:
                missing.append(f"decline {entry['referral']} is {status}")
        elif kind == "referral":
            status = Referral.objects.get(public_id=entry["referral"]).status
            if status in (ReferralStatus.DRAFT,):
                missing.append(f"referral {entry['referral']} still a draft")
        elif kind == "action_update":
            texts = ActionEntry.objects.filter(action__public_id=entry["action"]).values_list(
                "text", flat=True
            )
            if not any(entry["token"] in text for text in texts):
                missing.append(f"update {entry['token']} on action {entry['action']}")
        elif kind == "research":
            last_research[(entry["request"], entry["participant"])] = entry["token"]
    for (request_id, participant_id), token in last_research.items():
        found = ResearchEntry.objects.filter(
            request_id=request_id, participant_id=participant_id
        ).first()
        if found is None or token not in found.information:
            missing.append(f"research {request_id}/{participant_id} {token}")
    return len(lines), missing


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def make_fault(kind: str, seconds: int, gunicorn: subprocess.Popen[bytes], log: list[str]) -> None:
    from django.db import connection

    for moment in (seconds / 3, seconds / 3):
        time.sleep(moment)
        if kind == "pg-kill":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                log.append(f"terminated {cursor.fetchone()[0]} connections")
            connection.close()
        elif kind == "web-worker-kill":
            workers = _children(gunicorn.pid)
            if workers:
                os.kill(workers[0], signal.SIGKILL)
                log.append(f"killed worker {workers[0]}")


def _wait_up(url: str) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=2)  # noqa: S310 (http, loopback)
            return
        except OSError as exc:  # HTTPError is one: a 503 still means it is up
            if getattr(exc, "code", None):
                return
            time.sleep(0.5)
    raise SystemExit("gunicorn did not start")


def aggregated(prefix: Path) -> dict[str, str]:
    with open(f"{prefix}_stats.csv") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return row
    return {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2_000, help="cases to load the first time")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fault", choices=["pg-kill", "web-worker-kill", "redis-down"])
    parser.add_argument("--locust", default=os.environ.get("LOCUST", "locust"))
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database used only for this benchmark")
    import reports

    reports.ensure_database(url)
    setup()
    with contextlib.redirect_stdout(io.StringIO()):  # development prints the e-mails it sends
        prepare_data(args.cases)
        plan = prepare_plan(args.users, args.seconds, random.Random(time.time_ns()))
    OUT.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    plan_path, ledger, seen = OUT / "plan.json", OUT / f"ledger-{stamp}.jsonl", OUT / "seen.json"
    plan_path.write_text(json.dumps(plan))
    ledger.write_text("")
    seen.write_text("{}")
    env = {
        **os.environ,
        "OPENMARAC_ENV": "development",
        "DEBUG": "0",
        "GUNICORN_BIND": f"127.0.0.1:{args.port}",
        "GUNICORN_WORKERS": str(args.workers),
        "LOG_LEVEL": "WARNING",
        "LOAD_PLAN": str(plan_path),
        "LOAD_LEDGER": str(ledger),
        "LOAD_SEEN": str(seen),
    }
    if args.fault == "redis-down":
        env["REDIS_URL"] = env["CACHE_URL"] = CLOSED_PORT
    server_log = (OUT / "gunicorn.log").open("w")
    locust_log = (OUT / "locust.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=server_log,
    )
    base = f"http://127.0.0.1:{args.port}"
    faults: list[str] = []
    try:
        _wait_up(base)
        if args.fault in ("pg-kill", "web-worker-kill"):
            threading.Thread(
                target=make_fault, args=(args.fault, args.seconds, server, faults), daemon=True
            ).start()
        started = time.perf_counter()
        subprocess.run(  # noqa: S603 (the Locust named on the command line)
            [
                args.locust,
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--only-summary",
                "-u",
                str(args.users),
                "-r",
                str(max(1, args.users // 10)),
                "-t",
                f"{args.seconds}s",
                "--host",
                base,
                "--csv",
                str(OUT / "locust"),
            ],
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=locust_log,
        )
        elapsed = time.perf_counter() - started
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        server_log.close()
        locust_log.close()
    from django.db import connection

    connection.close()  # a pg-kill fault may have ended this one too
    row = aggregated(OUT / "locust")
    acknowledged, missing = check_ledger(ledger)
    users_saw = Counter(json.loads(seen.read_text()))
    print(f"fault={args.fault or 'none'} {' '.join(faults) or ''} elapsed_s={elapsed:.0f}")
    print("responses_500_and_over_seen_as=" + json.dumps(dict(users_saw)))
    for line in missing[:20]:
        print(f"lost: {line}")
    print(
        f"load_users={args.users} load_requests={row.get('Request Count')} "
        f"load_rps={float(row.get('Requests/s') or 0):.1f} load_p50_ms={row.get('50%')} "
        f"load_p95_ms={row.get('95%')} load_p99_ms={row.get('99%')} "
        f"load_errors={row.get('Failure Count')} load_acknowledged={acknowledged} "
        f"load_lost={len(missing)}"
    )


if __name__ == "__main__":
    main()
