"""Types shared by every app: what may go into a JSON column, the signed-in user as ``core``
may name it without importing the accounts app, and whoever a scoped read may be asked about."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    # The django-stubs plugin reads this alias as settings.AUTH_USER_MODEL (accounts.User), so
    # the ground floor can type a user without standing on the accounts app.
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import _User as SignedInUser

    Viewer: TypeAlias = SignedInUser | AnonymousUser | None
    """Whoever a scoped read (``cases_visible_to`` and the reads built on it) is asked about:
    ``request.user`` as it comes, or nobody at all. The signed-out and nobody see nothing."""

JSONValue: TypeAlias = (
    str | int | float | bool | Sequence["JSONValue"] | Mapping[str, "JSONValue"] | None
)
"""A value that serialises to JSON. Read-only containers, so that a ``dict[str, str]`` or a
``list[int]`` fits without a copy."""

JSONObject: TypeAlias = Mapping[str, JSONValue]
"""A JSON object, such as an audit event's ``detail``."""
