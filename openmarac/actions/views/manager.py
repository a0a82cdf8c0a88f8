"""The action manager and one action's page with its history."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openmarac.audit.services import audit_record
from openmarac.core.decorators import is_hub, role_required, sees_cases
from openmarac.core.pagination import paginate

from ..forms import ManagerQuery
from ..models import ActionStatus
from ..selectors import (
    ManagerChoice,
    action_entries,
    action_manager_counts,
    action_manager_list,
    is_overdue,
    manager_filter_choices,
)
from ..services.rules import can_update, case_is_frozen
from .lookup import acting_user, action_or_404


@role_required(sees_cases)
def manager(request: HttpRequest) -> HttpResponse:
    """The action manager: the agency's (or the user's own) open, due, overdue and closed
    actions across the cases the user may see, the hub every agency's. The groups are counted;
    one list at a time is shown, filtered and a page at a time."""
    user = acting_user(request)
    hub = is_hub(user)
    wants_mine = ManagerQuery(request.GET, areas=[]).value("view") == "mine"
    areas, agencies = manager_filter_choices(user, every_agency=hub and not wants_mine)
    query = ManagerQuery(request.GET, areas=areas, agencies=agencies)
    mine = query.value("view") == "mine"
    choice = ManagerChoice(
        mine=mine,
        every_agency=hub and not mine,
        status=query.value("status") or "open",
        due=query.value("due") or "",
        area_id=query.value("area"),
        agency_id=query.value("agency") if agencies is not None else None,
    )
    now = timezone.now()
    counts = action_manager_counts(user, choice, now=now)
    page = paginate(action_manager_list(user, choice, now=now), page=query.value("page"))
    audit_record(
        action="action_manager.view",
        request=request,
        detail={
            "mine": mine,
            "open": counts.total_open,
            "overdue": counts.overdue,
            "status": choice.status,
            "page": page.number,
        },
    )
    return render(
        request,
        "actions/manager.html",
        {
            "counts": counts,
            "page": page,
            "actions": page.object_list,
            "query": query,
            "choice": choice,
            "mine": mine,
            "every_agency": choice.every_agency,
        },
    )


@role_required(sees_cases)
def detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    action = action_or_404(request, public_id, "action.view")
    audit_record(action="action.view", request=request, obj=action)
    user = acting_user(request)
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "entries": action_entries(action),
            "overdue": is_overdue(action),
            "can_update": can_update(user, action),
            "can_decide": action.status == ActionStatus.PROPOSED
            and (user.is_chair or user.is_hub_coordinator),
            "can_owner_agree": action.status == ActionStatus.PROPOSED
            and action.owner_agreed_at is None
            and user.agency_id == action.owner_agency_id,
            "can_comment": action.status in (ActionStatus.PROPOSED, ActionStatus.AGREED),
            "frozen": case_is_frozen(action.case),
        },
    )
