"""The actions section of the case record, included by ``caserecord/record.html``."""

from __future__ import annotations

from typing import Any

from django import template

from openmarac.cases.models import Case

from ..selectors import (
    actions_for_case,
    agencies_involved,
    planning_stage_open_for,
    professionals_requests_for,
)
from ..services.rules import case_is_frozen

register = template.Library()


@register.inclusion_tag("actions/_case_actions.html", takes_context=True)
def case_actions(context: Any, case: Case, heading: bool = True) -> dict[str, Any]:
    """Everything about the case's actions that the signed-in user may see. The case view has
    already checked (and audited) that the user may see the case; actions are scoped again.
    ``heading=False`` leaves out the section's heading, for a page that gives its own."""
    user = context["request"].user
    policy = case.area.policy
    involved = agencies_involved(case)
    return {
        "case": case,
        "heading": heading,
        "user": user,
        "actions": list(actions_for_case(user, case)),
        "stage": planning_stage_open_for(case),
        "online": policy.online_action_planning,
        "involved": involved,
        "complex": involved >= policy.professionals_meeting_agencies,
        "requests": list(professionals_requests_for(case)),
        "frozen": case_is_frozen(case),
    }
