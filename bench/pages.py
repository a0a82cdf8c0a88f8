"""Every page a coordinator, a chair and an agency representative use, timed against the floor.

Loads (once) a partnership into the PostgreSQL database at ``DATABASE_URL`` (a database of its
own, e.g. ``openmarac_pages_bench``: the script refuses one holding anything else), see
bench/pages_data.py; a later run with a larger ``--cases`` grows the same database by older
history, the present staying as it was. Then it signs in as each of the three (the test client,
through the real middleware and session, second factor satisfied as the tests do it) and finds
their pages: the links in their menu and on their home page, then one link of every other kind
on those pages (so pages added later are timed once they are linked), plus the pages named in
issue 17 reached directly. Each page is fetched once to warm up, then ``--repeat`` times; the
floor (an empty page behind the same middleware and session) is timed in the same run.

Prints, per page: median and p95 ms, p95 over the floor's p95, queries, rows shown (table body
rows and summary cards), HTML KB and, when a run at a smaller size left its figures in
var/bench/, the growth of p95 from that size; then one line::

    pages_worst_p95_over_floor=N pages_worst_growth=N pages_max_queries=N pages_timed=N
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import ROOT, percentile, setup

RESULTS = ROOT / "var" / "bench"
LINK = re.compile(r'<a\b[^>]*\bhref="(/[^"#]*)"')
MENU = re.compile(r'<nav class="om-nav".*?</nav>', re.S)
ROW = re.compile(r'<tbody.*?</tbody>|class="govuk-summary-card"', re.S)
SKIP = re.compile(
    r"^/(refer/|accounts/sign-|accounts/passkeys|static/|healthz)"
    r"|\.(pdf|csv|xlsx|zip|json)$|/(pack|bundle|download)s?/?$"
)


def ensure_database(url: str) -> None:
    reports_module().ensure_database(url)


def reports_module() -> Any:
    import reports

    return reports


def refuse_foreign_data() -> None:
    from pages_data import PARTNERSHIP

    from openmarac.partnerships.models import Partnership

    if Partnership.objects.exclude(name=PARTNERSHIP).exists():
        raise SystemExit(
            "This database holds other partnerships: point DATABASE_URL at a database used only "
            "for this benchmark (e.g. openmarac_pages_bench)."
        )


def signed_in(username: str) -> Any:
    """A test client past both sign-in steps, as ``tests.conftest.client_for`` makes one."""
    from django.test import Client

    from openmarac.accounts.models import User, UserSession
    from openmarac.accounts.services import MFA_AT, SIGNED_IN_AT

    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    session = client.session
    session[MFA_AT] = session[SIGNED_IN_AT] = int(time.time())
    session.save()
    UserSession.objects.create(
        user=user, session_key=session.session_key, ip_address="127.0.0.1", device="Benchmark"
    )
    return client


def view_name(path: str) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def named_pages(role: str) -> dict[str, str]:
    """The pages issue 17 names, reached directly, whatever the menus link to."""
    from django.urls import NoReverseMatch, reverse
    from pages_data import PARTNERSHIP

    from openmarac.accounts.models import User
    from openmarac.meetings.models import Listing, Meeting
    from openmarac.proceedings.models import MeetingRecord

    today_meeting = MeetingRecord.objects.filter(
        meeting__area__partnership__name=PARTNERSHIP, closed_at__isnull=True
    ).first()
    next_meeting = (
        Meeting.objects.filter(area__partnership__name=PARTNERSHIP, status="scheduled")
        .order_by("starts_on", "pk")
        .first()
    )
    last_minutes = (
        MeetingRecord.objects.filter(
            meeting__area__partnership__name=PARTNERSHIP, minutes_status="published"
        )
        .order_by("-meeting__starts_on")
        .first()
    )
    listing = Listing.objects.filter(meeting=next_meeting, case__restriction="").first()
    coordinator = User.objects.get(username="bench-coordinator")
    wanted: list[tuple[str, dict[str, Any], str]] = [
        ("core:home", {}, ""),
        ("triage:queue", {}, ""),
        ("cases:list", {}, ""),
        ("research:mine", {}, ""),
        ("actions:manager", {}, ""),
        ("triage:complex_cases", {}, ""),
        ("caseaccess:index", {}, ""),
        ("proceedings:index", {}, ""),
        ("reports:dashboard", {}, ""),
        ("audit:user", {}, f"?user={coordinator.pk}"),
        ("meetings:calendar", {}, ""),
    ]
    if listing is not None:
        wanted.append(("cases:detail", {"reference": listing.case.reference}, ""))
    if next_meeting is not None:
        wanted.append(("meetings:detail", {"meeting_id": next_meeting.pk}, ""))
        wanted.append(("research:board", {"meeting_id": next_meeting.pk}, ""))
    if today_meeting is not None:
        wanted.append(("proceedings:meeting", {"meeting_id": today_meeting.meeting_id}, ""))
    if last_minutes is not None:
        wanted.append(("proceedings:minutes", {"meeting_id": last_minutes.meeting_id}, ""))
    pages = {}
    for name, kwargs, query in wanted:
        try:
            pages[name] = reverse(name, kwargs=kwargs) + query
        except NoReverseMatch:
            continue
    return pages


def discover(client: Any, role: str) -> dict[str, str]:
    """One path per view: the named pages, the menu and home page's links, and one link of each
    other kind found on those pages. Pages answering other than 200 are left out."""
    pages: dict[str, str] = {}

    def consider(path: str) -> bool:
        if SKIP.search(urlsplit(path).path):
            return False
        name = view_name(path)
        if name is None or name in pages:
            return False
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return False
        pages[name] = path
        return True

    for path in named_pages(role).values():
        consider(path)
    home = client.get("/").content.decode()
    menu = MENU.search(home)
    first = [*LINK.findall(menu.group(0) if menu else ""), *LINK.findall(home)]
    for path in first:
        consider(path.replace("&amp;", "&"))
    for path in list(pages.values()):
        body = client.get(path).content.decode()
        for link in LINK.findall(body):
            consider(link.replace("&amp;", "&"))
    return pages


def time_page(client: Any, path: str, repeat: int) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # each request empties the log; counting must start from empty
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)  # warm up, and count
    counted = len(queries)  # read now: the next request empties the log it reads from
    body = response.content.decode()
    rows = sum(
        block.count("<tr") if block.startswith("<tbody") else 1 for block in ROW.findall(body)
    )
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        if not response.wsgi_request.user.is_authenticated:
            raise SystemExit(f"{path} was answered as to someone signed out: the session ended")
    samples.sort()
    return {
        "median": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "queries": counted,
        "rows": rows,
        "kb": len(response.content) / 1024,
    }


def measure(repeat: int, cases: int) -> None:
    from django.test.utils import override_settings

    results: dict[str, dict[str, Any]] = {}
    floors = []
    with override_settings(ROOT_URLCONF="pages_urls"):
        for role in ("coordinator", "chair", "representative"):
            # Signed in just before its turn: a session left idle for 15 minutes is signed out.
            client = signed_in(f"bench-{role}")
            floors.append(time_page(client, "/bench-floor/", repeat)["p95"])
            for name, path in sorted(discover(client, role).items()):
                results[f"{role} {name}"] = {"path_kind": name, **time_page(client, path, repeat)}
    floor = statistics.median(floors)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"pages-{cases}.json").write_text(
        json.dumps({"floor": floor, "pages": results}, indent=1)
    )
    sizes = ((re.fullmatch(r"pages-(\d+)", p.stem), p) for p in RESULTS.glob("pages-*.json"))
    smaller = sorted((int(m.group(1)), p) for m, p in sizes if m and int(m.group(1)) < cases)
    before = json.loads(smaller[-1][1].read_text())["pages"] if smaller else {}
    since = f"growth_from_{smaller[-1][0]}" if smaller else "growth"
    print(f"floor_p95_ms={floor:.1f} cases={cases}")
    print(
        f"{'page':<48} {'median':>7} {'p95':>7} {'xfloor':>7} {'queries':>7} {'rows':>5} "
        f"{'KB':>6} {since:>10}"
    )
    growths = []
    for key, r in results.items():
        growth = r["p95"] / before[key]["p95"] if key in before else None
        if growth is not None:
            growths.append(growth)
        print(
            f"{key:<48} {r['median']:7.1f} {r['p95']:7.1f} {r['p95'] / floor:7.1f} "
            f"{r['queries']:7d} {r['rows']:5d} {r['kb']:6.0f} "
            f"{'-' if growth is None else f'{growth:.2f}':>10}"
        )
    worst = max((r["p95"] / floor for r in results.values()), default=0)
    print(
        f"pages_worst_p95_over_floor={worst:.1f} "
        f"pages_worst_growth={max(growths, default=0):.2f} "
        f"pages_max_queries={max((r['queries'] for r in results.values()), default=0)} "
        f"pages_timed={len(results)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="cases to hold (10,000)")
    parser.add_argument("--repeat", type=int, default=20, help="timed fetches of each page")
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--reload", action="store_true", help="drop the data and load again")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database used only for this benchmark")
    ensure_database(url)
    setup()
    import pages_data
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    refuse_foreign_data()
    if args.reload:
        call_command("flush", interactive=False, verbosity=0)
    have = pages_data.loaded_cases()
    rng = random.Random(args.seed + have)
    if have == 0:
        pages_data.build(rng, args.cases)
    elif have < args.cases * 0.98:
        pages_data.grow(rng, args.cases)
    elif have > args.cases * 1.02:
        raise SystemExit(
            f"The database holds {have} cases, more than --cases {args.cases}: use a database of "
            "its own for the smaller size, or --reload."
        )
    else:
        print(f"pages_load_s=0 (already loaded: {have} cases; --reload to load again)")
    measure(args.repeat, args.cases)


if __name__ == "__main__":
    main()
