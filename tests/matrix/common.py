"""What every permission-matrix row is written with.

Each app's rows live in their own module in this package (``ROWS``), so the table grows without
every feature editing one file. ``tests/test_permission_matrix.py`` gathers them all.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.conftest import Cast

CAST = [
    "coordinator",
    "chair",
    "police_rep",
    "housing_rep",
    "invited_rep",
    "lead",
    "revoked",
    "anonymous",
]
SIGN_IN = "sign-in"  # a redirect to the sign-in page
TO_EMAIL = "email"  # a redirect to the referrer's e-mail verification


def everyone(status: Any) -> dict[str, Any]:
    return dict.fromkeys(CAST, status)


def hub_only() -> dict[str, Any]:
    return {**everyone(404), "coordinator": 200, "revoked": SIGN_IN, "anonymous": SIGN_IN}


Args = Callable[["Cast"], dict[str, Any]]
NO_ARGS: Args = lambda cast: {}  # noqa: E731
