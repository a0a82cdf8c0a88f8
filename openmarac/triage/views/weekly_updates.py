"""A case's weekly updates, and adding one."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.audit.services import audit_record
from openmarac.cases.models import Case, CaseLink, CaseStatus
from openmarac.cases.selectors import case_label_for, cases_visible_to
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import role_required, sees_cases
from openmarac.drafts.decorators import keeps_drafts
from openmarac.drafts.services import form_draft_take

from ..forms import WeeklyUpdateForm
from ..selectors import weekly_updates_for
from ..services.errors import TriageError
from ..services.weekly_updates import weekly_update_submit
from .lookup import acting_user


def _case(request: HttpRequest, reference: str) -> Case:
    case = get_in_scope_or_404(
        request,
        cases_visible_to(request.user).select_related("area__policy"),
        action="case.view",
        reference=reference,
    )
    return case


@role_required(sees_cases)
def weekly_updates(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    updates = list(weekly_updates_for(case))
    audit_record(
        action="weekly_updates.view", request=request, obj=case, detail={"count": len(updates)}
    )
    links = CaseLink.objects.filter(Q(case=case) | Q(related_case=case)).select_related(
        "case", "related_case"
    )
    related = []
    for link in links:
        other = link.related_case if link.case_id == case.pk else link.case
        label = case_label_for(request.user, other)
        if label.shown:
            related.append((label, link.get_kind_display()))
    return render(
        request,
        "triage/weekly_updates.html",
        {"case": case, "updates": updates, "related": related},
    )


@keeps_drafts
@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def weekly_update_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if case.status != CaseStatus.OPEN:
        raise Http404("Page not found")
    form = WeeklyUpdateForm(request.POST or form_draft_take(request=request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            weekly_update_submit(
                case=case,
                actor=acting_user(request),
                kind=data["kind"],
                information=data["information"],
                purpose=data["purpose"],
                extend_flag=data["extend_flag"] == "yes",
                request=request,
            )
        except TriageError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Weekly update added to case {case.reference}")
            return redirect("triage:weekly_updates", case.reference)
    return render(
        request,
        "triage/weekly_update_new.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )
