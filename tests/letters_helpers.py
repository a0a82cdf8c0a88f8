"""A case heard at a meeting, and a letter written on it, for the letters tests and matrices."""

from __future__ import annotations

import datetime

from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.letters.models import Letter
from openmarac.letters.services import letter_write
from openmarac.meetings.models import Listing, ListingReason, ListingStatus, Meeting


def heard(case: Case, on: datetime.date = datetime.date(2026, 10, 14)) -> Case:
    """Record that a meeting of the case's area heard it on ``on``."""
    meeting = Meeting.objects.create(
        area=case.area, starts_on=on, ends_on=on, start_time=datetime.time(10)
    )
    Listing.objects.create(
        meeting=meeting,
        case=case,
        reason=ListingReason.NEW,
        status=ListingStatus.HEARD,
        listed_at=timezone.now(),
    )
    Case.objects.filter(pk=case.pk).update(last_heard_on=on)
    case.refresh_from_db()
    return case


def a_letter(case: Case, coordinator: User) -> Letter:
    existing = Letter.objects.filter(case=case).first()
    if existing is not None:
        return existing
    if not Listing.objects.filter(case=case, status=ListingStatus.HEARD).exists():
        heard(case)
    return letter_write(
        case=case, kind="legal_aid", recipient="Example Solicitors\n1 Law Street", actor=coordinator
    )
