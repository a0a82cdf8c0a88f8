"""Chasing a referral returned as incomplete (run by the sweep): reminders to the referrer,
escalation to the referring agency's lead, and the lapse at the end of the period allowed."""

from __future__ import annotations

import datetime
from typing import TypedDict

from django.db import transaction
from django.urls import reverse

from openmarac.audit.services import audit_record
from openmarac.core.workdays import calendar_for
from openmarac.referrals.models import Referral, ReferralStatus

from ..models import DecisionKind, IncompleteChase, TriageDecision
from .recipients import agency_rep_emails, notify, site_link


class ChaseDueTimes(TypedDict):
    """When each chase of a returned referral, its escalation and its lapse fall due."""

    chases: list[datetime.datetime]
    escalate: datetime.datetime | None
    lapse: datetime.datetime | None


def chase_due_times(chase: IncompleteChase, referral: Referral) -> ChaseDueTimes:
    """When each chase, the escalation and the lapse fall due, in the area's working days."""
    assert referral.area is not None
    policy = referral.area.policy
    calendar = calendar_for(referral.partnership)

    def after(days: int) -> datetime.datetime:
        return calendar.add_working_hours(chase.returned_at, 24 * days)

    return {
        "chases": [
            after(policy.incomplete_chase_interval_working_days * n)
            for n in range(1, policy.incomplete_chase_count + 1)
        ],
        "escalate": after(policy.incomplete_escalate_working_days)
        if policy.incomplete_escalate_working_days
        else None,
        "lapse": after(policy.incomplete_lapse_working_days)
        if policy.incomplete_lapse_working_days
        else None,
    }


@transaction.atomic
def chase_advance(*, chase: IncompleteChase, now: datetime.datetime) -> int:
    """Do whatever is due on one returned referral at ``now``; return how many steps were done.

    Idempotent: what was done is recorded on the chase, and each notice has its own key.
    """
    chase = IncompleteChase.objects.select_for_update(of=("self",)).get(pk=chase.pk)
    if chase.completed_at or chase.lapsed_at:
        return 0
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("area__policy", "partnership", "referrer_agency")
        .get(pk=chase.referral_id)
    )
    if referral.status != ReferralStatus.RETURNED_BY_HUB or (
        referral.returned_at and referral.returned_at > chase.returned_at
    ):
        chase.completed_at = now
        chase.save(update_fields=["completed_at"])
        return 0
    due = chase_due_times(chase, referral)
    done = 0
    reached = [n for n, at in enumerate(due["chases"], start=1) if at <= now]
    if reached and reached[-1] > chase.chases_sent:
        number = reached[-1]
        link = site_link(reverse("referrals:task_list", args=[referral.public_id]))
        notify(
            event="triage.chase.referrer",
            instance=f"chase:{chase.pk}:{number}",
            recipients=[referral.referrer_email],
            subject=f"Reminder: MARAC referral {referral.reference} needs more information",
            body=f"MARAC referral {referral.reference} is still incomplete (reminder {number} of "
            f"{len(due['chases'])}). The hub cannot process it until it is completed.\n\n"
            f"Verify your work e-mail address to complete it: {link}\n",
            obj=referral,
        )
        chase.chases_sent = number
        chase.last_chased_at = now
        audit_record(
            action="triage.chase",
            obj=referral,
            detail={"chase": chase.pk, "number": number},
        )
        done += 1
    if due["escalate"] is not None and due["escalate"] <= now and chase.escalated_at is None:
        agency = referral.referrer_agency
        recipients = [agency.escalation_email] if agency and agency.escalation_email else []
        notify(
            event="triage.chase.escalated",
            instance=f"chase:{chase.pk}",
            recipients=[*recipients, referral.partnership.hub_email],
            subject=f"Escalation: MARAC referral {referral.reference} is still incomplete",
            body=f"MARAC referral {referral.reference} was returned to the referring agency as "
            "incomplete and has not been completed despite reminders. Please make sure it is "
            "completed: it will not be processed after the end of the third week.\n",
            obj=referral,
        )
        chase.escalated_at = now
        audit_record(
            action="triage.escalate",
            obj=referral,
            detail={"chase": chase.pk, "to_agency_lead": bool(recipients)},
        )
        done += 1
    if due["lapse"] is not None and due["lapse"] <= now:
        _lapse(referral, chase, now=now)
        done += 1
    chase.save()
    return done


def _lapse(referral: Referral, chase: IncompleteChase, *, now: datetime.datetime) -> None:
    decision = TriageDecision.objects.create(
        referral=referral,
        kind=DecisionKind.LAPSE,
        reason="Not completed by the end of the period allowed after it was returned as "
        "incomplete. Responsibility lies with the referring agency.",
        responsibility="referrer",
        decided_at=now,
    )
    referral.status = ReferralStatus.LAPSED
    referral.decided_at = now
    referral.save(update_fields=["status", "decided_at", "updated_at"])
    chase.lapsed_at = now
    audit_record(
        action="triage.lapse",
        obj=referral,
        detail={"chase": chase.pk, "decision": decision.pk, "responsibility": "referrer"},
    )
    assert referral.area is not None
    recipients = [referral.referrer_email, referral.partnership.hub_email]
    if referral.area.policy.notify_agency_rep_of_outcome:
        recipients += agency_rep_emails(referral.referrer_agency)
    notify(
        event="triage.lapsed",
        instance=f"chase:{chase.pk}",
        recipients=recipients,
        subject=f"MARAC referral {referral.reference} will not be processed",
        body=f"MARAC referral {referral.reference} was returned as incomplete and was not "
        "completed in time, so it will not be processed. Responsibility for this lies with the "
        "referring agency. If the victim is still at high risk, make a new referral.\n",
        obj=referral,
    )
