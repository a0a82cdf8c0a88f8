"""The action manager and one action's page with its history."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openmarac.audit.services import audit_record
from openmarac.core.decorators import is_hub, role_required, sees_cases

from ..forms import ManagerQuery
from ..models import ActionStatus
from ..selectors import action_board_for, action_entries, is_overdue
from ..services.rules import can_update, case_is_frozen
from .lookup import acting_user, action_or_404


@role_required(sees_cases)
def manager(request: HttpRequest) -> HttpResponse:
    """The action manager: the agency's (or the user's own) open, due, overdue and closed
    actions across the cases the user may see. The hub sees every agency's."""
    user = acting_user(request)
    mine = ManagerQuery(request.GET).value("view") == "mine"
    everyone = is_hub(user) and not mine
    board = action_board_for(user, mine=mine, every_agency=everyone)
    audit_record(
        action="action_manager.view",
        request=request,
        detail={"mine": mine, "open": board.total_open, "overdue": len(board.overdue)},
    )
    return render(
        request,
        "actions/manager.html",
        {"board": board, "mine": mine, "every_agency": everyone},
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
