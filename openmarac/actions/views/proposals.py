"""Proposing an action, and agreeing, declining and discussing proposals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.audit.services import audit_record
from openmarac.core.decorators import role_required, sees_cases
from openmarac.drafts.decorators import keeps_drafts

from ..forms import ActionProposeForm, AgreeForm, ConfirmForm, LibraryChoiceForm
from ..library import library_entry, library_for
from ..services.proposals import (
    action_agree,
    action_comment,
    action_decline,
    action_owner_agree,
    action_propose,
)
from ..services.rules import ActionError
from .action_form import action_form_view, by_agreer, by_anyone, by_owner, text_form
from .lookup import acting_user, action_or_404, case_or_404


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_or_404(request, reference, "action.propose")
    library = library_for(case.partnership)
    chooser = LibraryChoiceForm(request.GET, library=library, auto_id="library_%s")
    initial: dict[str, Any] = {}
    chosen = chooser.value("intervention")
    entry = library_entry(case.partnership, chosen) if chosen else None
    if entry is not None:
        initial = {"what": entry.what, "intervention": entry.slug}
    form = ActionProposeForm(request.POST or None, case=case, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action = action_propose(
                case=case,
                owner_agency=form.owner_agency_obj(),
                owner_user=form.owner_user_obj(),
                what=form.cleaned_data["what"],
                addresses=form.addresses_value(),
                due_on=form.cleaned_data["due_on"],
                rationale=form.cleaned_data["rationale"],
                proposed_by=acting_user(request),
                request=request,
                intervention=form.cleaned_data.get("intervention") or "",
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Action proposed")
            return redirect("actions:detail", public_id=action.public_id)
    if request.method == "GET":
        audit_record(action="action.propose_form", request=request, obj=case)
    return render(
        request,
        "actions/propose.html",
        {"case": case, "form": form, "chooser": chooser, "library": library},
    )


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def owner_agree(request: HttpRequest, public_id: Any) -> HttpResponse:
    return action_form_view(
        request,
        public_id,
        audit_action="action.owner_agree",
        title="Agree that your agency will own this action",
        button="Agree to own it",
        make_form=lambda data: ConfirmForm(data),
        apply=lambda action, form: action_owner_agree(
            action=action, user=acting_user(request), request=request
        ),
        done="Your agency has agreed to own the action",
        allowed=by_owner,
    )


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def agree(request: HttpRequest, public_id: Any) -> HttpResponse:
    def make(data: Any) -> AgreeForm:
        form = AgreeForm(data)
        action = action_or_404(request, public_id, "action.agree")
        form.initial["due_on"] = action.due_on
        return form

    return action_form_view(
        request,
        public_id,
        audit_action="action.agree",
        title="Agree the action",
        button="Agree action",
        make_form=make,
        apply=lambda action, form: action_agree(
            action=action,
            agreed_by=acting_user(request),
            request=request,
            due_on=form.cleaned_data["due_on"],
        ),
        done="Action agreed",
        allowed=by_agreer,
    )


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, public_id: Any) -> HttpResponse:
    return action_form_view(
        request,
        public_id,
        audit_action="action.decline",
        title="Do not agree the action",
        button="Do not agree",
        make_form=text_form("Why is it not agreed?", "Enter why the action is not agreed"),
        apply=lambda action, form: action_decline(
            action=action,
            by=acting_user(request),
            reason=form.cleaned_data["text"],
            request=request,
        ),
        done="Action not agreed",
        allowed=by_agreer,
    )


@keeps_drafts
@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def comment(request: HttpRequest, public_id: Any) -> HttpResponse:
    return action_form_view(
        request,
        public_id,
        audit_action="action.comment",
        title="Comment on the action",
        button="Add comment",
        make_form=text_form("Comment", "Enter your comment"),
        apply=lambda action, form: action_comment(
            action=action, by=acting_user(request), text=form.cleaned_data["text"], request=request
        ),
        done="Comment added",
        allowed=by_anyone,
        refused_when_closed=True,
    )
