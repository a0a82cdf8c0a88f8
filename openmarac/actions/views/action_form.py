"""The one-form page that changes an action (update, complete, comment, agree ...): the user
must be allowed that change on that action, and a refused change shows its reason as a form
error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from openmarac.accounts.models import User
from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record
from openmarac.core.decorators import is_hub
from openmarac.drafts.services import form_draft_take

from ..forms import TextForm
from ..models import Action, ActionStatus
from ..services.rules import ActionError
from .lookup import acting_user, action_or_404


def action_form_view(
    request: HttpRequest,
    public_id: Any,
    *,
    audit_action: str,
    title: str,
    button: str,
    make_form: Callable[[Any], Any],
    apply: Callable[[Action, Any], Any],
    done: str,
    allowed: Callable[[User, Action], bool],
    refused_when_closed: bool = False,
) -> HttpResponse:
    action = action_or_404(request, public_id, audit_action)
    if not allowed(acting_user(request), action):
        # Seen, but not theirs to change: the page does not exist for them.
        audit_record(
            action=f"{audit_action}.denied", request=request, obj=action, outcome=Outcome.DENIED
        )
        raise Http404("Page not found")
    if refused_when_closed and action.status in FINISHED_STATUSES:
        return closed_page(request, action, audit_action=audit_action, title=title)
    form = make_form(request.POST if request.method == "POST" else form_draft_take(request=request))
    if request.method == "POST" and form.is_valid():
        try:
            apply(action, form)
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("actions:detail", public_id=action.public_id)
    if request.method == "GET":
        audit_record(action=f"{audit_action}_form", request=request, obj=action)
    return render(
        request,
        "actions/action_form.html",
        {"action": action, "form": form, "title": title, "button": button},
    )


# An action in one of these states is closed: nothing more is added to it.
FINISHED_STATUSES = (ActionStatus.COMPLETED, ActionStatus.NOT_FEASIBLE, ActionStatus.DECLINED)
# What a person may have typed on the forms refused once an action is closed.
TYPED_FIELDS = ("text", "explanation")


def closed_page(
    request: HttpRequest, action: Action, *, audit_action: str, title: str
) -> HttpResponse:
    """Say why a closed action takes no more changes: its status, when and by whom it was
    closed. A change posted to it is refused and what was typed is shown back, so it is not
    lost."""
    typed = ""
    if request.method == "POST":
        typed = "\n\n".join(
            value.strip() for name in TYPED_FIELDS if (value := request.POST.get(name, "")).strip()
        )
        audit_record(
            action=f"{audit_action}.closed", request=request, obj=action, outcome=Outcome.DENIED
        )
    else:
        audit_record(action=f"{audit_action}_form", request=request, obj=action)
    return render(
        request,
        "actions/closed.html",
        {"action": action, "title": title, "typed": typed, "refused": request.method == "POST"},
        status=409 if request.method == "POST" else 200,
    )


def by_owner(user: User, action: Action) -> bool:
    return bool(user.agency_id == action.owner_agency_id)


def by_agreer(user: User, action: Action) -> bool:
    return bool(user.is_chair or is_hub(user))


def by_anyone(user: User, action: Action) -> bool:
    return True


def text_form(label: str, message: str) -> Callable[[Any], TextForm]:
    return lambda data: TextForm(data, label=label, required_message=message)
