"""Scoped reads for triage: the queue, people a coordinator may link to, complex cases, updates."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Q, QuerySet

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to
from openmarac.meetings.models import ListingStatus
from openmarac.referrals.models import Referral, ReferralStatus
from openmarac.referrals.selectors import referrals_visible_to

from .models import WeeklyUpdate


def triage_queue(user: User) -> QuerySet[Referral]:
    """Referrals waiting for the hub's decision, oldest first."""
    return (
        referrals_visible_to(user)
        .filter(status=ReferralStatus.SUBMITTED, case__isnull=True)
        .select_related("area__policy", "partnership", "referrer_agency", "checklist")
        .order_by("submitted_at", "pk")
    )


def returned_referrals(user: User) -> QuerySet[Referral]:
    """Referrals returned as incomplete and not yet completed, with their chasing."""
    return (
        referrals_visible_to(user)
        .filter(status=ReferralStatus.RETURNED_BY_HUB)
        .select_related("area__policy", "partnership", "referrer_agency")
        .prefetch_related("chases")
        .order_by("returned_at", "pk")
    )


def recently_decided(user: User, *, limit: int = 20) -> QuerySet[Referral]:
    return (
        referrals_visible_to(user)
        .filter(
            status__in=[
                ReferralStatus.ACCEPTED,
                ReferralStatus.DECLINED,
                ReferralStatus.LAPSED,
            ]
        )
        .select_related("area", "case")
        .order_by("-decided_at", "-pk")[:limit]
    )


def complex_case_candidates(user: User, *, today: datetime.date) -> QuerySet[Case]:
    """Cases the user may see that were heard the area's number of times (4) in 12 months."""
    since = today - relativedelta(months=12)
    return (
        cases_visible_to(user)
        .annotate(
            hearings=Count(
                "listings",
                filter=Q(
                    listings__status=ListingStatus.HEARD,
                    listings__meeting__starts_on__gte=since,
                    listings__meeting__starts_on__lte=today,
                ),
                distinct=True,
            )
        )
        .filter(hearings__gte=F("area__policy__complex_case_hearings"))
        .select_related("area")
        .order_by("-hearings", "reference")
    )


def is_complex_case_candidate(case: Case, *, today: datetime.date) -> bool:
    since = today - relativedelta(months=12)
    heard = case.listings.filter(
        status=ListingStatus.HEARD,
        meeting__starts_on__gte=since,
        meeting__starts_on__lte=today,
    ).count()
    return heard >= case.area.policy.complex_case_hearings


def weekly_updates_for(case: Case) -> QuerySet[WeeklyUpdate]:
    """The case's updates; the caller has already fetched ``case`` through the user's scope."""
    return case.weekly_updates.select_related("agency", "submitted_by")
