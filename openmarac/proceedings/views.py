"""The meeting screen, the per-case record, the minutes and their PDFs. Views stay thin: they
fetch in scope (404 otherwise, audited), call a service, and render."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.accounts.models import User
from openmarac.accounts.stepup import recent_mfa_required
from openmarac.agencies.models import Agency
from openmarac.audit.models import Outcome as AuditOutcome
from openmarac.audit.services import audit_record
from openmarac.cases.selectors import case_label_for, cases_visible_to
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required, sees_cases
from openmarac.core.pdf import render_pdf
from openmarac.core.workdays import local_date
from openmarac.meetings.models import Listing, ListingStatus, Meeting, MeetingStatus

from . import documents, forms
from .actions_app import actions_available, actions_part
from .models import (
    AttendeeRole,
    Hearing,
    MinutesCorrection,
    MinutesStatus,
    SectionApproval,
    SharedInformation,
)
from .selectors import (
    MinutesAccess,
    can_approve_minutes,
    meetings_attended_by,
    meetings_run_by,
    minutes_access,
    section_approvers,
    sections_to_approve,
)
from .services import attendance, conduct, conflicts, corrections, hearings, minutes
from .services.guards import ProceedingsError, hearing_writable, minutes_part_open, record_for


def runs_meetings(user: Any) -> bool:
    return bool(is_hub(user) or user.is_chair)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _meeting_run(request: HttpRequest, meeting_id: int) -> Meeting:
    return get_in_scope_or_404(
        request,
        meetings_run_by(request.user).select_related("area__policy", "area__partnership"),
        action="meeting_run.view",
        pk=meeting_id,
    )


def _listing(request: HttpRequest, meeting: Meeting, listing_id: int) -> Listing:
    """A case at the meeting, if the user may see it (a conflicted attendee may not)."""
    return get_in_scope_or_404(
        request,
        Listing.objects.filter(meeting=meeting, case__in=cases_visible_to(request.user))
        .exclude(status=ListingStatus.WITHDRAWN)
        .select_related("case", "meeting__area__policy", "referral__referrer_agency"),
        action="hearing.view",
        pk=listing_id,
    )


def _error(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, str(exc))


def _partnership_id(user: Any) -> int:
    return int(user.agency.partnership_id) if user.agency_id else 0


def _partnership_agencies(meeting: Meeting) -> list[Agency]:
    return list(Agency.objects.filter(partnership_id=meeting.area.partnership_id).order_by("name"))


# The list of meetings.


@role_required(sees_cases)
def index(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    user = _user(request)
    run = list(
        meetings_run_by(user)
        .exclude(status=MeetingStatus.CANCELLED)
        .filter(starts_on__gte=today - datetime.timedelta(days=120))
        .select_related("area", "record")
        .order_by("starts_on", "start_time")[:60]
    )
    candidates = (
        Meeting.objects.filter(
            area__partnership_id=user.agency.partnership_id,  # type: ignore[union-attr]
            record__minutes_status=MinutesStatus.PUBLISHED,
        )
        .filter(
            Q(pk__in=meetings_attended_by(user).values("pk"))
            | Q(listings__referral__referrer_agency_id=user.agency_id)
        )
        .distinct()
        .select_related("area", "record")
        .order_by("-starts_on")[:60]
    )
    with_minutes = [m for m in candidates if minutes_access(user, m).any]
    to_approve = [
        {"hearing": hearing, "label": case_label_for(user, hearing.listing.case).text}
        for hearing in sections_to_approve(user)[:60]
    ]
    audit_record(action="meetings_index.view", request=request)
    return render(
        request,
        "proceedings/index.html",
        {"run": run, "with_minutes": with_minutes, "to_approve": to_approve},
    )


# The meeting screen.


@role_required(runs_meetings)
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_run(request, meeting_id)
    record = record_for(meeting)
    user = _user(request)
    slots = []
    for slot in conduct.timetable(meeting):
        label = case_label_for(user, slot.listing.case)
        if not label.shown:
            continue
        slots.append({"slot": slot, "label": label, "hearing": _hearing_or_none(slot.listing)})
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
        },
    )


def _hearing_or_none(listing: Listing) -> Hearing | None:
    return Hearing.objects.filter(listing=listing).first()


def _visible_conflicts(user: User, meeting: Meeting) -> list[dict[str, Any]]:
    out = []
    for conflict in meeting.conflicts.select_related("attendee", "stand_in", "case"):
        label = case_label_for(user, conflict.case)
        out.append(
            {
                "conflict": conflict,
                "label": label.text if label.shown else "A case you cannot see",
            }
        )
    return out


@role_required(runs_meetings)
@require_http_methods(["GET", "POST"])
def attendee_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_run(request, meeting_id)
    users = list(
        User.objects.filter(is_active=True, agency__partnership_id=meeting.area.partnership_id)
        .exclude(meeting_attendances__meeting=meeting)
        .select_related("agency")
        .order_by("agency__name", "last_name", "username")
    )
    agencies = _partnership_agencies(meeting)
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
                actor=request.user,
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
    meeting = _meeting_run(request, meeting_id)
    agencies = [a for a in _partnership_agencies(meeting) if not a.is_hub]
    form = forms.ApologyForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        agency = next(a for a in agencies if a.pk == form.cleaned_data["agency"])
        try:
            attendance.apology_record(
                meeting=meeting,
                agency=agency,
                information_in_writing=form.cleaned_data["in_writing"] == "yes",
                actor=request.user,
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
    meeting = _meeting_run(request, meeting_id)
    attendee = get_in_scope_or_404(
        request, meeting.attendees.all(), action="meeting.attendee", pk=attendee_id
    )
    attendance.attendee_confirm(attendee=attendee, actor=request.user, request=request)
    messages.success(request, f"{attendee.name} confirmed the confidentiality statement")
    return redirect("proceedings:meeting", meeting.pk)


@require_POST
@role_required(runs_meetings)
def order(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_run(request, meeting_id)
    form = forms.OrderForm(request.POST)
    if form.is_valid():
        conduct.meeting_order_apply(
            meeting=meeting, mode=form.cleaned_data["mode"], actor=request.user, request=request
        )
        messages.success(request, "Cases put in order")
    else:
        messages.error(request, "Choose how to order the cases")
    return redirect("proceedings:meeting", meeting.pk)


@require_POST
@role_required(runs_meetings)
def meeting_open(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_run(request, meeting_id)
    try:
        conduct.meeting_open(meeting=meeting, actor=request.user, request=request)
    except ProceedingsError as exc:
        _error(request, exc)
    else:
        quorum = attendance.quorum_check(meeting)
        if quorum.met:
            messages.success(request, "The meeting is open")
        else:
            messages.warning(request, "The meeting is open but it is not quorate")
    return redirect("proceedings:meeting", meeting.pk)


@require_POST
@role_required(runs_meetings)
def meeting_close(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_run(request, meeting_id)
    try:
        conduct.meeting_close(meeting=meeting, actor=request.user, request=request)
    except ProceedingsError as exc:
        _error(request, exc)
        return redirect("proceedings:meeting", meeting.pk)
    messages.success(request, "The meeting is closed: the minutes are now due")
    return redirect("proceedings:minutes", meeting.pk)


# Conflicts of interest: the people running the meeting record one for anyone present; an
# attendee can declare their own.


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def conflict_add(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _user(request)
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
                actor=request.user,
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


# A case at the meeting.


def _hearing_meeting(request: HttpRequest, meeting_id: int, listing_id: int) -> Meeting:
    """The meeting, for someone running it or standing in for a conflicted chair or minute
    taker on this case."""
    user = _user(request)
    scope = Meeting.objects.filter(
        Q(pk__in=meetings_run_by(user).values("pk"))
        | Q(conflicts__listing_id=listing_id, conflicts__stand_in__user=user)
    ).distinct()
    return get_in_scope_or_404(
        request,
        scope.select_related("area__policy", "area__partnership"),
        action="hearing.view",
        pk=meeting_id,
    )


def _stand_in_or_runner(user: Any) -> bool:
    return bool(sees_cases(user))


@role_required(_stand_in_or_runner)
@require_http_methods(["GET", "POST"])
def hearing(request: HttpRequest, meeting_id: int, listing_id: int) -> HttpResponse:
    meeting = _hearing_meeting(request, meeting_id, listing_id)
    listing = _listing(request, meeting, listing_id)
    record = record_for(meeting)
    hearing = _hearing_or_none(listing)
    present = conflicts.present_agencies(listing)
    agencies = _partnership_agencies(meeting)
    form = forms.HearingForm(
        request.POST or None,
        agencies=present,
        initial={
            "risks": hearing.risks,
            "victim_voice": hearing.victim_voice,
            "discussion": hearing.discussion,
            "feedback_agency": hearing.feedback_agency_id,
            "feedback_what": hearing.feedback_what,
        }
        if hearing
        else None,
    )
    info_form = forms.InformationForm(prefix="info", agencies=[a for a in agencies if not a.is_hub])
    if request.method == "POST" and hearing is not None and form.is_valid():
        data = form.cleaned_data
        try:
            hearings.hearing_update(
                hearing=hearing,
                risks=data["risks"],
                victim_voice=data["victim_voice"],
                discussion=data["discussion"],
                feedback_agency=next((a for a in present if a.pk == data["feedback_agency"]), None),
                feedback_what=data["feedback_what"],
                actor=request.user,
                request=request,
            )
        except ProceedingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Case record saved")
            return redirect("proceedings:hearing", meeting.pk, listing.pk)
    if request.method == "GET":
        audit_record(action="hearing.view", request=request, obj=listing.case)
    return render(
        request,
        "proceedings/hearing.html",
        {
            "meeting": meeting,
            "record": record,
            "listing": listing,
            "case": listing.case,
            "hearing": hearing,
            "form": form,
            "info_form": info_form,
            "information": hearing.information.select_related("agency") if hearing else [],
            "minutes_open": minutes_part_open(record, hearing),
            "present": present,
            "conflicts": listing.conflicts.select_related("attendee", "stand_in"),
            "actions": documents.case_actions(meeting, listing.case),
            "actions_available": actions_available(),
            "unconfirmed": attendance.unconfirmed(meeting),
            "alerts": listing.case.alerts.all(),
        },
    )


@require_POST
@role_required(_stand_in_or_runner)
def hearing_open(request: HttpRequest, meeting_id: int, listing_id: int) -> HttpResponse:
    meeting = _hearing_meeting(request, meeting_id, listing_id)
    listing = _listing(request, meeting, listing_id)
    try:
        hearings.hearing_open(listing=listing, actor=request.user, request=request)
    except ProceedingsError as exc:
        _error(request, exc)
        return redirect("proceedings:meeting", meeting.pk)
    return redirect("proceedings:hearing", meeting.pk, listing.pk)


def _open_hearing(request: HttpRequest, listing: Listing) -> Hearing:
    hearing = _hearing_or_none(listing)
    if hearing is None:
        audit_record(
            action="hearing.not_open",
            request=request,
            obj=listing,
            outcome=AuditOutcome.DENIED,
        )
        raise Http404("Page not found")
    return hearing


@require_POST
@role_required(_stand_in_or_runner)
def information_add(request: HttpRequest, meeting_id: int, listing_id: int) -> HttpResponse:
    meeting = _hearing_meeting(request, meeting_id, listing_id)
    listing = _listing(request, meeting, listing_id)
    hearing = _open_hearing(request, listing)
    agencies = [a for a in _partnership_agencies(meeting) if not a.is_hub]
    form = forms.InformationForm(request.POST, prefix="info", agencies=agencies)
    if form.is_valid():
        data = form.cleaned_data
        try:
            hearings.information_record(
                hearing=hearing,
                agency=next(a for a in agencies if a.pk == data["agency"]),
                text=data["text"],
                in_writing=data["in_writing"] == "yes",
                actor=request.user,
                request=request,
            )
        except ProceedingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Information recorded")
            return redirect("proceedings:hearing", meeting.pk, listing.pk)
    hearing_form = forms.HearingForm(agencies=conflicts.present_agencies(listing))
    return render(
        request,
        "proceedings/hearing.html",
        {
            "meeting": meeting,
            "record": record_for(meeting),
            "listing": listing,
            "minutes_open": minutes_part_open(record_for(meeting), hearing),
            "case": listing.case,
            "hearing": hearing,
            "form": hearing_form,
            "info_form": form,
            "information": hearing.information.select_related("agency"),
            "present": conflicts.present_agencies(listing),
            "conflicts": listing.conflicts.select_related("attendee", "stand_in"),
            "actions": documents.case_actions(meeting, listing.case),
            "actions_available": actions_available(),
            "unconfirmed": attendance.unconfirmed(meeting),
            "alerts": listing.case.alerts.all(),
        },
        status=200,
    )


@role_required(_stand_in_or_runner)
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, meeting_id: int, listing_id: int) -> HttpResponse:
    meeting = _hearing_meeting(request, meeting_id, listing_id)
    listing = _listing(request, meeting, listing_id)
    hearing = _open_hearing(request, listing)
    present = conflicts.present_agencies(listing)
    form = forms.OutcomeForm(request.POST or None, agencies=present)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            hearings.hearing_decide(
                hearing=hearing,
                outcome=data["outcome"],
                reason=data["reason"],
                consensus=[a for a in present if a.pk in set(data["consensus"])],
                actor=request.user,
                request=request,
            )
        except ProceedingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Outcome recorded: {hearing.get_outcome_display()}")
            return redirect("proceedings:meeting", meeting.pk)
    return render(
        request,
        "proceedings/outcome.html",
        {"meeting": meeting, "listing": listing, "hearing": hearing, "form": form},
    )


def _require_actions(request: HttpRequest, listing: Listing) -> None:
    if not actions_available():
        audit_record(
            action="action.unavailable", request=request, obj=listing, outcome=AuditOutcome.DENIED
        )
        raise Http404("Page not found")


def _action_owners(listing: Listing) -> list[Agency]:
    """Agencies that may own an action agreed at the meeting: those present for the case that
    may own actions on it."""
    agencies_for_actions = actions_part("services").agencies_for_actions
    allowed = set(agencies_for_actions(listing.case).values_list("pk", flat=True))
    return [a for a in conflicts.present_agencies(listing) if a.pk in allowed]


@role_required(_stand_in_or_runner)
@require_http_methods(["GET", "POST"])
def action_add(request: HttpRequest, meeting_id: int, listing_id: int) -> HttpResponse:
    from openmarac.core.workdays import calendar_for

    meeting = _hearing_meeting(request, meeting_id, listing_id)
    listing = _listing(request, meeting, listing_id)
    hearing = _open_hearing(request, listing)
    _require_actions(request, listing)
    action_services = actions_part("services")
    owners = _action_owners(listing)
    form = forms.ActionForm(request.POST or None, agencies=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        due_on = None
        if data["due_in_days"] is not None:
            due_on = calendar_for(meeting.area.partnership).add_working_days(
                local_date(timezone.now()), data["due_in_days"]
            )
        try:
            hearing_writable(hearing)
            action = action_services.action_propose(
                case=listing.case,
                owner_agency=next(a for a in owners if a.pk == data["owner_agency"]),
                what=data["what"],
                addresses=data["addresses"],
                due_on=due_on,
                rationale=data["rationale"],
                proposed_by=request.user,
                request=request,
                meeting=meeting,
            )
            action_services.action_agree(
                action=action, agreed_by=request.user, request=request, meeting=meeting
            )
        except (ProceedingsError, action_services.ActionError) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Action agreed")
            return redirect("proceedings:hearing", meeting.pk, listing.pk)
    return render(
        request,
        "proceedings/action_add.html",
        {"meeting": meeting, "listing": listing, "hearing": hearing, "form": form},
    )


@require_POST
@role_required(_stand_in_or_runner)
def action_agree(
    request: HttpRequest, meeting_id: int, listing_id: int, action_id: Any
) -> HttpResponse:
    meeting = _hearing_meeting(request, meeting_id, listing_id)
    listing = _listing(request, meeting, listing_id)
    hearing = _open_hearing(request, listing)
    _require_actions(request, listing)
    models, action_services = actions_part("models"), actions_part("services")
    action = get_in_scope_or_404(
        request,
        models.Action.objects.filter(case=listing.case, status=models.ActionStatus.PROPOSED),
        action="action.agree",
        public_id=action_id,
    )
    try:
        hearing_writable(hearing)
        action_services.action_agree(
            action=action, agreed_by=request.user, request=request, meeting=meeting
        )
    except (ProceedingsError, action_services.ActionError) as exc:
        _error(request, exc)
    else:
        messages.success(request, "Action agreed")
    return redirect("proceedings:hearing", meeting.pk, listing.pk)


# Minutes.


def _minutes_meeting(request: HttpRequest, meeting_id: int) -> tuple[Meeting, Any]:
    user = _user(request)
    meeting = get_in_scope_or_404(
        request,
        Meeting.objects.filter(area__partnership_id=_partnership_id(user)).select_related(
            "area__policy", "area__partnership"
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
    sections = section_approvers(meeting)
    hearings = (
        Hearing.objects.filter(pk__in=sections)
        .select_related("listing__case", "section_approval__approved_by")
        .order_by("listing__position", "listing__listed_at", "pk")
    )
    chaired_by = {
        c.listing_id: c.stand_in
        for c in meeting.conflicts.filter(
            attendee__role=AttendeeRole.CHAIR, stand_in__isnull=False
        ).select_related("stand_in")
    }
    out = []
    for hearing in hearings:
        label = case_label_for(user, hearing.listing.case)
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
    meeting, access = _minutes_meeting(request, meeting_id)
    user = _user(request)
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
            "can_approve": can_approve_minutes(user, meeting),
            "approvals": approvals,
            "stand_in_hearings": stand_in_hearings,
            "is_hub": is_hub(user),
            "notes_form": forms.NotesForm(
                initial={"notes": document.record.outstanding_actions_notes}
            ),
        },
    )


@require_POST
@role_required(runs_meetings)
def minutes_notes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_run(request, meeting_id)
    form = forms.NotesForm(request.POST)
    if form.is_valid():
        try:
            minutes.outstanding_notes_save(
                meeting=meeting,
                notes=form.cleaned_data["notes"],
                actor=request.user,
                request=request,
            )
        except ProceedingsError as exc:
            _error(request, exc)
        else:
            messages.success(request, "Outstanding actions reviewed: saved")
    return redirect("proceedings:minutes", meeting.pk)


@require_POST
@role_required(runs_meetings)
def minutes_approve(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_run(request, meeting_id)
    if not can_approve_minutes(request.user, meeting):
        audit_record(
            action="minutes.approve.denied",
            request=request,
            obj=meeting,
            outcome=AuditOutcome.DENIED,
        )
        raise Http404("Page not found")
    try:
        minutes.minutes_approve(meeting=meeting, actor=request.user, request=request)
    except ProceedingsError as exc:
        _error(request, exc)
    else:
        messages.success(request, "Minutes approved")
    return redirect("proceedings:minutes", meeting.pk)


# A case a stand-in chaired because the meeting's chair declared a conflict in it: its section of
# the minutes, which the stand-in approves. The conflicted chair never reaches it.


def _section(request: HttpRequest, meeting_id: int, listing_id: int, *, approving: bool) -> Hearing:
    """The heard case's section, for its stand-in approver, or (to read, not approve) for
    anyone who may read that case in the meeting's minutes."""
    user = _user(request)
    meeting = get_in_scope_or_404(
        request,
        Meeting.objects.filter(area__partnership_id=_partnership_id(user)),
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
    user = _user(request)
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
        minutes.minutes_section_approve(hearing=hearing, actor=request.user, request=request)
    except ProceedingsError as exc:
        _error(request, exc)
    else:
        messages.success(request, "Minutes of the case approved")
    return redirect("proceedings:minutes_section", meeting_id, listing_id)


@require_POST
@role_required(is_hub)
def minutes_publish(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_run(request, meeting_id)
    try:
        minutes.minutes_publish(meeting=meeting, actor=request.user, request=request)
    except ProceedingsError as exc:
        _error(request, exc)
    else:
        messages.success(request, "Minutes published to the attendees")
    return redirect("proceedings:minutes", meeting.pk)


@require_POST
@role_required(is_hub)
def actions_publish(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting_run(request, meeting_id)
    try:
        minutes.actions_publish(meeting=meeting, actor=request.user, request=request)
    except ProceedingsError as exc:
        _error(request, exc)
    else:
        messages.success(request, "Actions sent to the agencies that own them")
    return redirect("proceedings:minutes", meeting.pk)


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def correction_new(request: HttpRequest, information_id: int) -> HttpResponse:
    user = _user(request)
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
    user = _user(request)
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


# PDFs.


def _marking(request: HttpRequest) -> str:
    user = _user(request)
    now = timezone.localtime()
    return (
        f"OFFICIAL-SENSITIVE. Downloaded by {user.get_full_name() or user.username} "
        f"({user.username}) on {now:%-d %B %Y at %H:%M}."
    )


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(sees_cases)
@recent_mfa_required
def agenda_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = _user(request)
    runs = meetings_run_by(user).filter(pk=meeting_id).exists()
    scope = Meeting.objects.filter(area__partnership_id=_partnership_id(user))
    if not runs:
        scope = scope.filter(
            agenda_published_at__isnull=False,
            listings__case__in=cases_visible_to(user),
        ).distinct()
    meeting = get_in_scope_or_404(
        request, scope.select_related("area__policy"), action="agenda_pdf.download", pk=meeting_id
    )
    blocks = documents.agenda_blocks(meeting, user)
    content = render_pdf(
        title=f"{meeting.area.name} MARAC agenda, {meeting.starts_on:%-d %B %Y}",
        blocks=blocks,
        marking=_marking(request),
    )
    audit_record(action="agenda_pdf.download", request=request, obj=meeting)
    return _pdf_response(content, f"agenda-{meeting.pk}.pdf")


@role_required(sees_cases)
@recent_mfa_required
def minutes_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting, access = _minutes_meeting(request, meeting_id)
    user = _user(request)
    document = documents.minutes_document(meeting, user, access)
    content = render_pdf(
        title=f"{meeting.area.name} MARAC minutes, {meeting.starts_on:%-d %B %Y}",
        blocks=documents.minutes_blocks(document),
        marking=_marking(request),
    )
    audit_record(
        action="minutes_pdf.download",
        request=request,
        obj=meeting,
        detail={"cases": len(document.cases), "full": access.full},
    )
    return _pdf_response(content, f"minutes-{meeting.pk}.pdf")
