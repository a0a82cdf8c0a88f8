"""The hub's decision pages on a referral waiting for triage: accept, return, decline."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openmarac.cases.models import CaseStatus
from openmarac.cases.selectors import case_label_for, cases_visible_to
from openmarac.core.decorators import is_hub, role_required
from openmarac.core.workdays import local_date
from openmarac.drafts.decorators import keeps_drafts
from openmarac.drafts.services import form_draft_take
from openmarac.meetings.models import ALLOCATABLE_KINDS, Meeting, MeetingStatus
from openmarac.referrals.models import LinkStatus, Referral, ReferralStatus

from ..forms import AcceptForm, DeclineForm, ReturnForm
from ..repeats import repeat_assess
from ..services.acceptance import referral_accept
from ..services.decisions import referral_decline, referral_return
from ..services.errors import TriageError
from .lookup import acting_user, referral_or_404


def _meeting_choices(referral: Referral) -> list[tuple[str, str]]:
    if referral.area is None:
        return []
    meetings = Meeting.objects.filter(
        area=referral.area,
        status=MeetingStatus.SCHEDULED,
        kind__in=ALLOCATABLE_KINDS,
        agenda_published_at__isnull=True,
        starts_on__gte=local_date(timezone.now()),
    ).order_by("starts_on", "start_time")[:6]
    return [
        (str(m.pk), f"{m.starts_on:%A} {m.starts_on.day} {m.starts_on:%B %Y}") for m in meetings
    ]


def _decision_page(request: HttpRequest, public_id: Any) -> Referral:
    referral = referral_or_404(request, public_id)
    if referral.status != ReferralStatus.SUBMITTED:
        raise Http404("Page not found")
    return referral


@keeps_drafts
@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = _decision_page(request, public_id)
    assert referral.area is not None
    form = AcceptForm(
        request.POST or form_draft_take(request=request),
        meetings=_meeting_choices(referral),
    )
    assessment = repeat_assess(referral=referral, today=local_date(timezone.now()))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        attach_to = None
        if data["attach_to"].strip():
            attach_to = (
                cases_visible_to(request.user)
                .filter(reference__iexact=data["attach_to"].strip(), status=CaseStatus.OPEN)
                .first()
            )
            if attach_to is None:
                form.add_error("attach_to", "There is no open case you can see with that reference")
        meeting = None
        if data["meeting"]:
            meeting = Meeting.objects.filter(pk=data["meeting"], area=referral.area).first()
        if not form.errors:
            try:
                result = referral_accept(
                    referral=referral,
                    actor=acting_user(request),
                    reason=data["reason"],
                    request=request,
                    attach_to=attach_to,
                    information_only=data["information_only"] == "yes",
                    meeting=meeting,
                )
            except TriageError as exc:
                form.add_error(None, str(exc))
            else:
                text = f"Referral {referral.reference} accepted"
                if result.assessment.is_repeat:
                    text += f" as a repeat on case {result.case.reference}"
                else:
                    text += f": case {result.case.reference}"
                if result.listing:
                    day = result.listing.listing.meeting.starts_on
                    text += f", listed for the meeting on {day.day} {day:%B %Y}"
                else:
                    text += ", sent to the IDVA service only"
                messages.success(request, text)
                if result.over_limit:
                    messages.warning(
                        request,
                        f"That meeting now has {result.listing.listed_count} cases, more than "  # type: ignore[union-attr]
                        f"the area's limit of {result.listing.case_limit}",  # type: ignore[union-attr]
                    )
                return redirect("triage:queue")
    return render(
        request,
        "triage/accept.html",
        {
            "referral": referral,
            "form": form,
            "assessment": assessment,
            "repeat_label": case_label_for(request.user, assessment.repeat_of)
            if assessment.repeat_of
            else None,
            "pending": referral.participants.filter(link_status=LinkStatus.PENDING).count(),
        },
        status=400 if form.errors else 200,
    )


@keeps_drafts
@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def return_incomplete(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = _decision_page(request, public_id)
    form = ReturnForm(request.POST or form_draft_take(request=request))
    if request.method == "POST" and form.is_valid():
        try:
            referral_return(
                referral=referral,
                actor=acting_user(request),
                missing=form.cleaned_data["missing"],
                request=request,
            )
        except TriageError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Referral {referral.reference} returned to the referrer")
            return redirect("triage:queue")
    return render(
        request,
        "triage/return.html",
        {"referral": referral, "form": form},
        status=400 if form.errors else 200,
    )


@keeps_drafts
@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = _decision_page(request, public_id)
    form = DeclineForm(request.POST or form_draft_take(request=request))
    if request.method == "POST" and form.is_valid():
        try:
            referral_decline(
                referral=referral,
                actor=acting_user(request),
                decline_reason=form.cleaned_data["decline_reason"],
                explanation=form.cleaned_data["explanation"],
                request=request,
            )
        except TriageError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Referral {referral.reference} declined")
            return redirect("triage:queue")
    return render(
        request,
        "triage/decline.html",
        {"referral": referral, "form": form},
        status=400 if form.errors else 200,
    )
