"""The downloadable documents: the SafeLives return (figures only) and the three lists the hub
keeps (the action tracker, attendance per meeting, the referral log: references, dates and
codes, never a name or free text). Each is read in a fixed number of queries."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.actions.models import ActionStatus
from openmarac.actions.selectors import actions_visible_to
from openmarac.agencies.models import Agency, AreaMembership, MembershipKind, Sector
from openmarac.core.workdays import local_date
from openmarac.meetings.models import MeetingKind
from openmarac.proceedings.models import Apology, Attendee, AttendeeRole
from openmarac.referrals.selectors import referrals_visible_to
from openmarac.triage.models import DecisionKind, DeclineReason, TriageDecision

from .catalogue import SECTION_TITLES, TABLES
from .counting import Scope, meetings_in
from .exports import Sheet
from .facts import CRITERIA, facts_refresh
from .figures import Figures
from .models import ReferralFact
from .suppression import Cell, threshold_of

SHEET_TITLES = {
    "research_by_agency": "Research by agency",
    "attendance_by_agency": "Attendance by agency",
    "actions_by_agency": "Actions by agency",
}
TABLE_HEADERS = {
    "research_by_agency": [
        ("agency", "Agency"),
        ("requested", "Requested"),
        ("on_time", "On time"),
    ],
    "attendance_by_agency": [
        ("agency", "Agency"),
        ("expected", "Meetings expected"),
        ("attended", "Attended"),
        ("apologies", "Apologies"),
        ("in_writing", "Apologies with information in writing"),
        ("missed", "Missed without apologies"),
    ],
    "actions_by_agency": [
        ("agency", "Agency"),
        ("actions_set", "Set"),
        ("actions_completed", "Completed"),
        ("actions_not_feasible", "Not feasible"),
        ("actions_open", "Open"),
        ("actions_overdue", "Overdue"),
        ("actions_no_update", "No update from lead agency"),
    ],
}


def about(figures: Figures) -> list[str]:
    scope = figures.scope
    when = (
        f"Frozen on {timezone.localtime(figures.frozen_at):%-d %B %Y}"
        if figures.frozen_at
        else f"Counted on {timezone.localtime():%-d %B %Y at %H:%M}"
    )
    threshold = threshold_of(figures)
    return [
        "OpenMARAC: MARAC figures, laid out as the SafeLives MARAC data return",
        f"Area: {scope.label}",
        f"Period: {scope.period.label} ({scope.period.start} to {scope.period.end})",
        when,
        f"Counts from 1 to {threshold - 1} in breakdowns are shown as 'fewer than {threshold}'.",
        "Each figure's rule: docs/reporting.md, or Definitions in OpenMARAC's reports.",
    ]


def return_sheets(figures: Figures, cells: dict[str, Cell]) -> list[Sheet]:
    main = Sheet(
        title="Return",
        header=["Key", "Figure", "Section", "Value"],
        rows=[
            [cell.key, cell.label, SECTION_TITLES[cell.section], cell.export_value]
            for cell in cells.values()
        ],
        notes=about(figures),
    )
    sheets = [main]
    for key, _title, _rule in TABLES:
        if key not in figures.tables:
            continue
        columns = TABLE_HEADERS[key]
        sheets.append(
            Sheet(
                title=SHEET_TITLES[key],
                header=[label for _name, label in columns],
                rows=[[row[name] for name, _label in columns] for row in figures.tables[key]],
            )
        )
    return sheets


def return_json(figures: Figures, cells: dict[str, Cell]) -> dict[str, Any]:
    scope = figures.scope
    document: dict[str, Any] = {
        "about": {
            "areas": list(scope.area_codes),
            "all_areas": scope.all_areas,
            "label": scope.label,
            "from": scope.period.start.isoformat(),
            "to": scope.period.end.isoformat(),
            "period": scope.period.code,
            "frozen_at": figures.frozen_at.isoformat() if figures.frozen_at else None,
            "suppression_threshold": threshold_of(figures),
        }
    }
    document.update({key: cell.export_value for key, cell in cells.items()})
    document.update(figures.tables)
    return document


# --- The hub's lists ----------------------------------------------------------------------------


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def action_tracker(user: User, scope: Scope) -> Sheet:
    """Every open action on the cases the user may see in the scope's areas, by agency."""
    today = timezone.localdate()
    actions = (
        actions_visible_to(user)
        .filter(status=ActionStatus.AGREED, case__area_id__in=scope.area_ids)
        .select_related("owner_agency", "case__area", "meeting")
        .only(
            "pk",
            "intervention",
            "due_on",
            "agreed_at",
            "escalated_at",
            "no_update_marked_at",
            "owner_agency__name",
            "case__reference",
            "case__area__name",
            "meeting__starts_on",
        )
        .order_by("owner_agency__name", "due_on", "pk")
    )
    rows = [
        [
            action.owner_agency.name,
            action.case.reference,
            action.case.area.name,
            action.meeting.starts_on.isoformat() if action.meeting else "online",
            action.intervention,
            local_date(action.agreed_at).isoformat() if action.agreed_at else "",
            action.due_on.isoformat(),
            _yes(action.due_on < today),
            max((today - action.due_on).days, 0),
            _yes(action.escalated_at is not None),
            _yes(action.no_update_marked_at is not None),
        ]
        for action in actions
    ]
    return Sheet(
        title="Open actions",
        header=[
            "Agency",
            "Case reference",
            "Area",
            "Meeting",
            "Intervention",
            "Agreed on",
            "Due on",
            "Overdue",
            "Days overdue",
            "Escalated",
            "No update from lead agency",
        ],
        rows=rows,
        notes=[f"Open actions on {today:%-d %B %Y}, {scope.label}. OFFICIAL-SENSITIVE."],
    )


def attendance_per_meeting(scope: Scope) -> Sheet:
    """For each meeting held in the period: every standing member agency of its area and every
    agency that came or sent apologies, with what it did."""
    meetings = list(
        meetings_in(scope).select_related("area").only("pk", "starts_on", "kind", "area__name")
    )
    ids = [meeting.pk for meeting in meetings]
    came = set(
        Attendee.objects.filter(meeting_id__in=ids, agency__isnull=False)
        .exclude(role=AttendeeRole.OBSERVER)
        .values_list("meeting_id", "agency_id")
    )
    sorry = {
        (meeting_id, agency_id): in_writing
        for meeting_id, agency_id, in_writing in Apology.objects.filter(
            meeting_id__in=ids
        ).values_list("meeting_id", "agency_id", "information_in_writing")
    }
    standing: dict[int, dict[int, str]] = {}
    for area_id, agency_id, name in AreaMembership.objects.filter(
        area_id__in=scope.area_ids, kind=MembershipKind.STANDING
    ).values_list("area_id", "agency_id", "agency__name"):
        standing.setdefault(area_id, {})[agency_id] = name
    others = dict(
        Agency.objects.filter(
            pk__in={agency for _m, agency in came} | {agency for _m, agency in sorry}
        ).values_list("pk", "name")
    )
    rows = []
    kinds = dict(MeetingKind.choices)
    for meeting in meetings:
        members = standing.get(meeting.area_id, {})
        agencies = {
            **{pk: others[pk] for (m, pk) in came | set(sorry) if m == meeting.pk},
            **members,
        }
        for agency_id, name in sorted(agencies.items(), key=lambda item: item[1]):
            key = (meeting.pk, agency_id)
            rows.append(
                [
                    meeting.area.name,
                    meeting.starts_on.isoformat(),
                    kinds.get(meeting.kind, meeting.kind),
                    name,
                    _yes(agency_id in members),
                    _yes(key in came),
                    _yes(key in sorry),
                    _yes(bool(sorry.get(key))),
                ]
            )
    return Sheet(
        title="Attendance",
        header=[
            "Area",
            "Meeting",
            "Kind",
            "Agency",
            "Standing member",
            "Attended",
            "Apologies",
            "Information in writing",
        ],
        rows=rows,
        notes=[f"Meetings held, {scope.period.label}, {scope.label}."],
    )


def referral_log(user: User, scope: Scope) -> Sheet:
    """The referrals that reached the hub in the period, as the hub may see them: reference,
    dates, area, sector, criteria and the latest decision. No names, no free text."""
    facts_refresh(since=scope.period.start, until=scope.period.end)
    latest = TriageDecision.objects.filter(referral_id=OuterRef("referral_id")).order_by(
        "-decided_at", "-pk"
    )
    facts = (
        ReferralFact.objects.filter(
            area_id__in=scope.area_ids,
            received_on__gte=scope.period.start,
            received_on__lte=scope.period.end,
            referral_id__in=referrals_visible_to(user).values("pk"),
        )
        .annotate(
            decision=Subquery(latest.values("kind")[:1]),
            decided_at=Subquery(latest.values("decided_at")[:1]),
            decline_reason=Subquery(latest.values("decline_reason")[:1]),
        )
        .select_related("area", "referral")
        .only(
            "pk",
            "received_at",
            "sector",
            "area__name",
            "referral__reference",
            "referral__is_repeat",
            *CRITERIA,
        )
        .order_by("received_at", "pk")
    )
    sectors = dict(Sector.choices)
    decisions = dict(DecisionKind.choices)
    reasons = dict(DeclineReason.choices)
    rows = []
    for fact in facts:
        decided_at: datetime.datetime | None = fact.decided_at
        rows.append(
            [
                fact.referral.reference,
                local_date(fact.received_at).isoformat(),
                fact.area.name,
                sectors.get(fact.sector, fact.sector),
                ", ".join(c.replace("_", " ") for c in CRITERIA if getattr(fact, c)),
                decisions.get(fact.decision, "waiting") if fact.decision else "waiting",
                local_date(decided_at).isoformat() if decided_at else "",
                reasons.get(fact.decline_reason, ""),
                _yes(fact.referral.is_repeat),
            ]
        )
    return Sheet(
        title="Referrals",
        header=[
            "Reference",
            "Received on",
            "Area",
            "Referring sector",
            "Criteria met",
            "Latest decision",
            "Decided on",
            "Decline reason",
            "Repeat",
        ],
        rows=rows,
        notes=[f"Referrals received, {scope.period.label}, {scope.label}. OFFICIAL-SENSITIVE."],
    )


EXPORTS = {
    "actions": ("Action tracker: open and overdue actions by agency", "action-tracker"),
    "attendance": ("Attendance and apologies per meeting", "attendance"),
    "referrals": ("Referral log (references, dates, codes; no names)", "referral-log"),
}


def export_sheet(kind: str, user: User, scope: Scope) -> Sheet:
    if kind == "actions":
        return action_tracker(user, scope)
    if kind == "attendance":
        return attendance_per_meeting(scope)
    return referral_log(user, scope)
