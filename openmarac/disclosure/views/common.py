"""Shared by the subject access and court order modules."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from openmarac.accounts.models import User


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _marking(request: HttpRequest, what: str) -> str:
    user = _user(request)
    return (
        f"OFFICIAL-SENSITIVE. {what}, produced by {user.get_full_name() or user.username} "
        f"({user.username}) on {timezone.localtime():%-d %B %Y at %H:%M}."
    )


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
