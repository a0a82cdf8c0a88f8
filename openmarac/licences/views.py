"""Licence pages: key contacts request, the hub decides and manages (000 §6.1-6.2)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.accounts.models import User
from openmarac.accounts.stepup import recent_mfa_required, require_recent_mfa
from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required

from . import services
from .forms import LicenceListQuery, LicenceMoveForm, LicenceRequestForm
from .models import EndReason, Licence, LicenceStatus
from .selectors import licence_register, licences_for_hub, licences_of_agency


def is_key_contact(user: User) -> bool:
    return bool(user.is_key_contact and user.agency_id)


@role_required(is_key_contact)
def mine(request: HttpRequest) -> HttpResponse:
    licences = licences_of_agency(signed_in_user(request)).prefetch_related("areas")
    audit_record(action="licence_list.view", request=request, detail={"scope": "agency"})
    return render(request, "licences/mine.html", {"licences": licences})


@role_required(is_key_contact)
@require_http_methods(["GET", "POST"])
def request_new(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    agency = user.agency
    assert agency is not None
    if request.method == "POST" and (step_up := require_recent_mfa(request)):
        return step_up
    form = LicenceRequestForm(request.POST or None, partnership_id=agency.partnership_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.licence_request(
                agency=agency,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                job_title=data["job_title"],
                kind=data["kind"],
                areas=form.selected_areas(),
                expires_on=data["expires_on"],
                delegate_name=data["delegate_name"],
                delegate_email=data["delegate_email"],
                escalation_name=data["escalation_name"],
                escalation_email=data["escalation_email"],
                requested_by=user,
                request=request,
            )
        except ValidationError as exc:
            form.add_error("email" if "mail" in exc.messages[0] else None, exc.messages[0])
        else:
            messages.success(request, "Licence requested: the hub team will decide")
            return redirect("licences:mine")
    return render(request, "licences/request.html", {"form": form})


@role_required(is_hub)
def hub_list(request: HttpRequest) -> HttpResponse:
    licences = licences_for_hub(signed_in_user(request)).prefetch_related("areas")
    status = LicenceListQuery(request.GET).value("status") or ""
    if status:
        licences = licences.filter(status=status)
    audit_record(action="licence_list.view", request=request, detail={"status": status})
    return render(
        request,
        "licences/hub_list.html",
        {"licences": licences, "status": status, "statuses": LicenceStatus.choices},
    )


@role_required(is_hub)
def register(request: HttpRequest) -> HttpResponse:
    rows = licence_register(signed_in_user(request))
    audit_record(action="licence_register.view", request=request, detail={"rows": len(rows)})
    return render(request, "licences/register.html", {"rows": rows})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def hub_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    licence = get_in_scope_or_404(
        request,
        licences_for_hub(signed_in_user(request)),
        action="licence.view",
        public_id=public_id,
    )
    partnership_id = licence.agency.partnership_id
    initial = {
        "areas": [str(pk) for pk in licence.areas.values_list("pk", flat=True)],
        "case_references": "\n".join(licence.cases.values_list("reference", flat=True)),
        "expires_on": licence.expires_on,
    }
    form = LicenceMoveForm(request.POST or None, initial=initial, partnership_id=partnership_id)
    if request.method == "POST":
        return require_recent_mfa(request) or _move(request, licence, form)
    audit_record(action="licence.view", request=request, obj=licence)
    return render(request, "licences/hub_detail.html", {"licence": licence, "form": form})


def _move(request: HttpRequest, licence: Licence, form: LicenceMoveForm) -> HttpResponse:
    if form.is_valid():
        try:
            services.licence_move(
                licence=licence,
                areas=form.selected_areas(),
                cases=form.cleaned_data["case_references"],
                expires_on=form.cleaned_data["expires_on"],
                actor=signed_in_user(request),
                request=request,
            )
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, "Licence cover changed")
            return redirect("licences:hub_detail", public_id=licence.public_id)
    return render(request, "licences/hub_detail.html", {"licence": licence, "form": form})


CHANGES = {
    "approve": (services.licence_approve, "Licence approved"),
    "refuse": (services.licence_refuse, "Licence request refused"),
    "suspend": (services.licence_suspend, "Licence suspended"),
    "resume": (services.licence_resume, "Licence resumed"),
}


@role_required(is_hub)
@require_POST
@recent_mfa_required
def change(request: HttpRequest, public_id: str, change: str) -> HttpResponse:
    actor = signed_in_user(request)
    licence = get_in_scope_or_404(
        request,
        licences_for_hub(actor),
        action="licence.change",
        public_id=public_id,
    )
    try:
        if change == "deactivate":
            reason = request.POST.get("reason", "")
            if reason not in (EndReason.LEAVER, EndReason.OTHER):
                reason = EndReason.LEAVER
            services.licence_deactivate(
                licence=licence, reason=reason, actor=actor, request=request
            )
            done = "Licence deactivated: every session of its holder has ended"
        elif change in CHANGES:
            function, done = CHANGES[change]
            function(licence=licence, actor=actor, request=request)
        else:
            raise Http404("Page not found")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, done)
    return redirect("licences:hub_detail", public_id=licence.public_id)
