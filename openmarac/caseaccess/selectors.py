"""Reads for the hub's case-access pages and for whom a case may be told about."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to

from .models import BreakGlass, ConflictDeclaration


def cases_for_access_management(user: Any) -> QuerySet[Case]:
    """The partnership's cases, by reference only, for the hub to restrict and invite into.

    This is not a way to read a case: pages built on it show the reference, the restriction
    and who is invited, nothing of the case's content.
    """
    return Case.objects.filter(partnership_id=user.agency.partnership_id)


def restricted_cases(user: Any) -> QuerySet[Case]:
    return (
        cases_for_access_management(user)
        .exclude(restriction="")
        .annotate(grants=Count("access_grants"))
        .order_by("reference")
    )


def conflicts_for_hub(user: Any) -> QuerySet[ConflictDeclaration]:
    return ConflictDeclaration.objects.filter(
        case__partnership_id=user.agency.partnership_id
    ).select_related("user", "user__agency", "case")


def break_glass_uses(user: Any) -> QuerySet[BreakGlass]:
    return BreakGlass.objects.filter(
        case__partnership_id=user.agency.partnership_id
    ).select_related("user", "case")


def users_who_can_see(case: Case) -> list[User]:
    """Every active user who may open ``case`` now: the audience for anything about it.

    Notifications about a case go only to these users, so a restricted case, or one a user
    declared a conflict in, never reaches anyone else.
    """
    candidates = User.objects.filter(
        is_active=True, agency__partnership_id=case.partnership_id
    ).select_related("agency")
    return [u for u in candidates if cases_visible_to(u).filter(pk=case.pk).exists()]
