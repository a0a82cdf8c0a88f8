"""What the triage pages share: the signed-in user as the acting user, and a referral fetched
through the user's scope (out of scope is a 404, audited)."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest

from openmarac.accounts.models import User
from openmarac.core.access import get_in_scope_or_404
from openmarac.referrals.models import Referral
from openmarac.referrals.selectors import referrals_visible_to


def acting_user(request: HttpRequest) -> User:
    return cast(User, request.user)


def referral_or_404(request: HttpRequest, public_id: Any) -> Referral:
    return get_in_scope_or_404(
        request,
        referrals_visible_to(acting_user(request)).select_related(
            "area__policy", "partnership", "referrer_agency", "checklist", "case"
        ),
        action="referral.view",
        public_id=public_id,
    )
