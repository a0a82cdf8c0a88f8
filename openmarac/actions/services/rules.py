"""The rules every action service shares, and that the forms and pages read too: which agencies
may own an action, the default due date, whether the case is frozen, who may see, agree and
update, and how an action's history and its owner's notices are written.

Nothing here writes on its own account: the services call these inside their transaction.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.agencies.selectors import agencies_active_in
from openmarac.cases import lifecycle
from openmarac.cases.models import Case, CaseInvitation
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.workdays import calendar_for, local_date
from openmarac.notifications.services import notice_record

from ..models import Action, ActionEntry, ActionStatus

MAX_TEXT = 4000


class ActionError(Exception):
    """A change the rules do not allow; the message is safe to show to the user."""


def agencies_for_actions(case: Case) -> QuerySet[Agency]:
    """Agencies that may own an action on ``case``: standing members of its area that take part
    today, and agencies currently invited to the case."""
    now = timezone.now()
    invited = CaseInvitation.objects.filter(case=case).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )
    standing = agencies_active_in(case.area).values("pk")
    return (
        Agency.objects.filter(
            Q(pk__in=standing) | Q(pk__in=invited.values("agency_id")),
            partnership_id=case.partnership_id,
            is_hub=False,
        )
        .distinct()
        .order_by("name")
    )


def default_due_on(case: Case, *, today: datetime.date | None = None) -> datetime.date:
    """The area's default due date: its number of working days from today (Lincolnshire 5)."""
    today = today or local_date(timezone.now())
    days = case.area.policy.action_default_due_working_days
    return calendar_for(case.partnership).add_working_days(today, days)


def case_is_frozen(case: Case) -> bool:
    """Whether the case's record is frozen (a death recorded), per ``cases.lifecycle``."""
    return lifecycle.case_is_frozen(case)


def require_not_frozen(case: Case) -> None:
    if case_is_frozen(case):
        raise ActionError("This case's record is frozen: actions can no longer be changed")


def _sees(user: User, case: Case) -> bool:
    return cases_visible_to(user).filter(pk=case.pk).exists()


def require_sees(user: User, case: Case) -> None:
    if not _sees(user, case):
        raise ActionError("You do not have access to this case")


def is_agreer(user: User) -> bool:
    return bool(user.is_chair or user.is_hub_coordinator)


def clean_text(value: str, *, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionError(message)
    if len(value) > MAX_TEXT:
        raise ActionError(f"Use {MAX_TEXT} characters or fewer")
    return value


def history_add(
    action: Action,
    kind: str,
    *,
    by: User | None = None,
    text: str = "",
    at: datetime.datetime | None = None,
) -> ActionEntry:
    return ActionEntry.objects.create(
        action=action,
        kind=kind,
        text=text,
        at=at or timezone.now(),
        by=by if getattr(by, "pk", None) else None,
        by_agency_id=getattr(by, "agency_id", None),
    )


def action_locked(action: Action) -> Action:
    return (
        Action.objects.select_for_update(of=("self",))
        .select_related("case__area__policy")
        .get(pk=action.pk)
    )


def notify_owner(action: Action, *, event: str, subject: str, body: str) -> None:
    """Tell the owner (the named person, else the agency's representatives); no case data."""
    recipients = (
        [action.owner_user]
        if action.owner_user is not None
        else list(action.owner_agency.users.filter(is_active=True, is_agency_rep=True))
    )
    for user in recipients:
        notice_record(
            event=event,
            instance=f"action:{action.pk}",
            recipient_email=user.email,
            recipient_user=user,
            subject=subject,
            body=body,
            obj=action,
        )


def manager_link() -> str:
    return f"{settings.SITE_URL.rstrip('/')}{reverse('actions:manager')}"


def require_owner(action: Action, user: User) -> None:
    require_sees(user, action.case)
    if user.agency_id != action.owner_agency_id:
        raise ActionError("Only the agency that owns the action can update it")


def can_update(user: User, action: Action) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.agency_id == action.owner_agency_id
        and action.status == ActionStatus.AGREED
    )


def area_members(case: Case) -> list[User]:
    """Active representatives of the agencies that may own actions on the case."""
    return list(
        User.objects.filter(
            agency__in=agencies_for_actions(case), is_active=True, is_agency_rep=True
        ).order_by("pk")
    )
