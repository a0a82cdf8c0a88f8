"""Case pages. Every query starts from the scoping layer; every view of a case is audited."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required, sees_cases
from openmarac.core.pagination import PageQuery, paginate

from .lifecycle import case_is_frozen
from .selectors import cases_visible_to


@role_required(sees_cases)
def case_list(request: HttpRequest) -> HttpResponse:
    query = PageQuery(request.GET)
    cases = paginate(
        cases_visible_to(request.user).select_related("area").order_by("-created_at", "-pk"),
        page=query.value("page"),
    )
    audit_record(
        action="case_list.view",
        request=request,
        detail={"count": len(cases), "page": cases.number},
    )
    return render(request, "cases/list.html", {"cases": cases, "page": cases, "query": query})


@role_required(sees_cases)
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_in_scope_or_404(
        request,
        cases_visible_to(request.user).select_related("area"),
        action="case.view",
        reference=reference,
    )
    audit_record(action="case.view", request=request, obj=case)
    participants = case.participants.select_related("person").prefetch_related("person__addresses")
    from openmarac.core.workdays import local_date
    from openmarac.triage.selectors import is_complex_case_candidate

    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "participants": participants,
            "frozen": case_is_frozen(case),
            "is_hub_user": is_hub(signed_in_user(request)),
            "complex_candidate": is_complex_case_candidate(case, today=local_date(timezone.now())),
        },
    )
