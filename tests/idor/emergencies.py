"""Emergency MARAC requests belong to their case: only those who may see the case reach them."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openmarac.cases.models import Case
from openmarac.emergencies.models import EmergencyRequest

from .common import Row, World, by_case


def _request_on(world: World, case: Case) -> dict[str, Any]:
    key = f"emergency:{case.pk}"
    if key not in world.extra:
        asked = EmergencyRequest.objects.create(
            case=case,
            reason="Idor",
            requested_by=world.cast.coordinator,
            requested_at=timezone.now(),
        )
        world.extra[key] = str(asked.public_id)
    return {"public_id": world.extra[key]}


EMERGENCY = by_case(_request_on)

ROWS = {
    "emergencies:request": Row(by_case(lambda w, case: {"reference": case.reference})),
    "emergencies:detail": Row(EMERGENCY),
    # A change if let through: the request would be refused.
    "emergencies:decide": Row(EMERGENCY, method="post", data={"decision": "refuse", "note": "x"}),
    "emergencies:urgent_action": Row(EMERGENCY),
}
