"""The hub's triage queue: referrals waiting (by their clock), returned, and recently decided."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from openmarac.audit.services import audit_record
from openmarac.core.decorators import is_hub, role_required
from openmarac.emergencies.selectors import emergencies_open, emergency_clock

from ..selectors import recently_decided, returned_referrals, triage_queue
from ..services.chasing import chase_due_times
from ..sla import sla_clock
from .lookup import acting_user


@role_required(is_hub)
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    waiting = [(r, sla_clock(r, now=now)) for r in triage_queue(acting_user(request))]
    # Referrals asking for an emergency MARAC come first, then by their triage clock.
    waiting.sort(
        key=lambda pair: (
            not pair[0].emergency_requested,
            pair[1].due_at if pair[1] else now,
            pair[0].pk,
        )
    )
    emergencies = [
        (e, emergency_clock(e, now=now)) for e in emergencies_open(acting_user(request), now=now)
    ]
    returned = []
    for referral in returned_referrals(acting_user(request)):
        chase = next((c for c in referral.chases.all() if c.completed_at is None), None)
        due = chase_due_times(chase, referral) if chase else None
        returned.append({"referral": referral, "chase": chase, "due": due})
    decided = list(recently_decided(acting_user(request), now=now))
    audit_record(
        action="triage_queue.view",
        request=request,
        detail={"waiting": len(waiting), "returned": len(returned)},
    )
    return render(
        request,
        "triage/queue.html",
        {
            "waiting": waiting,
            "returned": returned,
            "decided": decided,
            "emergencies": emergencies,
        },
    )
