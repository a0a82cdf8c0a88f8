"""View guards. A signed-in user without the role gets 404, so pages do not reveal themselves."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Concatenate, ParamSpec

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record

if TYPE_CHECKING:
    from .types import SignedInUser

P = ParamSpec("P")
# A view: the request, then whatever the URL captures.
View = Callable[Concatenate[HttpRequest, P], HttpResponse]


def role_required(test: Callable[[SignedInUser], bool]) -> Callable[[View[P]], View[P]]:
    def decorator(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            # The user was read from the database for this request: whether their licence is
            # live is asked of the database once for it, however many checks the page makes.
            setattr(user, LICENCE_MEMO, {})
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


LicenceRule = Callable[["SignedInUser"], bool]
_licence_rules: list[LicenceRule] = []


def licence_rule_register(rule: LicenceRule) -> None:
    """The licences app tells ``core`` how to know a live licence, so that ``core`` depends on
    no app of the project (the rule is registered once, at start-up)."""
    if rule not in _licence_rules:
        _licence_rules.append(rule)


LICENCE_MEMO = "_live_licence_memo"


def holds_live_licence(user: SignedInUser) -> bool:
    """Whether ``user`` holds a licence that is active, not expired and not suspended. Without
    a registered rule nobody does: the hub's pages fail closed.

    Within one request to a page (``role_required``), the answer is remembered on the request's
    user; anywhere else (a service, a sweep, a test) it is read afresh each time."""
    memo: dict[str, bool] | None = getattr(user, LICENCE_MEMO, None)
    if memo is not None and "live" in memo:
        return memo["live"]
    live = bool(_licence_rules) and all(rule(user) for rule in _licence_rules)
    if memo is not None:
        memo["live"] = live
    return live


def is_hub(user: SignedInUser) -> bool:
    """A member of the hub team acting as such: the coordinator role, in the hub agency, with a
    live licence. A coordinator whose licence is suspended, expired or ended reaches no hub page,
    just as they reach no case."""
    return bool(
        user.is_hub_coordinator
        and user.agency is not None
        and user.agency.is_hub
        and holds_live_licence(user)
    )


def is_information_governance(user: SignedInUser) -> bool:
    """The partnership's information governance role, with a live licence (so that, like the hub,
    an ended or suspended licence reaches none of its pages). It sees the retention queue and
    the disposal certificates, never a case's people or narrative."""
    return bool(user.is_information_governance and user.agency_id and holds_live_licence(user))


def reviews_retention(user: SignedInUser) -> bool:
    """Who may work the retention queue: the hub team and the information governance role."""
    return bool(is_hub(user) or is_information_governance(user))


def sees_cases(user: SignedInUser) -> bool:
    return bool(is_hub(user) or user.is_agency_rep or user.is_chair)


def is_approver(user: SignedInUser) -> bool:
    return bool(user.is_referral_approver and user.agency_id)


def signed_in(user: SignedInUser) -> bool:
    return True
