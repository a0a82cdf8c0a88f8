"""Licences, agencies, restricted-case access and conflicts."""

from __future__ import annotations

from typing import Any

from openmarac.cases.models import CaseAccessGrant
from openmarac.licences.models import Licence

from .common import Row, World, by_case, same_for_all


def _licence(world: World) -> dict[str, Any]:
    return {"public_id": str(Licence.objects.get(user=world.cast.housing_rep).public_id)}


def _grant(world: World) -> dict[str, Any]:
    grant = CaseAccessGrant.objects.get(case=world.restricted_case)
    return {"reference": world.restricted_case.reference, "grant_id": grant.pk}


ROWS = {
    "licences:hub_detail": Row(same_for_all(_licence)),
    "licences:change": Row(
        same_for_all(lambda w: {**_licence(w), "change": "deactivate"}), method="post"
    ),
    "agencies:detail": Row(same_for_all(lambda w: {"agency_id": w.cast.police_rep.agency_id})),
    "agencies:withdraw": Row(
        same_for_all(lambda w: {"agency_id": w.cast.police_rep.agency_id}),
        method="post",
        data={"withdrawn_on-day": "1", "reason": "x"},
    ),
    "caseaccess:manage": Row(same_for_all(lambda w: {"reference": w.restricted_case.reference})),
    "caseaccess:remove_grant": Row(same_for_all(_grant), method="post"),
    "caseaccess:declare_conflict": Row(
        by_case(lambda w, case: {"reference": case.reference}), method="post"
    ),
}
