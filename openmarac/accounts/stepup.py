"""Step-up: a recent second factor before exports, disclosures, break-glass and licence changes.

Use the decorator on a view, or call ``require_recent_mfa(request)`` inside one::

    @recent_mfa_required
    def export(request): ...

    response = require_recent_mfa(request)
    if response:
        return response

Without a second factor in the last ``STEP_UP_SECONDS`` (10 minutes by default) the user is sent
to the confirmation page and, once they give a code, back to where they were.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode, urlparse

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record

from .services import MFA_AT

View = Callable[..., HttpResponse]


def has_recent_mfa(request: HttpRequest, within: int | None = None) -> bool:
    if not request.user.is_authenticated:
        return False
    at = request.session.get(MFA_AT)
    seconds = settings.STEP_UP_SECONDS if within is None else within
    return at is not None and time.time() - int(at) <= seconds


def _return_to(request: HttpRequest) -> str:
    """Where to come back to: this page for a GET; for a form post, the page the form was on."""
    if request.method == "GET":
        return request.get_full_path()
    referer = request.META.get("HTTP_REFERER", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()}):
        parsed = urlparse(referer)
        return parsed.path + (f"?{parsed.query}" if parsed.query else "")
    return request.path


def require_recent_mfa(request: HttpRequest) -> HttpResponse | None:
    """None if the user gave a second factor recently; else the redirect to confirm it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if has_recent_mfa(request):
        return None
    audit_record(
        action="auth.step_up_required",
        request=request,
        object_type="url",
        object_id=getattr(request.resolver_match, "view_name", "")[:64],
        outcome=Outcome.DENIED,
    )
    return HttpResponseRedirect(
        f"{reverse('accounts:confirm')}?{urlencode({'next': _return_to(request)})}"
    )


def recent_mfa_required(view: View) -> View:
    """View decorator: a recent second factor, or a detour through the confirmation page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = require_recent_mfa(request)
        if response is not None:
            return response
        return view(request, *args, **kwargs)

    return wrapped
