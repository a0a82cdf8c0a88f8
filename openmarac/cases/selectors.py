"""The one place that decides which cases a user may see.

Every read of case data starts from ``cases_visible_to``. The rules, from the protocols'
information-governance sections:

* a hub coordinator sees every unrestricted case of their partnership;
* an agency representative or chair sees the unrestricted cases of areas where their agency is a
  standing member, and the cases their agency is currently invited to;
* a restricted case (closed MARAC, HBA/FM/FGM, employee-sensitive) is seen only by the named
  users granted access to it, whatever their role;
* inactive users, users without an agency and partnership leads see no case at all;
* nobody sees a case in which they declared a conflict of interest at a meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q, QuerySet
from django.utils import timezone

from openmarac.agencies.models import AreaMembership, MembershipKind

from .models import Case, CaseInvitation, Restriction


def cases_visible_to(user: Any) -> QuerySet[Case]:
    if not getattr(user, "is_authenticated", False) or not user.is_active or user.agency_id is None:
        return Case.objects.none()
    partnership_id = user.agency.partnership_id
    base = Case.objects.filter(partnership_id=partnership_id).exclude(
        pk__in=_conflicted_cases(user)
    )
    granted = Q(restriction__gt="", access_grants__user=user)
    if user.is_hub_coordinator:
        return base.filter(Q(restriction=Restriction.NONE) | granted).distinct()
    if not (user.is_agency_rep or user.is_chair):
        return Case.objects.none()
    standing_areas = AreaMembership.objects.filter(
        agency_id=user.agency_id, kind=MembershipKind.STANDING
    ).values("area_id")
    invited_cases = (
        CaseInvitation.objects.filter(agency_id=user.agency_id)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .values("case_id")
    )
    ordinary = Q(restriction=Restriction.NONE) & (
        Q(area_id__in=standing_areas) | Q(pk__in=invited_cases)
    )
    return base.filter(ordinary | granted).distinct()


def _conflicted_cases(user: Any) -> QuerySet[Any]:
    conflicts = apps.get_model("proceedings", "ConflictDeclaration")
    return conflicts.objects.filter(user=user).values("case_id")


@dataclass(frozen=True)
class CaseLabel:
    """How a case may be named to one user: by reference, by a masked label, or not at all."""

    shown: bool
    text: str
    opens: bool  # whether the user may open the case


# An HBA/FM/FGM case may appear on a regular agenda only as "HBA 1234": by reference and slot.
_MASKED_ON_AGENDA = {Restriction.HBA: "HBA"}


def case_label_for(user: Any, case: Case) -> CaseLabel:
    """What ``user`` may be told about ``case`` on an agenda, board or list.

    A case the user may see is named by its reference. A restricted case they may not see does
    not exist for them, except that an HBA/FM/FGM case keeps its slot on the regular agenda as
    "HBA" and the last four characters of its reference.
    """
    if cases_visible_to(user).filter(pk=case.pk).exists():
        return CaseLabel(shown=True, text=case.reference, opens=True)
    prefix = _MASKED_ON_AGENDA.get(Restriction(case.restriction)) if case.restriction else None
    if prefix:
        return CaseLabel(shown=True, text=f"{prefix} {case.reference[-4:]}", opens=False)
    return CaseLabel(shown=False, text="", opens=False)
