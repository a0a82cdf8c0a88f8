"""Conflicts of interest: the people running the meeting record one for anyone present; an
attendee can declare their own."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.cases.selectors import case_label_for, cases_visible_to
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import role_required, sees_cases
from openmarac.meetings.models import ListingStatus

from .. import forms
from ..models import Hearing
from ..selectors import meetings_attended_by, meetings_run_by
from ..services import conflicts
from ..services.guards import ProceedingsError
from .access import acting_user


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def conflict_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = acting_user(request)
    runs = meetings_run_by(user).filter(pk=meeting_id).exists()
    scope = meetings_run_by(user) if runs else meetings_attended_by(user)
    meeting = get_in_scope_or_404(
        request, scope.select_related("area"), action="meeting_conflict.view", pk=meeting_id
    )
    attendees = list(meeting.attendees.all())
    if not runs:
        attendees = [a for a in attendees if a.user_id == user.pk]
    heard = set(
        Hearing.objects.filter(listing__meeting=meeting).values_list("listing_id", flat=True)
    )
    listings = [
        (listing.pk, case_label_for(user, listing.case).text)
        for listing in meeting.listings.filter(case__in=cases_visible_to(user))
        .exclude(status=ListingStatus.WITHDRAWN)
        .select_related("case")
        .order_by("position", "listed_at")
        if listing.pk not in heard
    ]
    form = forms.ConflictForm(request.POST or None, listings=listings, attendees=attendees)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {a.pk: a for a in meeting.attendees.all()}
        try:
            listing = meeting.listings.get(pk=data["listing"])
            conflicts.conflict_declare(
                listing=listing,
                attendee=by_pk[data["attendee"]],
                stand_in=by_pk.get(data["stand_in"]) if data["stand_in"] else None,
                actor=acting_user(request),
                request=request,
            )
        except ProceedingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Conflict of interest recorded")
            if runs and meetings_run_by(user).filter(pk=meeting.pk).exists():
                return redirect("proceedings:meeting", meeting.pk)
            return redirect("proceedings:index")
    return render(
        request, "proceedings/conflict_add.html", {"meeting": meeting, "form": form, "runs": runs}
    )
