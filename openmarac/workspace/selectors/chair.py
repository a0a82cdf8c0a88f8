"""A chair's home: minutes to approve, emergency requests and meetings, complex-case candidates."""

from __future__ import annotations

import datetime

from openmarac.accounts.models import User
from openmarac.core.workdays import local_date
from openmarac.emergencies.models import EmergencyStatus
from openmarac.emergencies.selectors import emergencies_visible_to
from openmarac.meetings.models import MeetingKind, MeetingStatus
from openmarac.partnerships.models import EmergencyDecider
from openmarac.proceedings.models import AttendeeRole, MinutesStatus
from openmarac.proceedings.selectors import meetings_run_by, sections_to_approve
from openmarac.triage.selectors import complex_case_candidates

from .work import Kind, WorkList


def chair_work(user: User, *, now: datetime.datetime) -> list[WorkList]:
    """A chair's work lists: the minutes of meetings they chaired waiting for their approval,
    the case sections they chaired in place of a conflicted chair, emergency MARAC requests
    waiting for a chair's decision (where the area's protocol names the chair as decider),
    emergency MARACs coming up and the cases heard often enough to be complex-case candidates.
    None for anyone else."""
    if not user.is_authenticated or not user.is_chair:
        return []
    today = local_date(now)
    return [
        WorkList(
            slug="minutes-to-approve",
            title="Minutes to approve",
            kind=Kind.MINUTES,
            rows=meetings_run_by(user)
            .filter(
                attendees__user=user,
                attendees__role=AttendeeRole.CHAIR,
                record__closed_at__isnull=False,
                record__minutes_status=MinutesStatus.DRAFT,
            )
            .distinct()
            .select_related("area", "record")
            .order_by("record__minutes_due_at", "starts_on", "pk"),
            empty="No minutes are waiting for your approval.",
        ),
        WorkList(
            slug="sections-to-approve",
            title="Case minutes to approve as stand-in chair",
            kind=Kind.SECTION,
            rows=sections_to_approve(user),
            empty="No case minutes are waiting for you as stand-in chair.",
        ),
        WorkList(
            slug="emergency-requests",
            title="Emergency MARAC requests to decide",
            kind=Kind.EMERGENCY,
            rows=emergencies_visible_to(user)
            .filter(
                status=EmergencyStatus.REQUESTED,
                case__area__policy__emergency_decided_by=EmergencyDecider.CHAIR,
            )
            .order_by("requested_at", "pk"),
            empty="No emergency MARAC request is waiting for a chair's decision.",
        ),
        WorkList(
            slug="emergency-meetings",
            title="Emergency MARACs coming up",
            kind=Kind.MEETING,
            rows=meetings_run_by(user)
            .filter(
                kind=MeetingKind.EMERGENCY,
                status=MeetingStatus.SCHEDULED,
                starts_on__gte=today,
            )
            .select_related("area")
            .order_by("starts_on", "start_time", "pk"),
            empty="No emergency MARAC is arranged.",
        ),
        WorkList(
            slug="complex-cases",
            title="Complex-case candidates",
            kind=Kind.CASE,
            rows=complex_case_candidates(user, today=today),
            empty="No case has been heard often enough to be a complex-case candidate.",
        ),
    ]
