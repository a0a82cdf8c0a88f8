"""The quarterly licence audit: a licence unused for a whole quarter is deactivated (000 §6.2)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from openmarac.jobs.registry import sweep_step
from openmarac.notifications.services import notice_record

from .models import EndReason, Licence, LicenceStatus
from .services import licence_deactivate


def quarter_start(day: datetime.date) -> datetime.date:
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def last_full_quarter(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The calendar quarter before the one ``now`` falls in, as aware datetimes."""
    this_start = quarter_start(timezone.localtime(now).date())
    previous_start = quarter_start(this_start - datetime.timedelta(days=1))
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(previous_start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(this_start, datetime.time.min, tzinfo=tz),
    )


@sweep_step("licences.unused_quarter")
def deactivate_unused(now: datetime.datetime) -> int:
    """Deactivate every active licence held through the last quarter without a sign-in in it.

    Idempotent: a deactivated licence is not picked again, and each notice has a key per licence
    and quarter, so a re-run or a second worker adds nothing.
    """
    start, _end = last_full_quarter(now)
    unused = Licence.objects.filter(status=LicenceStatus.ACTIVE, activated_at__lt=start).filter(
        Q(user__last_login__isnull=True) | Q(user__last_login__lt=start)
    )
    done = 0
    for licence in unused.select_related("user"):
        licence_deactivate(licence=licence, reason=EndReason.UNUSED)
        instance = f"{licence.public_id}:{start.date().isoformat()}"
        body = (
            "A MARAC licence was deactivated because it was not used for a whole quarter "
            f"(reference {licence.short_id}).\n\n"
            "If it is still needed, the agency's key contact can ask the hub team to restore it: "
            f"{settings.SITE_URL}/\n"
        )
        notice_record(
            event="licence.unused",
            instance=instance,
            recipient_email=licence.user.email,
            recipient_user=licence.user,
            subject="Your MARAC licence was deactivated",
            body=body,
            obj=licence,
        )
        notice_record(
            event="licence.unused.escalation",
            instance=instance,
            recipient_email=licence.escalation_email,
            subject="A MARAC licence in your agency was deactivated",
            body=body,
            obj=licence,
        )
        done += 1
    return done
