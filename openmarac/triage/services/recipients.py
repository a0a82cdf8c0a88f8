"""Who is told of a triage outcome, and how. Notices say only that there is something to see
and where to sign in, with the referral or case reference: never a name, an address or the
hub's free-text reasons (those are shown after signing in)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency, Sector
from openmarac.agencies.selectors import agencies_active_in
from openmarac.cases.models import Case
from openmarac.notifications.services import notice_record
from openmarac.partnerships.models import Area
from openmarac.referrals.models import Referral


def emails_of(users: Iterable[User]) -> list[str]:
    return sorted({u.email for u in users if u.email})


def agency_rep_emails(agency: Agency | None) -> list[str]:
    """The referring agency's MARAC representatives and approvers (Lincolnshire: DMRs)."""
    if agency is None:
        return []
    return emails_of(
        User.objects.filter(agency=agency, is_active=True).filter(
            Q(is_agency_rep=True) | Q(is_referral_approver=True)
        )
    )


def idva_emails(area: Area) -> list[str]:
    """The representatives of the area's IDVA service (a standing member with the IDVA sector)."""
    return emails_of(
        User.objects.filter(
            agency__in=agencies_active_in(area).filter(sector=Sector.IDVA),
            is_active=True,
            is_agency_rep=True,
        )
    )


def member_emails(area: Area) -> list[str]:
    """The representatives of every agency taking part in the area's MARAC."""
    return emails_of(
        User.objects.filter(agency__in=agencies_active_in(area), is_active=True, is_agency_rep=True)
    )


def invited_emails(case: Case) -> list[str]:
    """The representatives of agencies invited to this one case, while the invitation lasts."""
    invited = case.invitations.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    ).values("agency_id")
    return emails_of(User.objects.filter(agency__in=invited, is_active=True, is_agency_rep=True))


def notify(
    *, event: str, instance: str, recipients: list[str], subject: str, body: str, obj: models.Model
) -> int:
    sent = 0
    for address in sorted(set(recipients)):
        if notice_record(
            event=event,
            instance=instance,
            recipient_email=address,
            subject=subject,
            body=body,
            obj=obj,
        ):
            sent += 1
    return sent


def site_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def referrer_link(referral: Referral) -> str:
    return site_link(reverse("referrals:submitted", args=[referral.public_id]))
