"""A referrer's home: their own referrals, counted by state."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from openmarac.referrals.models import ReferralStatus
from openmarac.referrals.selectors import referrals_of_referrer


@dataclass(frozen=True)
class StateCount:
    state: str
    count: int


def referrer_work(email: str) -> list[StateCount]:
    """How many of the referrer's referrals are in each state, in the states' own order (one
    query, whatever the number of referrals)."""
    counts = dict(
        referrals_of_referrer(email)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        StateCount(state=label, count=counts[value])
        for value, label in ReferralStatus.choices
        if counts.get(value)
    ]
