"""Which agencies take part where: the one place agendas, research and actions ask."""

from __future__ import annotations

from django.db.models import QuerySet

from openmarac.partnerships.models import Area

from .models import Agency, MembershipKind


def agencies_active_in(area: Area) -> QuerySet[Agency]:
    """The standing member agencies of ``area`` that may take part in its MARAC today.

    Agendas, research requests and action owners all start here, so an agency that stops
    taking part stops receiving work from every feature at once.
    """
    return (
        Agency.objects.filter(
            memberships__area=area,
            memberships__kind=MembershipKind.STANDING,
            is_hub=False,
        )
        .distinct()
        .order_by("name")
    )
