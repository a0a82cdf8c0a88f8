"""The hub's decisions on a referral waiting for triage: returning it as incomplete, or
declining it. Accepting it is ``acceptance``. Each is one transaction with its audit event and
its notices."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.referrals.models import Referral, ReferralStatus

from ..models import DecisionKind, DeclineReason, IncompleteChase, TriageDecision
from .errors import TriageError
from .recipients import agency_rep_emails, notify, referrer_link, site_link


def lock_waiting(referral: Referral) -> Referral:
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("area__policy", "partnership", "referrer_agency")
        .get(pk=referral.pk)
    )
    if referral.status != ReferralStatus.SUBMITTED:
        raise TriageError("This referral is not waiting for triage")
    return referral


@transaction.atomic
def referral_return(
    *, referral: Referral, actor: User, missing: str, request: HttpRequest | None = None
) -> TriageDecision:
    """Return a referral as incomplete: the referrer is told what is missing (after signing in)
    and can complete and resend the same referral; the area's chase rule then runs."""
    referral = lock_waiting(referral)
    if not missing.strip():
        raise TriageError("Enter what is missing from the referral")
    now = timezone.now()
    decision = TriageDecision.objects.create(
        referral=referral,
        kind=DecisionKind.RETURN,
        missing=missing.strip(),
        reason=missing.strip(),
        decided_by=actor,
        decided_at=now,
    )
    IncompleteChase.objects.filter(referral=referral, completed_at__isnull=True).update(
        completed_at=now
    )
    IncompleteChase.objects.create(referral=referral, decision=decision, returned_at=now)
    referral.status = ReferralStatus.RETURNED_BY_HUB
    referral.hub_return_note = missing.strip()
    referral.returned_at = now
    referral.decided_at = now
    referral.save(
        update_fields=["status", "hub_return_note", "returned_at", "decided_at", "updated_at"]
    )
    audit_record(
        action="triage.return",
        request=request,
        actor=actor,
        obj=referral,
        detail={"decision": decision.pk},
    )
    instance = f"referral:{referral.pk}:{decision.pk}"
    link = site_link(reverse("referrals:task_list", args=[referral.public_id]))
    notify(
        event="triage.returned.referrer",
        instance=instance,
        recipients=[referral.referrer_email],
        subject=f"MARAC referral {referral.reference} needs more information",
        body=f"The MARAC hub has returned referral {referral.reference} because it is "
        "incomplete.\n\nVerify your work e-mail address to see what is missing, complete the "
        f"referral and send it again: {link}\n",
        obj=referral,
    )
    assert referral.area is not None
    if referral.area.policy.notify_agency_rep_of_outcome:
        notify(
            event="triage.returned.agency",
            instance=instance,
            recipients=agency_rep_emails(referral.referrer_agency),
            subject=f"MARAC referral {referral.reference} returned as incomplete",
            body=f"A MARAC referral from your organisation, {referral.reference}, has been "
            "returned to the referrer as incomplete. Please make sure it is completed.\n",
            obj=referral,
        )
    return decision


@transaction.atomic
def referral_decline(
    *,
    referral: Referral,
    actor: User,
    decline_reason: str,
    explanation: str,
    request: HttpRequest | None = None,
) -> TriageDecision:
    """Decline a referral with one of the recognised reasons and an explanation."""
    referral = lock_waiting(referral)
    if decline_reason not in DeclineReason.values:
        raise TriageError("Select why the referral is declined")
    if not explanation.strip():
        raise TriageError("Explain why the referral is declined")
    now = timezone.now()
    decision = TriageDecision.objects.create(
        referral=referral,
        kind=DecisionKind.DECLINE,
        decline_reason=decline_reason,
        reason=explanation.strip(),
        decided_by=actor,
        decided_at=now,
    )
    referral.status = ReferralStatus.DECLINED
    referral.decided_at = now
    referral.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(
        action="triage.decline",
        request=request,
        actor=actor,
        obj=referral,
        detail={"decision": decision.pk, "reason": decline_reason},
    )
    label = DeclineReason(decline_reason).label
    instance = f"referral:{referral.pk}:{decision.pk}"
    notify(
        event="triage.declined.referrer",
        instance=instance,
        recipients=[referral.referrer_email],
        subject=f"MARAC referral {referral.reference} declined",
        body=f"The MARAC hub has declined referral {referral.reference}.\n\nReason: {label}.\n\n"
        "Verify your work e-mail address to read the hub's explanation and the support "
        f"available: {referrer_link(referral)}\n",
        obj=referral,
    )
    assert referral.area is not None
    if referral.area.policy.notify_agency_rep_of_outcome:
        notify(
            event="triage.declined.agency",
            instance=instance,
            recipients=agency_rep_emails(referral.referrer_agency),
            subject=f"MARAC referral {referral.reference} declined",
            body=f"A MARAC referral from your organisation, {referral.reference}, has been "
            f"declined.\n\nReason: {label}.\n",
            obj=referral,
        )
    return decision
