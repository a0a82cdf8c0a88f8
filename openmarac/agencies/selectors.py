"""Which agencies take part where: the one place agendas, research and actions ask."""

from __future__ import annotations

from django.db.models import QuerySet

from openmarac.partnerships.models import Area

from .models import Agency, Agreement, AgreementSignature, MembershipKind


def agencies_active_in(area: Area) -> QuerySet[Agency]:
    """The standing member agencies of ``area`` that may take part in its MARAC today.

    Agendas, research requests and action owners all start here, so an agency that stops
    taking part stops receiving work from every feature at once. An agency that withdrew from
    the agreements (000 §11.1) is excluded from then on.
    """
    return (
        Agency.objects.filter(
            memberships__area=area,
            memberships__kind=MembershipKind.STANDING,
            is_hub=False,
            withdrawn_on__isnull=True,
        )
        .distinct()
        .order_by("name")
    )


def agency_is_signatory(agency: Agency) -> bool:
    """Whether ``agency`` has a current signature of every agreement (000 §6.1)."""
    if agency.withdrawn_on is not None:
        return False
    signed = set(
        AgreementSignature.objects.filter(agency=agency, withdrawn_on__isnull=True).values_list(
            "agreement", flat=True
        )
    )
    return signed >= set(Agreement.values)


def agencies_of(partnership_id: int) -> QuerySet[Agency]:
    return Agency.objects.filter(partnership_id=partnership_id).order_by("name")
