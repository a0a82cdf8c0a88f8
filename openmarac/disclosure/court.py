"""Writing court orders for disclosure (Family Justice Council guidance, end of 002; 002 §7.18).
The hub records an order and discloses; the chair asked answers. Each runs in one transaction with
its audit event, which holds codes only.

An order is recorded with the court, its case number, what it orders and its deadline; the chair is
asked and may object within the area's working days; the MARAC's own minutes are disclosed (the
court told they may be incomplete) and what another agency supplied is referred to it, unless it
consented.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case
from openmarac.core.workdays import calendar_for, local_date
from openmarac.notifications.services import notice_record

from .errors import DisclosureError
from .gather import Found, case_record
from .models import (
    ChairResponse,
    CourtItem,
    CourtOrder,
    CourtOrderStatus,
    Decision,
    Reason,
)

__all__ = ["DisclosureError"]


def _today() -> datetime.date:
    return local_date(timezone.now())


def _court_first_decision(found: Found) -> tuple[str, str]:
    if found.supplied_by is None:
        return Decision.DISCLOSE, Reason.NONE  # the MARAC's own record: its minutes and alerts
    return Decision.REFER, Reason.OTHER_AGENCY


@transaction.atomic
def court_order_record(
    *,
    case: Case,
    court: str,
    court_case_number: str,
    ordered: str,
    deadline: datetime.date,
    received_on: datetime.date,
    chair: User,
    actor: Any,
    request: Any = None,
) -> CourtOrder:
    """Record a court order for disclosure on ``case``, ask the chair, and list what it may reach."""
    if not (
        chair.is_active
        and chair.is_chair
        and chair.agency
        and chair.agency.partnership_id == case.partnership_id
    ):
        raise DisclosureError("Choose a chair of this partnership")
    if received_on > _today():
        raise DisclosureError("The date received must be today or in the past")
    calendar = calendar_for(case.partnership)
    objection_due = calendar.add_working_days(
        received_on, case.area.policy.court_objection_working_days
    )
    order = CourtOrder.objects.create(
        case=case,
        court=court.strip(),
        court_case_number=court_case_number.strip(),
        ordered=ordered.strip(),
        deadline=deadline,
        received_on=received_on,
        chair=chair,
        objection_due_on=objection_due,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    for position, found in enumerate(case_record(case)):
        decision, reason = _court_first_decision(found)
        CourtItem.objects.create(
            order=order,
            source_key=found.key,
            kind=found.kind,
            label=found.label[:200],
            supplied_by=found.supplied_by,
            text=found.text,
            decision=decision,
            reason=reason,
            position=position,
        )
    audit_record(
        action="court_order.record",
        request=request,
        actor=actor,
        obj=case,
        detail={"order": order.pk, "chair": chair.pk, "items": order.items.count()},
    )
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('disclosure:court_respond', args=[order.public_id])}"
    notice_record(
        event="court_order.chair",
        instance=f"court_order:{order.pk}",
        recipient_email=chair.email,
        recipient_user=chair,
        subject=f"MARAC case {case.reference}: a court order for disclosure",
        body=(
            f"A court order for disclosure of information on MARAC case {case.reference} has been "
            f"received. You may object by {objection_due:%-d %B %Y} if disclosure would interfere "
            "significantly with a safety plan or may harm a child.\n\n"
            f"Sign in to respond: {link}\n"
        ),
        obj=case,
    )
    return order


def _order(order: CourtOrder) -> CourtOrder:
    return (
        CourtOrder.objects.select_for_update(of=("self",)).select_related("case").get(pk=order.pk)
    )


@transaction.atomic
def court_order_respond(
    *, order: CourtOrder, actor: Any, objects: bool, reason: str, request: Any = None
) -> CourtOrder:
    """The chair's answer: a formal objection (with why), or none."""
    order = _order(order)
    if actor.pk != order.chair_id:
        raise DisclosureError("Only the chair asked can answer")
    if order.status != CourtOrderStatus.AWAITING_CHAIR:
        raise DisclosureError("The chair's answer has already been recorded")
    if objects and not reason.strip():
        raise DisclosureError(
            "Say why disclosure would interfere with a safety plan or harm a child"
        )
    order.chair_response = ChairResponse.OBJECTS if objects else ChairResponse.NO_OBJECTION
    order.chair_reason = reason.strip()
    order.responded_at = timezone.now()
    order.status = CourtOrderStatus.OBJECTED if objects else CourtOrderStatus.PREPARING
    order.save()
    audit_record(
        action="court_order.respond",
        request=request,
        actor=actor,
        obj=order.case,
        detail={"order": order.pk, "response": order.chair_response},
    )
    return order


@transaction.atomic
def court_order_proceed(
    *, order: CourtOrder, actor: Any, note: str, request: Any = None
) -> CourtOrder:
    """Prepare the bundle: the chair's time to object has passed without an answer, or the court
    ordered disclosure despite the objection (the note says which)."""
    order = _order(order)
    if order.status == CourtOrderStatus.AWAITING_CHAIR and _today() <= order.objection_due_on:
        raise DisclosureError(f"The chair has until {order.objection_due_on:%-d %B %Y} to object")
    if order.status not in (CourtOrderStatus.AWAITING_CHAIR, CourtOrderStatus.OBJECTED):
        raise DisclosureError("The bundle is already being prepared")
    if not note.strip():
        raise DisclosureError("Say why disclosure goes ahead")
    order.proceed_note = note.strip()
    order.status = CourtOrderStatus.PREPARING
    order.save()
    audit_record(
        action="court_order.proceed",
        request=request,
        actor=actor,
        obj=order.case,
        detail={"order": order.pk},
    )
    return order


@transaction.atomic
def court_item_decide(
    *, item: CourtItem, decision: str, reason: str, note: str = "", actor: Any, request: Any = None
) -> CourtItem:
    order = _order(item.order)
    if order.status == CourtOrderStatus.DISCLOSED:
        raise DisclosureError("The bundle has been disclosed")
    if decision not in (Decision.DISCLOSE, Decision.REFER, Decision.WITHHOLD):
        raise DisclosureError("Choose what to do with this information")
    item = CourtItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if decision == Decision.DISCLOSE and item.supplied_by is not None and reason != Reason.CONSENT:
        raise DisclosureError(
            f"{item.supplied_by.name} owns this information: refer it to them, or record that "
            "they consented to its disclosure"
        )
    if decision != Decision.DISCLOSE and not reason:
        raise DisclosureError("Choose why")
    item.decision = decision
    item.reason = reason
    item.note = note.strip()
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save()
    audit_record(
        action="court_order.item_decide",
        request=request,
        actor=actor,
        obj=order.case,
        detail={"order": order.pk, "item": item.pk, "decision": decision, "reason": reason},
    )
    return item


@transaction.atomic
def court_order_disclosed(*, order: CourtOrder, actor: Any, request: Any = None) -> CourtOrder:
    """The bundle was produced for the court: log it (the PDF view calls this)."""
    order = _order(order)
    if order.status not in (CourtOrderStatus.PREPARING, CourtOrderStatus.DISCLOSED):
        raise DisclosureError(
            "The bundle can be produced once the chair has answered or the time to object has passed"
        )
    first = order.status != CourtOrderStatus.DISCLOSED
    order.status = CourtOrderStatus.DISCLOSED
    order.disclosed_by = order.disclosed_by or actor
    order.disclosed_at = order.disclosed_at or timezone.now()
    order.save()
    audit_record(
        action="court_order.bundle",
        request=request,
        actor=actor,
        obj=order.case,
        detail={
            "order": order.pk,
            "first": first,
            "disclosed": order.items.filter(decision=Decision.DISCLOSE).count(),
            "referred": order.items.filter(decision=Decision.REFER).count(),
        },
    )
    return order
