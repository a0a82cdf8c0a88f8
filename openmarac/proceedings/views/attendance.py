"""Recording who is at the meeting: attendees, apologies and confirmations of the
confidentiality statement."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.accounts.models import User
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import role_required

from .. import forms
from ..services import attendance
from ..services.guards import ProceedingsError
from .access import acting_user, meeting_run, partnership_agencies, runs_meetings


@role_required(runs_meetings)
@require_http_methods(["GET", "POST"])
def attendee_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_run(request, meeting_id)
    users = list(
        User.objects.filter(is_active=True, agency__partnership_id=meeting.area.partnership_id)
        .exclude(meeting_attendances__meeting=meeting)
        .select_related("agency")
        .order_by("agency__name", "last_name", "username")
    )
    agencies = partnership_agencies(meeting)
    form = forms.AttendeeForm(request.POST or None, users=users, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen_user = next((u for u in users if u.pk == data["user"]), None)
        agency = next((a for a in agencies if a.pk == data["agency"]), None)
        try:
            attendance.attendee_add(
                meeting=meeting,
                role=data["role"],
                user=chosen_user,
                name=data["name"],
                agency=agency,
                actor=acting_user(request),
                request=request,
            )
        except ProceedingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Attendee recorded")
            return redirect("proceedings:meeting", meeting.pk)
    return render(request, "proceedings/attendee_add.html", {"meeting": meeting, "form": form})


@role_required(runs_meetings)
@require_http_methods(["GET", "POST"])
def apology_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_run(request, meeting_id)
    agencies = [a for a in partnership_agencies(meeting) if not a.is_hub]
    form = forms.ApologyForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        agency = next(a for a in agencies if a.pk == form.cleaned_data["agency"])
        try:
            attendance.apology_record(
                meeting=meeting,
                agency=agency,
                information_in_writing=form.cleaned_data["in_writing"] == "yes",
                actor=acting_user(request),
                request=request,
            )
        except ProceedingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Apologies from {agency.name} recorded")
            return redirect("proceedings:meeting", meeting.pk)
    return render(request, "proceedings/apology_add.html", {"meeting": meeting, "form": form})


@require_POST
@role_required(runs_meetings)
def attendee_confirm(request: HttpRequest, meeting_id: int, attendee_id: int) -> HttpResponse:
    meeting = meeting_run(request, meeting_id)
    attendee = get_in_scope_or_404(
        request, meeting.attendees.all(), action="meeting.attendee", pk=attendee_id
    )
    attendance.attendee_confirm(attendee=attendee, actor=acting_user(request), request=request)
    messages.success(request, f"{attendee.name} confirmed the confidentiality statement")
    return redirect("proceedings:meeting", meeting.pk)
