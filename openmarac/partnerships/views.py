from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.audit.services import audit_record
from openmarac.cases.selectors import areas_followed_by
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required

from .forms import AreaPolicyForm
from .models import Area
from .services import area_policy_update


def _areas(request: HttpRequest) -> QuerySet[Area]:
    """The areas whose policy the coordinator may read and change: those their active licence
    covers (``areas_followed_by``), as for the areas' cases and referrals."""
    return areas_followed_by(request.user).select_related("policy")


@role_required(is_hub)
def area_list(request: HttpRequest) -> HttpResponse:
    return render(request, "partnerships/area_list.html", {"areas": _areas(request)})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def policy_edit(request: HttpRequest, area_id: int) -> HttpResponse:
    area = get_in_scope_or_404(request, _areas(request), action="area_policy.view", pk=area_id)
    form = AreaPolicyForm(request.POST or None, policy=area.policy)
    if request.method == "POST" and form.is_valid():
        area_policy_update(
            policy=area.policy,
            actor=signed_in_user(request),
            changes=form.changes(),
            request=request,
        )
        messages.success(request, f"Policy for {area.name} saved")
        return redirect("partnerships:area_list")
    if request.method == "GET":
        audit_record(action="area_policy.view", request=request, obj=area.policy)
    return render(request, "partnerships/policy_edit.html", {"area": area, "form": form})
