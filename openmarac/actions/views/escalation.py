"""Line managers copied on overdue escalation, recorded by the hub."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required

from ..forms import EscalationContactForm
from ..models import EscalationContact
from ..services.escalation import escalation_contact_set
from ..services.rules import ActionError
from .lookup import acting_user


def _partnership_reps(request: HttpRequest) -> Any:
    return (
        User.objects.filter(
            agency__partnership_id=request.user.agency.partnership_id,  # type: ignore[union-attr]
            is_active=True,
            is_agency_rep=True,
        )
        .exclude(agency__is_hub=True)
        .select_related("agency")
        .order_by("agency__name", "last_name", "first_name")
    )


@role_required(is_hub)
def contacts(request: HttpRequest) -> HttpResponse:
    reps = list(_partnership_reps(request))
    known = {
        c.user_id: c.email for c in EscalationContact.objects.filter(user__in=[r.pk for r in reps])
    }
    rows = [(rep, known.get(rep.pk, "")) for rep in reps]
    audit_record(action="escalation_contact.list", request=request, detail={"count": len(rows)})
    return render(request, "actions/contacts.html", {"rows": rows})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    rep = get_in_scope_or_404(
        request, _partnership_reps(request), action="escalation_contact.edit", pk=user_id
    )
    current = EscalationContact.objects.filter(user=rep).first()
    form = EscalationContactForm(
        request.POST or None, initial={"email": current.email if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        try:
            escalation_contact_set(
                agency=rep.agency,
                user=rep,
                email=form.cleaned_data["email"],
                actor=acting_user(request),
                request=request,
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Line manager saved")
            return redirect("actions:contacts")
    if request.method == "GET":
        audit_record(action="escalation_contact.view", request=request, obj=rep)
    return render(request, "actions/contact_edit.html", {"rep": rep, "form": form})
