"""Actions, action planning and professionals' meetings."""

from __future__ import annotations

import datetime
from typing import Any

from openmarac.actions.models import Action
from openmarac.actions.services.proposals import action_propose

from .common import Row, World, by_case, partnership_wide, same_for_all


def _action(world: World, attacker: str) -> dict[str, Any] | None:
    """An action on each attacker's forbidden case, owned by the police."""
    case_kwargs = by_case(lambda w, case: {"case": case})(world, attacker)
    if case_kwargs is None:
        return None
    case = case_kwargs["case"]
    action = Action.objects.filter(case=case).first() or action_propose(
        case=case,
        owner_agency=world.cast.police_rep.agency,
        what="Check the address history",
        addresses="victim",
        due_on=datetime.date(2027, 1, 29),
        rationale="Safety planning",
        proposed_by=world.cast.chair,  # named in the restricted case too
        request=None,
    )
    return {"public_id": str(action.public_id)}


def _post(target: Any) -> Row:
    return Row(target, method="post")


CASE = by_case(lambda w, case: {"reference": case.reference})

ROWS = {
    "actions:detail": Row(_action),
    "actions:update": _post(_action),
    "actions:complete": _post(_action),
    "actions:not_feasible": _post(_action),
    "actions:comment": _post(_action),
    "actions:owner_agree": _post(_action),
    "actions:agree": _post(_action),
    "actions:decline": _post(_action),
    "actions:propose": Row(CASE),
    "actions:planning_open": Row(CASE),
    "actions:professionals_request": Row(CASE),
    "actions:professionals_schedule": Row(
        same_for_all(lambda w: {"public_id": "00000000-0000-4000-8000-000000000000"})
    ),
    # Escalation contacts are for the partnership's representatives, not an area's.
    "actions:contact_edit": Row(partnership_wide(lambda w: {"user_id": w.cast.lead.pk})),
}
