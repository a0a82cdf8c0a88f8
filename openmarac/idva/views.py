"""The IDVA service's contacts with victims: a list by deadline, and each contact's attempts."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import role_required, sees_cases

from .forms import AttemptForm
from .selectors import idva_contacts_open, idva_contacts_visible_to
from .services import IdvaError, idva_attempt_record, may_record


@role_required(sees_cases)
def contact_list(request: HttpRequest) -> HttpResponse:
    contacts = list(idva_contacts_open(signed_in_user(request)))
    audit_record(action="idva_contacts.view", request=request, detail={"rows": len(contacts)})
    return render(request, "idva/list.html", {"contacts": contacts, "now": timezone.now()})


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def contact_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    user = signed_in_user(request)
    contact = get_in_scope_or_404(
        request,
        idva_contacts_visible_to(user).select_related("case__area__policy", "outcome_by"),
        action="idva_contact.view",
        public_id=public_id,
    )
    records = may_record(user, contact.case)
    form = AttemptForm(request.POST if request.method == "POST" and records else None)
    if request.method == "POST" and records and form.is_valid():
        data = form.cleaned_data
        try:
            idva_attempt_record(
                contact=contact,
                at=timezone.make_aware(datetime.datetime.combine(data["on"], data["at"])),
                method=data["method"],
                note=data["note"],
                outcome=data["outcome"],
                presents_view=data["presents_view"],
                actor=user,
                request=request,
            )
        except IdvaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Contact attempt recorded")
            return redirect("idva:contact", public_id=contact.public_id)
    audit_record(action="idva_contact.view", request=request, obj=contact)
    return render(
        request,
        "idva/contact.html",
        {
            "contact": contact,
            "attempts": contact.attempts.select_related("by", "by_agency"),
            "form": form,
            "records": records,
            "now": timezone.now(),
        },
    )
