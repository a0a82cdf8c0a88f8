"""Hub pages: agencies' signatures of the agreements, and withdrawal (000 §6.1, §11.1)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.accounts.stepup import require_recent_mfa
from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required

from .forms import SignatureForm, WithdrawalForm
from .selectors import agencies_of, agency_is_signatory
from .services import agency_withdraw, signature_record


@role_required(is_hub)
def agency_list(request: HttpRequest) -> HttpResponse:
    agencies = agencies_of(request.user.agency.partnership_id)  # type: ignore[union-attr]
    rows = [(agency, agency_is_signatory(agency)) for agency in agencies]
    audit_record(action="agency_list.view", request=request)
    return render(request, "agencies/list.html", {"rows": rows})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def agency_detail(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_in_scope_or_404(
        request,
        agencies_of(request.user.agency.partnership_id),  # type: ignore[union-attr]
        action="agency.view",
        pk=agency_id,
    )
    if request.method == "POST" and (step_up := require_recent_mfa(request)):
        return step_up
    form = SignatureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            signature_record(
                agency=agency, actor=signed_in_user(request), request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, "Signature recorded")
            return redirect("agencies:detail", agency_id=agency.pk)
    if request.method == "GET":
        audit_record(action="agency.view", request=request, obj=agency)
    return render(
        request,
        "agencies/detail.html",
        {
            "agency": agency,
            "signatory": agency_is_signatory(agency),
            "signatures": agency.signatures.all(),
            "licences": agency.licences.select_related("user"),
            "form": form,
        },
    )


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def agency_withdrawal(request: HttpRequest, agency_id: int) -> HttpResponse:
    agency = get_in_scope_or_404(
        request,
        agencies_of(request.user.agency.partnership_id).filter(  # type: ignore[union-attr]
            is_hub=False, withdrawn_on__isnull=True
        ),
        action="agency.withdraw",
        pk=agency_id,
    )
    if request.method == "POST" and (step_up := require_recent_mfa(request)):
        return step_up
    form = WithdrawalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        agency_withdraw(
            agency=agency,
            withdrawn_on=form.cleaned_data["withdrawn_on"],
            reason=form.cleaned_data["reason"],
            actor=signed_in_user(request),
            request=request,
        )
        messages.success(request, f"{agency.name} withdrawn: its licences have ended")
        return redirect("agencies:detail", agency_id=agency.pk)
    return render(request, "agencies/withdraw.html", {"agency": agency, "form": form})
