"""The case list. Every query starts from the scoping layer; every view is audited. A case's own
page is the case record (``caserecord``), which reads the workflow apps above this one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openmarac.audit.services import audit_record
from openmarac.core.decorators import role_required, sees_cases
from openmarac.core.pagination import PageQuery, paginate

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
