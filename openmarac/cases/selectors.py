"""The one place that decides which cases a user may see.

Every read of case data starts from ``cases_visible_to``. The rules, from the protocols'
information-governance sections:

* nobody sees a case without an active licence (000 §6.1): a suspended, deactivated, expired or
  merely requested licence shows nothing, nor does an agency that withdrew from the agreements;
* a hub coordinator sees every unrestricted case of the area MARACs their licence covers;
* an agency representative or chair sees the unrestricted cases of the areas their licence covers
  where their agency is a standing member, and the cases their agency is currently invited to in
  an area (or a case) their licence covers;
* a restricted case (closed MARAC, HBA/FM/FGM, employee-sensitive) is seen only by the named
  users granted access to it, and by a hub manager for the short time of a recorded break-glass;
* a user who declared a conflict of interest in a case never sees it again;
* inactive users, users without an agency and partnership leads see no case at all, and nor does
  a signed-out visitor or ``None``: these reads take ``request.user`` as it comes.
* an archived case (closed and past its flag period, ``cases.archive``) is in nobody's scope: it
  is read-only and found only through the hub's archive search (``archived_cases_visible_to``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.apps import apps
from django.db.models import Exists, Q, QuerySet
from django.utils import timezone

from openmarac.agencies.models import AreaMembership, MembershipKind
from openmarac.partnerships.models import Area

from .models import Case, CaseAccessGrant, CaseInvitation, Restriction

if TYPE_CHECKING:
    from openmarac.core.types import Viewer
    from openmarac.licences.models import Licence


def active_licence_for(user: Viewer) -> Licence | None:
    """The user's licence that is active today, or None."""
    from openmarac.licences.models import Licence, LicenceStatus

    if user is None or not user.is_authenticated or not user.pk:
        return None
    return (
        Licence.objects.filter(
            user_id=user.pk, status=LicenceStatus.ACTIVE, agency__withdrawn_on__isnull=True
        )
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))
        .first()
    )


def _active_licences(user: Viewer) -> QuerySet[Licence]:
    """The user's licence that is active today, for their own agency, as a query to compose:
    at most one (a user has one live licence). Scoped reads test it inside their own query,
    so a page asks the database about the licence once per list, not once per row."""
    from openmarac.licences.models import Licence, LicenceStatus

    if user is None or not user.is_authenticated or not user.pk:
        return Licence.objects.none()
    return Licence.objects.filter(
        user_id=user.pk,
        agency_id=user.agency_id or 0,
        status=LicenceStatus.ACTIVE,
        agency__withdrawn_on__isnull=True,
    ).filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))


def _cases_visible(
    user: Viewer, *, honour_conflicts: bool = True, archived: bool = False
) -> QuerySet[Case]:
    from openmarac.caseaccess.models import BreakGlass, ConflictDeclaration

    if user is None or not user.is_authenticated or not user.is_active or user.agency_id is None:
        return Case.objects.none()
    is_hub = bool(user.is_hub_coordinator and user.agency is not None and user.agency.is_hub)
    if not (is_hub or user.is_agency_rep or user.is_chair):
        return Case.objects.none()
    licences = _active_licences(user)
    now = timezone.now()
    agency = user.agency
    if agency is None:  # never: the user has an agency id
        return Case.objects.none()
    base = Case.objects.filter(
        Exists(licences), partnership_id=agency.partnership_id, archived_at__isnull=not archived
    )
    licensed_areas = Area.objects.filter(licences__in=licences).values("pk")
    granted = CaseAccessGrant.objects.filter(user_id=user.pk).values("case_id")
    restricted = Q(restriction__gt="") & Q(pk__in=granted)
    if user.is_hub_manager and is_hub:
        glass = BreakGlass.objects.filter(user_id=user.pk, expires_at__gt=now).values("case_id")
        restricted |= Q(restriction__gt="") & Q(pk__in=glass)
    if is_hub:
        ordinary = Q(restriction=Restriction.NONE) & Q(area_id__in=licensed_areas)
    else:
        standing_areas = AreaMembership.objects.filter(
            agency_id=user.agency_id, kind=MembershipKind.STANDING
        ).values("area_id")
        invited_cases = (
            CaseInvitation.objects.filter(agency_id=user.agency_id)
            .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
            .values("case_id")
        )
        ordinary = Q(restriction=Restriction.NONE) & (
            (Q(area_id__in=standing_areas) & Q(area_id__in=licensed_areas))
            | (
                Q(pk__in=invited_cases)
                & (
                    Q(area_id__in=licensed_areas)
                    | Q(pk__in=Case.objects.filter(licences__in=licences).values("pk"))
                )
            )
        )
    visible = base.filter(ordinary | restricted)
    if honour_conflicts:
        visible = visible.exclude(
            pk__in=ConflictDeclaration.objects.filter(user_id=user.pk).values("case_id")
        )
        # Conflicts declared at a meeting (proceedings) exclude the case in the same way.
        declared = apps.get_model("proceedings", "ConflictDeclaration")
        visible = visible.exclude(pk__in=declared.objects.filter(user_id=user.pk).values("case_id"))
    return visible


def cases_visible_to(user: Viewer) -> QuerySet[Case]:
    """Every case ``user`` may open now. Start every read of case data here."""
    return _cases_visible(user)


def archived_cases_visible_to(user: Viewer) -> QuerySet[Case]:
    """The archived cases ``user`` may find in the archive search: the hub's only, by the same
    rules as live cases (licensed areas, named grants for restricted cases, no conflicts)."""
    if user is None or not user.is_authenticated or not user.is_active or user.agency is None:
        return Case.objects.none()
    if not (user.is_hub_coordinator and user.agency.is_hub):
        return Case.objects.none()
    return _cases_visible(user, archived=True)


def cases_visible_or_archived_to(user: Viewer) -> QuerySet[Case]:
    """Live cases ``user`` may see and, for the hub, archived ones: what disclosure and letters
    may be made from (a court order or a legal aid letter can come after a case is archived)."""
    return Case.objects.filter(
        Q(pk__in=cases_visible_to(user).values("pk"))
        | Q(pk__in=archived_cases_visible_to(user).values("pk"))
    )


def case_is_conflicted_for(user: Viewer, case: Case) -> bool:
    """Whether ``user`` declared a conflict in ``case`` they would otherwise see."""
    from openmarac.caseaccess.models import ConflictDeclaration

    return (
        ConflictDeclaration.objects.filter(user_id=getattr(user, "pk", 0) or 0, case=case).exists()
        and _cases_visible(user, honour_conflicts=False).filter(pk=case.pk).exists()
    )


@dataclass(frozen=True)
class CaseLabel:
    """How a case may be named to one user: by reference, by a masked label, or not at all."""

    shown: bool
    text: str
    opens: bool  # whether the user may open the case


# An HBA/FM/FGM case may appear on a regular agenda only as "HBA 1234": by reference and slot.
_MASKED_ON_AGENDA = {Restriction.HBA: "HBA"}


def case_label_for(user: Viewer, case: Case) -> CaseLabel:
    """What ``user`` may be told about ``case`` on an agenda, board or list.

    A case the user may see is named by its reference. A restricted case they may not see does
    not exist for them, except that an HBA/FM/FGM case keeps its slot on the regular agenda of
    its area as "HBA" and the last four characters of its reference, for those who follow that
    area's agenda. A user who declared a conflict sees the reference but cannot open the case.
    """
    if cases_visible_to(user).filter(pk=case.pk).exists():
        return CaseLabel(shown=True, text=case.reference, opens=True)
    if case_is_conflicted_for(user, case):
        # They declared the conflict themselves, so they know the case: named, never opened.
        return CaseLabel(shown=True, text=case.reference, opens=False)
    prefix = _MASKED_ON_AGENDA.get(Restriction(case.restriction)) if case.restriction else None
    if prefix and _follows_agenda_of(user, case.area_id):
        return CaseLabel(shown=True, text=f"{prefix} {case.reference[-4:]}", opens=False)
    return CaseLabel(shown=False, text="", opens=False)


def case_labels_for(user: Viewer, cases: Iterable[Case]) -> dict[int, CaseLabel]:
    """``case_label_for`` for every case of a page at once, keyed by case id: the same rules in
    a handful of queries whatever the number of rows, so a long agenda costs no more to draw
    than a short one. The cases are those of one page (its rows), never a whole scope."""
    from openmarac.caseaccess.models import ConflictDeclaration

    by_id = {case.pk: case for case in cases}
    if not by_id:
        return {}
    visible = set(cases_visible_to(user).filter(pk__in=by_id).values_list("pk", flat=True))
    labels = {pk: CaseLabel(shown=True, text=by_id[pk].reference, opens=True) for pk in visible}
    rest = [pk for pk in by_id if pk not in visible]
    conflicted: set[int] = set()
    if rest:
        conflicted = set(
            _cases_visible(user, honour_conflicts=False)
            .filter(pk__in=rest)
            .filter(
                pk__in=ConflictDeclaration.objects.filter(
                    user_id=getattr(user, "pk", 0) or 0
                ).values("case_id")
            )
            .values_list("pk", flat=True)
        )
    masked = [pk for pk in rest if pk not in conflicted and _masked_prefix(by_id[pk])]
    followed = set(areas_followed_by(user).values_list("pk", flat=True)) if masked else set()
    for pk in rest:
        case = by_id[pk]
        prefix = _masked_prefix(case)
        if pk in conflicted:
            labels[pk] = CaseLabel(shown=True, text=case.reference, opens=False)
        elif prefix and case.area_id in followed:
            labels[pk] = CaseLabel(shown=True, text=f"{prefix} {case.reference[-4:]}", opens=False)
        else:
            labels[pk] = CaseLabel(shown=False, text="", opens=False)
    return labels


def _masked_prefix(case: Case) -> str | None:
    return _MASKED_ON_AGENDA.get(Restriction(case.restriction)) if case.restriction else None


def areas_followed_by(user: Viewer) -> QuerySet[Area]:
    """The area MARACs whose regular business (calendar, agendas) ``user`` follows.

    The same rule as for cases: the areas the user's active licence covers, for the hub; for an
    agency representative or chair, those of them where their agency is a standing member. No
    active licence (suspended, deactivated, expired, an agency that withdrew), no areas.
    """
    if user is None or not user.is_authenticated or not user.is_active or not user.agency_id:
        return Area.objects.none()
    is_hub = bool(user.is_hub_coordinator and user.agency is not None and user.agency.is_hub)
    if not (is_hub or user.is_agency_rep or user.is_chair):
        return Area.objects.none()
    agency = user.agency
    if agency is None:  # never: the user has an agency id
        return Area.objects.none()
    areas = Area.objects.filter(
        partnership_id=agency.partnership_id,
        pk__in=Area.objects.filter(licences__in=_active_licences(user)).values("pk"),
    )
    if is_hub:
        return areas
    return areas.filter(
        pk__in=AreaMembership.objects.filter(
            agency_id=user.agency_id, kind=MembershipKind.STANDING
        ).values("area_id")
    )


def _follows_agenda_of(user: Viewer, area_id: int) -> bool:
    """Whether ``user`` sees the regular agenda of the area: licensed for it, hub or standing."""
    return areas_followed_by(user).filter(pk=area_id).exists()
