"""Scoped reads for triage: the queue, people a coordinator may link to, complex cases, updates."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, IntegerField, OuterRef, QuerySet, Subquery

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to
from openmarac.meetings.models import Listing, ListingStatus
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


RECENT_DAYS = 30


def recently_decided(user: User, *, now: datetime.datetime, limit: int = 20) -> QuerySet[Referral]:
    """The latest decisions of the last ``RECENT_DAYS`` days, newest first, at most ``limit``:
    read from the index on ``decided_at``, never by sorting every referral ever decided."""
    return (
        referrals_visible_to(user)
        .filter(
            status__in=[
                ReferralStatus.ACCEPTED,
                ReferralStatus.DECLINED,
                ReferralStatus.LAPSED,
            ],
            decided_at__gte=now - datetime.timedelta(days=RECENT_DAYS),
        )
        .select_related("area", "case")
        .order_by("-decided_at", "-pk")[:limit]
    )


def complex_case_candidates(user: User, *, today: datetime.date) -> QuerySet[Case]:
    """Cases the user may see that were heard the area's number of times (4) in 12 months.

    Only the last 12 months' hearings are counted, from the listings of those months, never
    every listing a case has ever had."""
    since = today - relativedelta(months=12)
    heard = Listing.objects.filter(
        status=ListingStatus.HEARD, meeting__starts_on__gte=since, meeting__starts_on__lte=today
    )
    often = (
        heard.values("case_id", "case__area__policy__complex_case_hearings")
        .annotate(times=Count("pk"))
        .filter(times__gte=F("case__area__policy__complex_case_hearings"))
        .values("case_id")
    )
    times = (
        heard.filter(case_id=OuterRef("pk"))
        .values("case_id")
        .annotate(times=Count("pk"))
        .values("times")
    )
    return (
        cases_visible_to(user)
        .filter(pk__in=often)
        .annotate(hearings=Subquery(times, output_field=IntegerField()))
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
