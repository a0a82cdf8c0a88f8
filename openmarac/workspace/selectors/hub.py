"""The hub's home: what the hub team has to do today."""

from __future__ import annotations

import datetime

from openmarac.accounts.models import User
from openmarac.actions.models import ActionStatus
from openmarac.actions.selectors import actions_visible_to
from openmarac.core.decorators import is_hub
from openmarac.core.workdays import calendar_for, local_date
from openmarac.licences.models import LicenceStatus
from openmarac.licences.selectors import licences_for_hub
from openmarac.meetings.models import MeetingStatus
from openmarac.proceedings.models import MinutesStatus
from openmarac.proceedings.selectors import meetings_run_by
from openmarac.research.selectors import research_visible_to
from openmarac.triage.selectors import returned_referrals, triage_queue

from .clock import near_deadline, past_deadline
from .work import Kind, WorkList

# Agendas of meetings this close are listed for publishing; licences this close to their expiry
# are listed for review (working days).
AGENDA_WINDOW_WORKING_DAYS = 10
LICENCE_REVIEW_WORKING_DAYS = 20


def hub_work(user: User, *, now: datetime.datetime) -> list[WorkList]:
    """The hub team's work lists: the triage clock, returned referrals, agendas to publish, late
    research, minutes, overdue actions and licences (retention reviews are ``governance_work``).
    None for anyone else."""
    if not is_hub(user) or user.agency is None:
        return []
    today = local_date(now)
    calendar = calendar_for(user.agency.partnership)
    waiting = triage_queue(user)
    return [
        WorkList(
            slug="triage-past-deadline",
            title="Referrals past their triage deadline",
            kind=Kind.REFERRAL,
            rows=past_deadline(waiting, now=now),
            empty="No referral is past its triage deadline.",
        ),
        WorkList(
            slug="triage-near-deadline",
            title="Referrals nearing their triage deadline",
            kind=Kind.REFERRAL,
            rows=near_deadline(waiting, now=now),
            empty="No referral is near its triage deadline.",
        ),
        WorkList(
            slug="returned-referrals",
            title="Returned referrals awaiting the referrer",
            kind=Kind.REFERRAL,
            rows=returned_referrals(user).prefetch_related(None),
            empty="No returned referral is waiting for its referrer.",
        ),
        WorkList(
            slug="agendas-to-publish",
            title=(
                f"Agendas to publish for meetings in the next {AGENDA_WINDOW_WORKING_DAYS} "
                "working days"
            ),
            kind=Kind.MEETING,
            rows=meetings_run_by(user)
            .filter(
                status=MeetingStatus.SCHEDULED,
                agenda_published_at__isnull=True,
                starts_on__gte=today,
                starts_on__lte=calendar.add_working_days(today, AGENDA_WINDOW_WORKING_DAYS),
            )
            .select_related("area")
            .order_by("starts_on", "start_time", "pk"),
            empty="No agenda is waiting to be published.",
        ),
        WorkList(
            slug="research-late",
            title="Research past its due date",
            kind=Kind.RESEARCH,
            rows=research_visible_to(user)
            .filter(
                completed_at__isnull=True,
                due_on__lt=today,
                listing__meeting__starts_on__gte=today,
            )
            .select_related("agency", "listing__meeting__area", "listing__case")
            .order_by("agency__name", "due_on", "pk"),
            empty="No research is late.",
            by_agency="agency__name",
        ),
        WorkList(
            slug="minutes-to-publish",
            title="Minutes to write and publish",
            kind=Kind.MINUTES,
            rows=meetings_run_by(user)
            .filter(record__closed_at__isnull=False)
            .exclude(record__minutes_status=MinutesStatus.PUBLISHED)
            .select_related("area", "record")
            .order_by("record__minutes_due_at", "starts_on", "pk"),
            empty="Every closed meeting's minutes are published.",
        ),
        WorkList(
            slug="actions-overdue",
            title="Overdue actions",
            kind=Kind.ACTION,
            rows=actions_visible_to(user)
            .filter(status=ActionStatus.AGREED, due_on__lt=today)
            .select_related("owner_agency", "case")
            .order_by("owner_agency__name", "due_on", "pk"),
            empty="No action is overdue.",
            by_agency="owner_agency__name",
        ),
        WorkList(
            slug="licence-requests",
            title="Licence requests",
            kind=Kind.LICENCE,
            rows=licences_for_hub(user)
            .filter(status=LicenceStatus.REQUESTED)
            .order_by("requested_at", "pk"),
            empty="No licence request is waiting.",
        ),
        WorkList(
            slug="licence-reviews",
            title=f"Licences ending in the next {LICENCE_REVIEW_WORKING_DAYS} working days",
            kind=Kind.LICENCE,
            rows=licences_for_hub(user)
            .filter(
                status=LicenceStatus.ACTIVE,
                expires_on__isnull=False,
                expires_on__lte=calendar.add_working_days(today, LICENCE_REVIEW_WORKING_DAYS),
            )
            .order_by("expires_on", "pk"),
            empty="No licence ends soon.",
        ),
    ]
