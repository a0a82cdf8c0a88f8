"""Scoped reads of people: a user sees only people named on cases they may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import OuterRef, QuerySet, Subquery

from openmarac.cases.selectors import cases_visible_to

from .models import Person

if TYPE_CHECKING:
    from openmarac.core.types import Viewer


def people_visible_to(user: Viewer) -> QuerySet[Person]:
    """People on at least one case ``user`` may see, leaving out people merged into another.

    Built on ``cases_visible_to``, so restricted cases the user was not granted, cases of areas
    their agency is not a member of and other partnerships' cases add nobody.
    """
    # A correlated scalar subquery (one visible case of this person, if any): PostgreSQL runs it
    # for each person the caller narrows to (``.filter(pk__in=...)``), instead of listing every
    # visible case of the partnership first, as it would for an IN or EXISTS it can flatten.
    a_visible_case = cases_visible_to(user).filter(participants__person=OuterRef("pk"))
    return (
        Person.objects.filter(merged_into__isnull=True)
        .annotate(_visible_case=Subquery(a_visible_case.values("pk")[:1]))
        .filter(_visible_case__isnull=False)
    )
