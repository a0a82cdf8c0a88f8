"""Writing the facts the figures are counted from (see ``models.py``).

``facts_refresh()`` reads the referrals and hearings that have no fact yet, or whose referral
changed since, decrypts what it needs in memory, and writes codes only. It runs in the deadline
sweep every minute; a page counting a period runs it for that period itself unless the sweep has
just caught up, so figures are at most a minute behind the records. Each run costs a fixed
handful of queries for up to ``BATCH`` records.

The codes and how each answer on the referral becomes one are the rules in
``docs/reporting.md``; the functions below are those rules.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import F, Min, Q
from django.utils import timezone

from openmarac.agencies.models import Sector
from openmarac.audit.models import AuditEvent
from openmarac.core.workdays import calendar_for, local_date, local_midnight
from openmarac.meetings.models import Listing, ListingReason, ListingStatus, MeetingKind
from openmarac.referrals.models import Referral, ReferralStatus

from .models import Answer, HearingFact, ReferralFact

BATCH = 500
DELIVERED_ACTION = "referral.delivered_to_hub"
AT_THE_HUB = (
    ReferralStatus.SUBMITTED,
    ReferralStatus.RETURNED_BY_HUB,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.LAPSED,
)

AGE_BANDS = [
    ("under_16", 0, 15),
    ("16_17", 16, 17),
    ("18_24", 18, 24),
    ("25_34", 25, 34),
    ("35_44", 35, 44),
    ("45_54", 45, 54),
    ("55_64", 55, 64),
    ("65_plus", 65, 200),
]
AGE_BAND_NOT_KNOWN = "not_known"
ETHNICITIES = ("asian", "black", "mixed", "white", "other")
MINORITISED = ("asian", "black", "mixed", "other")
SEXES = ("female", "male", "non_binary", "other")
RELATIONSHIPS = ("partner", "ex_partner", "family", "other")
NOT_KNOWN = "not_known"

_EX = re.compile(r"\b(ex|former|previous|estranged)\b|\bex-|\bex(husband|wife|partner)")
_PARTNER = re.compile(
    r"husband|wife|partner|boyfriend|girlfriend|spouse|fianc|cohabit|lover|dating|"
    r"\bbf\b|\bgf\b"
)
_FAMILY = re.compile(
    r"\bson\b|daughter|mother|father|\bmum|\bmom\b|\bdad|brother|sister|grand|uncle|aunt|"
    r"cousin|nephew|niece|\bstep|in-law|in law|parent|\bchild|sibling|family|relative|carer"
)


# --- The rules ---------------------------------------------------------------------------------


def age_on(dob: str, day: datetime.date) -> int | None:
    """Age on ``day`` from a date of birth as the referral stores it: ``YYYY-MM-DD``, or
    ``YYYY`` alone, when the age is the younger of the two it could be."""
    dob = (dob or "").strip()
    try:
        if len(dob) == 10:
            born = datetime.date.fromisoformat(dob)
            return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        if len(dob) == 4:
            return day.year - int(dob) - 1
    except ValueError:
        return None
    return None


def age_band(age: int | None) -> str:
    if age is None or age < 0:
        return AGE_BAND_NOT_KNOWN
    return next((band for band, low, high in AGE_BANDS if low <= age <= high), AGE_BAND_NOT_KNOWN)


def relationship_code(text: str) -> str:
    """The victim-perpetrator relationship, from the referral's words: a former partner, a
    partner, a family member, another relationship, or not known when nothing was written."""
    words = (text or "").strip().lower()
    if not words:
        return NOT_KNOWN
    if _PARTNER.search(words):
        return "ex_partner" if _EX.search(words) else "partner"
    if _FAMILY.search(words):
        return "family"
    return "other"


def ethnicity_code(value: Any) -> str:
    return str(value) if value in ETHNICITIES else NOT_KNOWN


def sex_code(value: Any) -> str:
    return str(value) if value in SEXES else NOT_KNOWN


def lgbt_code(equality: dict[str, Any]) -> str:
    """Yes for a gay, lesbian, bisexual or other orientation, or a gender identity different from
    the sex registered at birth; no when heterosexual and not trans; else not known."""
    orientation = equality.get("sexual_orientation")
    trans = equality.get("trans")
    if orientation in ("gay_lesbian", "bisexual", "other") or trans == "yes":
        return Answer.YES
    if orientation == "heterosexual":
        return Answer.NO
    return Answer.NOT_KNOWN


def yes_no_code(value: Any) -> str:
    return str(value) if value in (Answer.YES, Answer.NO) else Answer.NOT_KNOWN


def children_in_household(answers: dict[str, Any]) -> int:
    """Children named on the referral, less those said not to live in the household."""
    items = answers.get("children", {}).get("items", [])
    return sum(1 for child in items if child.get("lives_in_household") != "no")


def codes_from_answers(answers: dict[str, Any], received_on: datetime.date) -> dict[str, Any]:
    """Every code a referral's answers give, as the rules in ``docs/reporting.md`` say."""
    victim = answers.get("victim", {})
    equality = answers.get("equality", {})
    perpetrators = answers.get("perpetrators", {}).get("items", [])
    ages = [age_on(str(p.get("date_of_birth") or ""), received_on) for p in perpetrators]
    handling = answers.get("handling", {})
    return {
        "victim_sex": sex_code(victim.get("gender")),
        "victim_age_band": age_band(age_on(str(victim.get("date_of_birth") or ""), received_on)),
        "victim_ethnicity": ethnicity_code(equality.get("ethnicity")),
        "victim_lgbt": lgbt_code(equality),
        "victim_disabled": yes_no_code(equality.get("disability")),
        "children": children_in_household(answers),
        "perpetrator_under_18": any(age is not None and age < 18 for age in ages),
        "relationship": relationship_code(
            str(perpetrators[0].get("relationship") or "") if perpetrators else ""
        ),
        "victimless": handling.get("victimless") == "yes",
        "transfer_in": handling.get("transfer_in") == "yes",
    }


# --- Writing ------------------------------------------------------------------------------------

REFERRAL_FIELDS = [
    f.name
    for f in ReferralFact._meta.concrete_fields
    if f.name not in ("id", "referral", "received_at", "received_on", "triage_due_at")
]
CRITERIA = (
    "visible_high_risk",
    "potential_escalation",
    "professional_judgement",
    "repeat",
    "transfer_in",
    "dvds_disclosure",
)


def _pending_referrals() -> Any:
    stale = Q(report_fact__isnull=True) | Q(report_fact__source_updated_at__lt=F("updated_at"))
    return (
        Referral.objects.filter(
            status__in=AT_THE_HUB,
            submitted_at__isnull=False,
            area__isnull=False,
            reference__isnull=False,
        )
        .filter(stale)
        .order_by("pk")
    )


def _first_deliveries(referral_ids: Iterable[int]) -> dict[int, datetime.datetime]:
    rows = (
        AuditEvent.objects.filter(
            action=DELIVERED_ACTION,
            object_type="referrals.referral",
            object_id__in=[str(pk) for pk in referral_ids],
        )
        .values("object_id")
        .annotate(first=Min("at"))
    )
    return {int(row["object_id"]): row["first"] for row in rows}


def _write_referral_facts(referrals: list[Referral]) -> int:
    ids = [r.pk for r in referrals]
    kept = dict(
        ReferralFact.objects.filter(referral_id__in=ids).values_list("referral_id", "received_at")
    )
    delivered = _first_deliveries(ids)
    facts = []
    for referral in referrals:
        assert referral.area is not None
        assert referral.submitted_at is not None
        received_at = min(
            at
            for at in (kept.get(referral.pk), delivered.get(referral.pk), referral.submitted_at)
            if at is not None
        )
        received_on = local_date(received_at)
        agency = referral.referrer_agency
        codes = codes_from_answers(referral.answers, received_on)
        met = set(referral.criteria_met or [])
        facts.append(
            ReferralFact(
                referral=referral,
                partnership_id=referral.partnership_id,
                area_id=referral.area.pk,
                received_at=received_at,
                received_on=received_on,
                triage_due_at=calendar_for(referral.partnership).add_working_hours(
                    received_at, referral.area.policy.triage_sla_working_hours
                ),
                source_updated_at=referral.updated_at,
                agency=agency,
                sector=agency.sector if agency is not None else Sector.OTHER,
                restricted=bool(referral.restriction_requested)
                and referral.restriction_requested != "none",
                **{
                    criterion: criterion in met
                    for criterion in CRITERIA
                    if criterion != "transfer_in"
                },
                **codes,
            )
        )
        facts[-1].transfer_in = codes["transfer_in"] or "transfer_in" in met
    ReferralFact.objects.bulk_create(
        facts,
        update_conflicts=True,
        unique_fields=["referral"],
        update_fields=[*REFERRAL_FIELDS, "received_at", "received_on", "triage_due_at"],
    )
    return len(facts)


def _referral_fact_for_hearing(
    listing: Listing, by_referral: dict[int, ReferralFact], by_case: dict[int, list[ReferralFact]]
) -> ReferralFact | None:
    if listing.referral_id and listing.referral_id in by_referral:
        return by_referral[listing.referral_id]
    earlier = [
        fact
        for fact in by_case.get(listing.case_id, [])
        if fact.received_on <= listing.meeting.starts_on
    ]
    return earlier[-1] if earlier else None


HEARING_COPIED = (
    "sector",
    "victim_sex",
    "victim_age_band",
    "victim_ethnicity",
    "victim_lgbt",
    "victim_disabled",
    "children",
    "perpetrator_under_18",
    "relationship",
)


def _write_hearing_facts(listings: list[Listing]) -> int:
    referral_ids = {listing.referral_id for listing in listings if listing.referral_id}
    by_referral: dict[int, ReferralFact] = {
        fact.referral_id: fact for fact in ReferralFact.objects.filter(referral_id__in=referral_ids)
    }
    # A listing without a referral of its own (a review) takes its case's latest referral's.
    orphans = {
        listing.case_id
        for listing in listings
        if not listing.referral_id or listing.referral_id not in by_referral
    }
    by_case: dict[int, list[ReferralFact]] = {}
    if orphans:
        for fact in (
            ReferralFact.objects.filter(referral__case_id__in=orphans)
            .annotate(case_of=F("referral__case_id"))
            .order_by("received_at", "pk")
        ):
            by_case.setdefault(fact.case_of, []).append(fact)
    rows = []
    for listing in listings:
        meeting = listing.meeting
        source = _referral_fact_for_hearing(listing, by_referral, by_case)
        copied = {name: getattr(source, name) for name in HEARING_COPIED} if source else {}
        heard_on = meeting.starts_on
        rows.append(
            HearingFact(
                listing=listing,
                partnership_id=meeting.area.partnership_id,
                area_id=meeting.area_id,
                meeting_id=meeting.pk,
                case_id=listing.case_id,
                heard_on=heard_on,
                heard_until=local_midnight(heard_on + datetime.timedelta(days=1)),
                follow_up_until=local_midnight(
                    heard_on + relativedelta(months=12) + datetime.timedelta(days=1)
                ),
                is_repeat=listing.reason == ListingReason.REPEAT
                or bool(listing.referral_id and listing.referral and listing.referral.is_repeat),
                emergency=meeting.kind == MeetingKind.EMERGENCY
                or listing.reason == ListingReason.EMERGENCY,
                restricted=bool(listing.case.restriction) or meeting.kind == MeetingKind.RESTRICTED,
                **{
                    "sector": Sector.OTHER,
                    "victim_sex": NOT_KNOWN,
                    "victim_age_band": AGE_BAND_NOT_KNOWN,
                    "victim_ethnicity": NOT_KNOWN,
                    "victim_lgbt": Answer.NOT_KNOWN,
                    "victim_disabled": Answer.NOT_KNOWN,
                    "relationship": NOT_KNOWN,
                    **copied,
                },
            )
        )
    HearingFact.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def facts_refresh(
    *,
    limit: int | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> int:
    """Write the facts that are missing or stale; return how many were written.

    Referrals first, so that a hearing finds its referral's fact. ``limit`` caps the records
    read in one call (the sweep's share of a minute); without it everything pending is done, in
    batches of ``BATCH``. ``since`` and ``until`` narrow the look to referrals that reached the
    hub, and cases heard at meetings, between those days: a page refreshes only the window its
    figures read, through indexed dates, and leaves the rest to the sweep.
    """
    referrals = _pending_referrals()
    listings = Listing.objects.filter(status=ListingStatus.HEARD, report_fact__isnull=True)
    if since is not None:
        referrals = referrals.filter(submitted_at__gte=local_midnight(since))
        listings = listings.filter(meeting__starts_on__gte=since)
    if until is not None:
        referrals = referrals.filter(
            submitted_at__lt=local_midnight(until + datetime.timedelta(days=1))
        )
        listings = listings.filter(meeting__starts_on__lte=until)
    written = 0
    while limit is None or written < limit:
        # The ids first, from the bare anti-join; then those rows with what they need. Asked in
        # one query, a planner that expects few stale rows joins every row before the limit.
        ids = list(referrals.values_list("pk", flat=True)[:BATCH])
        batch = list(
            Referral.objects.filter(pk__in=ids)
            .order_by("pk")
            .select_related("area__policy", "partnership", "referrer_agency")
            .only(
                "pk",
                "partnership__nation",
                "area__policy__triage_sla_working_hours",
                "referrer_agency__sector",
                "answers",
                "criteria_met",
                "restriction_requested",
                "submitted_at",
                "updated_at",
            )[:BATCH]
        )
        if not batch:
            break
        written += _write_referral_facts(batch)
    while limit is None or written < limit:
        ids = list(listings.order_by("pk").values_list("pk", flat=True)[:BATCH])
        heard = list(
            Listing.objects.filter(pk__in=ids)
            .select_related("meeting__area", "case", "referral")
            .only(
                "pk",
                "reason",
                "case_id",
                "case__restriction",
                "referral_id",
                "referral__is_repeat",
                "meeting__starts_on",
                "meeting__kind",
                "meeting__area__partnership_id",
            )
            .order_by("pk")[:BATCH]
        )
        if not heard:
            break
        written += _write_hearing_facts(heard)
    return written


SWEEP_STEP = "reports.facts"
SWEEP_FRESH_FOR = datetime.timedelta(minutes=2)
SWEEP_CAUGHT_UP_BELOW = 5000  # the sweep's own batch: fewer written means nothing was left


def facts_kept_current_by_sweep() -> bool:
    """Whether the worker's facts step finished within two minutes with nothing left over:
    then a page need not look for stale facts itself (one query by a unique name)."""
    from openmarac.jobs.models import SweepStepState

    state = (
        SweepStepState.objects.filter(name=SWEEP_STEP)
        .values("last_finished_at", "last_count", "last_error")
        .first()
    )
    return bool(
        state
        and state["last_finished_at"] is not None
        and timezone.now() - state["last_finished_at"] < SWEEP_FRESH_FOR
        and state["last_count"] < SWEEP_CAUGHT_UP_BELOW
        and not state["last_error"]
    )


def facts_pending() -> bool:
    """Whether any fact is missing or stale (one cheap query each)."""
    return (
        _pending_referrals().exists()
        or Listing.objects.filter(status=ListingStatus.HEARD, report_fact__isnull=True).exists()
    )
