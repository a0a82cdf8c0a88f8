"""What each user may reach of disclosure: the hub its partnership's requests and the orders on
cases it may see (archived ones too); a chair the orders it was asked about."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_or_archived_to
from openmarac.core.decorators import is_hub
from openmarac.people.keys import key_for
from openmarac.people.models import Person
from openmarac.people.normalise import name_tokens, normalise_name

from .models import CourtOrder, SubjectAccessRequest

if TYPE_CHECKING:
    from openmarac.accounts.models import User


def sars_for(user: User) -> QuerySet[SubjectAccessRequest]:
    if not is_hub(user) or user.agency is None:
        return SubjectAccessRequest.objects.none()
    return SubjectAccessRequest.objects.filter(partnership_id=user.agency.partnership_id)


def cases_open_to(user: User) -> QuerySet[Case]:
    """The cases whose text the hub user may read: live ones in scope and archived ones."""
    return cases_visible_or_archived_to(user)


def court_orders_for_hub(user: User) -> QuerySet[CourtOrder]:
    if not is_hub(user):
        return CourtOrder.objects.none()
    return CourtOrder.objects.filter(case__in=cases_open_to(user).values("pk")).select_related(
        "case__area", "chair"
    )


def court_orders_for_chair(user: User) -> QuerySet[CourtOrder]:
    if not (user.is_authenticated and user.is_active and user.is_chair) or user.agency is None:
        return CourtOrder.objects.none()
    return CourtOrder.objects.filter(
        chair_id=user.pk, case__partnership_id=user.agency.partnership_id
    ).select_related("case")


def subject_candidates(
    user: User, *, forenames: str, surname: str, date_of_birth: datetime.date | None
) -> QuerySet[Person]:
    """People of the hub's partnership with this name (and date of birth, when given), found
    through their blind-index keys; merged records lead to the record they were merged into."""
    if not is_hub(user):
        return Person.objects.none()
    tokens = name_tokens(forenames)
    last = normalise_name(surname)
    if not (tokens and last):
        return Person.objects.none()
    key = (
        key_for("sd", f"{last}|{date_of_birth.isoformat()}")
        if date_of_birth
        else key_for("n", f"{tokens[0]}|{last}")
    )
    assert user.agency is not None  # the hub's coordinators belong to the hub agency
    found = Person.objects.filter(partnership_id=user.agency.partnership_id, keys__key=key)
    return Person.objects.filter(
        Q(pk__in=found.filter(merged_into__isnull=True).values("pk"))
        | Q(pk__in=found.values("merged_into"))
    ).order_by("pk")
