"""A gathered subject access request and a court order, for the permission and IDOR matrices."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.disclosure import court, subject_access
from openmarac.disclosure.models import CourtOrder, SubjectAccessRequest
from openmarac.proceedings.models import CaseAlert


def gathered_sar(case: Case, coordinator: User) -> SubjectAccessRequest:
    """A request about the victim of ``case``, identity checked and gathered."""
    victim = case.participants.get(role="victim").person
    existing = SubjectAccessRequest.objects.filter(subject=victim).first()
    if existing is not None:
        return existing
    sar = subject_access.sar_log(
        partnership=case.partnership,
        requester_name="Matrix Requester",
        reply_to="c/o the IDVA service",
        made_by="subject",
        received_on=timezone.localdate() - datetime.timedelta(days=3),
        actor=coordinator,
    )
    subject_access.sar_identity_check(sar=sar, method="documents", note="", actor=coordinator)
    return subject_access.sar_gather(sar=sar, subject=victim, actor=coordinator)


def order_on(case: Case, coordinator: User, chair: User, *, answered: bool = True) -> CourtOrder:
    """A court order on ``case``; the chair has said they do not object, unless ``answered`` is
    False."""
    existing = CourtOrder.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if not CaseAlert.objects.filter(case=case).exists():
        # Something the order reaches, on a case that holds nothing else.
        CaseAlert.objects.create(case=case, text="Matrix alert", created_at=timezone.now())
    order = court.court_order_record(
        case=case,
        court="Family Court",
        court_case_number=f"FC-{case.pk}",
        ordered="The minutes",
        deadline=timezone.localdate() + datetime.timedelta(days=20),
        received_on=timezone.localdate(),
        chair=chair,
        actor=coordinator,
    )
    if answered:
        order = court.court_order_respond(order=order, actor=chair, objects=False, reason="")
    return order


def an_item(owner: Any) -> int:
    return owner.items.order_by("pk").first().pk
