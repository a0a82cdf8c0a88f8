"""People for the hub: a person's record and its likely duplicates, merging and unmerging."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.audit.services import audit_record
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required
from openmarac.people import services as people_services
from openmarac.people.models import Person, PersonMerge

from ..forms import ReasonForm
from ..linking import linkable_people, suggestions
from .lookup import acting_user


def _person(request: HttpRequest, person_id: int) -> Person:
    return get_in_scope_or_404(
        request, linkable_people(acting_user(request)), action="person.view", pk=person_id
    )


@role_required(is_hub)
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    audit_record(action="person.view", request=request, obj=person)
    visible = cases_visible_to(request.user)
    roles = person.case_roles.filter(case__in=visible).select_related("case")
    merges = PersonMerge.objects.filter(kept=person).select_related("merged", "merged_by")
    return render(
        request,
        "triage/person.html",
        {
            "person": person,
            "roles": roles,
            "matches": suggestions(acting_user(request), person),
            "merges": merges,
        },
    )


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def person_merge(request: HttpRequest, person_id: int, other_id: int) -> HttpResponse:
    kept = _person(request, person_id)
    merged = _person(request, other_id)
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why are these records the same person?"
    if request.method == "POST" and form.is_valid():
        try:
            people_services.person_merge(
                kept=kept,
                merged=merged,
                actor=acting_user(request),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except people_services.PersonLinkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The two records are now one person")
            return redirect("triage:person", kept.pk)
    return render(
        request,
        "triage/merge.html",
        {"kept": kept, "merged": merged, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def person_unmerge(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = get_in_scope_or_404(
        request,
        PersonMerge.objects.filter(
            kept__in=linkable_people(acting_user(request)), undone_at__isnull=True
        ).select_related("kept", "merged"),
        action="person_merge.view",
        pk=merge_id,
    )
    form = ReasonForm(request.POST or None)
    form.fields["reason"].label = "Why was the merge wrong?"
    if request.method == "POST" and form.is_valid():
        try:
            people_services.person_unmerge(
                merge=merge,
                actor=acting_user(request),
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except people_services.PersonLinkError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The merge has been undone")
            return redirect("triage:person", merge.kept_id)
    return render(
        request,
        "triage/unmerge.html",
        {"merge": merge, "form": form},
        status=400 if form.errors else 200,
    )
