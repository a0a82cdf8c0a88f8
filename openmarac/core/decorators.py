"""View guards. A signed-in user without the role gets 404, so pages do not reveal themselves."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record

View = Callable[..., HttpResponse]


def role_required(test: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user.is_active or not test(user):
                audit_record(
                    action="page.denied",
                    request=request,
                    object_type="url",
                    object_id=getattr(request.resolver_match, "view_name", "")[:64],
                    outcome=Outcome.DENIED,
                )
                raise Http404("Page not found")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def is_hub(user: Any) -> bool:
    return bool(user.is_hub_coordinator and user.agency_id and user.agency.is_hub)


def sees_cases(user: Any) -> bool:
    return bool(is_hub(user) or user.is_agency_rep or user.is_chair)


def is_approver(user: Any) -> bool:
    return bool(user.is_referral_approver and user.agency_id)


def signed_in(user: Any) -> bool:
    return True
