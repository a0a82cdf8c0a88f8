"""IDVA contacts belong to their case: only those who may see the case reach them."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from openmarac.cases.models import Case
from openmarac.idva.models import IdvaContact

from .common import Row, World, by_case


def _contact_on(world: World, case: Case) -> dict[str, Any]:
    key = f"idva:{case.pk}"
    if key not in world.extra:
        contact = IdvaContact.objects.create(
            case=case, accepted_at=timezone.now(), due_at=timezone.now()
        )
        world.extra[key] = str(contact.public_id)
    return {"public_id": world.extra[key]}


ROWS = {
    # A change if let through: an attempt would be recorded.
    "idva:contact": Row(
        by_case(_contact_on),
        method="post",
        data={
            "on_day": "23",
            "on_month": "11",
            "on_year": "2026",
            "at": "09:00",
            "method": "phone",
        },
    ),
}
