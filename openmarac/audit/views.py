"""The hub's audit reports. Only the hub sees them, and every viewing is itself audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required
from openmarac.core.pagination import paginate

from . import selectors
from .forms import CaseReportQuery, PatternQuery, PeriodQuery, UserPeriodQuery
from .services import audit_record


def _bounds(
    start: datetime.date, end: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as aware datetimes: from the start of its first day to the start of the day
    after its last (the form keeps both well inside what ``datetime`` can hold)."""
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )


def _viewed(request: HttpRequest, report: str, **detail: Any) -> None:
    audit_record(action="audit_report.view", request=request, detail={"report": report, **detail})


def _partnership_users(request: HttpRequest):  # type: ignore[no-untyped-def]
    return User.objects.filter(
        agency__partnership_id=request.user.agency.partnership_id  # type: ignore[union-attr]
    ).select_related("agency")


@role_required(is_hub)
def index(request: HttpRequest) -> HttpResponse:
    _viewed(request, "index")
    users = _partnership_users(request).order_by("last_name", "first_name", "username")
    return render(request, "audit/index.html", {"users": users})


@role_required(is_hub)
def case_report(request: HttpRequest) -> HttpResponse:
    from openmarac.caseaccess.selectors import cases_for_access_management

    form = CaseReportQuery(request.GET)
    reference = form.value("reference")
    if not form.is_valid() or not reference:
        _viewed(request, "case")
        return render(request, "audit/case.html", {"case": None, "form": form})
    try:
        case = get_in_scope_or_404(
            request,
            cases_for_access_management(signed_in_user(request)),
            action="audit_report.case",
            reference=reference,
        )
    except Http404:
        # Audited as a denial; a case out of reach reads exactly like one that does not exist.
        form.add_error(
            "reference",
            "No case has that reference: check it and enter it again, like NK-2026-0001",
        )
        return render(request, "audit/case.html", {"case": None, "form": form}, status=404)
    _viewed(request, "case", case=case.pk)
    events = paginate(selectors.events_for_case(case), page=form.value("page"))
    return render(
        request,
        "audit/case.html",
        {"case": case, "events": events, "page": events, "query": form},
    )


@role_required(is_hub)
def user_report(request: HttpRequest) -> HttpResponse:
    form = UserPeriodQuery(request.GET)
    if not form.data.get("user"):
        return index(request)
    subject = get_in_scope_or_404(
        request,
        _partnership_users(request),
        action="audit_report.user",
        pk=form.value("user") or 0,  # a bad id finds nobody
    )
    _viewed(request, "user", user=subject.pk)
    events = paginate(
        selectors.events_by_user(subject, *_bounds(*form.period())), page=form.value("page")
    )
    return render(
        request,
        "audit/user.html",
        {
            "subject": subject,
            "events": events if form.is_valid() else [],
            "page": events,
            "form": form,
            "query": form,
        },
    )


@role_required(is_hub)
def downloads_report(request: HttpRequest) -> HttpResponse:
    form = PeriodQuery(request.GET)
    _viewed(request, "downloads")
    events = paginate(
        selectors.downloads(
            request.user.agency.partnership_id,  # type: ignore[union-attr]
            *_bounds(*form.period()),
        ),
        page=form.value("page"),
    )
    return render(
        request,
        "audit/downloads.html",
        {"events": events if form.is_valid() else [], "page": events, "form": form, "query": form},
    )


@role_required(is_hub)
def break_glass_report(request: HttpRequest) -> HttpResponse:
    from openmarac.caseaccess.selectors import break_glass_uses

    _viewed(request, "break_glass")
    return render(
        request, "audit/break_glass.html", {"uses": break_glass_uses(signed_in_user(request))}
    )


@role_required(is_hub)
def pattern_report(request: HttpRequest) -> HttpResponse:
    form = PatternQuery(request.GET)
    many = form.value("many")
    _viewed(request, "out_of_pattern", many=many)
    rows = (
        selectors.out_of_pattern(
            request.user.agency.partnership_id,  # type: ignore[union-attr]
            *_bounds(*form.period()),
            many_cases=many,
        )
        if form.is_valid()
        else []
    )
    return render(request, "audit/pattern.html", {"rows": rows, "form": form})
