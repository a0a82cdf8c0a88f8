"""Licences, agencies' agreements, restricted cases, break-glass and the audit reports."""

from __future__ import annotations

from typing import Any

from openmarac.cases.models import CaseAccessGrant, Restriction
from openmarac.licences.models import Licence

from .common import NO_ARGS, SIGN_IN, everyone, hub_only

HUB_POST_ONLY = {**hub_only(), "coordinator": 405}


def _licence(cast: Any) -> dict[str, Any]:
    return {"public_id": str(Licence.objects.get(user=cast.housing_rep).public_id)}


def _grant(cast: Any) -> dict[str, Any]:
    case = cast.case_b
    case.restriction = Restriction.CLOSED
    case.save()
    grant = CaseAccessGrant.objects.create(case=case, user=cast.chair, granted_by=cast.coordinator)
    return {"reference": case.reference, "grant_id": grant.pk}


KEY_CONTACT_ONLY = {**everyone(404), "police_rep": 200, "revoked": SIGN_IN, "anonymous": SIGN_IN}

ROWS = {
    "licences:mine": (NO_ARGS, KEY_CONTACT_ONLY),
    "licences:request": (NO_ARGS, KEY_CONTACT_ONLY),
    "licences:hub_list": (NO_ARGS, hub_only()),
    "licences:register": (NO_ARGS, hub_only()),
    "licences:hub_detail": (_licence, hub_only()),
    "licences:change": (lambda c: {**_licence(c), "change": "suspend"}, HUB_POST_ONLY),
    "agencies:list": (NO_ARGS, hub_only()),
    "agencies:detail": (lambda c: {"agency_id": c.police_rep.agency_id}, hub_only()),
    "agencies:withdraw": (lambda c: {"agency_id": c.housing_rep.agency_id}, hub_only()),
    "caseaccess:index": (NO_ARGS, hub_only()),
    "caseaccess:manage": (lambda c: {"reference": c.case_a.reference}, hub_only()),
    "caseaccess:remove_grant": (_grant, HUB_POST_ONLY),
    # The coordinator is not a hub manager; only hub managers may break glass.
    "caseaccess:break_glass": (NO_ARGS, {**hub_only(), "coordinator": 404}),
    "caseaccess:declare_conflict": (
        lambda c: {"reference": c.case_a.reference},
        {
            "coordinator": 200,
            "chair": 200,
            "police_rep": 200,
            "housing_rep": 404,
            "invited_rep": 200,
            "lead": 404,
            "revoked": SIGN_IN,
            "anonymous": SIGN_IN,
        },
    ),
    "audit:index": (NO_ARGS, hub_only()),
    "audit:case": (NO_ARGS, hub_only()),
    "audit:user": (NO_ARGS, hub_only()),
    "audit:downloads": (NO_ARGS, hub_only()),
    "audit:break_glass": (NO_ARGS, hub_only()),
    "audit:pattern": (NO_ARGS, hub_only()),
}
