"""The case's timeline: what happened and when, from the domain records the reader may see and
the audit trail's case events that carry no personal data.

Only the audit events named in ``AUDIT_EVENTS`` are read, and of them only the time and the kind
of event: never the actor, the address they came from or the event's detail. Views, refusals,
grants of access and conflicts of interest are not part of the case's story and stay in the
hub's audit reports.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from openmarac.actions.models import Action
from openmarac.audit.models import AuditEvent, Outcome
from openmarac.cases.models import Case
from openmarac.meetings.models import Listing
from openmarac.proceedings.models import Hearing
from openmarac.referrals.models import Referral, ReferralStatus
from openmarac.research.models import ResearchRequest
from openmarac.triage.models import WeeklyUpdate

CASE_TYPE = "cases.case"
AUDIT_EVENTS = {
    "case.restrict": "Access to the case restricted",
    "case.period_restart": "Period open to MARAC restarted",
    "case.period_end": "Period open to MARAC ended",
    "case.death_record": "A death recorded: the case's record is frozen",
    "case.archive": "Case archived",
    "case.unarchive": "Case taken out of the archive",
}
AUDIT_SHOWN = 200


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime.datetime
    text: str


@dataclass(frozen=True)
class AuditMoment:
    """An audit event reduced to what the timeline may tell: when, and which kind of event."""

    at: datetime.datetime
    action: str


def audit_events_for(case: Case) -> list[AuditMoment]:
    """The latest of the case's audit events in ``AUDIT_EVENTS``: their time and kind only."""
    rows = (
        AuditEvent.objects.filter(
            object_type=CASE_TYPE,
            object_id=str(case.pk),
            action__in=list(AUDIT_EVENTS),
            outcome=Outcome.SUCCESS,
        )
        .order_by("-id")
        .values_list("at", "action")[:AUDIT_SHOWN]
    )
    return [AuditMoment(at=at, action=action) for at, action in rows]


def _referral_events(referral: Referral) -> list[TimelineEvent]:
    agency = referral.referrer_agency.name if referral.referrer_agency else "a referrer"
    events = []
    if referral.submitted_at:
        events.append(
            TimelineEvent(referral.submitted_at, f"Referral {referral.reference} from {agency}")
        )
    if referral.decided_at and referral.status in (
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
    ):
        verb = "accepted" if referral.status == ReferralStatus.ACCEPTED else "declined"
        repeat = " as a repeat" if referral.is_repeat else ""
        events.append(
            TimelineEvent(referral.decided_at, f"Referral {referral.reference} {verb}{repeat}")
        )
    return events


def _hearing_events(listing: Listing, hearing: Hearing | None) -> list[TimelineEvent]:
    meeting = listing.meeting
    on = f"{meeting.area.name} meeting of {meeting.starts_on:%-d %B %Y}"
    events = [TimelineEvent(listing.listed_at, f"Listed for the {on}")]
    if hearing is not None and hearing.decided_at and hearing.outcome:
        events.append(
            TimelineEvent(hearing.decided_at, f"Heard at the {on}: {hearing.get_outcome_display()}")
        )
    return events


def _action_events(action: Action) -> list[TimelineEvent]:
    owner = action.owner_agency.name
    events = [TimelineEvent(action.proposed_at, f"Action proposed for {owner}")]
    if action.agreed_at:
        events.append(TimelineEvent(action.agreed_at, f"Action agreed for {owner}"))
    if action.closed_at:
        events.append(
            TimelineEvent(action.closed_at, f"Action for {owner}: {action.get_status_display()}")
        )
    return events


def timeline_of(
    *,
    case: Case,
    referrals: list[Referral],
    hearings: list[tuple[Listing, Hearing | None]],
    research: list[ResearchRequest],
    actions: list[Action],
    weekly_updates: list[WeeklyUpdate],
    audit: list[AuditMoment],
) -> list[TimelineEvent]:
    """The case's events, oldest first, from records already read for the reader."""
    events = [TimelineEvent(case.created_at, "Case opened")]
    for referral in referrals:
        events.extend(_referral_events(referral))
    for listing, hearing in hearings:
        events.extend(_hearing_events(listing, hearing))
    for request in research:
        events.append(
            TimelineEvent(request.requested_at, f"Research asked of {request.agency.name}")
        )
        if request.completed_at:
            events.append(
                TimelineEvent(request.completed_at, f"Research completed by {request.agency.name}")
            )
    for action in actions:
        events.extend(_action_events(action))
    for update in weekly_updates:
        events.append(
            TimelineEvent(
                update.created_at,
                f"Weekly update from {update.agency.name}: {update.get_kind_display().lower()}",
            )
        )
    if case.closed_at:
        reason = f": {case.get_closure_reason_display().lower()}" if case.closure_reason else ""
        events.append(TimelineEvent(case.closed_at, f"Case closed{reason}"))
    events.extend(TimelineEvent(moment.at, AUDIT_EVENTS[moment.action]) for moment in audit)
    return sorted(events, key=lambda event: event.at)
