"""Court orders: the hub records an order and discloses; the chair asked answers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from openmarac.accounts.models import User
from openmarac.accounts.stepup import recent_mfa_required
from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub, role_required, sees_cases
from openmarac.core.pdf import render_pdf
from openmarac.core.workdays import local_date

from . import court, documents
from .errors import DisclosureError
from .forms import (
    ChairResponseForm,
    CourtItemForm,
    CourtOrderForm,
    ProceedForm,
)
from .models import CourtItem, CourtOrderStatus
from .selectors import (
    cases_open_to,
    court_orders_for_chair,
    court_orders_for_hub,
)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _marking(request: HttpRequest, what: str) -> str:
    user = _user(request)
    return (
        f"OFFICIAL-SENSITIVE. {what}, produced by {user.get_full_name() or user.username} "
        f"({user.username}) on {timezone.localtime():%-d %B %Y at %H:%M}."
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _chairs(request: HttpRequest) -> list[User]:
    partnership_id = _user(request).agency.partnership_id  # type: ignore[union-attr]
    return list(
        User.objects.filter(is_active=True, is_chair=True, agency__partnership_id=partnership_id)
        .select_related("agency")
        .order_by("last_name", "first_name")
    )


@role_required(is_hub)
def court_list(request: HttpRequest) -> HttpResponse:
    audit_record(action="court_order.list_viewed", request=request)
    orders = court_orders_for_hub(request.user).order_by("status", "deadline", "pk")
    return render(request, "disclosure/court_list.html", {"orders": orders})


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def court_new(request: HttpRequest) -> HttpResponse:
    chairs = _chairs(request)
    form = CourtOrderForm(request.POST or None, chairs=chairs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = cases_open_to(request.user).filter(reference=data["reference"].strip()).first()
        chair = next((c for c in chairs if str(c.pk) == data["chair"]), None)
        if case is None:
            form.add_error("reference", "There is no case you can see with that reference")
        elif chair is None:
            form.add_error("chair", "Choose the chair to ask")
        else:
            try:
                order = court.court_order_record(
                    case=case,
                    court=data["court"],
                    court_case_number=data["court_case_number"],
                    ordered=data["ordered"],
                    deadline=data["deadline"],
                    received_on=data["received_on"],
                    chair=chair,
                    actor=request.user,
                    request=request,
                )
            except DisclosureError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, "Court order recorded and the chair asked")
                return redirect("disclosure:court", public_id=order.public_id)
    return render(
        request, "disclosure/court_new.html", {"form": form}, status=400 if form.errors else 200
    )


def _court_page(request: HttpRequest, order: Any, proceed_form: Any = None) -> HttpResponse:
    today = local_date(timezone.now())
    return render(
        request,
        "disclosure/court.html",
        {
            "order": order,
            "items": order.items.select_related("supplied_by").order_by("position", "pk"),
            "proceed_form": proceed_form or ProceedForm(),
            "form": proceed_form,
            "may_proceed": order.status == CourtOrderStatus.OBJECTED
            or (order.status == CourtOrderStatus.AWAITING_CHAIR and today > order.objection_due_on),
            "Status": CourtOrderStatus,
        },
        status=400 if proceed_form is not None else 200,
    )


@role_required(is_hub)
def court_detail(request: HttpRequest, public_id: Any) -> HttpResponse:
    order = get_in_scope_or_404(
        request, court_orders_for_hub(request.user), action="court_order.view", public_id=public_id
    )
    audit_record(
        action="court_order.view", request=request, obj=order.case, detail={"order": order.pk}
    )
    return _court_page(request, order)


@role_required(is_hub)
@require_POST
def court_proceed(request: HttpRequest, public_id: Any) -> HttpResponse:
    order = get_in_scope_or_404(
        request,
        court_orders_for_hub(request.user),
        action="court_order.proceed",
        public_id=public_id,
    )
    form = ProceedForm(request.POST)
    if form.is_valid():
        try:
            court.court_order_proceed(
                order=order, actor=request.user, note=form.cleaned_data["note"], request=request
            )
        except DisclosureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The bundle can now be prepared")
            return redirect("disclosure:court", public_id=order.public_id)
    return _court_page(request, order, form)


@role_required(is_hub)
@require_http_methods(["GET", "POST"])
def court_item(request: HttpRequest, public_id: Any, item_id: int) -> HttpResponse:
    order = get_in_scope_or_404(
        request, court_orders_for_hub(request.user), action="court_order.item", public_id=public_id
    )
    item = get_in_scope_or_404(
        request,
        CourtItem.objects.filter(order=order).select_related("supplied_by"),
        action="court_order.item",
        pk=item_id,
    )
    form = CourtItemForm(
        request.POST or None,
        initial={"decision": item.decision, "reason": item.reason, "note": item.note},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            court.court_item_decide(
                item=item,
                decision=data["decision"],
                reason=data["reason"],
                note=data["note"],
                actor=request.user,
                request=request,
            )
        except DisclosureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Decision saved")
            return redirect("disclosure:court", public_id=order.public_id)
    if request.method == "GET":
        audit_record(
            action="court_order.item_view",
            request=request,
            obj=order.case,
            detail={"item": item.pk},
        )
    return render(
        request,
        "disclosure/court_item.html",
        {"order": order, "item": item, "form": form},
        status=400 if form.errors else 200,
    )


@role_required(is_hub)
@recent_mfa_required
def court_bundle(request: HttpRequest, public_id: Any) -> HttpResponse:
    order = get_in_scope_or_404(
        request,
        court_orders_for_hub(request.user),
        action="court_order.bundle",
        public_id=public_id,
    )
    try:
        court.court_order_disclosed(order=order, actor=request.user, request=request)
    except DisclosureError as exc:
        messages.error(request, str(exc))
        return redirect("disclosure:court", public_id=order.public_id)
    content = render_pdf(
        title=f"MARAC disclosure to {order.court}, case {order.court_case_number}",
        blocks=documents.court_bundle(order),
        marking=_marking(request, f"Disclosed under court order {order.court_case_number}"),
    )
    return _pdf(content, f"court-bundle-{order.pk}.pdf")


@role_required(sees_cases)
@require_http_methods(["GET", "POST"])
def court_respond(request: HttpRequest, public_id: Any) -> HttpResponse:
    """The chair asked about an order reads what it reaches and answers."""
    order = get_in_scope_or_404(
        request,
        court_orders_for_chair(request.user),
        action="court_order.respond",
        public_id=public_id,
    )
    form = ChairResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            court.court_order_respond(
                order=order,
                actor=request.user,
                objects=form.cleaned_data["response"] == "objects",
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except DisclosureError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Your answer was recorded")
            return redirect("disclosure:court_respond", public_id=order.public_id)
    if request.method == "GET":
        audit_record(
            action="court_order.chair_view",
            request=request,
            obj=order.case,
            detail={"order": order.pk},
        )
    return render(
        request,
        "disclosure/court_respond.html",
        {
            "order": order,
            "form": form,
            "items": order.items.select_related("supplied_by").order_by("position", "pk"),
        },
        status=400 if form.errors else 200,
    )
