"""A case at the meeting: its record, what agencies shared, the actions agreed and its
outcome. Reached by the people running the meeting, or by whoever stands in for a conflicted
chair or minute taker on that case."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.audit.models import Outcome as AuditOutcome
from openmarac.audit.services import audit_record
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import role_required, sees_cases
from openmarac.core.workdays import calendar_for, local_date
from openmarac.drafts.decorators import keeps_drafts, keeps_drafts_for
from openmarac.drafts.services import form_draft_take
from openmarac.idva.selectors import idva_contact_for_meeting
from openmarac.meetings.models import Listing, ListingStatus, Meeting

from .. import documents, forms
from ..actions_app import actions_available, actions_part
from ..models import Hearing
from ..selectors import meetings_run_by
from ..services import attendance, conflicts, hearings
from ..services.guards import ProceedingsError, hearing_writable, minutes_part_open, record_for
from .access import acting_user, hearing_or_none, partnership_agencies, show_error


def _hearing_meeting(request: HttpRequest, meeting_id: int, listing_id: int) -> Meeting:
    """The meeting, for someone running it or standing in for a conflicted chair or minute
    taker on this case."""
    user = acting_user(request)
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


def _stand_in_or_runner(user: User) -> bool:
    return bool(sees_cases(user))


@keeps_drafts
@role_required(_stand_in_or_runner)
@require_http_methods(["GET", "POST"])
def hearing(request: HttpRequest, meeting_id: int, listing_id: int) -> HttpResponse:
    meeting = _hearing_meeting(request, meeting_id, listing_id)
    listing = _listing(request, meeting, listing_id)
    record = record_for(meeting)
    hearing = hearing_or_none(listing)
    present = conflicts.present_agencies(listing)
    agencies = partnership_agencies(meeting)
    # A draft of either form on this page (the case record, or information shared, which posts
    # to its own address) is handed back to the form it came from.
    draft = form_draft_take(request=request) if request.method == "GET" else None
    information_draft = draft if draft is not None and "info-text" in draft else None
    hearing_draft = draft if draft is not None and information_draft is None else None
    form = forms.HearingForm(
        request.POST or hearing_draft,
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
    info_form = forms.InformationForm(
        information_draft, prefix="info", agencies=[a for a in agencies if not a.is_hub]
    )
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
                actor=acting_user(request),
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
            "idva_contact": idva_contact_for_meeting(listing.case),
            "declined_idva": listing.case.referrals.filter(victim_declined_idva=True).exists(),
        },
    )


@require_POST
@role_required(_stand_in_or_runner)
def hearing_open(request: HttpRequest, meeting_id: int, listing_id: int) -> HttpResponse:
    meeting = _hearing_meeting(request, meeting_id, listing_id)
    listing = _listing(request, meeting, listing_id)
    try:
        hearings.hearing_open(listing=listing, actor=acting_user(request), request=request)
    except ProceedingsError as exc:
        show_error(request, exc)
        return redirect("proceedings:meeting", meeting.pk)
    return redirect("proceedings:hearing", meeting.pk, listing.pk)


def _open_hearing(request: HttpRequest, listing: Listing) -> Hearing:
    hearing = hearing_or_none(listing)
    if hearing is None:
        audit_record(
            action="hearing.not_open",
            request=request,
            obj=listing,
            outcome=AuditOutcome.DENIED,
        )
        raise Http404("Page not found")
    return hearing


@keeps_drafts_for("proceedings:hearing")
@require_POST
@role_required(_stand_in_or_runner)
def information_add(request: HttpRequest, meeting_id: int, listing_id: int) -> HttpResponse:
    meeting = _hearing_meeting(request, meeting_id, listing_id)
    listing = _listing(request, meeting, listing_id)
    hearing = _open_hearing(request, listing)
    agencies = [a for a in partnership_agencies(meeting) if not a.is_hub]
    form = forms.InformationForm(request.POST, prefix="info", agencies=agencies)
    if form.is_valid():
        data = form.cleaned_data
        try:
            hearings.information_record(
                hearing=hearing,
                agency=next(a for a in agencies if a.pk == data["agency"]),
                text=data["text"],
                in_writing=data["in_writing"] == "yes",
                actor=acting_user(request),
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


@keeps_drafts
@role_required(_stand_in_or_runner)
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, meeting_id: int, listing_id: int) -> HttpResponse:
    meeting = _hearing_meeting(request, meeting_id, listing_id)
    listing = _listing(request, meeting, listing_id)
    hearing = _open_hearing(request, listing)
    present = conflicts.present_agencies(listing)
    form = forms.OutcomeForm(request.POST or form_draft_take(request=request), agencies=present)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decided = hearings.hearing_decide(
                hearing=hearing,
                outcome=data["outcome"],
                reason=data["reason"],
                consensus=[a for a in present if a.pk in set(data["consensus"])],
                actor=acting_user(request),
                request=request,
            )
        except ProceedingsError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Outcome recorded: {decided.get_outcome_display()}")
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
    request: HttpRequest, meeting_id: int, listing_id: int, action_id: UUID
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
        show_error(request, exc)
    else:
        messages.success(request, "Action agreed")
    return redirect("proceedings:hearing", meeting.pk, listing.pk)
