"""Rate limits on the sign-in, second-factor and referral e-mail code endpoints.

Fixed windows counted in Django's cache. With several server processes the cache must be shared
(``CACHE_URL`` to Redis); the per-account lock-out in the database holds regardless.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record, client_ip
from openmarac.core.crypto import blind_index

View = Callable[..., HttpResponse]


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    seconds: int


def limit_for(scope: str) -> Limit:
    count, seconds = settings.RATE_LIMITS[scope]
    return Limit(scope, count, seconds)


def _key(limit: Limit, ident: str, window: int) -> str:
    return f"rl:{limit.scope}:{blind_index(ident, purpose='rate-limit')[:32]}:{window}"


def rate_limit_hit(limit: Limit, ident: str) -> bool:
    """Count one attempt by ``ident``; True if it goes over the limit for this window."""
    window = int(time.time() // limit.seconds)
    key = _key(limit, ident, window)
    cache.add(key, 0, timeout=limit.seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.seconds + 1)
        count = 1
    return count > limit.count


def rate_limited_response(request: HttpRequest, limit: Limit) -> HttpResponse:
    minutes = max(1, limit.seconds // 60)
    audit_record(
        action="rate_limit.refused",
        request=request,
        object_type="url",
        object_id=getattr(request.resolver_match, "view_name", "")[:64],
        outcome=Outcome.DENIED,
        detail={"scope": limit.scope},
    )
    response = render(
        request,
        "core/rate_limited.html",
        {"minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(limit.seconds)
    return response


def rate_limit_per_ip(
    scope: str, *, methods: tuple[str, ...] = ("POST",)
) -> Callable[[View], View]:
    """Refuse a view with 429 once one address has used it ``count`` times in the window."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                limit = limit_for(scope)
                if rate_limit_hit(limit, f"ip:{client_ip(request) or '-'}"):
                    return rate_limited_response(request, limit)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
