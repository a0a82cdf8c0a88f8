"""What every IDOR-matrix row is written with.

Each URL that takes an object id, reference or public id gets a row in a module of this package
(``ROWS = {url_name: Row(...)}``), one module per feature. ``tests/test_idor_matrix.py`` gathers
them, fails on any such URL without a row, and tries every row as each attacker below: every try
must answer 404 (audited as a denial) or send the attacker to sign in.

The attackers, built in ``World``:

* ``other_area``: a standing member of West Kent only, trying North Kent's objects;
* ``other_agency``: another agency's representative in the same area, for agency-owned records;
* ``invite_other_case``: a by-invite representative, trying a case they are not invited to;
* ``not_invited``: a standing member of the area, trying a restricted case they are not named in;
* ``conflicted``: a user who declared a conflict of interest in the case;
* ``deactivated``: a user whose licence was deactivated;
* ``other_referrer``: a verified referrer (no account) trying another referrer's referral;
* ``other_partnership_hub``: a hub coordinator of a second partnership, with everything a working
  coordinator has (agreements signed, a licence for all its areas, a second factor), trying the
  first partnership's objects: hub-only pages must scope what they fetch, not just check the role;
* ``other_partnership_chair``: a chair of that second partnership's police, standing in all its
  areas, doing the same;
* ``area_limited_hub``: a working hub coordinator of this partnership whose licence covers North
  Kent only, trying West Kent's objects: each row gives it a West Kent object (``by_area``, or
  ``west_case`` through ``by_case``);
* ``expired_hub``: a working hub coordinator of this partnership whose licence (every area)
  expired, trying North Kent's objects.

The last two are the partnership's own coordinators. Pages of the whole partnership that are not
bound to an area (accounts, licences, agencies, escalation contacts) belong to the area-limited
one, whose licence is live, and those rows leave it out (``partnership_wide``); the expired one
reaches no hub page at all and tries every row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openmarac.accounts.models import User
    from openmarac.cases.models import Case
    from openmarac.partnerships.models import Partnership
    from tests.conftest import Cast

ATTACKERS = [
    "other_area",
    "other_agency",
    "invite_other_case",
    "not_invited",
    "conflicted",
    "deactivated",
    "other_referrer",
    "other_partnership_hub",
    "other_partnership_chair",
    "area_limited_hub",
    "expired_hub",
]

# This partnership's own coordinators, refused by their licence, not by their role.


@dataclass
class World:
    cast: Cast
    users: dict[str, User | None]
    ordinary_case: Case  # North Kent, unrestricted (the cast's case_a)
    uninvited_case: Case  # North Kent, unrestricted, no invitation for the by-invite agency
    restricted_case: Case  # North Kent, employee-sensitive, only the chair is named
    west_case: Case  # West Kent, unrestricted: the area-limited coordinator's target
    other_partnership: Partnership  # the second partnership's attackers' own
    extra: dict[str, Any] = field(default_factory=dict)  # feature modules keep objects here


# kwargs for the URL as tried by one attacker; None when that attacker does not apply.
Target = Callable[[World, str], dict[str, Any] | None]


@dataclass(frozen=True)
class Row:
    target: Target
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)


def same_for_all(kwargs: Callable[[World], dict[str, Any]]) -> Target:
    """An object nobody but its owner (or its partnership's hub) may reach: every attacker tries
    the same one."""
    return lambda world, attacker: kwargs(world)


def the_case_each_may_not_see(world: World, attacker: str) -> Case | None:
    """For case-scoped URLs: the case each attacker must not reach."""
    return {
        "other_area": world.ordinary_case,
        "invite_other_case": world.uninvited_case,
        "not_invited": world.restricted_case,
        "conflicted": world.ordinary_case,
        "deactivated": world.ordinary_case,
        "other_referrer": world.ordinary_case,
        "other_partnership_hub": world.ordinary_case,
        "other_partnership_chair": world.ordinary_case,
        "area_limited_hub": world.west_case,
        "expired_hub": world.ordinary_case,
        # Another agency in the same area may see the case itself: agency-owned records only.
        "other_agency": None,
    }[attacker]


def by_case(kwargs: Callable[[World, Case], dict[str, Any]]) -> Target:
    def target(world: World, attacker: str) -> dict[str, Any] | None:
        case = the_case_each_may_not_see(world, attacker)
        return None if case is None else kwargs(world, case)

    return target


def by_area(
    north: Callable[[World], dict[str, Any]], west: Callable[[World], dict[str, Any]]
) -> Target:
    """An object of one area that only the hub licensed for its area may reach: the area-limited
    coordinator tries West Kent's (``west``), every other attacker North Kent's (``north``)."""
    return lambda world, attacker: west(world) if attacker == "area_limited_hub" else north(world)


def partnership_wide(kwargs: Callable[[World], dict[str, Any]]) -> Target:
    """A hub page of the whole partnership, bound to no area: every attacker but the
    area-limited coordinator (whose licence is live, so the page is theirs) tries the same
    object; the coordinator whose licence expired is refused like any non-member."""
    return lambda world, attacker: None if attacker == "area_limited_hub" else kwargs(world)
