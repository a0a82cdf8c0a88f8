"""Hub pages for restricted cases, the conflict declaration, and break-glass."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.accounts.models import User
from openmarac.accounts.stepup import recent_mfa_required, require_recent_mfa
from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record
from openmarac.cases.models import CaseAccessGrant
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required, sees_cases
from openmarac.core.pagination import paginate
from openmarac.licences.models import Licence, LicenceStatus

from .forms import BreakGlassForm, CaseToManageQuery, InviteForm, RestrictionForm
from .selectors import cases_for_access_management, conflicts_for_hub, restricted_cases
from .services import (
    break_glass_open,
    case_access_grant,
    case_access_revoke,
    case_restrict,
    conflict_declare,
)


def is_hub_manager(user: User) -> bool:
    return bool(is_hub(user) and user.is_hub_manager)


CONFLICTS_SHOWN = 50  # the most recent declarations; older ones are in the audit reports


@role_required(is_hub)
def index(request: HttpRequest) -> HttpResponse:
    actor = signed_in_user(request)
    form = CaseToManageQuery(request.GET)
    reference = form.value("reference")
    if form.is_valid() and reference:
        case = cases_for_access_management(actor).filter(reference=reference).first()
        if case is not None:
            return redirect("caseaccess:manage", reference=case.reference)
        messages.error(request, "There is no case with that reference")
    cases = paginate(restricted_cases(actor), page=form.value("page"))
    audit_record(action="case_access.index", request=request)
    return render(
        request,
        "caseaccess/index.html",
        {
            "cases": cases,
            "page": cases,
            "query": form,
            "conflicts": conflicts_for_hub(actor)[:CONFLICTS_SHOWN],
            "form": form,
        },
    )


def _invitable(case) -> list[User]:  # type: ignore[no-untyped-def]
    holders = Licence.objects.filter(
        status=LicenceStatus.ACTIVE, agency__partnership_id=case.partnership_id
    ).values("user_id")
    return list(
        User.objects.filter(pk__in=holders, is_active=True)
        .exclude(case_grants__case=case)
        .exclude(conflicts__case=case)
        .select_related("agency")
        .order_by("agency__name", "last_name")
    )


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def manage(request: HttpRequest, reference: str) -> HttpResponse:
    actor = signed_in_user(request)
    case = get_in_scope_or_404(
        request,
        cases_for_access_management(actor),
        action="case_access.view",
        reference=reference,
    )
    if request.method == "POST" and (step_up := require_recent_mfa(request)):
        return step_up
    which = request.POST.get("form", "")
    restriction_form = RestrictionForm(
        request.POST if which == "restriction" else None,
        initial={"restriction": case.restriction or "none"},
        prefix="r",
    )
    invite_form = InviteForm(
        request.POST if which == "invite" else None, users=_invitable(case), prefix="i"
    )
    if which == "restriction" and restriction_form.is_valid():
        case_restrict(case=case, restriction=restriction_form.value(), actor=actor, request=request)
        messages.success(request, "Restriction saved")
        return redirect("caseaccess:manage", reference=case.reference)
    if which == "invite" and invite_form.is_valid():
        user = User.objects.get(pk=int(invite_form.cleaned_data["user"]))
        try:
            case_access_grant(case=case, user=user, actor=actor, request=request)
        except ValidationError as exc:
            invite_form.add_error("user", exc.messages[0])
        else:
            messages.success(request, f"{user.get_full_name() or user.username} invited")
            return redirect("caseaccess:manage", reference=case.reference)
    if request.method == "GET":
        audit_record(action="case_access.view", request=request, obj=case)
    return render(
        request,
        "caseaccess/manage.html",
        {
            "case": case,
            "restriction_form": restriction_form,
            "invite_form": invite_form,
            "form": restriction_form if which == "restriction" else invite_form,
            "grants": case.access_grants.select_related("user", "user__agency"),
            "conflicts": case.conflicts.select_related("user", "user__agency"),
        },
    )


@role_required(is_hub)
@require_POST
@recent_mfa_required
def remove_grant(request: HttpRequest, reference: str, grant_id: int) -> HttpResponse:
    actor = signed_in_user(request)
    grant = get_in_scope_or_404(
        request,
        CaseAccessGrant.objects.filter(
            case__in=cases_for_access_management(actor), case__reference=reference
        ).select_related("case"),
        action="case_access.revoke",
        pk=grant_id,
    )
    case_access_revoke(grant=grant, actor=actor, request=request)
    messages.success(request, "Invitation removed")
    return redirect("caseaccess:manage", reference=reference)


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def declare_conflict(request: HttpRequest, reference: str) -> HttpResponse:
    user = signed_in_user(request)
    case = get_in_scope_or_404(
        request, cases_visible_to(user), action="case.conflict_declare", reference=reference
    )
    if request.method == "POST":
        conflict_declare(case=case, user=user, request=request)
        messages.success(
            request, f"Conflict of interest declared: you can no longer open {case.reference}"
        )
        return redirect("cases:list")
    return render(request, "caseaccess/declare_conflict.html", {"case": case})


@role_required(is_hub_manager)
@require_http_methods(["GET", "POST"])
@recent_mfa_required
def break_glass(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = (
            cases_for_access_management(user)
            .filter(reference=form.cleaned_data["reference"].strip())
            .exclude(restriction="")
            .first()
        )
        if case is None:
            audit_record(
                action="case.break_glass",
                request=request,
                outcome=Outcome.FAILURE,
                detail={"why": "no_restricted_case"},
            )
            form.add_error("reference", "There is no restricted case with that reference")
        else:
            try:
                break_glass_open(
                    case=case,
                    user=user,
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as exc:
                form.add_error("reference", exc.messages[0])
            else:
                return redirect("caserecord:record", reference=case.reference)
    return render(request, "caseaccess/break_glass.html", {"form": form})
