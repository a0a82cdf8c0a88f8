"""Deadline work on actions, per area policy. Every step is idempotent: what it did is recorded
in the data (a timestamp set by a conditional update, a notice with a unique key), so running it
again, or in two workers at once, does nothing new.

* ``actions.reminders`` — the owner is reminded the area's number of working days before an
  action is due (one notice per recipient per due date).
* ``actions.escalate`` — at the area's threshold of working days overdue (Lincolnshire 5, 002
  §7.13) the representative and their line manager are asked to complete the action within the
  area's hours (24) and give a rationale.
* ``actions.no_update`` — an overdue action with no update for the area's period is marked "no
  update from lead agency" (Cambridgeshire, 003).
* ``actions.planning_open`` — where the area plans actions online, a listed case's stage opens
  once its research is in (all agencies done, or the research due date passed).
* ``actions.planning_close`` — online action-planning stages end after their last working day.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.core.workdays import calendar_for, local_date, local_midnight
from openmarac.jobs.registry import sweep_step
from openmarac.notifications.services import notice_record
from openmarac.partnerships.models import Area

from .models import Action, ActionEntry, ActionStatus, EntryKind, PlanningStage
from .services.escalation import escalation_contact_for
from .services.planning import planning_stage_close, planning_stage_open
from .services.rules import ActionError, case_is_frozen, manager_link


def _owners(action: Action) -> list[User]:
    """The people an action's notices go to: the named person, else the agency's reps."""
    if action.owner_user_id and action.owner_user is not None and action.owner_user.is_active:
        return [action.owner_user]
    return list(action.owner_agency.users.filter(is_active=True, is_agency_rep=True).order_by("pk"))


def _open_actions(area: Area) -> QuerySet[Action]:
    return Action.objects.filter(case__area=area, status=ActionStatus.AGREED).select_related(
        "owner_agency", "owner_user", "case__partnership"
    )


@sweep_step("actions.reminders")
def send_reminders(now: datetime.datetime) -> int:
    sent = 0
    today = local_date(now)
    for area in Area.objects.select_related("policy", "partnership"):
        days = area.policy.action_reminder_working_days_before
        if not days:
            continue
        until = calendar_for(area.partnership).add_working_days(today, days)
        for action in _open_actions(area).filter(due_on__gte=today, due_on__lte=until):
            for user in _owners(action):
                sent += bool(
                    notice_record(
                        event="action.reminder",
                        instance=f"action:{action.pk}:{action.due_on.isoformat()}",
                        recipient_email=user.email,
                        recipient_user=user,
                        subject="A MARAC action is due soon",
                        body=(
                            "A MARAC action owned by your agency is due soon.\n\n"
                            f"Sign in to update or complete it: {manager_link()}\n"
                        ),
                        obj=action,
                    )
                )
    return sent


@sweep_step("actions.escalate")
def escalate_overdue(now: datetime.datetime) -> int:
    escalated = 0
    today = local_date(now)
    for area in Area.objects.select_related("policy", "partnership"):
        policy = area.policy
        threshold = policy.action_escalation_working_days_overdue
        if not threshold:
            continue
        calendar = calendar_for(area.partnership)
        for action in _open_actions(area).filter(due_on__lt=today, escalated_at__isnull=True):
            if calendar.working_days_between(action.due_on, today) < threshold:
                continue
            escalated += _escalate(
                action,
                now=now,
                respond_by=calendar.add_working_hours(
                    now, policy.action_escalation_response_working_hours
                ),
            )
    return escalated


@transaction.atomic
def _escalate(action: Action, *, now: datetime.datetime, respond_by: datetime.datetime) -> int:
    claimed = Action.objects.filter(
        pk=action.pk, status=ActionStatus.AGREED, escalated_at__isnull=True
    ).update(escalated_at=now, escalation_response_due_at=respond_by)
    if not claimed:
        return 0
    ActionEntry.objects.create(
        action=action,
        kind=EntryKind.ESCALATED,
        at=now,
        text=f"Owner and line manager asked to complete by {respond_by:%d %b %Y %H:%M} "
        "and give a rationale.",
    )
    audit_record(action="action.escalate", obj=action, actor_label="deadline sweep")
    body = (
        "A MARAC action owned by your agency is overdue. Please complete it within "
        f"{action.case.area.policy.action_escalation_response_working_hours} working hours and "
        "record a rationale for the delay.\n\n"
        f"Sign in to update it: {manager_link()}\n"
    )
    recipients: dict[str, User | None] = {}
    for user in _owners(action):
        recipients.setdefault(user.email.strip().lower(), user)
        manager = escalation_contact_for(user, action.owner_agency)
        if manager:
            recipients.setdefault(manager.strip().lower(), None)
    if not _owners(action):
        manager = escalation_contact_for(None, action.owner_agency)
        if manager:
            recipients.setdefault(manager.strip().lower(), None)
    for email, recipient in recipients.items():
        notice_record(
            event="action.escalated",
            instance=f"action:{action.pk}",
            recipient_email=email,
            recipient_user=recipient,
            subject="A MARAC action is overdue",
            body=body,
            obj=action,
        )
    return 1


@sweep_step("actions.no_update")
def mark_no_update(now: datetime.datetime) -> int:
    marked = 0
    today = local_date(now)
    for area in Area.objects.select_related("policy", "partnership"):
        period = area.policy.action_no_update_working_days_overdue
        if not period:
            continue
        calendar = calendar_for(area.partnership)
        for action in _open_actions(area).filter(
            due_on__lt=today, no_update_marked_at__isnull=True
        ):
            if calendar.working_days_between(action.due_on, today) < period:
                continue
            updated_since_due = action.last_update_at is not None and (
                action.last_update_at >= local_midnight(action.due_on + datetime.timedelta(days=1))
            )
            if updated_since_due:
                continue
            marked += _mark_no_update(action, now=now)
    return marked


@transaction.atomic
def _mark_no_update(action: Action, *, now: datetime.datetime) -> int:
    claimed = Action.objects.filter(
        pk=action.pk, status=ActionStatus.AGREED, no_update_marked_at__isnull=True
    ).update(no_update_marked_at=now)
    if not claimed:
        return 0
    ActionEntry.objects.create(action=action, kind=EntryKind.NO_UPDATE, at=now)
    audit_record(action="action.no_update", obj=action, actor_label="deadline sweep")
    for user in _owners(action):
        notice_record(
            event="action.no_update",
            instance=f"action:{action.pk}",
            recipient_email=user.email,
            recipient_user=user,
            subject="A MARAC action has no update",
            body=(
                "A MARAC action owned by your agency is overdue and has been marked as having no "
                "update from the lead agency.\n\n"
                f"Sign in to update it: {manager_link()}\n"
            ),
            obj=action,
        )
    return 1


@sweep_step("actions.planning_close")
def close_planning_stages(now: datetime.datetime) -> int:
    today = local_date(now)
    closed = 0
    for stage in PlanningStage.objects.filter(closed_at__isnull=True, closes_on__lt=today):
        before = stage.closed_at
        stage = planning_stage_close(stage=stage)
        closed += before is None and stage.closed_at is not None
    return closed


def sweep_all(now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every actions step once (for tests and the shell)."""
    now = now or timezone.now()
    return {
        "reminders": send_reminders(now),
        "escalate": escalate_overdue(now),
        "no_update": mark_no_update(now),
        "planning_close": close_planning_stages(now),
        "planning_open": open_planning_after_research(now),
    }


@sweep_step("actions.planning_open")
def open_planning_after_research(now: datetime.datetime) -> int:
    """Where the area plans actions online, open a listed case's action-planning stage once its
    research is in: every agency asked has completed it, or the research due date has passed
    (late agencies do not hold up planning). Once per listing: a stage opened since the
    research was asked for counts."""
    from django.db.models import Min

    from openmarac.meetings.models import Listing, ListingStatus
    from openmarac.research.models import ResearchRequest

    today = local_date(now)
    opened = 0
    listings = (
        Listing.objects.filter(
            status=ListingStatus.LISTED,
            case__area__policy__online_action_planning=True,
            research_requests__isnull=False,
        )
        .select_related("case__area__policy", "case__partnership")
        .distinct()
    )
    for listing in listings:
        requests = ResearchRequest.objects.filter(listing=listing)
        summary = requests.aggregate(asked=Min("requested_at"), due=Min("due_on"))
        waiting = requests.filter(completed_at__isnull=True).exists()
        if waiting and summary["due"] >= today:
            continue
        case = listing.case
        stages = PlanningStage.objects.filter(case=case)
        if stages.filter(closed_at__isnull=True).exists():
            continue
        if stages.filter(opened_at__gte=summary["asked"]).exists():
            continue
        if case_is_frozen(case):
            continue
        try:
            planning_stage_open(case=case, actor=None, now=now)
        except ActionError:
            continue
        opened += 1
    return opened
