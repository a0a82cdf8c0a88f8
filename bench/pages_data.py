"""The partnership the page benchmark (bench/pages.py) signs in to.

History comes from bench/reports.py's generator (referrals, decisions, repeats, hearings at
fortnightly meetings with their record, research and actions), at 5,000 cases a year, so that a
larger ``--cases`` means more years behind the same present: 10,000 cases are two years and
100,000 twenty. Growing a loaded database adds the older years before the first meeting.

On top of that, once, the present, the same at every size: each area's next meeting with its
agenda, research under way and cases with people on them, pending referrals in the triage
queue, open and overdue actions, and the three people the benchmark signs in as. Every case gets
its people (a victim, one or two perpetrators, none to three children) written with the
application's encryption and search keys; the coordinator's reading of history leaves audit rows.
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

import reports
from latency import copy_rows, next_ids

PARTNERSHIP = "Pages benchmark"
CASES_A_YEAR = 5_000
INVITED = ["refuge", "housing association", "recovery service", "youth offending", "fire"]
STANDING = ("police", "idva", "childrens", "acute_health", "housing", "probation")
USERS = {
    "coordinator": ("hub", {"is_hub_coordinator": True}),
    "chair": ("police", {"is_chair": True}),
    "representative": ("police", {"is_agency_rep": True, "is_key_contact": True}),
}
CURRENT_LISTINGS = 16  # cases on each area's next agenda
PENDING_REFERRALS = 24


def loaded_cases() -> int:
    from openmarac.cases.models import Case

    return Case.objects.filter(partnership__name=PARTNERSHIP).count()


def build(rng: random.Random, cases: int) -> None:
    """Load a partnership of ``cases`` cases: the history, its people and audit, the present."""
    started = time.perf_counter()
    reports.BENCH_PARTNERSHIP = PARTNERSHIP
    reports.YEARS = max(1, round(cases / CASES_A_YEAR))
    reports.load(rng, cases)
    settle_history()
    people_for_cases(rng)
    present(rng)
    audit_history(cases // 5)
    analyse()
    print(f"pages_load_s={time.perf_counter() - started:.0f}", flush=True)


def grow(rng: random.Random, cases: int) -> None:
    """Add older years to a loaded partnership until it holds ``cases`` cases."""
    from openmarac.accounts.models import User
    from openmarac.agencies.models import Agency
    from openmarac.cases.models import Case
    from openmarac.meetings.models import Meeting
    from openmarac.partnerships.models import Area, Partnership
    from openmarac.reports.facts import facts_refresh

    started = time.perf_counter()
    have = loaded_cases()
    more = cases - have
    partnership = Partnership.objects.get(name=PARTNERSHIP)
    areas = list(Area.objects.filter(partnership=partnership).order_by("pk"))
    agencies = {
        a.name.removeprefix("Bench "): a
        for a in Agency.objects.filter(partnership=partnership, name__startswith="Bench ")
    }
    lead = User.objects.get(username="bench-lead")
    oldest = Meeting.objects.filter(area__partnership=partnership).order_by("starts_on").first()
    assert oldest is not None
    last = oldest.starts_on - datetime.timedelta(days=1)
    first = last - datetime.timedelta(days=round(365 * more / CASES_A_YEAR))
    older = reports.load_meetings(rng, areas, agencies, first=first, last=last)
    meetings = {
        area.pk: older[area.pk] + list(Meeting.objects.filter(area=area).order_by("starts_on"))
        for area in areas
    }
    sequence = Case.objects.filter(partnership=partnership).count() * 2
    reports.load_history(
        rng,
        partnership=partnership,
        areas=areas,
        agencies=agencies,
        lead=lead,
        meetings=meetings,
        first=first,
        last=last,
        cases_wanted=more,
        sequence=sequence,
    )
    settle_history()
    people_for_cases(rng)
    analyse()
    facts_refresh()
    audit_history(more // 5)
    analyse()
    print(f"pages_grow_s={time.perf_counter() - started:.0f} cases={loaded_cases()}", flush=True)


def settle_history() -> None:
    """Close what history left open more than eight weeks ago, as a partnership does, so the
    open work is the same whatever the size; keep the last eight weeks' open actions (some are
    overdue) and unanswered research as they are."""
    from django.utils import timezone

    from openmarac.actions.models import Action, ActionStatus
    from openmarac.research.models import ResearchRequest

    cutoff = timezone.now() - datetime.timedelta(weeks=8)
    Action.objects.filter(
        case__partnership__name=PARTNERSHIP, closed_at__isnull=True, agreed_at__lt=cutoff
    ).update(status=ActionStatus.COMPLETED, closed_at=cutoff)
    ResearchRequest.objects.filter(
        listing__case__partnership__name=PARTNERSHIP,
        completed_at__isnull=True,
        requested_at__lt=cutoff,
    ).update(completed_at=cutoff)


def people_for_cases(rng: random.Random) -> None:
    """Give every case without people a victim, one or two perpetrators and up to three
    children, encrypted and keyed as ``person_create`` does, copied in batches."""
    from django.db import connection, transaction
    from django.utils import timezone
    from synthetic import Generator

    from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
    from openmarac.people.keys import keys_for, source_for_person
    from openmarac.people.models import Gender, Person, PersonAddress

    generator = Generator(seed=rng.randrange(1 << 30))
    empty = list(
        Case.objects.filter(partnership__name=PARTNERSHIP, participants__isnull=True)
        .order_by("pk")
        .values_list("pk", "partnership_id")
    )
    now = timezone.now()
    for start in range(0, len(empty), 2_000):
        chunk = empty[start : start + 2_000]
        plan: list[tuple[int, int, str, Any]] = []
        for case_id, partnership_id in chunk:
            household = generator.households(2)
            victim, perpetrator = household[0], household[-1]
            plan.append((case_id, partnership_id, ParticipantRole.VICTIM, victim))
            plan.append((case_id, partnership_id, ParticipantRole.PERPETRATOR, perpetrator))
            if rng.random() < 0.15:
                other = generator.households(1)[0]
                plan.append((case_id, partnership_id, ParticipantRole.PERPETRATOR, other))
            for _ in range(rng.choice([0, 0, 0, 1, 1, 2, 3])):
                child = generator.households(1)[0]
                child.surname = victim.surname
                child.date_of_birth = None
                child.birth_year = str(now.year - rng.randint(0, 16))
                plan.append((case_id, partnership_id, ParticipantRole.CHILD, child))
        with transaction.atomic(), connection.cursor() as cursor:
            ids = next_ids(cursor, Person, len(plan))
            people, addresses, participants, keys = [], [], [], []
            for person_id, (case_id, partnership_id, role, r) in zip(ids, plan, strict=True):
                people.append(
                    {
                        "id": person_id,
                        "partnership_id": partnership_id,
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
                    addresses.append(
                        {"person_id": person_id, "lines": r.address, "postcode": r.postcode}
                    )
                participants.append({"case_id": case_id, "person_id": person_id, "role": role})
                source = source_for_person(r, [r.postcode], [r.address])
                keys.extend(f"{person_id}\t{key}\n" for key in keys_for(source))
            copy_rows(cursor, Person, people)
            copy_rows(cursor, PersonAddress, addresses)
            copy_rows(cursor, CaseParticipant, participants)
            with cursor.copy("COPY people_personkey (person_id, key) FROM STDIN") as copy:
                copy.write("".join(keys))
        print(f"people for cases={start + len(chunk)}", flush=True)


def _users(partnership: Any, agencies: dict[str, Any]) -> dict[str, Any]:
    from openmarac.accounts.models import User
    from openmarac.agencies.models import Agreement, AgreementSignature
    from openmarac.licences.services import licence_default_issue

    for agency in agencies.values():
        for agreement in Agreement.values:
            AgreementSignature.objects.get_or_create(
                agency=agency,
                agreement=agreement,
                defaults={"signed_on": datetime.date(2020, 1, 6), "signed_by": "Bench"},
            )
    users = {}
    for username, (agency_key, roles) in USERS.items():
        user = User.objects.create(
            username=f"bench-{username}",
            agency=agencies[agency_key],
            email=f"bench-{username}@example.org",
            first_name="Bench",
            last_name=username.title(),
            **roles,
        )
        licence_default_issue(user=user)
        users[username] = user
    return users


def present(rng: random.Random) -> None:
    """The current work, the same at every size."""
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.sessions.backends.signed_cookies import SessionStore
    from django.test import RequestFactory
    from django.utils import timezone

    from openmarac.actions.models import Action, ActionStatus
    from openmarac.agencies.models import Agency, AreaMembership, MembershipKind
    from openmarac.cases.models import Case
    from openmarac.checklists.services import checklists_load
    from openmarac.demo.referral_answers import COMPLETE_SECTIONS, demo_referral_answers
    from openmarac.meetings.models import Listing, ListingReason, Meeting
    from openmarac.partnerships.models import Area, Partnership
    from openmarac.proceedings.models import MeetingRecord
    from openmarac.referrals.models import Referral
    from openmarac.referrals.selectors import email_index
    from openmarac.referrals.services import referral_submit
    from openmarac.research.models import ResearchRequest

    checklists_load()  # the risk checklists the referrals' criteria are read from
    partnership = Partnership.objects.get(name=PARTNERSHIP)
    areas = list(Area.objects.filter(partnership=partnership).order_by("pk"))
    agencies = {
        a.name.removeprefix("Bench "): a
        for a in Agency.objects.filter(partnership=partnership, name__startswith="Bench ")
    }
    for name in INVITED:
        agency = Agency.objects.create(
            partnership=partnership, name=f"Bench {name}", sector="voluntary", statutory=False
        )
        agencies[name] = agency
        for area in areas:
            AreaMembership.objects.create(area=area, agency=agency, kind=MembershipKind.BY_INVITE)
    users = _users(partnership, agencies)
    now = timezone.now()
    today = timezone.localdate()
    sequence = Case.objects.filter(partnership=partnership).count() * 3
    for index, area in enumerate(areas):
        starts_on = today + datetime.timedelta(days=0 if index == 0 else 3 + index)
        meeting = Meeting.objects.create(
            area=area,
            starts_on=starts_on,
            ends_on=starts_on,
            start_time=datetime.time(10),
            agenda_published_at=now - datetime.timedelta(days=2) if index < 3 else None,
        )
        if index == 0:  # today's meeting, under way
            MeetingRecord.objects.create(meeting=meeting, opened_at=now)
        for _ in range(CURRENT_LISTINGS):
            sequence += 1
            case = Case.objects.create(
                partnership=partnership,
                area=area,
                reference=f"BP-{sequence:07d}",
                restriction="closed" if rng.random() < 0.03 else "",
            )
            listing = Listing.objects.create(
                meeting=meeting,
                case=case,
                reason=rng.choice([ListingReason.NEW, ListingReason.NEW, ListingReason.REPEAT]),
                listed_at=now - datetime.timedelta(days=rng.randint(3, 9)),
            )
            for sector in STANDING:
                ResearchRequest.objects.create(
                    listing=listing,
                    agency=agencies[sector],
                    requested_at=listing.listed_at,
                    due_on=starts_on - datetime.timedelta(days=1),
                    completed_at=now if rng.random() < 0.4 else None,
                )
            if rng.random() < 0.5:
                Action.objects.create(
                    case=case,
                    owner_agency=agencies[rng.choice(["police", "idva", "housing"])],
                    what="Benchmark action under way",
                    addresses_risk="Benchmark risk",
                    due_on=today + datetime.timedelta(days=rng.randint(-20, 20)),
                    rationale="Benchmark",
                    status=ActionStatus.AGREED,
                    proposed_by=users["chair"],
                    proposed_at=now - datetime.timedelta(days=30),
                    agreed_at=now - datetime.timedelta(days=30),
                )
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    email = "referrer@example.org"
    for n in range(PENDING_REFERRALS):
        area = areas[n % len(areas)]
        referral = Referral.objects.create(
            partnership=partnership,
            area=area,
            referrer_email=email,
            referrer_email_index=email_index(email),
            referrer_agency=agencies["police"],
            answers=demo_referral_answers(
                area,
                agencies["police"],
                victim=(rng.choice(["Amberly", "Corawen", "Delphine"]), f"Pending{n}"),
                perpetrator=(rng.choice(["Brandor", "Edmar", "Fenton"]), f"Pending{n}"),
                assessed_on=today,
            ),
            completed_sections=COMPLETE_SECTIONS,
        )
        referral_submit(referral=referral, request=request)
    people_for_cases(rng)


def audit_history(rows: int) -> None:
    """The coordinator's reading of ``rows`` past cases, recorded as the case page records it."""
    from django.db import transaction

    from openmarac.accounts.models import User
    from openmarac.audit.services import audit_record
    from openmarac.cases.models import Case

    coordinator = User.objects.get(username="bench-coordinator")
    cases = Case.objects.filter(partnership__name=PARTNERSHIP).order_by("?")[:rows]
    with transaction.atomic():
        for case in cases.iterator():
            audit_record(action="case.view", actor=coordinator, obj=case)


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
