"""The triage deadline of a referral: the area's working hours from its arrival at the hub."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from openmarac.core.workdays import calendar_for
from openmarac.referrals.models import Referral

# A referral is "due soon" once this share of its working time or less remains.
DUE_SOON_SHARE = 0.25


class SlaState:
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class SlaClock:
    due_at: datetime.datetime
    state: str
    hours_left: float  # working hours; negative once overdue

    @property
    def label(self) -> str:
        """The clock in words, so that the colour is never the only signal."""
        hours = abs(self.hours_left)
        amount = f"{hours:.0f} working hour{'' if round(hours) == 1 else 's'}"
        if self.state == SlaState.OVERDUE:
            return f"Overdue by {amount}"
        if self.state == SlaState.DUE_SOON:
            return f"Due soon: {amount} left"
        return f"On time: {amount} left"

    @property
    def tag_class(self) -> str:
        return {
            SlaState.OVERDUE: "govuk-tag--red",
            SlaState.DUE_SOON: "govuk-tag--orange",
        }.get(self.state, "govuk-tag--green")


def sla_clock(referral: Referral, *, now: datetime.datetime) -> SlaClock | None:
    """The triage clock of a referral waiting at the hub, or None if it has not arrived."""
    if referral.submitted_at is None or referral.area is None:
        return None
    hours = referral.area.policy.triage_sla_working_hours
    calendar = calendar_for(referral.partnership)
    due_at = calendar.add_working_hours(referral.submitted_at, hours)
    left = calendar.working_hours_between(now, due_at)
    if now >= due_at:
        state = SlaState.OVERDUE
    elif left <= hours * DUE_SOON_SHARE:
        state = SlaState.DUE_SOON
    else:
        state = SlaState.ON_TIME
    return SlaClock(due_at=due_at, state=state, hours_left=left)
