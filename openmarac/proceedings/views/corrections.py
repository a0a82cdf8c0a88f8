"""Corrections to approved minutes: the agency that shared the information asks; the hub
decides."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.audit.models import Outcome as AuditOutcome
from openmarac.audit.services import audit_record
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required, sees_cases

from .. import forms
from ..models import MinutesCorrection, SharedInformation
from ..selectors import minutes_access
from ..services import corrections
from ..services.guards import ProceedingsError
from .access import acting_user


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def correction_new(request: HttpRequest, information_id: int) -> HttpResponse:
    user = acting_user(request)
    information = get_in_scope_or_404(
        request,
        SharedInformation.objects.filter(
            agency_id=user.agency_id or 0,
            hearing__listing__case__in=cases_visible_to(user),
        ).select_related("hearing__listing__meeting", "hearing__listing__case", "agency"),
        action="minutes_correction.view",
        pk=information_id,
    )
    meeting = information.hearing.listing.meeting
    if information.hearing.listing_id not in minutes_access(user, meeting).listing_ids:
        audit_record(
            action="minutes_correction.view.denied",
            request=request,
            obj=information,
            outcome=AuditOutcome.DENIED,
        )
        raise Http404("Page not found")
    form = forms.CorrectionRequestForm(
        request.POST or None, initial={"proposed_text": information.text}
    )
    if request.method == "POST" and form.is_valid():
        try:
            corrections.correction_request(
                information=information,
                proposed_text=form.cleaned_data["proposed_text"],
                reason=form.cleaned_data["reason"],
                actor=user,
                request=request,
            )
        except ProceedingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Correction sent to the MARAC hub")
            return redirect("proceedings:minutes", meeting.pk)
    return render(
        request,
        "proceedings/correction_new.html",
        {"information": information, "meeting": meeting, "form": form},
    )


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def correction(request: HttpRequest, correction_id: int) -> HttpResponse:
    user = acting_user(request)
    item = get_in_scope_or_404(
        request,
        MinutesCorrection.objects.filter(
            agency__partnership_id=user.agency.partnership_id,  # type: ignore[union-attr]
            information__hearing__listing__case__in=cases_visible_to(user),
        ).select_related(
            "information__hearing__listing__meeting",
            "information__hearing__listing__case",
            "agency",
        ),
        action="minutes_correction.view",
        pk=correction_id,
    )
    form = forms.CorrectionDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.correction_decide(
                correction=item,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
                actor=user,
                request=request,
            )
        except ProceedingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Correction decided")
            return redirect("proceedings:minutes", item.information.hearing.listing.meeting_id)
    if request.method == "GET":
        audit_record(action="minutes_correction.view", request=request, obj=item)
    return render(request, "proceedings/correction.html", {"item": item, "form": form})
