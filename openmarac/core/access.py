"""Fetching one in-scope object, auditing every refusal. Out of scope answers 404, never 403."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record

if TYPE_CHECKING:
    from .types import SignedInUser

M = TypeVar("M", bound=Model)


def signed_in_user(request: HttpRequest) -> SignedInUser:
    """The user a view acts for. Every page that acts for someone stands behind a guard that sends
    the signed-out to the sign-in page, so by the time the view runs there is one."""
    user = request.user
    assert user.is_authenticated, "a view acting for a user must stand behind a sign-in guard"
    return user


def get_in_scope_or_404(
    request: HttpRequest, queryset: QuerySet[M], *, action: str, **lookup: object
) -> M:
    """Return the object if ``queryset`` (already scoped to the user) holds it; else audit and 404.

    A text value with a NUL byte (``/cases/%00/``) names nothing: PostgreSQL refuses NUL in text,
    so it is not sent to the database, and the audit keeps it as U+FFFD.
    """
    nul = any(isinstance(value, str) and "\x00" in value for value in lookup.values())
    obj = None if nul else queryset.filter(**lookup).first()
    if obj is None:
        audit_record(
            action=f"{action}.denied",
            request=request,
            object_type=queryset.model._meta.label_lower,
            object_id=str(next(iter(lookup.values()), "")).replace("\x00", "\ufffd"),
            outcome=Outcome.DENIED,
        )
        raise Http404("Page not found")
    return obj
