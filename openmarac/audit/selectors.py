"""The hub's audit reports: who touched a case, what a user did, downloads, break-glass, and
access out of pattern for the quarterly access audit (000 §1.5, §6.5)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .models import AuditEvent, Outcome

if TYPE_CHECKING:
    from openmarac.accounts.models import User
    from openmarac.cases.models import Case

CASE_TYPE = "cases.case"
CASE_OPENED = "case.view"
DOWNLOADS = Q(action__contains="export") | Q(action__contains="download")


def _in_period(
    events: QuerySet[AuditEvent], start: datetime.datetime, end: datetime.datetime
) -> QuerySet[AuditEvent]:
    return events.filter(at__gte=start, at__lt=end)


def events_for_case(case: Case) -> QuerySet[AuditEvent]:
    """Every view, change and refused attempt recorded against ``case``."""
    return (
        AuditEvent.objects.filter(object_type=CASE_TYPE, object_id=str(case.pk))
        .select_related("actor", "actor__agency")
        .order_by("-id")
    )


def events_by_user(
    user: User, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[AuditEvent]:
    return (
        _in_period(AuditEvent.objects.filter(actor=user), start, end)
        .select_related("actor", "actor__agency")
        .order_by("-id")
    )


def downloads(
    partnership_id: int, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[AuditEvent]:
    """Downloads and exports by the partnership's own users; other partnerships' are not theirs."""
    return (
        _in_period(
            AuditEvent.objects.filter(DOWNLOADS, actor__agency__partnership_id=partnership_id),
            start,
            end,
        )
        .select_related("actor", "actor__agency")
        .order_by("-id")
    )


@dataclass
class PatternRow:
    user: User
    cases_opened: int = 0
    outside_areas: list[str] = field(default_factory=list)
    refused: int = 0
    break_glass: int = 0
    reasons: list[str] = field(default_factory=list)


def out_of_pattern(
    partnership_id: int,
    start: datetime.datetime,
    end: datetime.datetime,
    *,
    many_cases: int = 25,
    many_refusals: int = 3,
) -> list[PatternRow]:
    """Users whose case access in the period stands out.

    A user stands out who opened more than ``many_cases`` different cases; who opened a case of
    an area their licence does not cover (by invitation, restriction grant or break-glass); who
    was refused ``many_refusals`` times or more; or who broke glass.
    """
    from openmarac.accounts.models import User
    from openmarac.cases.models import Case
    from openmarac.licences.models import Licence

    events = _in_period(
        AuditEvent.objects.filter(
            actor__agency__partnership_id=partnership_id, object_type=CASE_TYPE
        ),
        start,
        end,
    )
    opened: dict[int, set[int]] = defaultdict(set)
    refused: dict[int, int] = defaultdict(int)
    glass: dict[int, int] = defaultdict(int)
    for actor_id, action, outcome, object_id in events.values_list(
        "actor_id", "action", "outcome", "object_id"
    ):
        if outcome == Outcome.DENIED:
            refused[actor_id] += 1
        elif action == CASE_OPENED and object_id.isdigit():
            opened[actor_id].add(int(object_id))
        elif action == "case.break_glass" and outcome == Outcome.SUCCESS:
            glass[actor_id] += 1
    # Refusals of case pages are recorded against the reference tried, not a case id.
    for actor_id in _in_period(
        AuditEvent.objects.filter(
            actor__agency__partnership_id=partnership_id, outcome=Outcome.DENIED
        ).exclude(object_type=CASE_TYPE),
        start,
        end,
    ).values_list("actor_id", flat=True):
        refused[actor_id] += 1
    case_area = dict(
        Case.objects.filter(pk__in={c for cs in opened.values() for c in cs}).values_list(
            "pk", "area__name"
        )
    )
    licensed: dict[int, set[str]] = defaultdict(set)
    for user_id, area_name in Licence.objects.filter(
        user_id__in=set(opened), areas__isnull=False
    ).values_list("user_id", "areas__name"):
        licensed[user_id].add(area_name)
    rows = []
    users = User.objects.in_bulk(set(opened) | set(refused) | set(glass))
    for user_id, user in users.items():
        row = PatternRow(
            user=user,
            cases_opened=len(opened.get(user_id, ())),
            refused=refused.get(user_id, 0),
            break_glass=glass.get(user_id, 0),
        )
        row.outside_areas = sorted(
            {case_area[c] for c in opened.get(user_id, ()) if case_area.get(c)}
            - licensed.get(user_id, set())
        )
        if row.cases_opened > many_cases:
            row.reasons.append(f"opened {row.cases_opened} different cases")
        if row.outside_areas:
            row.reasons.append("opened cases outside the areas of their licence")
        if row.refused >= many_refusals:
            row.reasons.append(f"refused {row.refused} times")
        if row.break_glass:
            row.reasons.append("broke glass")
        if row.reasons:
            rows.append(row)
    return sorted(rows, key=lambda r: (-len(r.reasons), -r.cases_opened))
