"""Licences, agencies, restricted-case access and conflicts."""

from __future__ import annotations

from typing import Any

from openmarac.cases.models import Case, CaseAccessGrant, Restriction
from openmarac.licences.models import Licence

from .common import Row, World, by_area, by_case, partnership_wide


def _licence(world: World) -> dict[str, Any]:
    return {"public_id": str(Licence.objects.get(user=world.cast.housing_rep).public_id)}


def _west_restricted(world: World) -> Case:
    """A West Kent employee-sensitive case naming the chair, like the world's North Kent one."""
    if "west_restricted" not in world.extra:
        case = Case.objects.create(
            partnership=world.cast.partnership,
            area=world.cast.area_b,
            reference="WK-IDOR-R0006",
            restriction=Restriction.EMPLOYEE,
        )
        CaseAccessGrant.objects.create(
            case=case, user=world.cast.chair, granted_by=world.cast.coordinator
        )
        world.extra["west_restricted"] = case
    return world.extra["west_restricted"]


def _grant_on(case: Case) -> dict[str, Any]:
    grant = CaseAccessGrant.objects.get(case=case)
    return {"reference": case.reference, "grant_id": grant.pk}


RESTRICTED = by_area(
    lambda w: {"reference": w.restricted_case.reference},
    lambda w: {"reference": _west_restricted(w).reference},
)


ROWS = {
    # Licences and agencies are the partnership's, not an area's: its own coordinators manage
    # them whatever their licence covers.
    "licences:hub_detail": Row(partnership_wide(_licence)),
    "licences:change": Row(
        partnership_wide(lambda w: {**_licence(w), "change": "deactivate"}), method="post"
    ),
    "agencies:detail": Row(partnership_wide(lambda w: {"agency_id": w.cast.police_rep.agency_id})),
    "agencies:withdraw": Row(
        partnership_wide(lambda w: {"agency_id": w.cast.police_rep.agency_id}),
        method="post",
        data={"withdrawn_on-day": "1", "reason": "x"},
    ),
    "caseaccess:manage": Row(RESTRICTED),
    "caseaccess:remove_grant": Row(
        by_area(lambda w: _grant_on(w.restricted_case), lambda w: _grant_on(_west_restricted(w))),
        method="post",
    ),
    "caseaccess:declare_conflict": Row(
        by_case(lambda w, case: {"reference": case.reference}), method="post"
    ),
}
