"""Corrections to approved minutes: the agency that shared the information asks, a hub
coordinator accepts or rejects, and the agency is told."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record

from ..models import CorrectionStatus, MinutesCorrection, MinutesStatus, SharedInformation
from .guards import ProceedingsError, case_writable, record_for
from .notices import hub_recipients, notify


@transaction.atomic
def correction_request(
    *,
    information: SharedInformation,
    actor: User,
    proposed_text: str,
    reason: str,
    request: HttpRequest | None = None,
) -> MinutesCorrection:
    """The agency that shared the information asks for it to be corrected in the minutes."""
    if actor.agency_id != information.agency_id:
        raise ProceedingsError("Only the agency that shared the information can correct it")
    record = record_for(information.hearing.listing.meeting)
    if record.minutes_status == MinutesStatus.DRAFT:
        raise ProceedingsError("Corrections can be asked for once the minutes are approved")
    if not proposed_text.strip():
        raise ProceedingsError("Enter the corrected text")
    if not reason.strip():
        raise ProceedingsError("Enter why the minutes need correcting")
    correction = MinutesCorrection.objects.create(
        information=information,
        agency=information.agency,
        requested_by=actor,
        requested_at=timezone.now(),
        proposed_text=proposed_text.strip(),
        reason=reason.strip(),
    )
    notify(
        hub_recipients(information.agency.partnership_id),
        event="proceedings.correction_requested",
        instance=f"correction:{correction.pk}",
        subject="A correction to MARAC minutes is waiting",
        path=reverse("proceedings:correction", args=[correction.pk]),
    )
    audit_record(action="minutes.correction_request", request=request, actor=actor, obj=correction)
    return correction


@transaction.atomic
def correction_decide(
    *,
    correction: MinutesCorrection,
    accept: bool,
    actor: User,
    note: str = "",
    request: HttpRequest | None = None,
) -> MinutesCorrection:
    correction = MinutesCorrection.objects.select_for_update().get(pk=correction.pk)
    if correction.status != CorrectionStatus.REQUESTED:
        raise ProceedingsError("This correction has already been decided")
    if not accept and not note.strip():
        raise ProceedingsError("Enter why the correction is rejected")
    information = SharedInformation.objects.select_for_update().get(pk=correction.information_id)
    case_writable(information.hearing.listing.case)
    if accept:
        correction.previous_text = information.text
        information.text = correction.proposed_text
        information.save(update_fields=["text"])
        correction.status = CorrectionStatus.ACCEPTED
    else:
        correction.status = CorrectionStatus.REJECTED
    correction.decided_by = actor
    correction.decided_at = timezone.now()
    correction.decision_note = note.strip()
    correction.save()
    notify(
        [correction.requested_by],
        event="proceedings.correction_decided",
        instance=f"correction:{correction.pk}",
        subject="Your correction to MARAC minutes was decided",
        path=reverse("proceedings:minutes", args=[information.hearing.listing.meeting_id]),
    )
    audit_record(
        action="minutes.correction_decide",
        request=request,
        actor=actor,
        obj=correction,
        detail={"accepted": accept},
    )
    return correction
