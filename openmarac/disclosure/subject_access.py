"""Writing subject access requests. The hub calls these; each runs in one transaction with its
audit event, which holds codes only (UK GDPR Art. 12, 15; 002 §7.17):

* logged with the date received; due one calendar month later, extendable once to three months
  from receipt with a reason (Art. 12(3));
* nothing is gathered until the requester's identity is checked (002 §7.17: "clarification will
  be sought to ensure they are the person whose information is wanted");
* gathering copies everything held about the data subject (``gather.held_about``) as items with
  a first decision: their own details and case roles disclosed; the MARAC's minutes and alerts to
  be redacted of other people; what another agency supplied referred to it. For an alleged
  perpetrator everything but their own identity details is withheld and locked: nothing that
  could identify the referral or the victim's location is disclosed (002 §7.17).
"""

from __future__ import annotations

import datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from openmarac.audit.services import audit_record
from openmarac.core.workdays import local_date
from openmarac.partnerships.models import Partnership
from openmarac.people.models import Person

from .errors import DisclosureError
from .gather import Found, held_about, is_alleged_perpetrator, same_person
from .models import (
    Decision,
    IdentityMethod,
    ItemKind,
    Reason,
    SarItem,
    SarStatus,
    SubjectAccessRequest,
)

__all__ = ["DisclosureError"]


def _today() -> datetime.date:
    return local_date(timezone.now())


@transaction.atomic
def sar_log(
    *,
    partnership: Partnership,
    requester_name: str,
    reply_to: str,
    made_by: str,
    received_on: datetime.date,
    actor: Any,
    request: Any = None,
) -> SubjectAccessRequest:
    """Log a subject access request; its clock runs one month from ``received_on``."""
    if received_on > _today():
        raise DisclosureError("The date received must be today or in the past")
    year = received_on.year
    count = SubjectAccessRequest.objects.filter(
        partnership=partnership, reference__startswith=f"SAR-{year}-"
    ).count()
    sar = SubjectAccessRequest.objects.create(
        partnership=partnership,
        reference=f"SAR-{year}-{count + 1:04d}",
        requester_name=requester_name.strip(),
        reply_to=reply_to.strip(),
        made_by=made_by,
        received_on=received_on,
        due_on=received_on + relativedelta(months=1),
        created_by=actor,
        created_at=timezone.now(),
    )
    audit_record(
        action="sar.log", request=request, actor=actor, obj=sar, detail={"made_by": made_by}
    )
    return sar


def _open(sar: SubjectAccessRequest) -> SubjectAccessRequest:
    locked = SubjectAccessRequest.objects.select_for_update(of=("self",)).get(pk=sar.pk)
    if locked.status != SarStatus.OPEN:
        raise DisclosureError("This request has been closed")
    return locked


@transaction.atomic
def sar_identity_check(
    *, sar: SubjectAccessRequest, method: str, note: str, actor: Any, request: Any = None
) -> SubjectAccessRequest:
    if method not in IdentityMethod.values:
        raise DisclosureError("Choose how the requester's identity was checked")
    sar = _open(sar)
    sar.identity_method = method
    sar.identity_note = note.strip()
    sar.identity_checked_by = actor
    sar.identity_checked_at = timezone.now()
    sar.save()
    audit_record(
        action="sar.identity_check",
        request=request,
        actor=actor,
        obj=sar,
        detail={"method": method},
    )
    return sar


@transaction.atomic
def sar_extend(
    *, sar: SubjectAccessRequest, to: datetime.date, reason: str, actor: Any, request: Any = None
) -> SubjectAccessRequest:
    """Extend the deadline, at most to three months from receipt, with the reason (Art. 12(3))."""
    sar = _open(sar)
    latest = sar.received_on + relativedelta(months=3)
    if to <= sar.due_on:
        raise DisclosureError("The new deadline must be after the one-month deadline")
    if to > latest:
        raise DisclosureError(f"The deadline can be extended to {latest:%-d %B %Y} at the latest")
    if not reason.strip():
        raise DisclosureError("Enter why the request needs longer")
    sar.extended_to = to
    sar.extension_reason = reason.strip()
    sar.save()
    audit_record(
        action="sar.extend", request=request, actor=actor, obj=sar, detail={"to": to.isoformat()}
    )
    return sar


FIRST_DECISION = {
    ItemKind.DETAILS: (Decision.DISCLOSE, Reason.NONE),
    ItemKind.ADDRESS: (Decision.DISCLOSE, Reason.NONE),
    ItemKind.CASE_ROLE: (Decision.DISCLOSE, Reason.NONE),
    ItemKind.MINUTES: (Decision.REDACT, Reason.THIRD_PARTY),
    ItemKind.ALERT: (Decision.REDACT, Reason.THIRD_PARTY),
}


def _first_decision(found: Found, *, perpetrator: bool) -> tuple[str, str, bool]:
    """(decision, reason, locked) for an item as first gathered."""
    if perpetrator:
        if found.kind == ItemKind.DETAILS:
            return Decision.WITHHOLD, Reason.PERPETRATOR, False
        return Decision.WITHHOLD, Reason.PERPETRATOR, True
    if found.kind in FIRST_DECISION:
        decision, reason = FIRST_DECISION[ItemKind(found.kind)]
        return decision, reason, False
    return Decision.REFER, Reason.OTHER_AGENCY, False


@transaction.atomic
def sar_gather(
    *, sar: SubjectAccessRequest, subject: Person, actor: Any, request: Any = None
) -> SubjectAccessRequest:
    """Gather everything held about ``subject`` (through their merges) into the request's items.

    Gathering again keeps every decision already taken and adds what is new."""
    sar = _open(sar)
    if sar.identity_checked_at is None:
        raise DisclosureError("Check the requester's identity first")
    if subject.partnership_id != sar.partnership_id:
        raise DisclosureError("Choose a person of this partnership")
    people = same_person(subject)
    perpetrator = is_alleged_perpetrator(people)
    existing = set(sar.items.values_list("source_key", flat=True))
    added = 0
    for position, found in enumerate(held_about(people)):
        if found.key in existing:
            continue
        decision, reason, locked = _first_decision(found, perpetrator=perpetrator)
        SarItem.objects.create(
            request=sar,
            source_key=found.key,
            kind=found.kind,
            case=found.case,
            label=found.label[:200],
            supplied_by=found.supplied_by,
            text=found.text,
            decision=decision,
            reason=reason,
            locked=locked,
            position=position,
        )
        added += 1
    if perpetrator:
        # An earlier gathering may have found them only as a victim: the rule now applies to all.
        sar.items.exclude(kind=ItemKind.DETAILS).update(
            decision=Decision.WITHHOLD, reason=Reason.PERPETRATOR, locked=True, disclosed_text=""
        )
    sar.subject = subject
    sar.subject_is_alleged_perpetrator = perpetrator
    sar.gathered_at = timezone.now()
    sar.save()
    audit_record(
        action="sar.gather",
        request=request,
        actor=actor,
        obj=sar,
        detail={
            "person": subject.pk,
            "records": len(people),
            "items_added": added,
            "perpetrator": perpetrator,
        },
    )
    return sar


def _check_item_decision(decision: str, reason: str, disclosed_text: str) -> None:
    if decision not in Decision.values:
        raise DisclosureError("Choose what to do with this information")
    if decision in (Decision.WITHHOLD, Decision.REDACT, Decision.REFER) and not reason:
        raise DisclosureError("Choose why")
    if decision == Decision.REDACT and not disclosed_text.strip():
        raise DisclosureError("Enter the text to disclose, with other people's information removed")


@transaction.atomic
def sar_item_decide(
    *,
    item: SarItem,
    decision: str,
    reason: str,
    disclosed_text: str = "",
    note: str = "",
    actor: Any,
    request: Any = None,
) -> SarItem:
    _open(item.request)
    item = SarItem.objects.select_for_update(of=("self",)).get(pk=item.pk)
    if item.locked and decision in (Decision.DISCLOSE, Decision.REDACT):
        raise DisclosureError(
            "This is never disclosed to an alleged perpetrator: it could identify the referral or "
            "the victim's location"
        )
    _check_item_decision(decision, reason, disclosed_text)
    item.decision = decision
    item.reason = "" if decision == Decision.DISCLOSE else reason
    item.disclosed_text = disclosed_text.strip() if decision == Decision.REDACT else ""
    item.note = note.strip()
    item.decided_by = actor
    item.decided_at = timezone.now()
    item.save()
    audit_record(
        action="sar.item_decide",
        request=request,
        actor=actor,
        obj=item.request,
        detail={"item": item.pk, "decision": decision, "reason": item.reason},
    )
    return item


@transaction.atomic
def sar_complete(
    *, sar: SubjectAccessRequest, actor: Any, request: Any = None
) -> SubjectAccessRequest:
    """The pack has been sent: close the request."""
    sar = _open(sar)
    if sar.gathered_at is None:
        raise DisclosureError("Gather the information held first")
    sar.status = SarStatus.COMPLETED
    sar.completed_by = actor
    sar.completed_at = timezone.now()
    sar.save()
    audit_record(
        action="sar.complete",
        request=request,
        actor=actor,
        obj=sar,
        detail={"late": _today() > sar.deadline},
    )
    return sar
