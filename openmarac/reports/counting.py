"""The aggregate queries behind the figures. Each function asks the database a fixed number of
questions, however many cases there are, and returns counts keyed as in ``catalogue.py``."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate

from openmarac.actions.models import CLOSED_STATUSES, Action, ActionStatus
from openmarac.agencies.models import Agency, AreaMembership, MembershipKind, Sector
from openmarac.cases.models import Case, ClosureReason
from openmarac.core.workdays import local_date
from openmarac.meetings.models import Meeting, MeetingKind, MeetingStatus
from openmarac.proceedings.models import Apology, Attendee, AttendeeRole, MeetingRecord
from openmarac.research.models import ResearchRequest
from openmarac.research.services import agenda_publish_on
from openmarac.triage.models import DecisionKind, DeclineReason, TriageDecision

from .catalogue import OUTCOMES
from .facts import AGE_BANDS, CRITERIA, NOT_KNOWN
from .models import Answer, AreaPopulation, HearingFact, ReferralFact, ReportingSettings
from .periods import Period

DECISION_KINDS = {
    "accepted": DecisionKind.ACCEPT,
    "returned": DecisionKind.RETURN,
    "lapsed": DecisionKind.LAPSE,
    "declined": DecisionKind.DECLINE,
}


@dataclass(frozen=True)
class Scope:
    """What the figures are for: the partnership, the areas (every area when ``all_areas``), the
    period, and one meeting for a meeting's figures."""

    partnership_id: int
    area_ids: tuple[int, ...]
    all_areas: bool
    period: Period
    label: str
    meeting_id: int | None = None
    area_codes: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        areas = "all" if self.all_areas else "-".join(str(pk) for pk in self.area_ids)
        meeting = self.meeting_id or "-"
        return f"{self.partnership_id}:{areas}:{meeting}:{self.period.start}:{self.period.end}"


def category_slug(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "other"


def _in_areas(queryset: QuerySet[Any], scope: Scope, path: str) -> QuerySet[Any]:
    return queryset if scope.all_areas else queryset.filter(**{f"{path}__in": scope.area_ids})


# --- Hearings ------------------------------------------------------------------------------------


def hearing_rows(scope: Scope) -> QuerySet[HearingFact]:
    rows = HearingFact.objects.filter(
        partnership_id=scope.partnership_id,
        heard_on__gte=scope.period.start,
        heard_on__lte=scope.period.end,
    )
    rows = _in_areas(rows, scope, "area_id")
    if scope.meeting_id:
        rows = rows.filter(meeting_id=scope.meeting_id)
    return rows


def latest_hearing_per_case(scope: Scope) -> QuerySet[HearingFact]:
    """One row per case heard: its latest hearing in the scope."""
    later = (
        hearing_rows(scope)
        .filter(case_id=OuterRef("case_id"))
        .filter(
            Q(heard_on__gt=OuterRef("heard_on"))
            | Q(heard_on=OuterRef("heard_on"), pk__gt=OuterRef("pk"))
        )
    )
    return hearing_rows(scope).filter(~Exists(later))


def case_counts(scope: Scope, settings: ReportingSettings) -> dict[str, Any]:
    rows = hearing_rows(scope)
    found: dict[str, Any] = rows.aggregate(
        hearings=Count("pk"),
        cases_heard=Count("case_id", distinct=True),
        repeat_hearings=Count("pk", filter=Q(is_repeat=True)),
        repeat_cases=Count("case_id", distinct=True, filter=Q(is_repeat=True)),
        children_in_households=Coalesce(Sum("children"), 0),
        emergency_hearings=Count("pk", filter=Q(emergency=True)),
        restricted_cases=Count("case_id", distinct=True, filter=Q(restricted=True)),
        **{f"hearings_referred_by_{s}": Count("pk", filter=Q(sector=s)) for s in Sector.values},
    )
    categories: dict[str, int] = {}
    for sector in Sector.values:
        slug = f"safelives_hearings_{category_slug(settings.category_of(sector))}"
        categories[slug] = categories.get(slug, 0) + found[f"hearings_referred_by_{sector}"]
    found.update(categories)
    if scope.meeting_id:
        return found  # equality figures are never shown per meeting
    follow_up = TriageDecision.objects.filter(
        case_id=OuterRef("case_id"),
        kind=DecisionKind.ACCEPT,
        is_repeat=True,
        decided_at__gte=OuterRef("heard_until"),
        decided_at__lt=OuterRef("follow_up_until"),
    )
    ages = {f"victims_age_{band}": Q(victim_age_band=band) for band, _lo, _hi in AGE_BANDS}
    ages["victims_age_not_known"] = Q(victim_age_band=NOT_KNOWN)
    known_sexes = ("female", "male", "non_binary", "other")
    per_case = {
        **{f"victims_{sex}": Q(victim_sex=sex) for sex in known_sexes},
        "victims_not_known": ~Q(victim_sex__in=known_sexes),
        **ages,
        "victims_minoritised": Q(victim_ethnicity__in=("asian", "black", "mixed", "other")),
        "victims_white": Q(victim_ethnicity="white"),
        "victims_ethnicity_not_known": ~Q(
            victim_ethnicity__in=("asian", "black", "mixed", "other", "white")
        ),
        "victims_lgbt": Q(victim_lgbt=Answer.YES),
        "victims_not_lgbt": Q(victim_lgbt=Answer.NO),
        "victims_lgbt_not_known": ~Q(victim_lgbt__in=(Answer.YES, Answer.NO)),
        "victims_disabled": Q(victim_disabled=Answer.YES),
        "victims_not_disabled": Q(victim_disabled=Answer.NO),
        "victims_disability_not_known": ~Q(victim_disabled__in=(Answer.YES, Answer.NO)),
        "perpetrators_under_18": Q(perpetrator_under_18=True),
        **{
            f"relationship_{code}": Q(relationship=code)
            for code in ("partner", "ex_partner", "family", "other")
        },
        "relationship_not_known": ~Q(relationship__in=("partner", "ex_partner", "family", "other")),
        "repeat_victimisation_12m": Q(followed_up=True),
    }
    found.update(
        latest_hearing_per_case(scope)
        .annotate(followed_up=Exists(follow_up))
        .aggregate(
            children_in_households_of_cases=Coalesce(Sum("children"), 0),
            **{key: Count("pk", filter=rule) for key, rule in per_case.items()},
        )
    )
    return found


# --- Referrals -----------------------------------------------------------------------------------


def referral_counts(scope: Scope) -> dict[str, Any]:
    period = scope.period
    facts = _in_areas(
        ReferralFact.objects.filter(
            partnership_id=scope.partnership_id,
            received_on__gte=period.start,
            received_on__lte=period.end,
        ),
        scope,
        "area_id",
    )
    first_decision = (
        TriageDecision.objects.filter(referral_id=OuterRef("referral_id"))
        .order_by("decided_at", "pk")
        .values("decided_at")[:1]
    )
    found: dict[str, Any] = facts.annotate(first_decided=Subquery(first_decision)).aggregate(
        referrals_received=Count("pk"),
        **{f"referrals_received_{s}": Count("pk", filter=Q(sector=s)) for s in Sector.values},
        **{
            f"referrals_received_criterion_{c}": Count("pk", filter=Q(**{c: True}))
            for c in CRITERIA
        },
        referrals_victimless=Count("pk", filter=Q(victimless=True)),
        transfers_in=Count("pk", filter=Q(transfer_in=True)),
        triage_decided=Count("pk", filter=Q(first_decided__isnull=False)),
        triage_on_time=Count("pk", filter=Q(first_decided__lte=F("triage_due_at"))),
    )
    # A referral counts once for each kind of decision it had in the period, however often
    # (returned twice, say): distinct referrals, grouped by kind and by the fact's codes.
    fact = "referral__report_fact__"
    decisions = _in_areas(
        TriageDecision.objects.filter(
            referral__report_fact__partnership_id=scope.partnership_id,
            decided_at__gte=period.starts_at,
            decided_at__lt=period.ends_before,
            kind__in=DECISION_KINDS.values(),
        ),
        scope,
        f"{fact}area_id",
    ).order_by()
    outcome_of = {kind: outcome for outcome, kind in DECISION_KINDS.items()}
    for outcome in DECISION_KINDS:
        found[f"referrals_{outcome}"] = 0
        for sector in Sector.values:
            found[f"referrals_{outcome}_{sector}"] = 0
        for criterion in CRITERIA:
            found[f"referrals_{outcome}_criterion_{criterion}"] = 0
    for reason in DeclineReason.values:
        found[f"referrals_declined_{reason}"] = 0
    # One grouped query: a referral has one sector and one decline reason, so adding up the
    # distinct counts of its groups counts it once.
    rows = decisions.values("kind", f"{fact}sector", "decline_reason").annotate(
        n=Count("referral_id", distinct=True),
        **{
            criterion: Count("referral_id", filter=Q(**{f"{fact}{criterion}": True}), distinct=True)
            for criterion in CRITERIA
        },
    )
    for row in rows:
        outcome = outcome_of[row["kind"]]
        found[f"referrals_{outcome}"] += row["n"]
        found[f"referrals_{outcome}_{row[f'{fact}sector']}"] += row["n"]
        for criterion in CRITERIA:
            found[f"referrals_{outcome}_criterion_{criterion}"] += row[criterion]
        if outcome == "declined" and row["decline_reason"] in DeclineReason.values:
            found[f"referrals_declined_{row['decline_reason']}"] += row["n"]
    found["transfers_out"] = _in_areas(
        Case.objects.filter(
            partnership_id=scope.partnership_id,
            closure_reason=ClosureReason.TRANSFERRED_OUT,
            closed_at__gte=period.starts_at,
            closed_at__lt=period.ends_before,
        ),
        scope,
        "area_id",
    ).count()
    assert all(f"referrals_{outcome}" in found for outcome, _l, _r in OUTCOMES)
    return found


# --- Meetings, research, attendance, actions ----------------------------------------------------


def meetings_in(scope: Scope) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(area__partnership_id=scope.partnership_id)
    if scope.meeting_id:
        return meetings.filter(pk=scope.meeting_id)
    meetings = meetings.filter(
        starts_on__gte=scope.period.start,
        starts_on__lte=scope.period.end,
        status=MeetingStatus.HELD,
    ).exclude(kind=MeetingKind.PROFESSIONALS)
    return _in_areas(meetings, scope, "area_id")


def _agency_names(ids: set[int]) -> dict[int, str]:
    return dict(Agency.objects.filter(pk__in=ids).values_list("pk", "name"))


def meeting_counts(scope: Scope) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    meetings = meetings_in(scope)
    held = list(
        meetings.select_related("area__policy", "area__partnership").only(
            "pk",
            "starts_on",
            "agenda_published_at",
            "area__partnership__nation",
            "area__policy__agenda_lead_days",
            "area__policy__agenda_lead_working_days",
        )
    )
    found: dict[str, Any] = {
        "meetings_held": len(held),
        "agendas_on_time": sum(
            1
            for meeting in held
            if meeting.agenda_published_at is not None
            and local_date(meeting.agenda_published_at) <= agenda_publish_on(meeting)
        ),
    }
    found.update(
        MeetingRecord.objects.filter(
            meeting__in=meetings, closed_at__isnull=False, minutes_due_at__isnull=False
        ).aggregate(
            minutes_due=Count("pk"),
            minutes_on_time=Count("pk", filter=Q(published_at__lte=F("minutes_due_at"))),
            actions_sent_on_time=Count(
                "pk", filter=Q(actions_published_at__lte=F("actions_due_at"))
            ),
        )
    )
    present = (
        Attendee.objects.filter(meeting__in=meetings, agency__isnull=False)
        .exclude(role=AttendeeRole.OBSERVER)
        .values("agency_id")
        .annotate(attended=Count("meeting_id", distinct=True))
    )
    attended = {row["agency_id"]: row["attended"] for row in present}
    sent: dict[int, dict[str, Any]] = {
        row["agency_id"]: dict(row)
        for row in Apology.objects.filter(meeting__in=meetings)
        .values("agency_id")
        .annotate(
            apologies=Count("pk"), in_writing=Count("pk", filter=Q(information_in_writing=True))
        )
    }
    found["attendances"] = sum(attended.values())
    found["apologies"] = sum(row["apologies"] for row in sent.values())
    expected: dict[int, int] = {}
    if not scope.meeting_id:
        memberships = _in_areas(
            AreaMembership.objects.filter(
                kind=MembershipKind.STANDING, area__partnership_id=scope.partnership_id
            ),
            scope,
            "area_id",
        )
        held_there = Q(
            area__meetings__starts_on__gte=scope.period.start,
            area__meetings__starts_on__lte=scope.period.end,
            area__meetings__status=MeetingStatus.HELD,
        ) & ~Q(area__meetings__kind=MeetingKind.PROFESSIONALS)
        expected = {
            row["agency_id"]: row["expected"]
            for row in memberships.values("agency_id").annotate(
                expected=Count("area__meetings", filter=held_there)
            )
        }
    names = _agency_names(set(attended) | set(sent) | set(expected))
    attendance = []
    for agency_id, name in sorted(names.items(), key=lambda item: item[1]):
        apologies = sent.get(agency_id, {}).get("apologies", 0)
        went = attended.get(agency_id, 0)
        due = expected.get(agency_id, 0)
        if not (apologies or went or due):
            continue  # not a standing member here, and did not come
        attendance.append(
            {
                "agency": name,
                "expected": due,
                "attended": went,
                "apologies": apologies,
                "in_writing": sent.get(agency_id, {}).get("in_writing", 0),
                "missed": max(due - went - apologies, 0),
            }
        )
    return found, {"attendance_by_agency": attendance}


def research_counts(scope: Scope) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    requests = ResearchRequest.objects.filter(listing__meeting__in=meetings_in(scope).values("pk"))
    on_time = Q(completed_at__isnull=False, done_on__lte=F("due_on"))
    rows = (
        requests.annotate(done_on=TruncDate("completed_at"))
        .values("agency_id", "agency__name")
        .annotate(requested=Count("pk"), on_time=Count("pk", filter=on_time))
        .order_by("agency__name")
    )
    table = [
        {"agency": row["agency__name"], "requested": row["requested"], "on_time": row["on_time"]}
        for row in rows
    ]
    return (
        {
            "research_requested": sum(row["requested"] for row in table),
            "research_on_time": sum(row["on_time"] for row in table),
        },
        {"research_by_agency": table},
    )


ACTION_COLUMNS = (
    "actions_set",
    "actions_completed",
    "actions_not_feasible",
    "actions_open",
    "actions_overdue",
    "actions_no_update",
)


def action_counts(scope: Scope) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    period = scope.period
    as_of = period.as_of()
    as_of_day = (as_of - datetime.timedelta(microseconds=1)).date()
    actions = _in_areas(
        Action.objects.filter(
            case__partnership_id=scope.partnership_id,
            agreed_at__gte=period.starts_at,
            agreed_at__lt=period.ends_before,
            status__in=(ActionStatus.AGREED, *CLOSED_STATUSES),
        ),
        scope,
        "case__area_id",
    )
    closed_by_then = Q(status__in=CLOSED_STATUSES, closed_at__lt=as_of)
    columns = {
        "actions_set": Count("pk"),
        "actions_completed": Count(
            "pk", filter=Q(status=ActionStatus.COMPLETED, closed_at__lt=as_of)
        ),
        "actions_not_feasible": Count(
            "pk", filter=Q(status=ActionStatus.NOT_FEASIBLE, closed_at__lt=as_of)
        ),
        "actions_open": Count("pk", filter=~closed_by_then),
        "actions_overdue": Count("pk", filter=~closed_by_then & Q(due_on__lt=as_of_day)),
        "actions_no_update": Count("pk", filter=~closed_by_then & Q(no_update_marked_at__lt=as_of)),
    }
    rows = list(
        actions.values("owner_agency__name").annotate(**columns).order_by("owner_agency__name")
    )
    table = [
        {"agency": row["owner_agency__name"], **{key: row[key] for key in ACTION_COLUMNS}}
        for row in rows
    ]
    totals = {key: sum(row[key] for row in table) for key in ACTION_COLUMNS}
    return totals, {"actions_by_agency": table}


def women_16_plus(scope: Scope) -> int | None:
    """The women aged 16+ of the areas reported on, or None unless every area has the number."""
    populations = list(
        AreaPopulation.objects.filter(area_id__in=scope.area_ids).values_list(
            "women_16_plus", flat=True
        )
    )
    if len(populations) != len(scope.area_ids) or any(n is None for n in populations):
        return None
    return sum(int(n) for n in populations if n is not None) or None


def population_shares(scope: Scope) -> dict[str, float | None]:
    """The areas' population shares (minoritised, disabled, LGBT+), weighted by their women
    aged 16+ where several areas are reported on; None where any area lacks one."""
    rows: list[dict[str, Any]] = [
        dict(row)
        for row in AreaPopulation.objects.filter(area_id__in=scope.area_ids).values(
            "women_16_plus", "minoritised_percent", "disabled_percent", "lgbt_percent"
        )
    ]
    shares: dict[str, float | None] = {}
    for name in ("minoritised_percent", "disabled_percent", "lgbt_percent"):
        complete = len(rows) == len(scope.area_ids) and all(
            row[name] is not None and row["women_16_plus"] for row in rows
        )
        if not complete or not rows:
            shares[name] = None
            continue
        weight = sum(row["women_16_plus"] for row in rows)
        shares[name] = round(
            sum(float(row[name]) * row["women_16_plus"] for row in rows) / weight, 1
        )
    return shares
