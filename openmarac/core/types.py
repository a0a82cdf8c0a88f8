"""Types shared by every app: what may go into a JSON column, and the signed-in user as ``core``
may name it without importing the accounts app."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    # The django-stubs plugin reads this alias as settings.AUTH_USER_MODEL (accounts.User), so
    # the ground floor can type a user without standing on the accounts app.
    from django.contrib.auth.models import _User as SignedInUser  # noqa: F401

JSONValue: TypeAlias = (
    str | int | float | bool | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None
)
"""A value that serialises to JSON. Read-only containers, so that a ``dict[str, str]`` or a
``list[int]`` fits without a copy."""

JSONObject: TypeAlias = Mapping[str, JSONValue]
"""A JSON object, such as an audit event's ``detail``."""
