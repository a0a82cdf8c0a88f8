"""An agency representative's home: research asked of their agency, its actions and the
meetings coming up in their areas."""

from __future__ import annotations

import datetime

from openmarac.accounts.models import User
from openmarac.actions.models import ActionStatus
from openmarac.actions.selectors import DUE_SOON_WORKING_DAYS, actions_visible_to
from openmarac.core.workdays import calendar_for, local_date
from openmarac.meetings.models import MeetingStatus
from openmarac.research.selectors import meetings_visible_to, research_visible_to

from .work import Kind, WorkList


def agency_work(user: User, *, now: datetime.datetime) -> list[WorkList]:
    """A representative's work lists: research requested of their agency and not yet given, the
    agency's agreed actions due within five working days and those overdue, and the meetings
    coming up that they may attend. None for anyone who is not an agency representative."""
    if not user.is_authenticated or not user.is_agency_rep or user.agency is None:
        return []
    today = local_date(now)
    soon = calendar_for(user.agency.partnership).add_working_days(today, DUE_SOON_WORKING_DAYS)
    actions = (
        actions_visible_to(user)
        .filter(owner_agency_id=user.agency_id, status=ActionStatus.AGREED)
        .select_related("owner_agency", "case")
        .order_by("due_on", "pk")
    )
    return [
        WorkList(
            slug="research-requested",
            title=f"Research requested of {user.agency.name}",
            kind=Kind.RESEARCH,
            rows=research_visible_to(user)
            .filter(
                agency=user.agency,
                completed_at__isnull=True,
                listing__meeting__starts_on__gte=today,
            )
            .select_related("agency", "listing__meeting__area", "listing__case")
            .order_by("due_on", "listing__meeting__starts_on", "pk"),
            empty="No research is waiting for your agency.",
        ),
        WorkList(
            slug="agency-actions-overdue",
            title=f"Overdue actions of {user.agency.name}",
            kind=Kind.ACTION,
            rows=actions.filter(due_on__lt=today),
            empty="None of your agency's actions is overdue.",
        ),
        WorkList(
            slug="agency-actions-due",
            title=f"Actions of {user.agency.name} due in the next {DUE_SOON_WORKING_DAYS} working days",
            kind=Kind.ACTION,
            rows=actions.filter(due_on__gte=today, due_on__lte=soon),
            empty="None of your agency's actions falls due soon.",
        ),
        WorkList(
            slug="meetings-next",
            title="Your next meetings",
            kind=Kind.MEETING,
            rows=meetings_visible_to(user)
            .filter(status=MeetingStatus.SCHEDULED, starts_on__gte=today)
            .select_related("area")
            .order_by("starts_on", "start_time", "pk"),
            empty="No meeting is arranged in your areas.",
        ),
    ]
