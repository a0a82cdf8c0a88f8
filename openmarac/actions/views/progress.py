"""The owning agency's pages: updating, completing, or marking an action not feasible."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from openmarac.core.decorators import role_required, sees_cases
from openmarac.drafts.decorators import keeps_drafts

from ..forms import NotFeasibleForm
from ..services.progress import action_complete, action_mark_not_feasible, action_update_add
from .action_form import action_form_view, by_owner, text_form
from .lookup import acting_user


@keeps_drafts
@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def update(request: HttpRequest, public_id: Any) -> HttpResponse:
    return action_form_view(
        request,
        public_id,
        audit_action="action.update",
        title="Add an update",
        button="Add update",
        make_form=text_form("Update", "Enter the update"),
        apply=lambda action, form: action_update_add(
            action=action, by=acting_user(request), text=form.cleaned_data["text"], request=request
        ),
        done="Update added",
        allowed=by_owner,
        refused_when_closed=True,
    )


@keeps_drafts
@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, public_id: Any) -> HttpResponse:
    return action_form_view(
        request,
        public_id,
        audit_action="action.complete",
        title="Complete the action",
        button="Complete action",
        make_form=text_form("Outcome: what was done", "Enter the outcome of the action"),
        apply=lambda action, form: action_complete(
            action=action,
            by=acting_user(request),
            outcome=form.cleaned_data["text"],
            request=request,
        ),
        done="Action completed",
        allowed=by_owner,
        refused_when_closed=True,
    )


@keeps_drafts
@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def not_feasible(request: HttpRequest, public_id: Any) -> HttpResponse:
    return action_form_view(
        request,
        public_id,
        audit_action="action.not_feasible",
        title="Mark the action not feasible",
        button="Mark not feasible",
        make_form=lambda data: NotFeasibleForm(data),
        apply=lambda action, form: action_mark_not_feasible(
            action=action,
            by=acting_user(request),
            reason=form.cleaned_data["reason"],
            explanation=form.cleaned_data["explanation"],
            request=request,
        ),
        done="Action marked not feasible",
        allowed=by_owner,
        refused_when_closed=True,
    )
