"""The partnership's library of interventions, kept by the hub."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record
from openmarac.core.decorators import is_hub, role_required

from ..forms import InterventionForm
from ..library import library_entry, library_for
from ..models import Intervention
from ..services.interventions import intervention_save
from ..services.rules import ActionError
from .lookup import acting_user


@role_required(is_hub)
def library(request: HttpRequest) -> HttpResponse:
    partnership = request.user.agency.partnership  # type: ignore[union-attr]
    own = list(Intervention.objects.filter(partnership=partnership))
    audit_record(action="intervention_library.view", request=request, obj=partnership)
    return render(
        request,
        "actions/library.html",
        {"own": own, "built_in": [] if own else library_for(partnership)},
    )


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def library_edit(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    partnership = request.user.agency.partnership  # type: ignore[union-attr]
    current = library_entry(partnership, slug) if slug else None
    own = Intervention.objects.filter(partnership=partnership, slug=slug).first() if slug else None
    if slug and current is None and own is None:
        audit_record(
            action="intervention.edit.denied",
            request=request,
            object_type="actions.intervention",
            object_id=slug[:40],
            outcome=Outcome.DENIED,
        )
        raise Http404("Page not found")
    source: Any = own or current
    initial = (
        {
            "title": source.title,
            "what": source.what,
            "active": "no" if own is not None and not own.active else "yes",
        }
        if source
        else {}
    )
    form = InterventionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            intervention_save(
                partnership=partnership,
                slug=slug,
                title=form.cleaned_data["title"],
                what=form.cleaned_data["what"],
                active=form.cleaned_data["active"] == "yes",
                actor=acting_user(request),
                request=request,
            )
        except ActionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Library saved")
            return redirect("actions:library")
    return render(request, "actions/library_edit.html", {"form": form, "adding": slug is None})
