"""Research pages: an agency's to-do list, a case's research, recording it, history, the board.

All research for a case is shown to every member of the area MARAC who may see the case (the
scoping layer decides), never to anyone else; only the requested agency's representatives edit
it. Every view is audited.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openmarac.agencies.models import Sector
from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record
from openmarac.cases.lifecycle import CaseFrozen, case_is_frozen
from openmarac.cases.models import CaseParticipant
from openmarac.cases.selectors import case_labels_for
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required, sees_cases
from openmarac.core.pagination import PageQuery, paginate
from openmarac.core.workdays import local_date
from openmarac.drafts.decorators import keeps_drafts
from openmarac.drafts.services import form_draft_take
from openmarac.meetings.models import ListingReason

from .forms import ResearchEntryForm, ResearchSubmitForm
from .models import ResearchEntry, ResearchRequest
from .selectors import (
    entries_visible_to,
    listings_visible_to,
    meetings_visible_to,
    research_board,
    research_visible_to,
)
from .services import (
    ResearchError,
    research_entry_save,
    research_missing_people,
    research_people,
    research_submit,
)

if TYPE_CHECKING:
    from openmarac.accounts.models import User


def is_rep(user: User) -> bool:
    return bool(user.is_agency_rep and user.agency_id)


def _agency_id(request: HttpRequest) -> int:
    return int(signed_in_user(request).agency_id or 0)


def _today() -> datetime.date:
    return local_date(timezone.now())


def lookback_guidance(research: ResearchRequest) -> str:
    """How far back the agency should look (shown as guidance, never enforced)."""
    listing = research.listing
    case = listing.case
    if listing.reason == ListingReason.REPEAT and case.last_heard_on:
        return (
            "This is a repeat: share only what is new since the case was last heard, on "
            f"{case.last_heard_on:%d %B %Y}."
        )
    policy = listing.meeting.area.policy
    if research.agency.sector == Sector.POLICE:
        return f"Police: share history from the last {policy.police_lookback_months} months."
    return f"Share history from the last {policy.other_lookback_months} months."


@role_required(is_rep)
def research_mine(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    today = _today()
    query = PageQuery(request.GET)
    page = paginate(
        research_visible_to(user)
        .filter(
            agency_id=_agency_id(request),
            listing__meeting__starts_on__gte=today - datetime.timedelta(days=14),
        )
        .select_related("listing__meeting__area", "listing__case")
        .order_by("completed_at", "due_on", "listing__meeting__starts_on", "pk"),
        page=query.value("page"),
    )
    requests = list(page.object_list)
    labels = case_labels_for(user, [r.listing.case for r in requests])
    rows = [(r, labels[r.listing.case_id]) for r in requests]
    audit_record(
        action="research.mine_view",
        request=request,
        detail={"count": page.paginator.count, "page": page.number},
    )
    return render(
        request,
        "research/mine.html",
        {"rows": rows, "today": today, "page": page, "query": query},
    )


@dataclass
class PersonResearch:
    participant: CaseParticipant
    entries: list[tuple[ResearchRequest, ResearchEntry | None]]
    own: ResearchEntry | None


@role_required(sees_cases)
def research_case(request: HttpRequest, listing_id: int) -> HttpResponse:
    user = signed_in_user(request)
    listing = get_in_scope_or_404(
        request,
        listings_visible_to(user).select_related(
            "case", "meeting__area__policy", "meeting__area__partnership"
        ),
        action="research.view",
        pk=listing_id,
    )
    meeting = listing.meeting
    if meeting.agenda_published_at is None and not is_hub(user):
        audit_record(
            action="research.view.denied",
            request=request,
            obj=listing,
            outcome=Outcome.DENIED,
        )
        raise Http404("Page not found")
    requests = list(
        ResearchRequest.objects.filter(listing=listing)
        .select_related("agency")
        .order_by("agency__name")
    )
    entries = {
        (e.request_id, e.participant_id): e
        for e in ResearchEntry.objects.filter(request__listing=listing)
    }
    own = next(
        (r for r in requests if is_rep(user) and r.agency_id == user.agency_id),
        None,
    )
    people = [
        PersonResearch(
            participant=p,
            entries=[(r, entries.get((r.pk, p.pk))) for r in requests],
            own=entries.get((own.pk, p.pk)) if own else None,
        )
        for p in research_people(listing)
    ]
    audit_record(action="research.view", request=request, obj=listing)
    return render(
        request,
        "research/case.html",
        {
            "listing": listing,
            "meeting": meeting,
            "requests": requests,
            "people": people,
            "own": own,
            "guidance": lookback_guidance(own) if own else "",
            "frozen": case_is_frozen(listing.case),
            "today": _today(),
            "missing": research_missing_people(own) if own else [],
        },
    )


def _own_request(request: HttpRequest, request_id: int, action: str) -> ResearchRequest:
    return get_in_scope_or_404(
        request,
        research_visible_to(signed_in_user(request))
        .filter(agency_id=_agency_id(request))
        .select_related("listing__case", "listing__meeting__area__policy", "agency"),
        action=action,
        pk=request_id,
    )


@keeps_drafts
@role_required(is_rep)
@require_http_methods(["GET", "POST"])
def research_entry(request: HttpRequest, request_id: int, participant_id: int) -> HttpResponse:
    research = _own_request(request, request_id, "research.edit")
    participant = next(
        (p for p in research_people(research.listing) if p.pk == participant_id), None
    )
    if participant is None:
        audit_record(
            action="research.edit.denied",
            request=request,
            object_type="cases.caseparticipant",
            object_id=participant_id,
            outcome=Outcome.DENIED,
        )
        raise Http404("Page not found")
    entry = ResearchEntry.objects.filter(request=research, participant=participant).first()
    initial = (
        {
            "finding": entry.finding,
            "information": entry.information,
            "period_from": entry.period_from,
            "period_to": entry.period_to,
            "basis": entry.basis,
        }
        if entry
        else {}
    )
    frozen = case_is_frozen(research.listing.case)
    form = ResearchEntryForm(
        request.POST if request.method == "POST" else form_draft_take(request=request),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            research_entry_save(
                research=research,
                participant=participant,
                user=signed_in_user(request),
                finding=data["finding"],
                information=data["information"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                basis=data["basis"],
                request=request,
            )
        except (ResearchError, CaseFrozen) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"Research on the {participant.get_role_display().lower()} saved"
            )
            return redirect("research:case", listing_id=research.listing_id)
    if request.method == "GET":
        audit_record(action="research.edit_view", request=request, obj=research)
    return render(
        request,
        "research/entry.html",
        {
            "research": research,
            "participant": participant,
            "form": form,
            "entry": entry,
            "guidance": lookback_guidance(research),
            "frozen": frozen,
        },
    )


@keeps_drafts
@role_required(is_rep)
@require_http_methods(["GET", "POST"])
def research_submit_view(request: HttpRequest, request_id: int) -> HttpResponse:
    research = _own_request(request, request_id, "research.submit")
    form = ResearchSubmitForm(
        request.POST if request.method == "POST" else form_draft_take(request=request),
        initial={"written_submission": research.written_submission},
    )
    if request.method == "POST" and form.is_valid():
        try:
            research_submit(
                research=research,
                user=signed_in_user(request),
                written_submission=form.cleaned_data["written_submission"],
                request=request,
            )
        except (ResearchError, CaseFrozen) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your agency's research on this case is complete")
            return redirect("research:case", listing_id=research.listing_id)
    return render(
        request,
        "research/submit.html",
        {
            "research": research,
            "form": form,
            "missing": research_missing_people(research),
            "frozen": case_is_frozen(research.listing.case),
        },
    )


@role_required(sees_cases)
def research_history(request: HttpRequest, entry_id: int) -> HttpResponse:
    user = signed_in_user(request)
    entry = get_in_scope_or_404(
        request,
        entries_visible_to(user).select_related(
            "request__agency", "request__listing__case", "participant__person"
        ),
        action="research.history",
        pk=entry_id,
    )
    if entry.request.listing.meeting.agenda_published_at is None and not is_hub(user):
        raise Http404("Page not found")
    versions = entry.versions.select_related("recorded_by")
    audit_record(action="research.history", request=request, obj=entry)
    return render(request, "research/history.html", {"entry": entry, "versions": versions})


@role_required(sees_cases)
def research_board_view(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user = signed_in_user(request)
    meeting = get_in_scope_or_404(
        request,
        meetings_visible_to(user).select_related("area"),
        action="research.board",
        pk=meeting_id,
    )
    today = _today()
    board = (
        research_board(user, meeting, today=today)
        if meeting.agenda_published_at or is_hub(user)
        else None
    )
    audit_record(action="research.board", request=request, obj=meeting)
    return render(
        request,
        "research/board.html",
        {"meeting": meeting, "board": board, "hub": is_hub(user), "today": today},
    )
