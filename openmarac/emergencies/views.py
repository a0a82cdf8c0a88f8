"""Emergency MARAC pages: the hub asks on a case, the deciding role approves or refuses, and the
emergency MARAC records urgent actions. Every page is scoped to cases the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openmarac.actions.services.rules import agencies_for_actions
from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required, sees_cases

if TYPE_CHECKING:
    from openmarac.core.types import SignedInUser

from .forms import EmergencyDecisionForm, EmergencyRequestForm, UrgentActionForm
from .models import EmergencyRequest, EmergencyStatus
from .selectors import emergencies_open, emergencies_visible_to, emergency_clock
from .services import (
    EmergencyError,
    emergency_approve,
    emergency_refuse,
    emergency_request,
    emergency_urgent_action,
    may_decide,
)


def _records_actions(user: SignedInUser) -> bool:
    return bool(is_hub(user) or user.is_chair)


def _emergency(request: HttpRequest, public_id: str, action: str) -> EmergencyRequest:
    return get_in_scope_or_404(
        request,
        emergencies_visible_to(signed_in_user(request)).select_related(
            "case__partnership", "decided_by", "requested_by"
        ),
        action=action,
        public_id=public_id,
    )


@role_required(sees_cases)
def emergency_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    rows = [
        (e, emergency_clock(e, now=now)) for e in emergencies_open(signed_in_user(request), now=now)
    ]
    audit_record(action="emergencies.view", request=request, detail={"rows": len(rows)})
    return render(request, "emergencies/list.html", {"rows": rows})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def emergency_request_view(request: HttpRequest, reference: str) -> HttpResponse:
    user = signed_in_user(request)
    case = get_in_scope_or_404(
        request,
        cases_visible_to(user).select_related("area__policy", "partnership"),
        action="emergency.request",
        reference=reference,
    )
    form = EmergencyRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            asked = emergency_request(
                case=case, reason=form.cleaned_data["reason"], actor=user, request=request
            )
        except EmergencyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Emergency MARAC asked for: the deciders have been told")
            return redirect("emergencies:detail", public_id=asked.public_id)
    audit_record(action="emergency.request_form", request=request, obj=case)
    return render(request, "emergencies/request.html", {"case": case, "form": form})


@role_required(sees_cases)
def emergency_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    asked = _emergency(request, public_id, "emergency.view")
    audit_record(action="emergency.view", request=request, obj=asked)
    actions = asked.meeting.actions.select_related("owner_agency") if asked.meeting else []
    return render(
        request,
        "emergencies/detail.html",
        {
            "asked": asked,
            "clock": emergency_clock(asked, now=timezone.now()),
            "may_decide": asked.status == EmergencyStatus.REQUESTED
            and may_decide(user, asked.case),
            "records_actions": asked.status == EmergencyStatus.APPROVED and _records_actions(user),
            "actions": list(actions),
        },
    )


def _deny(request: HttpRequest, asked: EmergencyRequest, action: str) -> None:
    audit_record(action=f"{action}.denied", request=request, obj=asked, outcome=Outcome.DENIED)
    raise Http404("Page not found")


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def emergency_decide(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    asked = _emergency(request, public_id, "emergency.decide")
    if asked.status != EmergencyStatus.REQUESTED:
        return redirect("emergencies:detail", public_id=asked.public_id)
    if not may_decide(user, asked.case):
        _deny(request, asked, "emergency.decide")
    form = EmergencyDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                emergency_approve(
                    asked=asked,
                    starts_on=data["starts_on"],
                    start_time=data["start_time"],
                    note=data["note"],
                    actor=user,
                    request=request,
                )
                messages.success(request, "Emergency MARAC approved: the agencies have been told")
            else:
                emergency_refuse(asked=asked, note=data["note"], actor=user, request=request)
                messages.success(request, "Emergency MARAC refused: the case keeps its meeting")
        except EmergencyError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("emergencies:detail", public_id=asked.public_id)
    audit_record(action="emergency.decide_form", request=request, obj=asked)
    clock = emergency_clock(asked, now=timezone.now())
    return render(
        request, "emergencies/decide.html", {"asked": asked, "form": form, "clock": clock}
    )


@role_required(_records_actions)
@require_http_methods(["GET", "POST"])
def emergency_urgent_action_view(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    asked = _emergency(request, public_id, "emergency.urgent_action")
    if asked.status != EmergencyStatus.APPROVED:
        return redirect("emergencies:detail", public_id=asked.public_id)
    agencies = list(agencies_for_actions(asked.case).order_by("name"))
    form = UrgentActionForm(
        request.POST if request.method == "POST" else None,
        agencies=agencies,
        initial={"due_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            emergency_urgent_action(
                asked=asked,
                owner_agency=form.agency(),
                what=data["what"],
                rationale=data["rationale"],
                due_on=data["due_on"],
                actor=user,
                request=request,
            )
        except EmergencyError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Urgent action recorded and sent to the agency")
            return redirect("emergencies:detail", public_id=asked.public_id)
    audit_record(action="emergency.urgent_action_form", request=request, obj=asked)
    return render(request, "emergencies/urgent_action.html", {"asked": asked, "form": form})
