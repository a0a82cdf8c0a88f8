"""Permission-matrix rows for actions: the manager, one action's pages, planning and the hub's
professionals' meetings and line managers. The demo's actions are on North Kent's case (seen by
the hub, the chair, police and the invited agency; not by housing, which is not invited)."""

from __future__ import annotations

from typing import Any

from openmarac.accounts.models import User
from openmarac.actions.models import Action, ActionStatus, ProfessionalsMeetingRequest

from .common import NO_ARGS, SIGN_IN, Args, everyone, hub_only

OUT = {"revoked": SIGN_IN, "anonymous": SIGN_IN, "lead": 404}


def _police_open(cast: Any) -> dict[str, Any]:
    action = Action.objects.filter(
        case=cast.case_a, owner_agency=cast.police_rep.agency, status=ActionStatus.AGREED
    ).first()
    return {"public_id": action.public_id}


def _proposal(cast: Any) -> dict[str, Any]:
    action = Action.objects.get(case=cast.case_a, status=ActionStatus.PROPOSED)
    return {"public_id": action.public_id}


CASE_A: Args = lambda cast: {"reference": cast.case_a.reference}  # noqa: E731
SEES_CASE_A = {
    "coordinator": 200,
    "chair": 200,
    "police_rep": 200,
    "housing_rep": 404,
    "invited_rep": 200,
    **OUT,
}
# The chair is a police officer: police's actions are the chair's agency's too.
POLICE_ONLY = {**SEES_CASE_A, "coordinator": 404, "invited_rep": 404}
INVITED_ONLY = {**SEES_CASE_A, "coordinator": 404, "chair": 404, "police_rep": 404}
AGREERS = {**SEES_CASE_A, "police_rep": 404, "invited_rep": 404}

ROWS: dict[str, tuple[Args, dict[str, Any]]] = {
    "actions:manager": (NO_ARGS, {**everyone(200), **OUT}),
    "actions:detail": (_police_open, SEES_CASE_A),
    "actions:update": (_police_open, POLICE_ONLY),
    "actions:complete": (_police_open, POLICE_ONLY),
    "actions:not_feasible": (_police_open, POLICE_ONLY),
    "actions:comment": (_police_open, SEES_CASE_A),
    "actions:owner_agree": (_proposal, INVITED_ONLY),
    "actions:agree": (_proposal, AGREERS),
    "actions:decline": (_proposal, AGREERS),
    "actions:propose": (CASE_A, SEES_CASE_A),
    "actions:professionals_request": (CASE_A, SEES_CASE_A),
    "actions:planning_open": (CASE_A, hub_only()),
    "actions:professionals_list": (NO_ARGS, hub_only()),
    "actions:professionals_schedule": (
        lambda cast: {"public_id": ProfessionalsMeetingRequest.objects.get().public_id},
        hub_only(),
    ),
    "actions:contacts": (NO_ARGS, hub_only()),
    "actions:library": (NO_ARGS, hub_only()),
    "actions:library_add": (NO_ARGS, hub_only()),
    "actions:library_edit": (lambda cast: {"slug": "rspca"}, hub_only()),
    "actions:contact_edit": (
        lambda cast: {"user_id": User.objects.get(username="police").pk},
        hub_only(),
    ),
}
