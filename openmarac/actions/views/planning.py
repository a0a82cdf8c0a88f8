"""The hub opens online action planning on a case."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.audit.services import audit_record
from openmarac.core.decorators import is_hub, role_required

from ..forms import ConfirmForm
from ..services.planning import planning_stage_open
from ..services.rules import ActionError
from .lookup import acting_user, case_or_404


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def planning_open(request: HttpRequest, reference: str) -> HttpResponse:
    case = case_or_404(request, reference, "action_planning.open")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            stage = planning_stage_open(case=case, actor=acting_user(request), request=request)
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Action planning is open until {stage.closes_on:%-d %B %Y}")
            return redirect("caserecord:record", reference=case.reference)
    if request.method == "GET":
        audit_record(action="action_planning.open_form", request=request, obj=case)
    return render(request, "actions/planning_open.html", {"case": case, "form": form})
