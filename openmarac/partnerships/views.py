from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from openmarac.audit.services import audit_record
from openmarac.cases.selectors import areas_followed_by
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required

from .forms import AreaPolicyForm, PrivacyNoticeForm
from .models import Area
from .selectors import privacy_notices_for
from .services import PRIVACY_FIELDS, area_policy_update, privacy_notice_update

if TYPE_CHECKING:
    from openmarac.core.types import SignedInUser


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


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, public, with the hub to contact about a problem."""
    user = request.user if request.user.is_authenticated else None
    return render(
        request, "partnerships/accessibility.html", {"partnerships": privacy_notices_for(user)}
    )


def privacy(request: HttpRequest) -> HttpResponse:
    """The privacy notice, public: the service's text with each partnership's own parts."""
    user = request.user if request.user.is_authenticated else None
    return render(
        request,
        "partnerships/privacy.html",
        {"partnerships": privacy_notices_for(user)},
    )


def edits_privacy_notice(user: SignedInUser) -> bool:
    return bool(is_hub(user) or user.is_partnership_lead)


@role_required(edits_privacy_notice)
@require_http_methods(["GET", "POST"])
def privacy_edit(request: HttpRequest) -> HttpResponse:
    """The hub or the partnership lead edits the partnership's parts of its privacy notice."""
    user = signed_in_user(request)
    partnership = user.agency.partnership  # type: ignore[union-attr]
    initial = {name: getattr(partnership, name) for name in PRIVACY_FIELDS}
    form = PrivacyNoticeForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        privacy_notice_update(
            partnership=partnership,
            actor=user,
            controller=form.cleaned_data["privacy_controller"],
            contact=form.cleaned_data["privacy_contact"],
            more=form.cleaned_data["privacy_more"],
            request=request,
        )
        messages.success(request, "Privacy notice saved")
        return redirect("partnerships:privacy")
    if request.method == "GET":
        audit_record(action="privacy_notice.edit_view", request=request, obj=partnership)
    return render(
        request, "partnerships/privacy_edit.html", {"partnership": partnership, "form": form}
    )
