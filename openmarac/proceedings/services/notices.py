"""Who hears of the meeting's work, and telling them: a notice carries a link, never case data."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.notifications.services import notice_record


def hub_recipients(partnership_id: int) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            is_hub_coordinator=True,
            agency__is_hub=True,
            agency__partnership_id=partnership_id,
        )
    )


def agency_reps(agencies: Iterable[Agency]) -> list[User]:
    return list(
        User.objects.filter(is_active=True, is_agency_rep=True, agency__in=list(agencies)).order_by(
            "pk"
        )
    )


def notify(users: Iterable[User], *, event: str, instance: str, subject: str, path: str) -> None:
    body = (
        "There is something for you in OpenMARAC.\n\n"
        f"Sign in to see it: {settings.SITE_URL}{path}\n"
    )
    for user in users:
        notice_record(
            event=event,
            instance=instance,
            recipient_email=user.email,
            recipient_user=user,
            subject=subject,
            body=body,
        )
