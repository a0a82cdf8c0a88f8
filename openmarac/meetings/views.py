"""The meeting calendar and each meeting's case list.

Members see the meetings of the areas their licence covers where their agency is a standing member
(and meetings where a case they may see is listed), and a meeting's case list once its agenda is
published; the hub sees the calendar of every area its licence covers, edits it and sees case
lists as they form. Every case on a list is named through ``case_label_for``.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openmarac.audit.services import audit_record
from openmarac.cases.selectors import areas_followed_by
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required, sees_cases
from openmarac.core.workdays import local_date
from openmarac.partnerships.models import Area
from openmarac.research.selectors import (
    agenda_rows,
    agenda_visible_to,
    listings_visible_to,
    meetings_visible_to,
)
from openmarac.research.services import ResearchError, agenda_publish, agenda_publish_on

from .forms import (
    CalendarQuery,
    ListingMoveForm,
    MeetingAddForm,
    MeetingCancelForm,
    MeetingMoveForm,
)
from .models import ListingStatus, Meeting, MeetingStatus
from .services import (
    ListingResult,
    MeetingError,
    case_move_refusal,
    listed_count,
    listing_move,
    meeting_add,
    meeting_cancel,
    meeting_move,
)

CALENDAR_WEEKS_BACK = 2


def _today() -> datetime.date:
    return local_date(timezone.now())


def _warn_over_limit(request: HttpRequest, results: list[ListingResult]) -> None:
    for result in results:
        if result.over_limit:
            meeting = result.listing.meeting
            messages.warning(
                request,
                f"The meeting on {meeting.starts_on:%d %B %Y} now has {result.listed_count} "
                f"cases, more than the area's limit of {result.case_limit}.",
            )


@role_required(sees_cases)
def calendar(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    today = _today()
    meetings = (
        meetings_visible_to(user)
        .filter(starts_on__gte=today - datetime.timedelta(weeks=CALENDAR_WEEKS_BACK))
        .select_related("area__policy", "area__partnership")
        .order_by("area__name", "starts_on", "start_time")
    )
    area_id = CalendarQuery(request.GET).value("area")
    if area_id is not None:
        meetings = meetings.filter(area_id=area_id)
    by_area: dict[Area, list[Meeting]] = {}
    for meeting in meetings[:500]:
        by_area.setdefault(meeting.area, []).append(meeting)
    if is_hub(user):
        # Every area the coordinator covers, with or without meetings, to add one to.
        for area in areas_followed_by(user):
            if area_id is None or area.pk == area_id:
                by_area.setdefault(area, [])
    areas = sorted(by_area.items(), key=lambda item: item[0].name)
    audit_record(action="meetings.calendar_view", request=request, detail={"area": area_id})
    return render(
        request,
        "meetings/calendar.html",
        {"areas": areas, "today": today, "hub": is_hub(user)},
    )


@role_required(sees_cases)
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = get_in_scope_or_404(
        request,
        meetings_visible_to(user).select_related("area__policy", "area__partnership"),
        action="meeting.view",
        pk=meeting_id,
    )
    hub = is_hub(user)
    show_agenda = agenda_visible_to(user, meeting)
    rows = agenda_rows(user, meeting) if show_agenda else []
    count = listed_count(meeting)
    limit = meeting.area.policy.max_cases_per_meeting
    audit_record(action="meeting.view", request=request, obj=meeting)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "hub": hub,
            "show_agenda": show_agenda,
            "rows": rows,
            "count": count,
            "limit": limit,
            "over_limit": hub and limit is not None and count > limit,
            "publish_on": agenda_publish_on(meeting),
            "scheduled": meeting.status == MeetingStatus.SCHEDULED,
            "user_agency_id": user.agency_id,
        },
    )


def _hub_meeting(request: HttpRequest, meeting_id: int, action: str) -> Meeting:
    return get_in_scope_or_404(
        request,
        meetings_visible_to(request.user).select_related("area__policy"),
        action=action,
        pk=meeting_id,
    )


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def meeting_add_view(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_in_scope_or_404(
        request,
        areas_followed_by(request.user),
        action="meeting.add",
        pk=area_id,
    )
    form = MeetingAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = meeting_add(
                area=area,
                starts_on=data["starts_on"],
                start_time=data["start_time"],
                kind=data["kind"],
                actor=signed_in_user(request),
                request=request,
            )
        except MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"{meeting.get_kind_display()} added on {meeting.starts_on:%d %B %Y}"
            )
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/add.html", {"area": area, "form": form})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def meeting_move_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _hub_meeting(request, meeting_id, "meeting.move")
    form = MeetingMoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting_move(
                meeting=meeting,
                starts_on=form.cleaned_data["starts_on"],
                start_time=form.cleaned_data["start_time"],
                actor=signed_in_user(request),
                request=request,
            )
        except MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Meeting moved to {form.cleaned_data['starts_on']:%d %B %Y}")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(request, "meetings/move.html", {"meeting": meeting, "form": form})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def meeting_cancel_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _hub_meeting(request, meeting_id, "meeting.cancel")
    form = MeetingCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            moved = meeting_cancel(
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                actor=signed_in_user(request),
                request=request,
            )
        except MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Meeting cancelled. {len(moved)} case{'s' if len(moved) != 1 else ''} moved "
                "to the next meeting.",
            )
            _warn_over_limit(request, moved)
            return redirect("meetings:calendar")
    return render(request, "meetings/cancel.html", {"meeting": meeting, "form": form})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def meeting_publish_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _hub_meeting(request, meeting_id, "agenda.publish")
    error = ""
    if request.method == "POST":
        try:
            agenda_publish(meeting=meeting, actor=signed_in_user(request), request=request)
        except ResearchError as exc:
            error = str(exc)
        else:
            messages.success(request, "Agenda published. Agencies have been asked for research.")
            return redirect("meetings:detail", meeting_id=meeting.pk)
    return render(
        request,
        "meetings/publish.html",
        {
            "meeting": meeting,
            "error": error,
            "count": listed_count(meeting),
            "publish_on": agenda_publish_on(meeting),
        },
    )


def _form_error(form: ListingMoveForm, message: str) -> None:
    """An error for the whole form, shown in its summary, whether or not it was posted."""
    if not form.is_bound:
        form.cleaned_data = {}  # ``add_error`` needs it, and an unbound form never cleans
    form.add_error(None, message)


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def listing_move_view(request: HttpRequest, listing_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    listing = get_in_scope_or_404(
        request,
        listings_visible_to(actor).select_related("meeting__area", "case"),
        action="listing.move",
        pk=listing_id,
    )
    targets = list(
        Meeting.objects.filter(
            area_id=listing.meeting.area_id,
            status=MeetingStatus.SCHEDULED,
            starts_on__gte=_today(),
        )
        .exclude(pk=listing.meeting_id)
        .exclude(listings__case_id=listing.case_id)
        .order_by("starts_on", "start_time")[:20]
    )
    form = ListingMoveForm(request.POST if request.method == "POST" else None, meetings=targets)
    refusal = case_move_refusal(listing.case)
    if listing.status != ListingStatus.LISTED:
        _form_error(form, "Only a case still waiting to be heard can be moved")
    elif refusal:
        # Said before anything is typed; a form posted anyway keeps what was typed.
        _form_error(form, refusal)
    elif request.method == "POST" and form.is_valid():
        try:
            result = listing_move(
                listing=listing,
                to_meeting=form.meeting(),
                reason=form.cleaned_data["reason"],
                actor=actor,
                request=request,
            )
        except MeetingError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Case {listing.case.reference} moved to the meeting on "
                f"{result.listing.meeting.starts_on:%d %B %Y}",
            )
            _warn_over_limit(request, [result])
            return redirect("meetings:detail", meeting_id=result.listing.meeting_id)
    return render(request, "meetings/listing_move.html", {"listing": listing, "form": form})
