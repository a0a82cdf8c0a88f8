"""Shared by the subject access and court order modules."""

from __future__ import annotations

import datetime

from django.utils import timezone

from openmarac.core.workdays import local_date


class DisclosureError(Exception):
    """A step the rules do not allow; the message is safe to show."""


def _today() -> datetime.date:
    return local_date(timezone.now())
