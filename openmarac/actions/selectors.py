"""Reading actions. Every read starts from the cases the user may see."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.workdays import calendar_for, local_date, local_midnight
from openmarac.meetings.models import Meeting

from .models import (
    CLOSED_STATUSES,
    Action,
    ActionEntry,
    ActionStatus,
    EntryKind,
    PlanningStage,
    ProfessionalsMeetingRequest,
)

DUE_SOON_WORKING_DAYS = 5
CLOSED_SHOWN = 100


def actions_visible_to(user: User) -> QuerySet[Action]:
    """Actions on the cases ``user`` may see."""
    return Action.objects.filter(case__in=cases_visible_to(user))


def _with_related(queryset: QuerySet[Action]) -> QuerySet[Action]:
    return queryset.select_related(
        "case__area",
        "owner_agency",
        "owner_user",
        "addresses_participant__person",
    )


def actions_for_case(user: User, case: Case) -> QuerySet[Action]:
    """Every action on one case the user may see, proposals first, then by due date."""
    return _with_related(actions_visible_to(user).filter(case=case)).order_by(
        "status", "due_on", "pk"
    )


@dataclass
class ActionBoard:
    """The action manager: one agency's (or one person's) actions, grouped."""

    proposed: list[Action] = field(default_factory=list)
    overdue: list[Action] = field(default_factory=list)
    due_soon: list[Action] = field(default_factory=list)
    open: list[Action] = field(default_factory=list)
    closed: list[Action] = field(default_factory=list)

    @property
    def total_open(self) -> int:
        return len(self.overdue) + len(self.due_soon) + len(self.open)


def action_board_for(
    user: User,
    *,
    mine: bool = False,
    every_agency: bool = False,
    now: datetime.datetime | None = None,
) -> ActionBoard:
    """The actions of the user's agency (with ``mine``, the ones named to the user; with
    ``every_agency``, for the hub, all of them) on cases the user may see: open ones split into
    overdue, due within five working days and later; proposals waiting for agreement; and the
    most recently closed."""
    board = ActionBoard()
    if not getattr(user, "is_authenticated", False) or user.agency is None:
        return board
    now = now or timezone.now()
    today = local_date(now)
    base = actions_visible_to(user)
    if mine:
        base = base.filter(owner_user=user)
    elif not every_agency:
        base = base.filter(owner_agency_id=user.agency_id)
    base = _with_related(base)
    soon = calendar_for(user.agency.partnership).add_working_days(today, DUE_SOON_WORKING_DAYS)
    for action in base.filter(status=ActionStatus.AGREED).order_by("due_on", "pk"):
        if action.due_on < today:
            board.overdue.append(action)
        elif action.due_on <= soon:
            board.due_soon.append(action)
        else:
            board.open.append(action)
    board.proposed = list(base.filter(status=ActionStatus.PROPOSED).order_by("due_on", "pk"))
    board.closed = list(
        base.filter(status__in=CLOSED_STATUSES).order_by("-closed_at", "-pk")[:CLOSED_SHOWN]
    )
    return board


@dataclass(frozen=True)
class ManagerCounts:
    """How many of the manager's actions are in each group, counted in the database."""

    overdue: int
    due_soon: int
    open: int
    proposed: int
    closed: int

    @property
    def total_open(self) -> int:
        return self.overdue + self.due_soon + self.open


@dataclass(frozen=True)
class ManagerChoice:
    """Whose actions the manager shows and which of them: the page's query, as cleaned."""

    mine: bool = False
    every_agency: bool = False
    status: str = "open"
    due: str = ""
    area_id: int | None = None
    agency_id: int | None = None


def _manager_base(user: User, choice: ManagerChoice) -> QuerySet[Action]:
    base = actions_visible_to(user)
    if choice.mine:
        base = base.filter(owner_user=user)
    elif not choice.every_agency:
        base = base.filter(owner_agency_id=user.agency_id)
    elif choice.agency_id:
        base = base.filter(owner_agency_id=choice.agency_id)
    if choice.area_id:
        base = base.filter(case__area_id=choice.area_id)
    return base


def _due_soon_until(user: User, today: datetime.date) -> datetime.date:
    assert user.agency is not None
    return calendar_for(user.agency.partnership).add_working_days(today, DUE_SOON_WORKING_DAYS)


def action_manager_counts(
    user: User, choice: ManagerChoice, *, now: datetime.datetime
) -> ManagerCounts:
    """The size of each group of the manager's actions (under its area and agency filters), in
    one query however many actions there are."""
    if not getattr(user, "is_authenticated", False) or user.agency is None:
        return ManagerCounts(0, 0, 0, 0, 0)
    today = local_date(now)
    soon = _due_soon_until(user, today)
    agreed = Q(status=ActionStatus.AGREED)
    counts = _manager_base(user, choice).aggregate(
        overdue=Count("pk", filter=agreed & Q(due_on__lt=today)),
        due_soon=Count("pk", filter=agreed & Q(due_on__gte=today, due_on__lte=soon)),
        open=Count("pk", filter=agreed & Q(due_on__gt=soon)),
        proposed=Count("pk", filter=Q(status=ActionStatus.PROPOSED)),
        closed=Count("pk", filter=Q(status__in=CLOSED_STATUSES)),
    )
    return ManagerCounts(**{name: int(value or 0) for name, value in counts.items()})


def action_manager_list(
    user: User, choice: ManagerChoice, *, now: datetime.datetime
) -> QuerySet[Action]:
    """The one list the manager shows, for the page to cut into pages: open actions by due
    date (``due`` narrows them to overdue, due within five working days or later), proposals
    by due date, or closed ones most recently closed first; each order read from an index."""
    if not getattr(user, "is_authenticated", False) or user.agency is None:
        return Action.objects.none()
    base = _with_related(_manager_base(user, choice))
    if choice.status == "closed":
        return base.filter(status__in=CLOSED_STATUSES).order_by("-closed_at", "-pk")
    if choice.status == "proposed":
        return base.filter(status=ActionStatus.PROPOSED).order_by("due_on", "pk")
    base = base.filter(status=ActionStatus.AGREED)
    today = local_date(now)
    if choice.due == "overdue":
        base = base.filter(due_on__lt=today)
    elif choice.due == "soon":
        base = base.filter(due_on__gte=today, due_on__lte=_due_soon_until(user, today))
    elif choice.due == "later":
        base = base.filter(due_on__gt=_due_soon_until(user, today))
    return base.order_by("due_on", "pk")


def manager_filter_choices(
    user: User, *, every_agency: bool
) -> tuple[list[tuple[int, str]], list[tuple[int, str]] | None]:
    """The areas of the user's partnership and, for the hub's every-agency view, its agencies:
    what the manager's filters offer. No agency filter for an agency's own actions."""
    from openmarac.agencies.models import Agency
    from openmarac.partnerships.models import Area

    if user.agency is None:
        return [], None
    partnership_id = user.agency.partnership_id
    areas = list(
        Area.objects.filter(partnership_id=partnership_id)
        .order_by("name")
        .values_list("pk", "name")
    )
    if not every_agency:
        return areas, None
    agencies = list(
        Agency.objects.filter(partnership_id=partnership_id)
        .order_by("name")
        .values_list("pk", "name")
    )
    return areas, agencies


def action_entries(action: Action) -> QuerySet[ActionEntry]:
    return action.entries.select_related("by", "by_agency").order_by("at", "pk")


def actions_outstanding_for(meeting: Meeting) -> QuerySet[Action]:
    """Open actions on the meeting's area's cases agreed before the meeting starts: the
    incomplete actions the meeting reviews first. Not scoped to a user: the caller shows them
    only to people allowed into the meeting, and masks restricted cases with ``case_label_for``.
    """
    return _with_related(
        Action.objects.filter(
            case__area_id=meeting.area_id,
            status=ActionStatus.AGREED,
            agreed_at__lt=local_midnight(meeting.starts_on),
        )
    ).order_by("case__reference", "due_on", "pk")


def is_overdue(action: Action, *, today: datetime.date | None = None) -> bool:
    today = today or local_date(timezone.now())
    return action.status == ActionStatus.AGREED and action.due_on < today


def agencies_involved(case: Case) -> int:
    """Agencies actively involved in the case's action planning: those owning, proposing or
    discussing its actions. Kent suggests a professionals' meeting at 4 or more (000 §4.3)."""
    owners = set(
        Action.objects.filter(case=case)
        .exclude(status=ActionStatus.DECLINED)
        .values_list("owner_agency_id", flat=True)
    )
    speakers = set(
        ActionEntry.objects.filter(
            action__case=case,
            by_agency__is_hub=False,
            kind__in=(EntryKind.PROPOSED, EntryKind.COMMENT, EntryKind.UPDATE),
        )
        .exclude(by_agency__isnull=True)
        .values_list("by_agency_id", flat=True)
    )
    return len(owners | speakers)


def planning_stage_open_for(case: Case) -> PlanningStage | None:
    return PlanningStage.objects.filter(case=case, closed_at__isnull=True).first()


def professionals_requests_for(case: Case) -> QuerySet[ProfessionalsMeetingRequest]:
    return ProfessionalsMeetingRequest.objects.filter(case=case).select_related(
        "meeting", "requested_by"
    )


def professionals_requests_waiting(user: User) -> QuerySet[ProfessionalsMeetingRequest]:
    """Requests not yet scheduled, on cases the (hub) user may see."""
    return (
        ProfessionalsMeetingRequest.objects.filter(
            case__in=cases_visible_to(user), meeting__isnull=True
        )
        .select_related("case__area", "requested_by__agency")
        .order_by("requested_at", "pk")
    )
