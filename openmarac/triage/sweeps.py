"""Deadline work for triage: chasing returned referrals, escalating and lapsing them, and telling
the hub once when a referral passes its triage deadline."""

from __future__ import annotations

import datetime

from openmarac.jobs.registry import sweep_step
from openmarac.notifications.services import notice_record
from openmarac.referrals.models import Referral, ReferralStatus

from .models import IncompleteChase
from .services.chasing import chase_advance
from .sla import SlaState, sla_clock


@sweep_step("triage.chase_incomplete")
def chase_incomplete(now: datetime.datetime) -> int:
    done = 0
    open_chases = IncompleteChase.objects.filter(
        completed_at__isnull=True, lapsed_at__isnull=True
    ).order_by("returned_at", "pk")
    for chase in open_chases:
        done += chase_advance(chase=chase, now=now)
    return done


@sweep_step("triage.sla_overdue")
def sla_overdue(now: datetime.datetime) -> int:
    """Tell the hub, once per referral and arrival, that a referral is past its deadline."""
    told = 0
    waiting = Referral.objects.filter(
        status=ReferralStatus.SUBMITTED, case__isnull=True
    ).select_related("area__policy", "partnership")
    for referral in waiting:
        clock = sla_clock(referral, now=now)
        if clock is None or clock.state != SlaState.OVERDUE:
            continue
        assert referral.submitted_at is not None
        if notice_record(
            event="triage.sla_overdue",
            instance=f"referral:{referral.pk}:{referral.submitted_at.isoformat()}",
            recipient_email=referral.partnership.hub_email,
            subject=f"MARAC referral {referral.reference} is past its triage deadline",
            body=f"MARAC referral {referral.reference} has not been triaged within the area's "
            "deadline. Sign in to the triage queue to decide it.\n",
            obj=referral,
        ):
            told += 1
    return told
