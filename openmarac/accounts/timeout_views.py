"""The time-out warning's "Stay signed in": a post that keeps the session going."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_POST

from .context_processors import session_timeout


@require_POST
def keep_alive(request: HttpRequest) -> JsonResponse:
    """Any request of a live session restarts its idle time (``SessionRulesMiddleware``); this
    one answers how long the session now has. A session that has already ended answers 401,
    and the warning then says so."""
    left = session_timeout(request).get("session_seconds_left")
    if left is None:
        return JsonResponse({"signed_in": False}, status=401)
    return JsonResponse({"signed_in": True, "seconds_left": left})
