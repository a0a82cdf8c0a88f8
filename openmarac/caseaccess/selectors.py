"""Reads for the hub's case-access pages and for whom a case may be told about."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.cases.selectors import areas_followed_by, cases_visible_to

from .models import BreakGlass, ConflictDeclaration


def cases_for_access_management(user: User) -> QuerySet[Case]:
    """The cases of the areas the hub user follows, by reference only, to restrict and invite
    into, restricted or not.

    The areas are ``areas_followed_by``: those the user's active licence covers, as for cases, so
    a coordinator of one area manages nothing of another, and one without an active licence
    manages nothing. This is not a way to read a case: pages built on it show the reference, the
    restriction and who is invited, nothing of the case's content.
    """
    assert user.agency is not None, "the hub's pages are for members of the hub agency"
    return Case.objects.filter(
        partnership_id=user.agency.partnership_id,
        area_id__in=areas_followed_by(user).values("pk"),
    )


def restricted_cases(user: User) -> QuerySet[Case]:
    return (
        cases_for_access_management(user)
        .exclude(restriction="")
        .annotate(grants=Count("access_grants"))
        .order_by("reference")
    )


def conflicts_for_hub(user: User) -> QuerySet[ConflictDeclaration]:
    return (
        ConflictDeclaration.objects.filter(case__in=cases_for_access_management(user).values("pk"))
        .select_related("user", "user__agency", "case")
        .order_by("-declared_at", "-pk")
    )


def break_glass_uses(user: User) -> QuerySet[BreakGlass]:
    return BreakGlass.objects.filter(
        case__in=cases_for_access_management(user).values("pk")
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
