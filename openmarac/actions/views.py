"""Action pages: the action manager, one action's history, and the forms that change actions.

Views are thin: every object comes through the user's scope (``get_in_scope_or_404``), every
rule lives in ``services``, and a refused change shows its reason as a form error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.accounts.models import User
from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required, sees_cases

from .forms import (
    ActionProposeForm,
    AgreeForm,
    EscalationContactForm,
    InterventionForm,
    LibraryChoiceForm,
    ManagerQuery,
    NotFeasibleForm,
    ProfessionalsRequestForm,
    ScheduleForm,
    TextForm,
)
from .library import library_entry, library_for
from .models import (
    Action,
    ActionStatus,
    EscalationContact,
    Intervention,
    ProfessionalsMeetingRequest,
)
from .selectors import (
    action_board_for,
    action_entries,
    actions_visible_to,
    agencies_involved,
    is_overdue,
    professionals_requests_waiting,
)
from .services.escalation import escalation_contact_set
from .services.interventions import intervention_save
from .services.planning import planning_stage_open
from .services.professionals import professionals_meeting_request, professionals_meeting_schedule
from .services.progress import action_complete, action_mark_not_feasible, action_update_add
from .services.proposals import (
    action_agree,
    action_comment,
    action_decline,
    action_owner_agree,
    action_propose,
)
from .services.rules import ActionError, can_update, case_is_frozen


def _case(request: HttpRequest, reference: str, action: str) -> Case:
    return get_in_scope_or_404(
        request,
        cases_visible_to(request.user).select_related("area__policy", "partnership"),
        action=action,
        reference=reference,
    )


def _action(request: HttpRequest, public_id: Any, audit_action: str) -> Action:
    return get_in_scope_or_404(
        request,
        actions_visible_to(request.user).select_related(
            "case__area__policy", "owner_agency", "owner_user", "addresses_participant__person"
        ),
        action=audit_action,
        public_id=public_id,
    )


@role_required(sees_cases)
def manager(request: HttpRequest) -> HttpResponse:
    """The action manager: the agency's (or the user's own) open, due, overdue and closed
    actions across the cases the user may see. The hub sees every agency's."""
    user: Any = request.user
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
    action = _action(request, public_id, "action.view")
    audit_record(action="action.view", request=request, obj=action)
    user: Any = request.user
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


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def propose(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "action.propose")
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
                proposed_by=request.user,
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


def _action_form_view(
    request: HttpRequest,
    public_id: Any,
    *,
    audit_action: str,
    title: str,
    button: str,
    make_form: Callable[[Any], Any],
    apply: Callable[[Action, Any], Any],
    done: str,
    allowed: Callable[[Any, Action], bool],
) -> HttpResponse:
    action = _action(request, public_id, audit_action)
    if not allowed(request.user, action):
        # Seen, but not theirs to change: the page does not exist for them.
        audit_record(
            action=f"{audit_action}.denied", request=request, obj=action, outcome=Outcome.DENIED
        )
        raise Http404("Page not found")
    form = make_form(request.POST if request.method == "POST" else None)
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


def _owner(user: Any, action: Action) -> bool:
    return bool(user.agency_id == action.owner_agency_id)


def _agreer(user: Any, action: Action) -> bool:
    return bool(user.is_chair or is_hub(user))


def _anyone(user: Any, action: Action) -> bool:
    return True


def _text_form(label: str, message: str) -> Callable[[Any], TextForm]:
    return lambda data: TextForm(data, label=label, required_message=message)


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def update(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _action_form_view(
        request,
        public_id,
        audit_action="action.update",
        title="Add an update",
        button="Add update",
        make_form=_text_form("Update", "Enter the update"),
        apply=lambda action, form: action_update_add(
            action=action, by=request.user, text=form.cleaned_data["text"], request=request
        ),
        done="Update added",
        allowed=_owner,
    )


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _action_form_view(
        request,
        public_id,
        audit_action="action.complete",
        title="Complete the action",
        button="Complete action",
        make_form=_text_form("Outcome: what was done", "Enter the outcome of the action"),
        apply=lambda action, form: action_complete(
            action=action, by=request.user, outcome=form.cleaned_data["text"], request=request
        ),
        done="Action completed",
        allowed=_owner,
    )


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def not_feasible(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _action_form_view(
        request,
        public_id,
        audit_action="action.not_feasible",
        title="Mark the action not feasible",
        button="Mark not feasible",
        make_form=lambda data: NotFeasibleForm(data),
        apply=lambda action, form: action_mark_not_feasible(
            action=action,
            by=request.user,
            reason=form.cleaned_data["reason"],
            explanation=form.cleaned_data["explanation"],
            request=request,
        ),
        done="Action marked not feasible",
        allowed=_owner,
    )


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def comment(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _action_form_view(
        request,
        public_id,
        audit_action="action.comment",
        title="Comment on the action",
        button="Add comment",
        make_form=_text_form("Comment", "Enter your comment"),
        apply=lambda action, form: action_comment(
            action=action, by=request.user, text=form.cleaned_data["text"], request=request
        ),
        done="Comment added",
        allowed=_anyone,
    )


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def owner_agree(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _action_form_view(
        request,
        public_id,
        audit_action="action.owner_agree",
        title="Agree that your agency will own this action",
        button="Agree to own it",
        make_form=lambda data: _EmptyForm(data),
        apply=lambda action, form: action_owner_agree(
            action=action, user=request.user, request=request
        ),
        done="Your agency has agreed to own the action",
        allowed=_owner,
    )


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def agree(request: HttpRequest, public_id: Any) -> HttpResponse:
    def make(data: Any) -> AgreeForm:
        form = AgreeForm(data)
        action = _action(request, public_id, "action.agree")
        form.initial["due_on"] = action.due_on
        return form

    return _action_form_view(
        request,
        public_id,
        audit_action="action.agree",
        title="Agree the action",
        button="Agree action",
        make_form=make,
        apply=lambda action, form: action_agree(
            action=action,
            agreed_by=request.user,
            request=request,
            due_on=form.cleaned_data["due_on"],
        ),
        done="Action agreed",
        allowed=_agreer,
    )


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, public_id: Any) -> HttpResponse:
    return _action_form_view(
        request,
        public_id,
        audit_action="action.decline",
        title="Do not agree the action",
        button="Do not agree",
        make_form=_text_form("Why is it not agreed?", "Enter why the action is not agreed"),
        apply=lambda action, form: action_decline(
            action=action, by=request.user, reason=form.cleaned_data["text"], request=request
        ),
        done="Action not agreed",
        allowed=_agreer,
    )


class _EmptyForm(TextForm):
    """A confirmation with nothing to type."""

    def __init__(self, data: Any) -> None:
        super().__init__(data, label="", required_message="")
        del self.fields["text"]


# ---------------------------------------------------------------------------------------------
# Online action planning and professionals' meetings.


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def planning_open(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "action_planning.open")
    form = _EmptyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            stage = planning_stage_open(case=case, actor=request.user, request=request)
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Action planning is open until {stage.closes_on:%-d %B %Y}")
            return redirect("cases:detail", reference=case.reference)
    if request.method == "GET":
        audit_record(action="action_planning.open_form", request=request, obj=case)
    return render(request, "actions/planning_open.html", {"case": case, "form": form})


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def professionals_request(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference, "professionals_meeting.request")
    form = ProfessionalsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            professionals_meeting_request(
                case=case,
                by=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The hub has been asked to arrange a professionals' meeting")
            return redirect("cases:detail", reference=case.reference)
    if request.method == "GET":
        audit_record(action="professionals_meeting.request_form", request=request, obj=case)
    return render(
        request,
        "actions/professionals_request.html",
        {
            "case": case,
            "form": form,
            "involved": agencies_involved(case),
            "threshold": case.area.policy.professionals_meeting_agencies,
        },
    )


@role_required(is_hub)
def professionals_list(request: HttpRequest) -> HttpResponse:
    waiting = list(professionals_requests_waiting(request.user))
    audit_record(
        action="professionals_meeting.list", request=request, detail={"count": len(waiting)}
    )
    return render(request, "actions/professionals_list.html", {"waiting": waiting})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def professionals_schedule(request: HttpRequest, public_id: Any) -> HttpResponse:
    asked = get_in_scope_or_404(
        request,
        ProfessionalsMeetingRequest.objects.filter(
            case__in=cases_visible_to(request.user)
        ).select_related("case__area__policy", "requested_by__agency", "meeting"),
        action="professionals_meeting.schedule",
        public_id=public_id,
    )
    form = ScheduleForm(
        request.POST or None, initial={"start_time": asked.case.area.policy.meeting_start_time}
    )
    if request.method == "POST" and form.is_valid():
        try:
            professionals_meeting_schedule(
                asked=asked,
                starts_on=form.cleaned_data["starts_on"],
                start_time=form.cleaned_data["start_time"],
                actor=request.user,
                request=request,
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Professionals' meeting arranged and the case listed at it")
            return redirect("actions:professionals_list")
    if request.method == "GET":
        audit_record(action="professionals_meeting.schedule_form", request=request, obj=asked)
    return render(
        request,
        "actions/professionals_schedule.html",
        {"asked": asked, "form": form, "involved": agencies_involved(asked.case)},
    )


# ---------------------------------------------------------------------------------------------
# Line managers for overdue escalation (hub).


def _partnership_reps(request: HttpRequest) -> Any:
    return (
        User.objects.filter(
            agency__partnership_id=request.user.agency.partnership_id,  # type: ignore[union-attr]
            is_active=True,
            is_agency_rep=True,
        )
        .exclude(agency__is_hub=True)
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name")
    )


@role_required(is_hub)
def contacts(request: HttpRequest) -> HttpResponse:
    reps = list(_partnership_reps(request))
    known = {
        c.user_id: c.email for c in EscalationContact.objects.filter(user__in=[r.pk for r in reps])
    }
    rows = [(rep, known.get(rep.pk, "")) for rep in reps]
    audit_record(action="escalation_contact.list", request=request, detail={"count": len(rows)})
    return render(request, "actions/contacts.html", {"rows": rows})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    rep = get_in_scope_or_404(
        request, _partnership_reps(request), action="escalation_contact.edit", pk=user_id
    )
    current = EscalationContact.objects.filter(user=rep).first()
    form = EscalationContactForm(
        request.POST or None, initial={"email": current.email if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            escalation_contact_set(
                agency=rep.agency,
                user=rep,
                email=form.cleaned_data["email"],
                actor=request.user,
                request=request,
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Line manager saved")
            return redirect("actions:contacts")
    if request.method == "GET":
        audit_record(action="escalation_contact.view", request=request, obj=rep)
    return render(request, "actions/contact_edit.html", {"rep": rep, "form": form})


# ---------------------------------------------------------------------------------------------
# The partnership's library of interventions (hub).


@role_required(is_hub)
def library(request: HttpRequest) -> HttpResponse:
    partnership = request.user.agency.partnership  # type: ignore[union-attr]
    own = list(Intervention.objects.filter(partnership=partnership))
    audit_record(action="intervention_library.view", request=request, obj=partnership)
    return render(
        request,
        "actions/library.html",
        {"own": own, "built_in": [] if own else library_for(partnership)},
    )


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def library_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    partnership = request.user.agency.partnership  # type: ignore[union-attr]
    current = library_entry(partnership, slug) if slug else None
    own = Intervention.objects.filter(partnership=partnership, slug=slug).first() if slug else None
    if slug and current is None and own is None:
        audit_record(
            action="intervention.edit.denied",
            request=request,
            object_type="actions.intervention",
            object_id=slug[:40],
            outcome=Outcome.DENIED,
        )
        raise Http404("Page not found")
    source: Any = own or current
    initial = (
        {
            "title": source.title,
            "what": source.what,
            "active": "no" if own is not None and not own.active else "yes",
        }
        if source
        else {}
    )
    form = InterventionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            intervention_save(
                partnership=partnership,
                slug=slug,
                title=form.cleaned_data["title"],
                what=form.cleaned_data["what"],
                active=form.cleaned_data["active"] == "yes",
                actor=request.user,
                request=request,
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Library saved")
            return redirect("actions:library")
    return render(request, "actions/library_edit.html", {"form": form, "adding": slug is None})
