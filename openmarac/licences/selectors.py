"""Reading licences: the hub's lists, a key contact's agency, and the licence register."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from openmarac.cases.models import CaseAccessGrant
from openmarac.cases.selectors import active_licence_for, cases_visible_to

from .models import Licence, LicenceStatus

if TYPE_CHECKING:
    from openmarac.accounts.models import User


def licences_for_hub(user: User) -> QuerySet[Licence]:
    """Every licence of the hub user's partnership."""
    assert user.agency is not None, "the hub's pages are for members of the hub agency"
    return Licence.objects.filter(agency__partnership_id=user.agency.partnership_id).select_related(
        "user", "agency"
    )


def licences_of_agency(user: User) -> QuerySet[Licence]:
    """The licences of a key contact's own agency."""
    assert user.agency_id is not None, "a key contact belongs to an agency"
    return Licence.objects.filter(agency_id=user.agency_id).select_related("user", "agency")


@dataclass(frozen=True)
class RegisterRow:
    licence: Licence
    areas: list[str]
    invited_cases: list[str]
    restricted_grants: int
    cases_now: int


def licence_register(user: User) -> list[RegisterRow]:
    """Every holder with their last sign-in and what they can see (000 §6.5 register)."""
    rows = []
    licences = (
        licences_for_hub(user)
        .exclude(status__in=[LicenceStatus.REQUESTED])
        .prefetch_related("areas", "cases")
        .order_by("agency__name", "user__last_name", "user__first_name")
    )
    for licence in licences:
        holder = licence.user
        rows.append(
            RegisterRow(
                licence=licence,
                areas=[a.name for a in licence.areas.all()],
                invited_cases=[c.reference for c in licence.cases.all()],
                restricted_grants=CaseAccessGrant.objects.filter(user=holder).count(),
                cases_now=cases_visible_to(holder).count()
                if licence.status == LicenceStatus.ACTIVE
                else 0,
            )
        )
    return rows


def holds_live_licence(user: User) -> bool:
    """Whether ``user`` holds a licence of their own agency that is active today: the rule
    ``core`` applies to the hub's pages (``core.decorators.is_hub``), the same as for cases."""
    licence = active_licence_for(user)
    return licence is not None and licence.agency_id == getattr(user, "agency_id", None)
