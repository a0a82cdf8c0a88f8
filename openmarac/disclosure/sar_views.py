"""Subject access requests: the hub's pages, every one behind a fresh second factor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.accounts.models import User
from openmarac.accounts.stepup import recent_mfa_required
from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required
from openmarac.core.pdf import render_pdf
from openmarac.core.workdays import local_date

from . import documents, subject_access
from .errors import DisclosureError
from .forms import (
    IdentityForm,
    ItemDecisionForm,
    SarExtendForm,
    SarLogForm,
    SubjectSearchForm,
)
from .models import SarItem, SarStatus, SubjectAccessRequest
from .selectors import (
    cases_open_to,
    sars_for,
    subject_candidates,
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _marking(request: HttpRequest, what: str) -> str:
    user = _user(request)
    return (
        f"OFFICIAL-SENSITIVE. {what}, produced by {user.get_full_name() or user.username} "
        f"({user.username}) on {timezone.localtime():%-d %B %Y at %H:%M}."
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(is_hub)
@recent_mfa_required
def sar_list(request: HttpRequest) -> HttpResponse:
    today = local_date(timezone.now())
    requests = sars_for(request.user).order_by("status", "due_on", "pk")
    audit_record(action="sar.list_viewed", request=request)
    return render(request, "disclosure/sar_list.html", {"requests": requests, "today": today})


@role_required(is_hub)
@recent_mfa_required
@require_http_methods(["GET", "POST"])
def sar_new(request: HttpRequest) -> HttpResponse:
    form = SarLogForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sar = subject_access.sar_log(
                partnership=_user(request).agency.partnership,  # type: ignore[union-attr]
                requester_name=data["requester_name"],
                reply_to=data["reply_to"],
                made_by=data["made_by"],
                received_on=data["received_on"],
                actor=request.user,
                request=request,
            )
        except DisclosureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Subject access request {sar.reference} logged")
            return redirect("disclosure:sar", public_id=sar.public_id)
    return render(
        request, "disclosure/sar_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _sar(request: HttpRequest, public_id: Any, action: str) -> SubjectAccessRequest:
    return get_in_scope_or_404(request, sars_for(request.user), action=action, public_id=public_id)


def _sar_page(
    request: HttpRequest, sar: SubjectAccessRequest, forms: dict[str, Any] | None = None
) -> HttpResponse:
    today = local_date(timezone.now())
    readable = set(
        cases_open_to(request.user)
        .filter(pk__in=sar.items.values("case_id"))
        .values_list("pk", flat=True)
    )
    items = list(sar.items.select_related("supplied_by", "case").order_by("position", "pk"))
    for item in items:
        item.readable = item.case_id is None or item.case_id in readable  # type: ignore[attr-defined]
    bound = forms or {}
    return render(
        request,
        "disclosure/sar.html",
        {
            "sar": sar,
            "items": items,
            "days_left": (sar.deadline - today).days,
            "days_overdue": (today - sar.deadline).days,
            "identity_form": bound.get("identity") or IdentityForm(),
            "extend_form": bound.get("extend") or SarExtendForm(),
            "form": next(iter(bound.values()), None),
            "open": sar.status == SarStatus.OPEN,
        },
        status=400 if forms else 200,
    )


@role_required(is_hub)
@recent_mfa_required
def sar_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    sar = _sar(request, public_id, "sar.view")
    audit_record(action="sar.view", request=request, obj=sar)
    return _sar_page(request, sar)


@role_required(is_hub)
@recent_mfa_required
@require_POST
def sar_identity(request: HttpRequest, public_id: Any) -> HttpResponse:
    sar = _sar(request, public_id, "sar.identity_check")
    form = IdentityForm(request.POST)
    if form.is_valid():
        try:
            subject_access.sar_identity_check(
                sar=sar,
                method=form.cleaned_data["method"],
                note=form.cleaned_data["note"],
                actor=request.user,
                request=request,
            )
        except DisclosureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Identity check recorded")
            return redirect("disclosure:sar", public_id=sar.public_id)
    return _sar_page(request, sar, {"identity": form})


@role_required(is_hub)
@recent_mfa_required
@require_POST
def sar_extend(request: HttpRequest, public_id: Any) -> HttpResponse:
    sar = _sar(request, public_id, "sar.extend")
    form = SarExtendForm(request.POST)
    if form.is_valid():
        try:
            subject_access.sar_extend(
                sar=sar,
                to=form.cleaned_data["to"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
                request=request,
            )
        except DisclosureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Deadline extended")
            return redirect("disclosure:sar", public_id=sar.public_id)
    return _sar_page(request, sar, {"extend": form})


@role_required(is_hub)
@recent_mfa_required
@require_http_methods(["GET", "POST"])
def sar_subject(request: HttpRequest, public_id: Any) -> HttpResponse:
    """Find the data subject among the people held, then gather what is held about them."""
    sar = _sar(request, public_id, "sar.subject")
    form = SubjectSearchForm(request.POST or None)
    candidates: list[Any] = []
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = subject_candidates(
            request.user,
            forenames=data["forenames"],
            surname=data["surname"],
            date_of_birth=data["date_of_birth"],
        )
        chosen = request.POST.get("person", "")
        if chosen:
            person = found.filter(pk=int(chosen) if chosen.isdigit() else 0).first()
            if person is None:
                error = "Choose one of the people found"
            else:
                try:
                    subject_access.sar_gather(
                        sar=sar, subject=person, actor=request.user, request=request
                    )
                except DisclosureError as exc:
                    error = str(exc)
                else:
                    messages.success(request, "What is held about the data subject was gathered")
                    return redirect("disclosure:sar", public_id=sar.public_id)
        candidates = list(found[:20])
        audit_record(
            action="sar.subject_search", request=request, obj=sar, detail={"found": len(candidates)}
        )
    return render(
        request,
        "disclosure/sar_subject.html",
        {"sar": sar, "form": form, "candidates": candidates, "error": error},
        status=400 if (form.errors or error) else 200,
    )


@role_required(is_hub)
@recent_mfa_required
@require_http_methods(["GET", "POST"])
def sar_item(request: HttpRequest, public_id: Any, item_id: int) -> HttpResponse:
    sar = _sar(request, public_id, "sar.item")
    item = get_in_scope_or_404(
        request,
        SarItem.objects.filter(request=sar).select_related("supplied_by", "case"),
        action="sar.item",
        pk=item_id,
    )
    readable = item.case_id is None or cases_open_to(request.user).filter(pk=item.case_id).exists()
    initial = {
        "decision": item.decision,
        "reason": item.reason,
        "disclosed_text": item.disclosed_text or (item.text if readable else ""),
        "note": item.note,
    }
    form = ItemDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if not readable and data["decision"] in ("disclose", "redact"):
            form.add_error(
                None, "Only someone who may see this restricted case can disclose from it"
            )
        else:
            try:
                subject_access.sar_item_decide(
                    item=item,
                    decision=data["decision"],
                    reason=data["reason"],
                    disclosed_text=data["disclosed_text"],
                    note=data["note"],
                    actor=request.user,
                    request=request,
                )
            except DisclosureError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Decision saved")
                return redirect("disclosure:sar", public_id=sar.public_id)
    if request.method == "GET":
        audit_record(action="sar.item_view", request=request, obj=sar, detail={"item": item.pk})
    return render(
        request,
        "disclosure/sar_item.html",
        {"sar": sar, "item": item, "form": form, "readable": readable},
        status=400 if form.errors else 200,
    )


@role_required(is_hub)
@recent_mfa_required
def sar_pack(request: HttpRequest, public_id: Any) -> HttpResponse:
    sar = _sar(request, public_id, "sar.pack")
    if sar.gathered_at is None:
        messages.error(request, "Gather the information held first")
        return redirect("disclosure:sar", public_id=sar.public_id)
    content = render_pdf(
        title=f"Your personal data held by the MARAC ({sar.reference})",
        blocks=documents.sar_pack(sar, partnership_name=sar.partnership.name),
        marking=_marking(request, f"Subject access pack {sar.reference}"),
    )
    audit_record(
        action="sar.pack_download",
        request=request,
        obj=sar,
        detail={
            "disclosed": sar.items.filter(decision__in=["disclose", "redact"]).count(),
            "withheld": sar.items.exclude(decision__in=["disclose", "redact"]).count(),
        },
    )
    return _pdf(content, f"{sar.reference}.pdf")


@role_required(is_hub)
@recent_mfa_required
@require_POST
def sar_complete(request: HttpRequest, public_id: Any) -> HttpResponse:
    sar = _sar(request, public_id, "sar.complete")
    try:
        subject_access.sar_complete(sar=sar, actor=request.user, request=request)
    except DisclosureError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Subject access request {sar.reference} answered")
    return redirect("disclosure:sar", public_id=sar.public_id)
