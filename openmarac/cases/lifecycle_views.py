"""Recording the death of a victim or perpetrator (the hub, told by an agency)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required
from openmarac.core.forms import GovukDateField, GovukForm, GovukRadios, GovukTextarea

from .lifecycle import LifecycleError, case_death_record
from .models import Case, CaseParticipant, DeathRole
from .selectors import cases_visible_to


class DeathForm(GovukForm):
    person = forms.ChoiceField(
        label="Who has died?",
        widget=GovukRadios(),
        error_messages={"required": "Select who has died"},
    )
    died_on = GovukDateField(
        label="Date of death",
        required=False,
        latest=timezone.localdate,
        help_text="If you know it. For example, 27 3 2026.",
    )
    notes = forms.CharField(
        label="How the hub was told (optional)",
        required=False,
        max_length=2000,
        widget=GovukTextarea(),
        help_text="Which agency told the hub, and when. Do not repeat the case's details.",
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.participants = {
            str(p.pk): p
            for p in case.participants.filter(
                role__in=[DeathRole.VICTIM, DeathRole.PERPETRATOR]
            ).select_related("person")
        }
        choices = [
            (key, f"{p.get_role_display()}: {p.person.display_name}")
            for key, p in self.participants.items()
        ]
        cast("forms.ChoiceField", self.fields["person"]).choices = choices

    def participant(self) -> CaseParticipant:
        return self.participants[self.cleaned_data["person"]]


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def case_death(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_in_scope_or_404(
        request, cases_visible_to(request.user), action="case_death.view", reference=reference
    )
    form = DeathForm(request.POST if request.method == "POST" else None, case=case)
    if request.method == "POST" and form.is_valid():
        participant = form.participant()
        try:
            case_death_record(
                case=case,
                role=participant.role,
                participant=participant,
                died_on=form.cleaned_data["died_on"],
                notes=form.cleaned_data["notes"],
                actor=signed_in_user(request),
                request=request,
            )
        except LifecycleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                f"Death recorded on case {case.reference}. The DA lead has been told and the "
                "case is frozen from routine edits.",
            )
            return redirect("caserecord:record", reference=case.reference)
    if request.method == "GET":
        audit_record(action="case_death.view", request=request, obj=case)
    return render(request, "cases/death.html", {"case": case, "form": form})
