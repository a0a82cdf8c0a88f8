"""Scoped reads of people: a user sees only people named on cases they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from openmarac.cases.selectors import cases_visible_to

from .models import Person


def people_visible_to(user: Any) -> QuerySet[Person]:
    """People on at least one case ``user`` may see, leaving out people merged into another.

    Built on ``cases_visible_to``, so restricted cases the user was not granted, cases of areas
    their agency is not a member of and other partnerships' cases add nobody.
    """
    # A correlated EXISTS, so that narrowing the people (``.filter(pk__in=...)``) lets the
    # database check just those people's cases instead of listing every visible case.
    on_a_visible_case = cases_visible_to(user).filter(participants__person=OuterRef("pk"))
    return Person.objects.filter(merged_into__isnull=True).filter(Exists(on_a_visible_case))
