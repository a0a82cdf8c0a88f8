"""Cases the chair or hub may want to treat as complex."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.core.decorators import is_hub, role_required
from openmarac.core.pagination import PageQuery, paginate
from openmarac.core.workdays import local_date

from ..selectors import complex_case_candidates
from .lookup import acting_user


def _is_chair_or_hub(user: User) -> bool:
    return bool(is_hub(user) or user.is_chair)


@role_required(_is_chair_or_hub)
def complex_cases(request: HttpRequest) -> HttpResponse:
    query = PageQuery(request.GET)
    cases = paginate(
        complex_case_candidates(acting_user(request), today=local_date(timezone.now())),
        page=query.value("page"),
    )
    audit_record(
        action="complex_cases.view",
        request=request,
        detail={"count": cases.paginator.count, "page": cases.number},
    )
    return render(
        request, "triage/complex_cases.html", {"cases": cases, "page": cases, "query": query}
    )
