"""The home page (each role's work, or the start page for visitors) and the work lists it opens."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from openmarac.audit.services import audit_record
from openmarac.core.access import signed_in_user
from openmarac.core.decorators import is_approver, role_required, sees_cases, signed_in
from openmarac.core.pagination import PageQuery, paginate
from openmarac.core.workdays import calendar_for

from .rows import HEADINGS, Row, rows_for
from .selectors import home_items, referrer_work, work_for, work_list_for


def home(request: HttpRequest) -> HttpResponse:
    """The signed-in member's work, from every role they hold; a partnership lead who works no
    cases and approves no referrals goes straight to the reports dashboard. Visitors see how to
    refer, and a referrer who has verified their e-mail sees their referrals by state."""
    if not request.user.is_authenticated:
        email = request.session.get("referrer_email")
        states = referrer_work(email) if email else []
        return render(request, "workspace/start.html", {"states": states})
    user = signed_in_user(request)
    if user.is_partnership_lead and not sees_cases(user) and not is_approver(user):
        return redirect("reports:dashboard")
    items = home_items(work_for(user, now=timezone.now()))
    audit_record(
        action="home.view",
        request=request,
        detail={"lists": len(items), "items": sum(item.count for item in items)},
    )
    return render(request, "workspace/home.html", {"items": items})


@role_required(signed_in)
def work_list(request: HttpRequest, slug: str) -> HttpResponse:
    """One work list of the user's roles, 50 rows a page, each row opening where to act."""
    user = signed_in_user(request)
    now = timezone.now()
    work = work_list_for(user, slug, now=now)
    if work is None:
        raise Http404("Page not found")
    query = PageQuery(request.GET)
    page = paginate(work.rows, page=query.value("page"))
    calendar = calendar_for(user.agency.partnership if user.agency else None)
    rows: list[Row] = rows_for(work.kind, list(page), calendar=calendar, now=now)
    audit_record(
        action="work_list.view",
        request=request,
        detail={"list": slug, "count": page.paginator.count, "page": page.number},
    )
    return render(
        request,
        "workspace/list.html",
        {
            "work": work,
            "page": page,
            "query": query,
            "rows": rows,
            "headings": HEADINGS[work.kind],
        },
    )
