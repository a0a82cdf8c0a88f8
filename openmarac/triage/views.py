"""Triage pages for hub coordinators, complex cases for chairs, weekly updates for members."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case, CaseLink, CaseStatus
from openmarac.cases.selectors import case_label_for, cases_visible_to
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required, sees_cases
from openmarac.core.workdays import local_date
from openmarac.meetings.models import ALLOCATABLE_KINDS, Meeting, MeetingStatus
from openmarac.people import services as people_services
from openmarac.people.models import Person, PersonMerge
from openmarac.referrals.models import LinkStatus, Referral, ReferralStatus
from openmarac.referrals.selectors import referrals_visible_to
from openmarac.referrals.views import _summary

from . import selectors, services
from .forms import AcceptForm, DeclineForm, ReasonForm, ReturnForm, WeeklyUpdateForm
from .linking import linkable_people, suggestions, suggestions_for
from .models import TriageDecision
from .repeats import repeat_assess
from .sla import sla_clock


def _is_chair_or_hub(user: Any) -> bool:
    return bool(is_hub(user) or user.is_chair)


def _actor(request: HttpRequest) -> User:
    return cast(User, request.user)


# The queue.


@role_required(is_hub)
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    waiting = [(r, sla_clock(r, now=now)) for r in selectors.triage_queue(request.user)]
    waiting.sort(key=lambda pair: (pair[1].due_at if pair[1] else now, pair[0].pk))
    returned = []
    for referral in selectors.returned_referrals(request.user):
        chase = next((c for c in referral.chases.all() if c.completed_at is None), None)
        due = services.chase_due_times(chase, referral) if chase else None
        returned.append({"referral": referral, "chase": chase, "due": due})
    decided = list(selectors.recently_decided(request.user))
    audit_record(
        action="triage_queue.view",
        request=request,
        detail={"waiting": len(waiting), "returned": len(returned)},
    )
    return render(
        request,
        "triage/queue.html",
        {"waiting": waiting, "returned": returned, "decided": decided},
    )


# One referral.


def _referral(request: HttpRequest, public_id: Any) -> Referral:
    return get_in_scope_or_404(
        request,
        referrals_visible_to(request.user).select_related(
            "area__policy", "partnership", "referrer_agency", "checklist", "case"
        ),
        action="referral.view",
        public_id=public_id,
    )


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
    matches = suggestions_for(request.user, pending)
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
    referral = _referral(request, public_id)
    audit_record(action="referral.view", request=request, obj=referral)
    rows = _people_rows(request, referral)
    assessment = None
    if referral.status == ReferralStatus.SUBMITTED and referral.area is not None:
        assessment = repeat_assess(referral=referral, today=local_date(timezone.now()))
    decisions = TriageDecision.objects.filter(referral=referral).select_related("decided_by")
    from openmarac.referrals.services import referral_evaluation

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
    from openmarac.cases.models import CaseLinkKind

    return str(CaseLinkKind(kind).label)


@require_POST
@role_required(is_hub)
def participant_decide(request: HttpRequest, public_id: Any, participant_id: int) -> HttpResponse:
    """Link a person on the referral to a known person, or confirm them as new."""
    referral = _referral(request, public_id)
    participant = _participant(request, referral, participant_id)
    try:
        if request.POST.get("decision") == "new":
            people_services.person_confirm_new(
                participant=participant, actor=_actor(request), request=request
            )
            messages.success(request, "Confirmed as a new person")
        else:
            to = get_in_scope_or_404(
                request,
                linkable_people(request.user),
                action="person.view",
                pk=request.POST.get("person") or 0,
            )
            people_services.person_link(
                participant=participant, to=to, actor=_actor(request), request=request
            )
            messages.success(request, "Linked to the known person")
    except people_services.PersonLinkError as exc:
        messages.error(request, str(exc))
    return redirect("triage:referral", referral.public_id)


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def participant_unlink(request: HttpRequest, public_id: Any, participant_id: int) -> HttpResponse:
    referral = _referral(request, public_id)
    participant = _participant(request, referral, participant_id)
    if participant.link_status == LinkStatus.PENDING:
        raise Http404("Page not found")
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why is the link wrong?"
    if request.method == "POST" and form.is_valid():
        try:
            people_services.person_unlink(
                participant=participant,
                actor=_actor(request),
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
    referral = _referral(request, public_id)
    if referral.status != ReferralStatus.SUBMITTED:
        raise Http404("Page not found")
    return referral


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = _decision_page(request, public_id)
    assert referral.area is not None
    policy = referral.area.policy
    form = AcceptForm(
        request.POST or None,
        meetings=_meeting_choices(referral),
        ask_engagement=bool(policy.repeat_idva_only_within_months),
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
                result = services.referral_accept(
                    referral=referral,
                    actor=_actor(request),
                    reason=data["reason"],
                    request=request,
                    attach_to=attach_to,
                    information_only=data["information_only"] == "yes",
                    victim_engaged_with_idva=data.get("victim_engaged") == "yes",
                    meeting=meeting,
                )
            except services.TriageError as exc:
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


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def return_incomplete(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = _decision_page(request, public_id)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_return(
                referral=referral,
                actor=_actor(request),
                missing=form.cleaned_data["missing"],
                request=request,
            )
        except services.TriageError as exc:
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


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def decline(request: HttpRequest, public_id: Any) -> HttpResponse:
    referral = _decision_page(request, public_id)
    form = DeclineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_decline(
                referral=referral,
                actor=_actor(request),
                decline_reason=form.cleaned_data["decline_reason"],
                explanation=form.cleaned_data["explanation"],
                request=request,
            )
        except services.TriageError as exc:
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


# People: duplicates, merging and unmerging.


def _person(request: HttpRequest, person_id: int) -> Person:
    return get_in_scope_or_404(
        request, linkable_people(request.user), action="person.view", pk=person_id
    )


@role_required(is_hub)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    audit_record(action="person.view", request=request, obj=person)
    visible = cases_visible_to(request.user)
    roles = person.case_roles.filter(case__in=visible).select_related("case")
    merges = PersonMerge.objects.filter(kept=person).select_related("merged", "merged_by")
    return render(
        request,
        "triage/person.html",
        {
            "person": person,
            "roles": roles,
            "matches": suggestions(request.user, person),
            "merges": merges,
        },
    )


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, person_id: int, other_id: int) -> HttpResponse:
    kept = _person(request, person_id)
    merged = _person(request, other_id)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why are these records the same person?"
    if request.method == "POST" and form.is_valid():
        try:
            people_services.person_merge(
                kept=kept,
                merged=merged,
                actor=_actor(request),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except people_services.PersonLinkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The two records are now one person")
            return redirect("triage:person", kept.pk)
    return render(
        request,
        "triage/merge.html",
        {"kept": kept, "merged": merged, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def person_unmerge(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = get_in_scope_or_404(
        request,
        PersonMerge.objects.filter(
            kept__in=linkable_people(request.user), undone_at__isnull=True
        ).select_related("kept", "merged"),
        action="person_merge.view",
        pk=merge_id,
    )
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why was the merge wrong?"
    if request.method == "POST" and form.is_valid():
        try:
            people_services.person_unmerge(
                merge=merge,
                actor=_actor(request),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except people_services.PersonLinkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The merge has been undone")
            return redirect("triage:person", merge.kept_id)
    return render(
        request,
        "triage/unmerge.html",
        {"merge": merge, "form": form},
        status=400 if form.errors else 200,
    )


# Complex cases and weekly updates.


@role_required(_is_chair_or_hub)
def complex_cases(request: HttpRequest) -> HttpResponse:
    cases = list(selectors.complex_case_candidates(request.user, today=local_date(timezone.now())))
    audit_record(action="complex_cases.view", request=request, detail={"count": len(cases)})
    return render(request, "triage/complex_cases.html", {"cases": cases})


def _case(request: HttpRequest, reference: str) -> Case:
    case = get_in_scope_or_404(
        request,
        cases_visible_to(request.user).select_related("area__policy"),
        action="case.view",
        reference=reference,
    )
    return case


@role_required(sees_cases)
def weekly_updates(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    updates = list(selectors.weekly_updates_for(case))
    audit_record(
        action="weekly_updates.view", request=request, obj=case, detail={"count": len(updates)}
    )
    links = CaseLink.objects.filter(Q(case=case) | Q(related_case=case)).select_related(
        "case", "related_case"
    )
    related = []
    for link in links:
        other = link.related_case if link.case_id == case.pk else link.case
        label = case_label_for(request.user, other)
        if label.shown:
            related.append((label, link.get_kind_display()))
    return render(
        request,
        "triage/weekly_updates.html",
        {"case": case, "updates": updates, "related": related},
    )


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def weekly_update_new(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case(request, reference)
    if case.status != CaseStatus.OPEN:
        raise Http404("Page not found")
    form = WeeklyUpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.weekly_update_submit(
                case=case,
                actor=_actor(request),
                kind=data["kind"],
                information=data["information"],
                purpose=data["purpose"],
                extend_flag=data["extend_flag"] == "yes",
                request=request,
            )
        except services.TriageError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Weekly update added to case {case.reference}")
            return redirect("triage:weekly_updates", case.reference)
    return render(
        request,
        "triage/weekly_update_new.html",
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )
