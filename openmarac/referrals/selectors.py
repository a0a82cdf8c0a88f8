"""Which referrals a user or a verified referrer may see. Drafts belong to their referrer alone."""

from __future__ import annotations

from django.db.models import Exists, Q, QuerySet

from openmarac.accounts.models import User
from openmarac.cases.selectors import areas_followed_by, cases_visible_to
from openmarac.core.crypto import blind_index
from openmarac.core.decorators import is_hub
from openmarac.partnerships.models import Area

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


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    """Referrals for signed-in users.

    * hub coordinators: the referrals submitted to the hub for the area MARACs they follow
      (``areas_followed_by``: the areas their active licence covers, the same rule as for cases)
      and not yet attached to a case (waiting for triage, returned as incomplete, declined or
      lapsed; not drafts, not those still with an agency approver). A coordinator whose licence
      is suspended, deactivated or expired sees none. A referral reaches the hub only with an
      area (the victim's MARAC, which ``referral_submit`` requires); one that has none all the
      same is shown only to coordinators whose licence covers every area of the partnership, so
      that it is neither lost nor shown to a coordinator of one area;
    * agency approvers: their own agency's referrals waiting for, or given, their approval;
    * everyone with case access: referrals attached to cases they can see.
    Referrals asking for restricted handling reach only the hub until triage decides.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.agency is None:
        return Referral.objects.none()
    partnership_id = user.agency.partnership_id
    scope = Q(case__in=cases_visible_to(user).values("pk"))
    if is_hub(user):
        followed = areas_followed_by(user)
        not_followed = Area.objects.filter(partnership_id=partnership_id).exclude(
            pk__in=followed.values("pk")
        )
        every_area = Q(Exists(followed)) & ~Q(Exists(not_followed))
        scope |= Q(status__in=HUB_STATUSES) & (
            Q(area_id__in=followed.values("pk")) | (Q(area__isnull=True) & every_area)
        )
    if user.is_referral_approver:
        scope |= Q(
            referrer_agency_id=user.agency_id,
            status__in=[ReferralStatus.AWAITING_APPROVAL, ReferralStatus.SUBMITTED],
            sent_for_approval_at__isnull=False,
        )
    # Every condition above is a subquery or a column of the referral itself, so no referral can
    # come twice and no DISTINCT is needed: a DISTINCT here made the database sort every
    # referral of the partnership (encrypted columns and all) before any list could be cut.
    return Referral.objects.filter(partnership_id=partnership_id).filter(scope)
