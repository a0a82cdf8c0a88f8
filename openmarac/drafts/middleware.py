"""Keeping what was typed when a session ends under a long form (see ``models``)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.urls import reverse

from openmarac.accounts.models import User

from .decorators import KEEPS_DRAFTS
from .services import form_draft_save

Handler = Callable[[HttpRequest], HttpResponse]

# Refusals of a post whose text would otherwise be lost: a failed CSRF check, too many requests.
REFUSED = frozenset({403, 429})


class DraftsMiddleware:
    """Stands outside the session rules: it notes who posts, and if the session ended on the
    way in (or the post was refused) and the page is a long form, keeps the post as a draft.
    A referrer is brought back to the page once they have verified their address again."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return self.get_response(request)
        user = request.user if isinstance(request.user, User) else None
        referrer_email = "" if user is not None else str(request.session.get("referrer_email", ""))
        response = self.get_response(request)
        match = request.resolver_match
        mark = getattr(match.func, KEEPS_DRAFTS, None) if match is not None else None
        if match is None or not mark:
            return response
        # The page the form is on: this one, or the one a post-only view names.
        page = reverse(mark, kwargs=match.kwargs) if isinstance(mark, str) else request.path
        if user is not None:
            ended = not request.user.is_authenticated
        else:
            ended = bool(referrer_email) and "referrer_email" not in request.session
        if ended or (response.status_code in REFUSED and (user or referrer_email)):
            form_draft_save(
                user=user,
                referrer_email=referrer_email,
                path=page,
                data=request.POST,
                request=request,
            )
            if ended and user is None:
                request.session["referrer_next"] = page
            elif ended and page != request.path and _to_sign_in(response):
                # Signed in again, the person goes to the form's page, not to the post's.
                return redirect_to_login(page)
        return response


def _to_sign_in(response: HttpResponse) -> bool:
    location = response.get("Location", "")
    return response.status_code == 302 and location.startswith(resolve_url(settings.LOGIN_URL))
