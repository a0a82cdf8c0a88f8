"""Reports at national scale: 100,000 cases over ten years, then the time each report takes.

Loads a partnership of six areas into the database at ``DATABASE_URL`` (PostgreSQL, a database
of its own, e.g. ``openmarac_reports_bench``: the script refuses one holding anything else) with
ten years of MARAC history: referrals from every sector with their encrypted answers, triage
decisions (accepted, repeats, declined, returned and lapsed), fortnightly meetings with their
record, attendance and apologies, every case heard, research requests and actions. The facts the
figures count are then written by the application's own ``facts_refresh``. A second run finds
the data loaded and goes straight to the timings (``--reload`` loads again).

Then it times, each the best of ``--repeat`` runs after one warm-up, counting live (nothing
frozen): the SafeLives return of one area for one quarter, the partnership's year, and the
dashboard page as the partnership lead gets it (a real request through the middleware, charts
and all). It prints ``name=value`` lines, ending with::

    reports_quarter_ms=N reports_year_ms=N reports_dashboard_ms=N reports_cases=N
"""

from __future__ import annotations

import argparse
import bisect
import datetime
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import setup

BENCH_PARTNERSHIP = "Reports benchmark"
CASES = 100_000
YEARS = 10
BATCH = 5_000
SECTORS_WEIGHTED = [
    ("police", 60),
    ("idva", 9),
    ("childrens", 6),
    ("adults", 2),
    ("primary_care", 2),
    ("acute_health", 4),
    ("mental_health", 3),
    ("maternity", 1),
    ("substance_use", 2),
    ("housing", 4),
    ("probation", 3),
    ("education", 1),
    ("voluntary", 2),
    ("other", 1),
]


def ensure_database(url: str) -> None:
    import psycopg
    from dj_database_url import parse
    from psycopg import sql

    conf = parse(url)
    if conf["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("bench/reports.py needs a PostgreSQL DATABASE_URL of its own")
    params = {
        "host": conf.get("HOST") or None,
        "port": conf.get("PORT") or None,
        "user": conf.get("USER") or None,
        "password": conf.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [conf["NAME"]])
        if not found.fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(conf["NAME"])))


def refuse_foreign_data() -> None:
    from openmarac.partnerships.models import Partnership

    if Partnership.objects.exclude(name=BENCH_PARTNERSHIP).exists():
        raise SystemExit(
            "This database holds other partnerships: point DATABASE_URL at a database used only "
            "for this benchmark (e.g. openmarac_reports_bench)."
        )


def _aware(day: datetime.date, hour: int) -> datetime.datetime:
    from openmarac.core.workdays import local_midnight

    return local_midnight(day) + datetime.timedelta(hours=hour)


def _answers(rng: random.Random, area_pk: int, received: datetime.date) -> dict[str, Any]:
    """The parts of a referral's answers the figures read, varied as real referrals are."""
    children = [
        {"forenames": "Child", "lives_in_household": rng.choice(["yes", "yes", "no"])}
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))
    ]
    victim_year = received.year - rng.randint(16, 75)
    perpetrator_year = received.year - rng.randint(15, 70)
    return {
        "area": {"area": str(area_pk)},
        "handling": {
            "victimless": "yes" if rng.random() < 0.03 else "no",
            "transfer_in": "yes" if rng.random() < 0.04 else "no",
        },
        "victim": {
            "forenames": "Bench",
            "surname": "Victim",
            "gender": rng.choices(["female", "male", "non_binary", "not_known"], [92, 6, 1, 1])[0],
            "date_of_birth": (
                f"{victim_year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                if rng.random() < 0.9
                else str(victim_year)
            ),
        },
        "equality": {
            "ethnicity": rng.choices(
                ["white", "asian", "black", "mixed", "other", "not_known"], [78, 7, 4, 3, 1, 7]
            )[0],
            "sexual_orientation": rng.choices(
                ["heterosexual", "gay_lesbian", "bisexual", "not_known"], [80, 2, 2, 16]
            )[0],
            "trans": rng.choices(["no", "yes", "not_known"], [85, 1, 14])[0],
            "disability": rng.choices(["no", "yes", "not_known"], [60, 18, 22])[0],
        },
        "perpetrators": {
            "done": True,
            "items": [
                {
                    "forenames": "Bench",
                    "surname": "Perpetrator",
                    "date_of_birth": str(perpetrator_year),
                    "relationship": rng.choice(
                        ["Ex-partner", "Partner", "Husband", "Son", "Boyfriend", "Father"]
                    ),
                }
            ],
        },
        "children": {"done": True, "items": children},
    }


def load(rng: random.Random, cases_wanted: int = CASES) -> None:
    from django.db import transaction

    from openmarac.agencies.models import Agency, AreaMembership, MembershipKind
    from openmarac.partnerships.models import Area
    from openmarac.partnerships.services import partnership_create_from_preset
    from openmarac.reports.facts import facts_refresh

    started = time.perf_counter()
    with transaction.atomic():
        partnership = partnership_create_from_preset(
            preset="kent-medway",
            name=BENCH_PARTNERSHIP,
            official_email_domains=["example.org"],
            hub_email="hub@example.org",
        )
        areas = list(Area.objects.filter(partnership=partnership).order_by("pk"))
        agencies = {
            sector: Agency.objects.create(
                partnership=partnership, name=f"Bench {sector}", sector=sector, statutory=True
            )
            for sector, _weight in SECTORS_WEIGHTED
        }
        hub = Agency.objects.create(
            partnership=partnership, name="Bench hub", sector="other", is_hub=True
        )
        for area in areas:
            for sector in ("police", "idva", "childrens", "acute_health", "housing", "probation"):
                AreaMembership.objects.create(
                    area=area, agency=agencies[sector], kind=MembershipKind.STANDING
                )
        lead = _lead(partnership, hub)
    first = datetime.date.today().replace(month=1, day=1) - datetime.timedelta(
        days=365 * (YEARS - 1)
    )
    last = datetime.date.today()
    meetings = load_meetings(rng, areas, agencies, first=first, last=last)
    load_history(
        rng,
        partnership=partnership,
        areas=areas,
        agencies=agencies,
        lead=lead,
        meetings=meetings,
        first=first,
        last=last,
        cases_wanted=cases_wanted,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would, before the first query plans
    facts_started = time.perf_counter()
    written = facts_refresh()
    print(f"facts_written={written} facts_s={time.perf_counter() - facts_started:.0f}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the facts tables were empty when last analysed
    print(f"load_s={time.perf_counter() - started:.0f}", flush=True)


def load_meetings(
    rng: random.Random,
    areas: list[Any],
    agencies: dict[str, Any],
    *,
    first: datetime.date,
    last: datetime.date,
) -> dict[int, list[Any]]:
    """Each area's fortnightly meetings from ``first`` to ``last``, held, with their record,
    attendance and apologies; returned by area, in date order."""
    from openmarac.meetings.models import Meeting
    from openmarac.proceedings.models import Apology, Attendee, AttendeeRole, MeetingRecord

    meetings: dict[int, list[Meeting]] = {}
    for area in areas:
        day = first + datetime.timedelta(days=(2 - first.weekday()) % 7 + 7 * (area.pk % 2))
        batch = []
        while day <= last:
            batch.append(
                Meeting(
                    area=area,
                    starts_on=day,
                    ends_on=day,
                    start_time=datetime.time(10),
                    status="held",
                    agenda_published_at=_aware(
                        day - datetime.timedelta(days=rng.choice([7, 8, 9, 12])), 9
                    ),
                )
            )
            day += datetime.timedelta(days=14)
        meetings[area.pk] = Meeting.objects.bulk_create(batch, batch_size=BATCH)
    every_meeting = [m for ms in meetings.values() for m in ms]
    MeetingRecord.objects.bulk_create(
        [
            MeetingRecord(
                meeting=m,
                opened_at=_aware(m.starts_on, 10),
                closed_at=_aware(m.starts_on, 13),
                minutes_status="published",
                minutes_due_at=_aware(m.starts_on + datetime.timedelta(days=14), 0),
                published_at=_aware(
                    m.starts_on + datetime.timedelta(days=rng.choice([3, 8, 12, 20])), 10
                ),
                actions_due_at=_aware(m.starts_on + datetime.timedelta(days=1), 23),
                actions_published_at=_aware(
                    m.starts_on + datetime.timedelta(days=rng.choice([0, 1, 3])), 15
                ),
            )
            for m in every_meeting
        ],
        batch_size=BATCH,
    )
    now = _aware(last, 9)
    attendees, apologies = [], []
    for m in every_meeting:
        for sector in ("police", "idva", "childrens", "acute_health", "housing", "probation"):
            roll = rng.random()
            if roll < 0.8:
                attendees.append(
                    Attendee(
                        meeting=m,
                        name=f"{sector} rep",
                        agency=agencies[sector],
                        role=AttendeeRole.REPRESENTATIVE,
                        recorded_at=now,
                    )
                )
            elif roll < 0.93:
                apologies.append(
                    Apology(
                        meeting=m,
                        agency=agencies[sector],
                        information_in_writing=rng.random() < 0.7,
                        recorded_at=now,
                    )
                )
    Attendee.objects.bulk_create(attendees, batch_size=BATCH)
    Apology.objects.bulk_create(apologies, batch_size=BATCH)
    print(f"meetings={len(every_meeting)} attendees={len(attendees)}", flush=True)
    return meetings


def load_history(
    rng: random.Random,
    *,
    partnership: Any,
    areas: list[Any],
    agencies: dict[str, Any],
    lead: Any,
    meetings: dict[int, list[Any]],
    first: datetime.date,
    last: datetime.date,
    cases_wanted: int,
    sequence: int = 0,
) -> None:
    """``cases_wanted`` new cases received between ``first`` and ``last``, with their referrals
    (and repeats, declines and lapses), decisions, hearings at ``meetings``, research and
    actions. References continue from ``sequence``."""
    from django.db import transaction

    from openmarac.actions.models import Action, ActionStatus
    from openmarac.cases.models import Case
    from openmarac.meetings.models import Listing, ListingReason, ListingStatus
    from openmarac.partnerships.models import Area
    from openmarac.referrals.models import Referral, ReferralStatus
    from openmarac.research.models import ResearchRequest
    from openmarac.triage.models import DecisionKind, DeclineReason, TriageDecision

    meeting_days = {pk: [m.starts_on for m in ms] for pk, ms in meetings.items()}
    sectors = [s for s, _w in SECTORS_WEIGHTED]
    weights = [w for _s, w in SECTORS_WEIGHTED]
    span = (last - first).days - 30
    made = 0
    repeats_of: list[tuple[Case, datetime.date]] = []
    seen: set[tuple[int, int]] = set()  # (meeting, case): a case is listed once per meeting
    while made < cases_wanted:
        chunk = min(BATCH, cases_wanted - made)
        plans: list[tuple[str, Area, datetime.date, Case | None, str]] = []
        fresh = 0
        while fresh < chunk:
            area = rng.choice(areas)
            received = first + datetime.timedelta(days=rng.randrange(span))
            kind = rng.choices(["new", "repeat", "declined", "lapsed"], [100, 20, 6, 3])[0]
            repeat_of = None
            if kind == "repeat":
                if not repeats_of:
                    kind = "new"
                else:
                    repeat_of, heard = rng.choice(repeats_of)
                    received = heard + datetime.timedelta(days=rng.randint(20, 300))
                    if received >= last - datetime.timedelta(days=10):
                        kind, repeat_of = "new", None
            sequence += 1
            fresh += kind == "new"
            plans.append(
                (
                    kind,
                    repeat_of.area if repeat_of else area,
                    received,
                    repeat_of,
                    f"BR-{sequence:07d}",
                )
            )
        with transaction.atomic():
            new_cases = [
                Case(
                    partnership=partnership,
                    area=area,
                    reference=reference,
                    restriction="closed" if rng.random() < 0.01 else "",
                )
                for kind, area, _r, _c, reference in plans
                if kind == "new"
            ]
            Case.objects.bulk_create(new_cases, batch_size=BATCH)
            by_reference = {case.reference: case for case in new_cases}
            referrals = []
            for kind, area, received, repeat_of, reference in plans:
                sector = rng.choices(sectors, weights)[0]
                referrals.append(
                    Referral(
                        partnership=partnership,
                        area=area,
                        reference=reference,
                        status={
                            "declined": ReferralStatus.DECLINED,
                            "lapsed": ReferralStatus.LAPSED,
                        }.get(kind, ReferralStatus.ACCEPTED),
                        referrer_email="referrer@example.org",
                        referrer_email_index="bench",
                        referrer_agency=agencies[sector],
                        answers=_answers(rng, area.pk, received),
                        criteria_met=["visible_high_risk"]
                        + (["repeat"] if kind == "repeat" else []),
                        submitted_at=_aware(received, rng.randint(8, 17)),
                        is_repeat=kind == "repeat",
                        case=repeat_of or by_reference.get(reference),
                    )
                )
            Referral.objects.bulk_create(referrals, batch_size=1000)
            decisions, listings = [], []
            for referral, (kind, area, received, _repeat_of, _ref) in zip(
                referrals, plans, strict=True
            ):
                decided = _aware(received, 9) + datetime.timedelta(
                    hours=rng.choice([2, 5, 20, 30, 50])
                )
                if kind in ("declined", "lapsed"):
                    if kind == "lapsed":
                        decisions.append(
                            TriageDecision(
                                referral=referral, kind=DecisionKind.RETURN, decided_at=decided
                            )
                        )
                    decisions.append(
                        TriageDecision(
                            referral=referral,
                            kind=DecisionKind.DECLINE if kind == "declined" else DecisionKind.LAPSE,
                            decline_reason=rng.choice(DeclineReason.values)
                            if kind == "declined"
                            else "",
                            decided_at=decided
                            + datetime.timedelta(days=21 if kind == "lapsed" else 0),
                        )
                    )
                    continue
                case = referral.case
                dates = meeting_days[area.pk]
                index = bisect.bisect_right(dates, received + datetime.timedelta(days=7))
                meeting = meetings[area.pk][index] if index < len(dates) else None
                decisions.append(
                    TriageDecision(
                        referral=referral,
                        kind=DecisionKind.ACCEPT,
                        case=case,
                        meeting=meeting,
                        is_repeat=kind == "repeat",
                        decided_at=decided,
                    )
                )
                if meeting is not None:
                    listings.append(
                        Listing(
                            meeting=meeting,
                            case=case,
                            referral=referral,
                            reason=ListingReason.REPEAT if kind == "repeat" else ListingReason.NEW,
                            status=ListingStatus.HEARD,
                            listed_at=decided,
                        )
                    )
                    repeats_of.append((case, meeting.starts_on))
            TriageDecision.objects.bulk_create(decisions, batch_size=BATCH)
            unique = []
            for listing in listings:
                if (listing.meeting.pk, listing.case.pk) not in seen:
                    seen.add((listing.meeting.pk, listing.case.pk))
                    unique.append(listing)
            Listing.objects.bulk_create(unique, batch_size=BATCH)
            research, actions = [], []
            for listing in unique:
                due = listing.meeting.starts_on - datetime.timedelta(days=2)
                for sector in ("police", "idva"):
                    done = rng.random()
                    research.append(
                        ResearchRequest(
                            listing=listing,
                            agency=agencies[sector],
                            requested_at=listing.listed_at,
                            due_on=due,
                            completed_at=_aware(due - datetime.timedelta(days=1), 12)
                            if done < 0.8
                            else (
                                _aware(due + datetime.timedelta(days=2), 12)
                                if done < 0.95
                                else None
                            ),
                        )
                    )
                agreed = _aware(listing.meeting.starts_on, 11)
                owner = rng.choice(["police", "idva", "childrens", "housing"])
                roll = rng.random()
                closed = agreed + datetime.timedelta(days=rng.randint(2, 30))
                actions.append(
                    Action(
                        case=listing.case,
                        meeting=listing.meeting,
                        owner_agency=agencies[owner],
                        what="Benchmark action",
                        addresses_risk="Benchmark risk",
                        due_on=listing.meeting.starts_on + datetime.timedelta(days=7),
                        rationale="Benchmark",
                        status=ActionStatus.COMPLETED
                        if roll < 0.8
                        else (ActionStatus.NOT_FEASIBLE if roll < 0.85 else ActionStatus.AGREED),
                        proposed_by=lead,
                        proposed_at=agreed,
                        agreed_at=agreed,
                        closed_at=closed if roll < 0.85 else None,
                    )
                )
            ResearchRequest.objects.bulk_create(research, batch_size=BATCH)
            Action.objects.bulk_create(actions, batch_size=BATCH)
        made += len(new_cases)
        print(f"loading cases={made} referrals={sequence}", flush=True)


def _lead(partnership: Any, hub: Any) -> Any:
    import datetime as dt

    from openmarac.accounts.models import User
    from openmarac.agencies.models import Agreement, AgreementSignature
    from openmarac.licences.services import licence_default_issue

    for agreement in Agreement.values:
        AgreementSignature.objects.create(
            agency=hub, agreement=agreement, signed_on=dt.date(2020, 1, 6), signed_by="Bench"
        )
    user = User.objects.create(
        username="bench-lead",
        agency=hub,
        email="bench-lead@example.org",
        is_partnership_lead=True,
    )
    licence_default_issue(user=user)
    return user


def worker_caught_up() -> None:
    """Leave the facts step's state as the worker does each minute once nothing is pending, so
    the pages trust the facts, as they do in production (``facts_kept_current_by_sweep``)."""
    from django.utils import timezone

    from openmarac.jobs.models import SweepStepState
    from openmarac.reports.facts import SWEEP_STEP

    SweepStepState.objects.update_or_create(
        name=SWEEP_STEP,
        defaults={"last_finished_at": timezone.now(), "last_count": 0, "last_error": ""},
    )


def timed(function: Any, repeat: int) -> float:
    worker_caught_up()
    function()  # warm up: caches, the first query plans
    best = float("inf")
    for _ in range(repeat):
        worker_caught_up()
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reload", action="store_true", help="load the data again")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20)
    parser.add_argument("--cases", type=int, default=CASES, help="cases to load (100,000)")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database used only for this benchmark")
    ensure_database(url)
    setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    refuse_foreign_data()
    from openmarac.partnerships.models import Partnership

    existing = Partnership.objects.filter(name=BENCH_PARTNERSHIP)
    if args.reload and existing.exists():
        print("dropping the earlier load", flush=True)
        call_command("flush", interactive=False, verbosity=0)
    if not Partnership.objects.filter(name=BENCH_PARTNERSHIP).exists():
        load(random.Random(args.seed), args.cases)
    else:
        print("load_s=0 (already loaded; --reload to load again)")
    measure(args.repeat)


def measure(repeat: int) -> None:
    import time as clock

    from django.test import Client

    from openmarac.accounts.models import User, UserSession
    from openmarac.accounts.services import MFA_AT, SIGNED_IN_AT
    from openmarac.cases.models import Case
    from openmarac.partnerships.models import Area, Partnership
    from openmarac.reports import periods
    from openmarac.reports.facts import facts_refresh
    from openmarac.reports.figures import figures_for
    from openmarac.reports.selectors import scope_for
    from openmarac.reports.suppression import shown

    facts_refresh()  # what the worker's facts step would have done since the load
    partnership = Partnership.objects.get(name=BENCH_PARTNERSHIP)
    lead = User.objects.get(username="bench-lead")
    area = Area.objects.filter(partnership=partnership).order_by("pk").first()
    last_quarter = periods.previous(periods.quarter_of(datetime.date.today()))
    last_year = periods.year(datetime.date.today().year - 1)
    quarter_scope = scope_for(lead, area=area, period=last_quarter)
    year_scope = scope_for(lead, area=None, period=last_year)
    cases = Case.objects.filter(partnership=partnership).count()

    def quarter() -> None:
        shown(figures_for(quarter_scope))

    def year() -> None:
        shown(figures_for(year_scope))

    client = Client()
    client.force_login(lead)
    session = client.session
    session[MFA_AT] = session[SIGNED_IN_AT] = int(clock.time())
    session.save()
    UserSession.objects.create(user=lead, session_key=session.session_key, ip_address="127.0.0.1")

    def dashboard() -> None:
        response = client.get("/reports/", {"area": "all", "period": last_quarter.code})
        assert response.status_code == 200, response.status_code

    quarter_ms = timed(quarter, repeat)
    year_ms = timed(year, repeat)
    dashboard_ms = timed(dashboard, repeat)
    hearings = figures_for(year_scope)["hearings"]
    print(
        f"quarter={last_quarter.code} area={area.code} year={last_year.code} year_hearings={hearings}"
    )
    print(
        f"reports_quarter_ms={quarter_ms:.0f} reports_year_ms={year_ms:.0f} "
        f"reports_dashboard_ms={dashboard_ms:.0f} reports_cases={cases}"
    )


if __name__ == "__main__":
    main()
