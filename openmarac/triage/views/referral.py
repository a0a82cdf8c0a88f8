"""One referral for the hub: what was submitted, repeats and related cases, and linking each
person on it to a known person or confirming them as new."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.audit.services import audit_record
from openmarac.cases.models import CaseLinkKind
from openmarac.cases.selectors import case_label_for
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required
from openmarac.core.workdays import local_date
from openmarac.people import services as people_services
from openmarac.referrals.models import LinkStatus, Referral, ReferralStatus
from openmarac.referrals.services import referral_evaluation
from openmarac.referrals.views import _summary

from ..forms import ReasonForm
from ..linking import linkable_people, suggestions_for
from ..models import TriageDecision
from ..repeats import repeat_assess
from ..sla import sla_clock
from .lookup import acting_user, referral_or_404


def _participant(request: HttpRequest, referral: Referral, participant_id: int) -> Any:
    participant = referral.participants.select_related("person", "submitted_person").filter(
        pk=participant_id
    )
    found = participant.first()
    if found is None:
        audit_record(
            action="referral_participant.view.denied",
            request=request,
            object_type="referrals.referralparticipant",
            object_id=participant_id,
            outcome="denied",
        )
        raise Http404("Page not found")
    return found


def _people_rows(request: HttpRequest, referral: Referral) -> list[dict[str, Any]]:
    waiting = referral.status == ReferralStatus.SUBMITTED
    participants = list(referral.participants.select_related("person", "submitted_person"))
    pending = [
        p.as_submitted for p in participants if waiting and p.link_status == LinkStatus.PENDING
    ]
    # Every person still to link is looked up at once: one scope check and one fetch in all.
    matches = suggestions_for(acting_user(request), pending)
    return [
        {
            "participant": participant,
            "own": participant.as_submitted,
            "linked_to": participant.person
            if participant.person_id != participant.as_submitted.pk
            else None,
            "matches": matches.get(participant.as_submitted.pk, []),
        }
        for participant in participants
    ]


@role_required(is_hub)
def referral_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = referral_or_404(request, public_id)
    audit_record(action="referral.view", request=request, obj=referral)
    rows = _people_rows(request, referral)
    assessment = None
    if referral.status == ReferralStatus.SUBMITTED and referral.area is not None:
        assessment = repeat_assess(referral=referral, today=local_date(timezone.now()))
    decisions = TriageDecision.objects.filter(referral=referral).select_related("decided_by")
    return render(
        request,
        "triage/referral.html",
        {
            "referral": referral,
            "clock": sla_clock(referral, now=timezone.now())
            if referral.status == ReferralStatus.SUBMITTED
            else None,
            "rows": rows,
            "pending": sum(1 for r in rows if r["participant"].link_status == "pending"),
            "assessment": assessment,
            "repeat_label": case_label_for(request.user, assessment.repeat_of)
            if assessment and assessment.repeat_of
            else None,
            "related": [
                (case_label_for(request.user, case), kind_label(kind))
                for case, kind in (assessment.related if assessment else [])
            ],
            "decisions": decisions,
            "summary": _summary(referral, editable=False),
            "results": referral_evaluation(referral),
            "waiting": referral.status == ReferralStatus.SUBMITTED,
        },
    )


def kind_label(kind: str) -> str:
    return str(CaseLinkKind(kind).label)


@require_POST
@role_required(is_hub)
def participant_decide(request: HttpRequest, public_id: Any, participant_id: int) -> HttpResponse:
    """Link a person on the referral to a known person, or confirm them as new."""
    referral = referral_or_404(request, public_id)
    participant = _participant(request, referral, participant_id)
    try:
        if request.POST.get("decision") == "new":
            people_services.person_confirm_new(
                participant=participant, actor=acting_user(request), request=request
            )
            messages.success(request, "Confirmed as a new person")
        else:
            to = get_in_scope_or_404(
                request,
                linkable_people(acting_user(request)),
                action="person.view",
                pk=request.POST.get("person") or 0,
            )
            people_services.person_link(
                participant=participant, to=to, actor=acting_user(request), request=request
            )
            messages.success(request, "Linked to the known person")
    except people_services.PersonLinkError as exc:
        messages.error(request, str(exc))
    return redirect("triage:referral", referral.public_id)


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def participant_unlink(request: HttpRequest, public_id: Any, participant_id: int) -> HttpResponse:
    referral = referral_or_404(request, public_id)
    participant = _participant(request, referral, participant_id)
    if participant.link_status == LinkStatus.PENDING:
        raise Http404("Page not found")
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why is the link wrong?"
    if request.method == "POST" and form.is_valid():
        try:
            people_services.person_unlink(
                participant=participant,
                actor=acting_user(request),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except people_services.PersonLinkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The link has been undone")
            return redirect("triage:referral", referral.public_id)
    return render(
        request,
        "triage/unlink.html",
        {"referral": referral, "participant": participant, "form": form},
        status=400 if form.errors else 200,
    )
