"""The minutes: reading them (as much as the reader may), the review of outstanding actions,
approval by the chair and by stand-ins for their cases, publishing, and sending the actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from openmarac.accounts.models import User
from openmarac.audit.models import Outcome as AuditOutcome
from openmarac.audit.services import audit_record
from openmarac.cases.selectors import case_labels_for, cases_visible_to
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required, sees_cases
from openmarac.drafts.decorators import keeps_drafts_for
from openmarac.drafts.services import form_draft_take
from openmarac.meetings.models import Meeting

from .. import documents, forms
from ..models import AttendeeRole, Hearing, SectionApproval
from ..selectors import MinutesAccess, can_approve_minutes, minutes_access, section_approvers
from ..services import minutes
from ..services.guards import ProceedingsError
from .access import acting_user, meeting_run, partnership_id_of, runs_meetings, show_error


def minutes_meeting(request: HttpRequest, meeting_id: int) -> tuple[Meeting, MinutesAccess]:
    user = acting_user(request)
    meeting = get_in_scope_or_404(
        request,
        Meeting.objects.filter(area__partnership_id=partnership_id_of(user)).select_related(
            "area__policy", "area__partnership", "record"
        ),
        action="minutes.view",
        pk=meeting_id,
    )
    access = minutes_access(user, meeting)
    if not access.any:
        audit_record(
            action="minutes.view.denied",
            request=request,
            obj=meeting,
            outcome=AuditOutcome.DENIED,
        )
        raise Http404("Page not found")
    return meeting, access


def _approvals(user: User, meeting: Meeting) -> list[dict[str, Any]]:
    """The parts of the minutes a stand-in approves, as ``user`` may know of them: a case they
    cannot see (a conflicted chair's) is shown without its label."""
    # The stand-ins and the sections they approve, read in one query (``section_approvers``
    # reads the same conflicts for the services).
    conflicts = list(
        meeting.conflicts.filter(
            attendee__role=AttendeeRole.CHAIR,
            stand_in__isnull=False,
            listing__hearing__isnull=False,
        ).select_related("stand_in", "listing__hearing")
    )
    sections: dict[int, set[int]] = {}
    for conflict in conflicts:
        users = sections.setdefault(conflict.listing.hearing.pk, set())
        if conflict.stand_in is not None and conflict.stand_in.user_id is not None:
            users.add(conflict.stand_in.user_id)
    chaired_by = {conflict.listing_id: conflict.stand_in for conflict in conflicts}
    hearings = list(
        Hearing.objects.filter(pk__in=sections)
        .select_related("listing__case", "section_approval__approved_by")
        .order_by("listing__position", "listing__listed_at", "pk")
    )
    labels = case_labels_for(user, [hearing.listing.case for hearing in hearings])
    out = []
    for hearing in hearings:
        label = labels[hearing.listing.case_id]
        approval = getattr(hearing, "section_approval", None)
        out.append(
            {
                "hearing": hearing,
                "label": label.text if label.shown else None,
                "stand_in": chaired_by.get(hearing.listing_id),
                "approval": approval,
                "yours": user.pk in sections[hearing.pk],
            }
        )
    return out


@role_required(sees_cases)
def minutes_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, access = minutes_meeting(request, meeting_id)
    user = acting_user(request)
    document = documents.minutes_document(meeting, user, access)
    approvals = _approvals(user, meeting)
    stand_in_hearings = {item["hearing"].pk for item in approvals}
    audit_record(
        action="minutes.view",
        request=request,
        obj=meeting,
        detail={"cases": len(document.cases), "full": access.full},
    )
    return render(
        request,
        "proceedings/minutes.html",
        {
            "meeting": meeting,
            "doc": document,
            "record": document.record,
            "access": access,
            "can_approve": any(
                a.user_id == user.pk and a.role == AttendeeRole.CHAIR for a in document.attendees
            )
            if access.full
            else can_approve_minutes(user, meeting),
            "approvals": approvals,
            "stand_in_hearings": stand_in_hearings,
            "is_hub": is_hub(user),
            "notes_form": forms.NotesForm(
                form_draft_take(request=request),
                initial={"notes": document.record.outstanding_actions_notes},
            ),
        },
    )


@keeps_drafts_for("proceedings:minutes")
@require_POST
@role_required(runs_meetings)
def minutes_notes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_run(request, meeting_id)
    form = forms.NotesForm(request.POST)
    if form.is_valid():
        try:
            minutes.outstanding_notes_save(
                meeting=meeting,
                notes=form.cleaned_data["notes"],
                actor=acting_user(request),
                request=request,
            )
        except ProceedingsError as exc:
            show_error(request, exc)
        else:
            messages.success(request, "Outstanding actions reviewed: saved")
    return redirect("proceedings:minutes", meeting.pk)


@require_POST
@role_required(runs_meetings)
def minutes_approve(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_run(request, meeting_id)
    if not can_approve_minutes(acting_user(request), meeting):
        audit_record(
            action="minutes.approve.denied",
            request=request,
            obj=meeting,
            outcome=AuditOutcome.DENIED,
        )
        raise Http404("Page not found")
    try:
        minutes.minutes_approve(meeting=meeting, actor=acting_user(request), request=request)
    except ProceedingsError as exc:
        show_error(request, exc)
    else:
        messages.success(request, "Minutes approved")
    return redirect("proceedings:minutes", meeting.pk)


# A case a stand-in chaired because the meeting's chair declared a conflict in it: its section of
# the minutes, which the stand-in approves. The conflicted chair never reaches it.


def _section(request: HttpRequest, meeting_id: int, listing_id: int, *, approving: bool) -> Hearing:
    """The heard case's section, for its stand-in approver, or (to read, not approve) for
    anyone who may read that case in the meeting's minutes."""
    user = acting_user(request)
    meeting = get_in_scope_or_404(
        request,
        Meeting.objects.filter(area__partnership_id=partnership_id_of(user)),
        action="minutes_section.view",
        pk=meeting_id,
    )
    stand_in = Q(
        listing__conflicts__attendee__role=AttendeeRole.CHAIR,
        listing__conflicts__stand_in__user=user,
    )
    readers = (
        stand_in
        if approving
        else stand_in | Q(listing_id__in=minutes_access(user, meeting).listing_ids)
    )
    return get_in_scope_or_404(
        request,
        Hearing.objects.filter(listing__meeting=meeting, listing__case__in=cases_visible_to(user))
        .filter(readers)
        .select_related("listing__meeting__area", "listing__case")
        .distinct(),
        action="minutes_section.approve" if approving else "minutes_section.view",
        listing_id=listing_id,
    )


@role_required(sees_cases)
def minutes_section(request: HttpRequest, meeting_id: int, listing_id: int) -> HttpResponse:
    hearing = _section(request, meeting_id, listing_id, approving=False)
    meeting = hearing.listing.meeting
    user = acting_user(request)
    document = documents.minutes_document(
        meeting, user, MinutesAccess(full=False, listing_ids={hearing.listing_id})
    )
    approvers = section_approvers(meeting).get(hearing.pk, set())
    approval = SectionApproval.objects.filter(hearing=hearing).select_related("approved_by").first()
    audit_record(
        action="minutes_section.view",
        request=request,
        obj=hearing,
        detail={"meeting": meeting.pk},
    )
    return render(
        request,
        "proceedings/minutes_section.html",
        {
            "meeting": meeting,
            "hearing": hearing,
            "doc": document,
            "record": document.record,
            "case": document.cases[0],
            "stand_in_section": bool(approvers) or approval is not None,
            "can_approve": user.pk in approvers and approval is None,
            "approval": approval,
            "reads_minutes": hearing.listing_id in minutes_access(user, meeting).listing_ids,
            "is_hub": is_hub(user),
        },
    )


@require_POST
@role_required(sees_cases)
def minutes_section_approve(request: HttpRequest, meeting_id: int, listing_id: int) -> HttpResponse:
    hearing = _section(request, meeting_id, listing_id, approving=True)
    try:
        minutes.minutes_section_approve(
            hearing=hearing, actor=acting_user(request), request=request
        )
    except ProceedingsError as exc:
        show_error(request, exc)
    else:
        messages.success(request, "Minutes of the case approved")
    return redirect("proceedings:minutes_section", meeting_id, listing_id)


@require_POST
@role_required(is_hub)
def minutes_publish(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_run(request, meeting_id)
    try:
        minutes.minutes_publish(meeting=meeting, actor=acting_user(request), request=request)
    except ProceedingsError as exc:
        show_error(request, exc)
    else:
        messages.success(request, "Minutes published to the attendees")
    return redirect("proceedings:minutes", meeting.pk)


@require_POST
@role_required(is_hub)
def actions_publish(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = meeting_run(request, meeting_id)
    try:
        minutes.actions_publish(meeting=meeting, actor=acting_user(request), request=request)
    except ProceedingsError as exc:
        show_error(request, exc)
    else:
        messages.success(request, "Actions sent to the agencies that own them")
    return redirect("proceedings:minutes", meeting.pk)
