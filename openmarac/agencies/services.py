"""Recording agencies' signatures of the agreements, and their withdrawal (000 §6.1, §11.1)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from openmarac.audit.services import audit_record

from .models import Agency, AgreementSignature

if TYPE_CHECKING:
    from openmarac.accounts.models import User


@transaction.atomic
def signature_record(
    *,
    agency: Agency,
    agreement: str,
    signed_on: datetime.date,
    signed_by: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> AgreementSignature:
    """Record that ``agency`` signed ``agreement``; a newer signature replaces the current one."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if agency.withdrawn_on is not None:
        raise ValidationError("The agency has withdrawn; record its return before new signatures.")
    AgreementSignature.objects.filter(
        agency=agency, agreement=agreement, withdrawn_on__isnull=True
    ).update(withdrawn_on=signed_on)
    signature = AgreementSignature.objects.create(
        agency=agency,
        agreement=agreement,
        signed_on=signed_on,
        signed_by=signed_by,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        action="agency.signature_record",
        request=request,
        actor=actor,
        obj=signature,
        detail={"agency": agency.pk, "agreement": agreement},
    )
    return signature


@transaction.atomic
def agency_withdraw(
    *,
    agency: Agency,
    withdrawn_on: datetime.date,
    reason: str,
    actor: User,
    request: HttpRequest | None = None,
) -> Agency:
    """The agency withdraws: every licence ends at once and it leaves future agendas.

    What it already shared stays on the record, owned by it: nothing is deleted or moved.
    """
    from openmarac.licences.models import EndReason, Licence, LicenceStatus
    from openmarac.licences.services import licence_deactivate

    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    if agency.is_hub:
        raise ValidationError("The hub team cannot withdraw from its own partnership.")
    if agency.withdrawn_on is not None:
        raise ValidationError("The agency has already withdrawn.")
    agency.withdrawn_on = withdrawn_on
    agency.withdrawal_reason = reason
    agency.save(update_fields=["withdrawn_on", "withdrawal_reason"])
    AgreementSignature.objects.filter(agency=agency, withdrawn_on__isnull=True).update(
        withdrawn_on=withdrawn_on
    )
    ended = 0
    for licence in Licence.objects.filter(agency=agency).exclude(status=LicenceStatus.DEACTIVATED):
        licence_deactivate(licence=licence, reason=EndReason.WITHDRAWN, request=request)
        ended += 1
    audit_record(
        action="agency.withdraw",
        request=request,
        actor=actor,
        obj=agency,
        detail={"licences_ended": ended},
    )
    return agency


@transaction.atomic
def agency_rejoin(*, agency: Agency, actor: User, request: HttpRequest | None = None) -> Agency:
    """Clear a withdrawal; the agency must sign both agreements again before new licences."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    agency.withdrawn_on = None
    agency.save(update_fields=["withdrawn_on"])
    audit_record(action="agency.rejoin", request=request, actor=actor, obj=agency)
    return agency
