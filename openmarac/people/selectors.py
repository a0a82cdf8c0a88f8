"""Scoped reads of people: a user sees only people named on cases they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from openmarac.cases.models import CaseParticipant
from openmarac.cases.selectors import cases_visible_to

from .models import Person


def people_visible_to(user: Any) -> QuerySet[Person]:
    """People on at least one case ``user`` may see, leaving out people merged into another.

    Built on ``cases_visible_to``, so restricted cases the user was not granted, cases of areas
    their agency is not a member of and other partnerships' cases add nobody.
    """
    on_visible_cases = CaseParticipant.objects.filter(case__in=cases_visible_to(user)).values(
        "person_id"
    )
    return Person.objects.filter(merged_into__isnull=True, pk__in=on_visible_cases)
