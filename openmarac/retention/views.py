"""The retention queue, a case's review page and its decisions, disposal certificates, the hub's
archive search and read-only archived case, and each area's retention groups."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.accounts.stepup import recent_mfa_required
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case, ParticipantRole
from openmarac.cases.selectors import archived_cases_visible_to, areas_followed_by
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, reviews_retention, role_required
from openmarac.core.pagination import PageQuery, paginate
from openmarac.core.workdays import local_date
from openmarac.partnerships.models import Area, RetentionEvent, RetentionGroup
from openmarac.partnerships.services import RetentionGroupError, retention_group_save

from . import decisions
from .disposal import case_destroy_preview
from .forms import (
    ArchiveQuery,
    ExtendForm,
    GroupForm,
    HoldForm,
    LiftForm,
    QueueQuery,
    RecommendForm,
    RejectForm,
    RetentionGroupForm,
)
from .models import CaseRetention
from .models import RetentionState as State
from .rules import disposal_allowed, group_for
from .selectors import (
    QUEUE_VIEWS,
    archive_search,
    certificates_for,
    retention_queue_for,
)

PAGE_SIZE = 25


def _page(request: HttpRequest, rows: Any, page: int | None) -> Any:
    return paginate(rows, page=page, per_page=PAGE_SIZE)


@role_required(reviews_retention)
def queue(request: HttpRequest) -> HttpResponse:
    query = QueueQuery(request.GET)
    show = query.value("show") or "due"
    title, condition = QUEUE_VIEWS[show]
    rows = retention_queue_for(signed_in_user(request))
    counts = {name: rows.filter(cond).count() for name, (_t, cond) in QUEUE_VIEWS.items()}
    page = _page(request, rows.filter(condition), query.value("page") or 1)
    audit_record(action="retention.queue_viewed", request=request, detail={"show": show})
    return render(
        request,
        "retention/queue.html",
        {
            "show": show,
            "title": title,
            "views": [(name, label, counts[name]) for name, (label, _c) in QUEUE_VIEWS.items()],
            "page": page,
            "query": query,
        },
    )


def _retention(request: HttpRequest, reference: str, action: str) -> CaseRetention:
    return get_in_scope_or_404(
        request,
        retention_queue_for(signed_in_user(request)).select_related("case__area__policy"),
        action=action,
        case__reference=reference,
    )


def _review(
    request: HttpRequest, retention: CaseRetention, forms: dict[str, Any] | None = None
) -> HttpResponse:
    case = retention.case
    today = local_date(timezone.now())
    group = group_for(case, retention.group_code)
    groups = list(RetentionGroup.objects.filter(area_id=case.area_id))
    bound = forms or {}
    context = {
        "retention": retention,
        "case": case,
        "group": group,
        "from_birth": group.runs_from == RetentionEvent.DATE_OF_BIRTH,
        "period_ended": disposal_allowed(case, group, today=today),
        "people": case.participants.count(),
        "children": case.participants.filter(role=ParticipantRole.CHILD).count(),
        "history": case.retention_decisions.select_related("by").order_by("-at", "-pk"),
        "may_recommend": decisions.holds_reviewer_role(signed_in_user(request), case),
        "extend_form": bound.get("extend") or ExtendForm(),
        "hold_form": bound.get("hold") or HoldForm(),
        "lift_form": bound.get("lift") or LiftForm(),
        "group_form": bound.get("group") or GroupForm(groups=groups),
        "recommend_form": bound.get("recommend") or RecommendForm(),
        "reject_form": bound.get("reject") or RejectForm(),
        "groups": groups,
        "State": State,
        # The form that failed, for the error summary at the top of the page.
        "form": next(iter(bound.values()), None),
    }
    return render(request, "retention/case.html", context, status=400 if forms else 200)


@role_required(reviews_retention)
def case_review(request: HttpRequest, reference: str) -> HttpResponse:
    retention = _retention(request, reference, "retention.case")
    audit_record(action="retention.case_viewed", request=request, obj=retention.case)
    return _review(request, retention)


def _decide(
    request: HttpRequest,
    reference: str,
    name: str,
    form: Any,
    act: Callable[[CaseRetention, dict[str, Any]], Any],
    done: str,
) -> HttpResponse:
    retention = _retention(request, reference, f"retention.{name}")
    if form.is_valid():
        try:
            act(retention, form.cleaned_data)
        except decisions.RetentionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("retention:case", reference=reference)
    return _review(request, retention, {name: form})


@role_required(reviews_retention)
@require_POST
def extend(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(
        request,
        reference,
        "extend",
        ExtendForm(request.POST),
        lambda r, d: decisions.retention_extend(
            retention=r,
            actor=signed_in_user(request),
            until=d["until"],
            reason=d["reason"],
            detail=d["detail"],
            request=request,
        ),
        "The case is kept until its next review",
    )


@role_required(reviews_retention)
@require_POST
def hold(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(
        request,
        reference,
        "hold",
        HoldForm(request.POST),
        lambda r, d: decisions.retention_hold(
            retention=r,
            actor=signed_in_user(request),
            reason=d["reason"],
            detail=d["detail"],
            request=request,
        ),
        "Legal hold placed",
    )


@role_required(reviews_retention)
@require_POST
def lift(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(
        request,
        reference,
        "lift",
        LiftForm(request.POST),
        lambda r, d: decisions.retention_lift_hold(
            retention=r, actor=signed_in_user(request), detail=d["detail"], request=request
        ),
        "Legal hold lifted",
    )


@role_required(reviews_retention)
@require_POST
def change_group(request: HttpRequest, reference: str) -> HttpResponse:
    retention = _retention(request, reference, "retention.group")
    groups = list(RetentionGroup.objects.filter(area_id=retention.case.area_id))
    return _decide(
        request,
        reference,
        "group",
        GroupForm(request.POST, groups=groups),
        lambda r, d: decisions.retention_change_group(
            retention=r,
            actor=signed_in_user(request),
            group_code=d["group_code"],
            detail=d["detail"],
            request=request,
        ),
        "The case was moved to another retention group",
    )


@role_required(reviews_retention)
@require_POST
def recommend(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(
        request,
        reference,
        "recommend",
        RecommendForm(request.POST),
        lambda r, d: decisions.retention_recommend(
            retention=r, actor=signed_in_user(request), detail=d["detail"], request=request
        ),
        "Disposal recommended: a second person must now approve it",
    )


@role_required(reviews_retention)
@require_POST
def reject(request: HttpRequest, reference: str) -> HttpResponse:
    return _decide(
        request,
        reference,
        "reject",
        RejectForm(request.POST),
        lambda r, d: decisions.retention_reject(
            retention=r, actor=signed_in_user(request), detail=d["detail"], request=request
        ),
        "The recommendation was turned down: the case is due for review again",
    )


@role_required(reviews_retention)
@recent_mfa_required
@require_http_methods(["GET", "POST"])
def approve(request: HttpRequest, reference: str) -> HttpResponse:
    """The second person confirms the disposal, seeing what will be destroyed."""
    retention = _retention(request, reference, "retention.approve")
    error = ""
    if request.method == "POST":
        try:
            certificate = decisions.case_dispose(
                retention=retention, actor=signed_in_user(request), request=request
            )
        except decisions.RetentionError as exc:
            error = str(exc)
        else:
            messages.success(request, f"Case {reference} has been destroyed")
            return redirect("retention:certificate", certificate_id=certificate.pk)
    else:
        audit_record(action="retention.approve_viewed", request=request, obj=retention.case)
    return render(
        request,
        "retention/approve.html",
        {
            "retention": retention,
            "case": retention.case,
            "preview": case_destroy_preview(retention.case),
            "error": error,
        },
        status=400 if error else 200,
    )


@role_required(reviews_retention)
def certificates(request: HttpRequest) -> HttpResponse:
    query = PageQuery(request.GET)
    page = _page(request, certificates_for(signed_in_user(request)), query.value("page"))
    audit_record(action="retention.certificates_viewed", request=request)
    return render(request, "retention/certificates.html", {"page": page, "query": query})


@role_required(reviews_retention)
def certificate(request: HttpRequest, certificate_id: int) -> HttpResponse:
    found = get_in_scope_or_404(
        request,
        certificates_for(signed_in_user(request)),
        action="retention.certificate",
        pk=certificate_id,
    )
    audit_record(action="retention.certificate_viewed", request=request, obj=found)
    return render(request, "retention/certificate.html", {"certificate": found})


@role_required(is_hub)
def archive(request: HttpRequest) -> HttpResponse:
    query = ArchiveQuery(request.GET)
    text = query.value("q") or ""
    results = (
        archive_search(signed_in_user(request), text) if query.is_valid() else Case.objects.none()
    )
    page = _page(request, results, 1)
    if text:
        # The words searched for may be a name: the audit keeps only how many cases were found.
        audit_record(
            action="retention.archive_search", request=request, detail={"found": results.count()}
        )
    return render(
        request, "retention/archive.html", {"form": query, "searched": bool(text), "page": page}
    )


@role_required(is_hub)
def archived_case(request: HttpRequest, reference: str) -> HttpResponse:
    """An archived case, read-only: who it named, its referrals and hearings, its retention."""
    case = get_in_scope_or_404(
        request,
        archived_cases_visible_to(request.user).select_related("area"),
        action="retention.archived_case",
        reference=reference,
    )
    audit_record(action="retention.archived_case_viewed", request=request, obj=case)
    return render(
        request,
        "retention/archived_case.html",
        {
            "case": case,
            "participants": case.participants.select_related("person").order_by("role", "pk"),
            "referrals": case.referrals.order_by("submitted_at", "pk"),
            "listings": case.listings.select_related("meeting").order_by("meeting__starts_on"),
            "retention": CaseRetention.objects.filter(case=case).first(),
        },
    )


def _areas(request: HttpRequest) -> Any:
    return areas_followed_by(request.user).prefetch_related("retention_groups")


@role_required(is_hub)
def rules(request: HttpRequest) -> HttpResponse:
    audit_record(action="retention.rules_viewed", request=request)
    return render(request, "retention/rules.html", {"areas": _areas(request)})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, area_id: int, group_id: int | None = None) -> HttpResponse:
    area: Area = get_in_scope_or_404(request, _areas(request), action="retention.rules", pk=area_id)
    group = None
    if group_id is not None:
        group = get_in_scope_or_404(
            request,
            RetentionGroup.objects.filter(area=area),
            action="retention.group",
            pk=group_id,
        )
    form = RetentionGroupForm(request.POST or None, group=group)
    if request.method == "POST" and form.is_valid():
        try:
            retention_group_save(
                area=area,
                group=group,
                actor=signed_in_user(request),
                changes=form.changes(),
                request=request,
            )
        except RetentionGroupError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Retention group saved for {area.name}")
            return redirect("retention:rules")
    return render(
        request,
        "retention/group_edit.html",
        {"area": area, "group": group, "form": form},
        status=400 if form.errors else 200,
    )
