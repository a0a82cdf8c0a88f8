"""What every page needs to know about the session: when it ends, for the time-out warning."""

from __future__ import annotations

import time

from django.http import HttpRequest

from .services import ENDS_AT

# The warning shows this long before the session ends.
WARN_SECONDS = 120


def session_timeout(request: HttpRequest) -> dict[str, int]:
    """Seconds left before this signed-in (or verified referrer's) session ends, as the session
    rules set them on this request; nothing for a page nobody is signed in to."""
    ends_at = request.session.get(ENDS_AT) if hasattr(request, "session") else None
    if ends_at is None:
        return {}
    signed_in = request.user.is_authenticated or "referrer_email" in request.session
    if not signed_in:
        return {}
    return {
        "session_seconds_left": max(int(ends_at) - int(time.time()), 0),
        "session_warn_seconds": WARN_SECONDS,
    }
