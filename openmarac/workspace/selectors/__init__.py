"""Each role's home as work lists (one read per role), and the counts the home shows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count

from openmarac.accounts.models import User

from .agency import agency_work
from .chair import chair_work
from .governance import governance_work
from .hub import hub_work
from .referrer import StateCount, referrer_work
from .work import Kind, WorkList

__all__ = [
    "HomeItem",
    "Kind",
    "StateCount",
    "WorkList",
    "home_items",
    "referrer_work",
    "work_for",
    "work_list_for",
]


@dataclass(frozen=True)
class AgencyCount:
    agency: str
    count: int


@dataclass(frozen=True)
class HomeItem:
    work: WorkList
    count: int
    agencies: list[AgencyCount]


def work_for(user: User, *, now: datetime.datetime) -> list[WorkList]:
    """Every work list of every role ``user`` holds, in the order the home shows them."""
    return (
        hub_work(user, now=now)
        + governance_work(user)
        + chair_work(user, now=now)
        + agency_work(user, now=now)
    )


def work_list_for(user: User, slug: str, *, now: datetime.datetime) -> WorkList | None:
    """One of ``user``'s work lists by its name, or None if none of their roles has it."""
    return next((work for work in work_for(user, now=now) if work.slug == slug), None)


def home_items(work: list[WorkList]) -> list[HomeItem]:
    """Each list with its count, and per agency where the list is kept by agency: counted in
    the database, a query or two per list, never per row."""
    items = []
    for each in work:
        agencies: list[AgencyCount] = []
        if each.by_agency:
            agencies = [
                AgencyCount(agency=name, count=n)
                for name, n in each.rows.order_by()
                .values_list(each.by_agency)
                .annotate(n=Count("pk"))
                .order_by(each.by_agency)
                .values_list(each.by_agency, "n")
            ]
        items.append(HomeItem(work=each, count=each.rows.count(), agencies=agencies))
    return items
