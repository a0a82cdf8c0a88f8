"""Permission-matrix rows for the IDVA clock."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .common import NO_ARGS, SIGN_IN, Args, everyone

if TYPE_CHECKING:
    from tests.conftest import Cast


def _contact(cast: Cast) -> dict[str, Any]:
    from django.utils import timezone

    from openmarac.idva.models import IdvaContact

    contact = IdvaContact.objects.create(
        case=cast.case_a, accepted_at=timezone.now(), due_at=timezone.now()
    )
    return {"public_id": str(contact.public_id)}


SIGNED_OUT = {"revoked": SIGN_IN, "anonymous": SIGN_IN}

ROWS: dict[str, tuple[Args, dict[str, Any]]] = {
    "idva:contacts": (NO_ARGS, {**everyone(200), "lead": 404, **SIGNED_OUT}),
    "idva:contact": (
        _contact,
        {
            "coordinator": 200,
            "chair": 200,
            "police_rep": 200,
            "housing_rep": 404,  # by invite in North Kent, and not invited to this case
            "invited_rep": 200,
            "lead": 404,
            **SIGNED_OUT,
        },
    ),
}
