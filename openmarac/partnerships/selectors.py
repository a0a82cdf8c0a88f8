"""Reading partnerships for their public pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet

from .models import Area, Partnership, RetentionGroup

if TYPE_CHECKING:
    from openmarac.accounts.models import User


def privacy_notices_for(user: User | None) -> QuerySet[Partnership]:
    """The partnerships whose privacy notice ``user`` is shown: their own partnership when signed
    in with an agency, else every partnership this installation serves (usually one). Each comes
    with its areas and their retention rules, which the notice quotes."""
    partnerships = Partnership.objects.order_by("name")
    agency = getattr(user, "agency", None) if getattr(user, "is_authenticated", False) else None
    if agency is not None:
        partnerships = partnerships.filter(pk=agency.partnership_id)
    return partnerships.prefetch_related(
        Prefetch(
            "areas",
            queryset=Area.objects.order_by("name").prefetch_related(
                Prefetch("retention_groups", queryset=RetentionGroup.objects.order_by("position"))
            ),
        )
    )
