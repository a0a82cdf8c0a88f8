"""The hub's audit reports. Only the hub sees them, and every viewing is itself audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required

from . import selectors
from .services import audit_record

DEFAULT_DAYS = 92  # a quarter
ROWS = 500


def _period(request: HttpRequest) -> tuple[datetime.date, datetime.date, datetime.datetime, Any]:
    today = timezone.localdate()

    def parse(name: str, default: datetime.date) -> datetime.date:
        try:
            return datetime.date.fromisoformat(request.GET.get(name, ""))
        except ValueError:
            return default

    start = parse("from", today - datetime.timedelta(days=DEFAULT_DAYS))
    end = parse("to", today)
    if end < start:
        start, end = end, start
    tz = timezone.get_current_timezone()
    return (
        start,
        end,
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

    reference = request.GET.get("reference", "").strip()
    if not reference:
        _viewed(request, "case")
        return render(request, "audit/case.html", {"case": None})
    case = get_in_scope_or_404(
        request,
        cases_for_access_management(request.user),
        action="audit_report.case",
        reference=reference,
    )
    _viewed(request, "case", case=case.pk)
    events = selectors.events_for_case(case)[:ROWS]
    return render(request, "audit/case.html", {"case": case, "events": events})


@role_required(is_hub)
def user_report(request: HttpRequest) -> HttpResponse:
    user_id = request.GET.get("user", "")
    if not user_id:
        return index(request)
    subject = get_in_scope_or_404(
        request,
        _partnership_users(request),
        action="audit_report.user",
        pk=int(user_id) if user_id.isdigit() else 0,
    )
    start, end, since, until = _period(request)
    _viewed(request, "user", user=subject.pk)
    events = selectors.events_by_user(subject, since, until)[:ROWS]
    return render(
        request,
        "audit/user.html",
        {"subject": subject, "events": events, "start": start, "end": end},
    )


@role_required(is_hub)
def downloads_report(request: HttpRequest) -> HttpResponse:
    start, end, since, until = _period(request)
    _viewed(request, "downloads")
    events = selectors.downloads(
        request.user.agency.partnership_id,  # type: ignore[union-attr]
        since,
        until,
    )[:ROWS]
    return render(request, "audit/downloads.html", {"events": events, "start": start, "end": end})


@role_required(is_hub)
def break_glass_report(request: HttpRequest) -> HttpResponse:
    from openmarac.caseaccess.selectors import break_glass_uses

    _viewed(request, "break_glass")
    return render(request, "audit/break_glass.html", {"uses": break_glass_uses(request.user)})


@role_required(is_hub)
def pattern_report(request: HttpRequest) -> HttpResponse:
    start, end, since, until = _period(request)
    try:
        many = max(1, int(request.GET.get("many", "25")))
    except ValueError:
        many = 25
    _viewed(request, "out_of_pattern", many=many)
    rows = selectors.out_of_pattern(
        request.user.agency.partnership_id,  # type: ignore[union-attr]
        since,
        until,
        many_cases=many,
    )
    return render(
        request,
        "audit/pattern.html",
        {"rows": rows, "start": start, "end": end, "many": many},
    )
