"""Permission-matrix rows for emergency MARACs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .common import NO_ARGS, SIGN_IN, Args, everyone, hub_only

if TYPE_CHECKING:
    from tests.conftest import Cast


def _emergency(cast: Cast, status: str) -> dict[str, Any]:
    from django.utils import timezone

    from openmarac.emergencies.models import EmergencyRequest

    # One request a case may wait for a decision: a test that asks for several URLs reuses it.
    asked = EmergencyRequest.objects.filter(case=cast.case_a, status=status).first()
    if asked is None:
        asked = EmergencyRequest.objects.create(
            case=cast.case_a,
            reason="Matrix",
            requested_by=cast.coordinator,
            requested_at=timezone.now(),
            status=status,
        )
    return {"public_id": str(asked.public_id)}


WAITING: Args = lambda cast: _emergency(cast, "requested")  # noqa: E731
APPROVED: Args = lambda cast: _emergency(cast, "approved")  # noqa: E731
SIGNED_OUT = {"revoked": SIGN_IN, "anonymous": SIGN_IN}
CASE_A_MEMBERS = {
    "coordinator": 200,
    "chair": 200,
    "police_rep": 200,
    "housing_rep": 404,  # by invite in North Kent, and not invited to this case
    "invited_rep": 200,
    "lead": 404,
    **SIGNED_OUT,
}

ROWS: dict[str, tuple[Args, dict[str, Any]]] = {
    "emergencies:list": (NO_ARGS, {**everyone(200), "lead": 404, **SIGNED_OUT}),
    "emergencies:request": (lambda cast: {"reference": cast.case_a.reference}, hub_only()),
    "emergencies:detail": (WAITING, CASE_A_MEMBERS),
    # North Kent follows Kent's protocol: the MARAC manager decides (000 §5.1), and nobody in
    # the standing cast holds that role.
    "emergencies:decide": (WAITING, {**everyone(404), **SIGNED_OUT}),
    "emergencies:urgent_action": (
        APPROVED,
        {**everyone(404), "coordinator": 200, "chair": 200, **SIGNED_OUT},
    ),
}
