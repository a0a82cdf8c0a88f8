"""Online action planning between meetings (Kent hub model, 000 §3.6 and §4.3): a stage of the
area's number of working days in which members propose and discuss actions on a case."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case
from openmarac.core.workdays import calendar_for, local_date
from openmarac.notifications.services import notice_record

from ..models import PlanningStage
from .rules import ActionError, area_members, manager_link, require_not_frozen, require_sees


@transaction.atomic
def planning_stage_open(
    *,
    case: Case,
    actor: User | None,
    request: HttpRequest | None = None,
    now: datetime.datetime | None = None,
) -> PlanningStage:
    """Open the case's online action-planning stage for the area's number of working days.

    Called by the hub coordinator, or with no actor once research is in. Opening a stage that
    is already open returns it unchanged.
    """
    require_not_frozen(case)
    policy = case.area.policy
    if not policy.online_action_planning:
        raise ActionError(f"{case.area.name} agrees actions at its meetings, not online")
    if actor is not None and not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can open action planning")
    if actor is not None:
        require_sees(actor, case)
    existing = planning_stage_current(case)
    if existing is not None:
        return existing
    now = now or timezone.now()
    closes_on = calendar_for(case.partnership).add_working_days(
        local_date(now), policy.action_planning_working_days
    )
    stage = PlanningStage.objects.create(
        case=case,
        opened_at=now,
        opened_by=actor if getattr(actor, "pk", None) else None,
        closes_on=closes_on,
    )
    audit_record(
        action="action_planning.open",
        request=request,
        actor=actor,
        obj=stage,
        detail={"case": case.pk, "closes_on": closes_on.isoformat()},
    )
    for user in area_members(case):
        notice_record(
            event="action_planning.open",
            instance=f"planning:{stage.pk}",
            recipient_email=user.email,
            recipient_user=user,
            subject="Online action planning has started on a MARAC case",
            body=(
                "Online action planning has started on a MARAC case in your area.\n\n"
                f"Sign in to propose and discuss actions: {manager_link()}\n"
            ),
            obj=stage,
        )
    return stage


def planning_stage_current(case: Case) -> PlanningStage | None:
    return PlanningStage.objects.filter(case=case, closed_at__isnull=True).first()


@transaction.atomic
def planning_stage_close(
    *, stage: PlanningStage, actor: User | None = None, request: HttpRequest | None = None
) -> PlanningStage:
    """End the stage: by the sweep after its last working day, or by the hub. Proposals not yet
    agreed stay proposals, for the area meeting."""
    stage = PlanningStage.objects.select_for_update().get(pk=stage.pk)
    if stage.closed_at is not None:
        return stage
    if actor is not None and not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can close action planning")
    stage.closed_at = timezone.now()
    stage.save(update_fields=["closed_at"])
    audit_record(action="action_planning.close", request=request, actor=actor, obj=stage)
    return stage
