"""The objects of the action pages, fetched through the user's scope: out of scope is a 404,
audited (``get_in_scope_or_404``)."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.access import get_in_scope_or_404

from ..models import Action
from ..selectors import actions_visible_to


def acting_user(request: HttpRequest) -> User:
    """The signed-in user: every action page requires one (``role_required``)."""
    return cast(User, request.user)


def case_or_404(request: HttpRequest, reference: str, action: str) -> Case:
    return get_in_scope_or_404(
        request,
        cases_visible_to(request.user).select_related("area__policy", "partnership"),
        action=action,
        reference=reference,
    )


def action_or_404(request: HttpRequest, public_id: Any, audit_action: str) -> Action:
    return get_in_scope_or_404(
        request,
        actions_visible_to(acting_user(request)).select_related(
            "case__area__policy", "owner_agency", "owner_user", "addresses_participant__person"
        ),
        action=audit_action,
        public_id=public_id,
    )
