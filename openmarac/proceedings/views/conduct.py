"""The list of meetings and the meeting screen: putting the cases in order, opening the
meeting and closing it."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.cases.selectors import case_labels_for
from openmarac.core.decorators import role_required, sees_cases
from openmarac.core.pagination import PageQuery, paginate
from openmarac.core.workdays import local_date
from openmarac.meetings.models import Meeting, MeetingStatus

from .. import documents, forms
from ..models import AttendeeRole, Hearing
from ..selectors import (
    meetings_run_by,
    meetings_with_minutes_for,
    sections_to_approve,
)
from ..services import attendance, conduct
from ..services.guards import ProceedingsError, record_for
from .access import acting_user, meeting_run, runs_meetings, show_error


@role_required(sees_cases)
def index(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    user = acting_user(request)
    query = PageQuery(request.GET)
    run = list(
        meetings_run_by(user)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_on__gte=today - datetime.timedelta(days=120))
        .select_related("area", "record")
        .order_by("starts_on", "start_time")[:60]
    )
    with_minutes = paginate(
        meetings_with_minutes_for(user)
        .select_related("area", "record")
        .order_by("-starts_on", "-start_time", "-pk"),
        page=query.value("page"),
    )
    hearings = list(sections_to_approve(user)[:60])
    labels = case_labels_for(user, [hearing.listing.case for hearing in hearings])
    to_approve = [
        {"hearing": hearing, "label": labels[hearing.listing.case_id].text} for hearing in hearings
    ]
    audit_record(action="meetings_index.view", request=request)
    return render(
        request,
        "proceedings/index.html",
        {
            "run": run,
            "with_minutes": with_minutes,
            "page": with_minutes,
            "query": query,
            "to_approve": to_approve,
        },
    )


@role_required(runs_meetings)
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    return _meeting_page(request, meeting_run(request, meeting_id))


def _meeting_page(
    request: HttpRequest, meeting: Meeting, open_error: str = "", status: int = 200
) -> HttpResponse:
    record = record_for(meeting)
    user = acting_user(request)
    timetable = conduct.timetable(meeting)
    labels = case_labels_for(user, [slot.listing.case for slot in timetable])
    hearings = {h.listing_id: h for h in Hearing.objects.filter(listing__meeting=meeting)}
    slots = [
        {"slot": slot, "label": label, "hearing": hearings.get(slot.listing.pk)}
        for slot in timetable
        if (label := labels[slot.listing.case_id]).shown
    ]
    audit_record(action="meeting_run.view", request=request, obj=meeting)
    return render(
        request,
        "proceedings/meeting.html",
        {
            "meeting": meeting,
            "record": record,
            "policy": meeting.area.policy,
            "attendees": meeting.attendees.select_related("agency", "user"),
            "apologies": meeting.apologies.select_related("agency"),
            "quorum": attendance.quorum_check(meeting),
            "slots": slots,
            "unconfirmed": attendance.unconfirmed(meeting),
            "conflicts": _visible_conflicts(user, meeting),
            "order_form": forms.OrderForm(initial={"mode": meeting.area.policy.case_order}),
            "outstanding": documents.outstanding_actions(meeting, user),
            "open_error": open_error,
            "opens_early": conduct.opens_early(meeting),
        },
        status=status,
    )


def _visible_conflicts(user: User, meeting: Meeting) -> list[dict[str, Any]]:
    conflicts = list(meeting.conflicts.select_related("attendee", "stand_in", "case"))
    labels = case_labels_for(user, [conflict.case for conflict in conflicts])
    out = []
    for conflict in conflicts:
        label = labels[conflict.case_id]
        out.append(
            {
                "conflict": conflict,
                "label": label.text if label.shown else "A case you cannot see",
            }
        )
    return out


@require_POST
@role_required(runs_meetings)
def order(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_run(request, meeting_id)
    form = forms.OrderForm(request.POST)
    if form.is_valid():
        conduct.meeting_order_apply(
            meeting=meeting,
            mode=form.cleaned_data["mode"],
            actor=acting_user(request),
            request=request,
        )
        messages.success(request, "Cases put in order")
    else:
        messages.error(request, "Choose how to order the cases")
    return redirect("proceedings:meeting", meeting.pk)


@require_POST
@role_required(runs_meetings)
def meeting_open(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_run(request, meeting_id)
    try:
        conduct.meeting_open(meeting=meeting, actor=acting_user(request), request=request)
    except conduct.MeetingOpensEarly:
        return redirect("proceedings:meeting_open_early", meeting.pk)
    except ProceedingsError as exc:
        return _meeting_page(request, meeting, open_error=str(exc), status=400)
    _opened(request, meeting)
    return redirect("proceedings:meeting", meeting.pk)


def _opened(request: HttpRequest, meeting: Meeting) -> None:
    if attendance.quorum_check(meeting).met:
        messages.success(request, "The meeting is open")
    else:
        messages.warning(request, "The meeting is open but it is not quorate")


@role_required(runs_meetings)
@require_http_methods(["GET", "POST"])
def meeting_open_early(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The chair confirms opening a meeting further ahead than its area allows."""
    meeting = meeting_run(request, meeting_id)
    if record_for(meeting).opened_at or not conduct.opens_early(meeting):
        return redirect("proceedings:meeting", meeting.pk)
    user = acting_user(request)
    is_chair = conduct.meeting_chaired_by(meeting, user)
    form = forms.OpenEarlyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and is_chair and form.is_valid():
        try:
            conduct.meeting_open(meeting=meeting, actor=user, request=request, early_confirmed=True)
        except ProceedingsError as exc:
            return _meeting_page(request, meeting, open_error=str(exc), status=400)
        _opened(request, meeting)
        return redirect("proceedings:meeting", meeting.pk)
    audit_record(action="meeting_open_early.view", request=request, obj=meeting)
    return render(
        request,
        "proceedings/open_early.html",
        {
            "meeting": meeting,
            "form": form,
            "is_chair": is_chair,
            "days": conduct.days_until(meeting),
            "allowed": meeting.area.policy.open_days_before,
            "chairs": meeting.attendees.filter(role=AttendeeRole.CHAIR),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@role_required(runs_meetings)
def meeting_close(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_run(request, meeting_id)
    try:
        conduct.meeting_close(meeting=meeting, actor=acting_user(request), request=request)
    except ProceedingsError as exc:
        show_error(request, exc)
        return redirect("proceedings:meeting", meeting.pk)
    messages.success(request, "The meeting is closed: the minutes are now due")
    return redirect("proceedings:minutes", meeting.pk)
