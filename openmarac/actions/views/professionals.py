"""Asking for a professionals' meeting on a case, and the hub's list and scheduling."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.audit.services import audit_record
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required, sees_cases

from ..forms import ProfessionalsRequestForm, ScheduleForm
from ..models import ProfessionalsMeetingRequest
from ..selectors import agencies_involved, professionals_requests_waiting
from ..services.professionals import professionals_meeting_request, professionals_meeting_schedule
from ..services.rules import ActionError
from .lookup import acting_user, case_or_404


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def professionals_request(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_or_404(request, reference, "professionals_meeting.request")
    form = ProfessionalsRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            professionals_meeting_request(
                case=case,
                by=acting_user(request),
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The hub has been asked to arrange a professionals' meeting")
            return redirect("caserecord:record", reference=case.reference)
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
    waiting = list(professionals_requests_waiting(acting_user(request)))
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
                actor=acting_user(request),
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
