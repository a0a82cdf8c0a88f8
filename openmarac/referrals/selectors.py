"""Which referrals a user or a verified referrer may see. Drafts belong to their referrer alone."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from openmarac.cases.selectors import cases_visible_to
from openmarac.core.crypto import blind_index

from .models import Referral, ReferralStatus

# Referrals the hub holds without a case: waiting for triage, or decided without one.
HUB_STATUSES = (
    ReferralStatus.SUBMITTED,
    ReferralStatus.RETURNED_BY_HUB,
    ReferralStatus.DECLINED,
    ReferralStatus.LAPSED,
)


def email_index(email: str) -> str:
    return blind_index(email.strip().lower(), purpose="email")


def referrals_of_referrer(email: str) -> QuerySet[Referral]:
    """A verified referrer's own referrals, found by the blind index of their address."""
    return Referral.objects.filter(referrer_email_index=email_index(email))


def referrals_visible_to(user: Any) -> QuerySet[Referral]:
    """Referrals for signed-in users.

    * hub coordinators: every referral submitted to the hub in their partnership and not yet
      attached to a case (waiting for triage, returned as incomplete, declined or lapsed; not
      drafts, not those still with an agency approver);
    * agency approvers: their own agency's referrals waiting for, or given, their approval;
    * everyone with case access: referrals attached to cases they can see.
    Referrals asking for restricted handling reach only the hub until triage decides.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.agency_id is None:
        return Referral.objects.none()
    partnership_id = user.agency.partnership_id
    scope = Q(case__in=cases_visible_to(user).values("pk"))
    if user.is_hub_coordinator:
        scope |= Q(status__in=HUB_STATUSES)
    if user.is_referral_approver:
        scope |= Q(
            referrer_agency_id=user.agency_id,
            status__in=[ReferralStatus.AWAITING_APPROVAL, ReferralStatus.SUBMITTED],
            sent_for_approval_at__isnull=False,
        )
    return Referral.objects.filter(partnership_id=partnership_id).filter(scope).distinct()
