"""Every URL that takes an object id, tried by every kind of user who must not reach the object.

Rows live in ``tests/idor/<feature>.py``; see ``tests/idor/common.py`` for the attackers. Every
try must answer 404 and record the refusal in the audit log, or send the attacker to sign in.
"""

from __future__ import annotations

import datetime
import importlib
import pkgutil
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency, AreaMembership, MembershipKind, Sector
from openmarac.audit.models import AuditEvent, Outcome
from openmarac.caseaccess.models import ConflictDeclaration
from openmarac.cases.models import Case, CaseAccessGrant, Restriction
from openmarac.cases.selectors import active_licence_for
from openmarac.licences.models import EndReason, Licence
from openmarac.licences.services import licence_deactivate
from openmarac.meetings.models import Meeting
from openmarac.meetings.services import meetings_generate
from openmarac.partnerships.models import Area, Partnership
from openmarac.partnerships.services import partnership_create_from_preset

from . import idor as idor_package
from .conftest import client_for, make_user
from .idor.common import ATTACKERS, Row, World

OTHER_DOMAIN = "second.example.net"
OBJECT_KWARG = re.compile(r"(^|_)id$|^reference$|^pk$")


def object_urls() -> set[str]:
    """Every URL name whose pattern takes an object id, reference or public id."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif isinstance(pattern, URLPattern) and any(
                OBJECT_KWARG.search(kwarg) for kwarg in pattern.pattern.converters
            ):
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def gather_rows() -> dict[str, Row]:
    rows: dict[str, Row] = {}
    for module in pkgutil.iter_modules(idor_package.__path__):
        if module.name == "common":
            continue
        found = importlib.import_module(f"{idor_package.__name__}.{module.name}").ROWS
        clash = set(found) & set(rows)
        assert not clash, f"URLs with two IDOR rows: {sorted(clash)}"
        rows.update(found)
    return rows


ROWS = gather_rows()


def test_every_url_taking_an_object_id_has_an_idor_row():
    missing = object_urls() - set(ROWS)
    assert not missing, f"add IDOR rows (tests/idor/<feature>.py) for: {sorted(missing)}"
    stale = set(ROWS) - object_urls()
    assert not stale, f"these URLs no longer take an object id: {sorted(stale)}"


@pytest.fixture
def world(cast) -> World:
    police = cast.police_rep.agency
    health = Agency.objects.get(name="Example Health Trust")
    uninvited = Case.objects.create(
        partnership=cast.partnership, area=cast.area_a, reference="NK-IDOR-U0003"
    )
    restricted = Case.objects.create(
        partnership=cast.partnership,
        area=cast.area_a,
        reference="NK-IDOR-R0004",
        restriction=Restriction.EMPLOYEE,
    )
    CaseAccessGrant.objects.create(case=restricted, user=cast.chair, granted_by=cast.coordinator)
    conflicted = make_user("idor_conflicted", agency=police, is_agency_rep=True)
    ConflictDeclaration.objects.create(case=cast.case_a, user=conflicted)
    gone = make_user("idor_gone", agency=police, is_agency_rep=True)
    licence_deactivate(licence=Licence.objects.get(user=gone), reason=EndReason.LEAVER)
    other_agency = make_user(
        "idor_health", agency=health, is_agency_rep=True, is_referral_approver=True
    )
    other_partnership, other_hub, other_chair = second_partnership()
    area_limited, expired = coordinators_held_by_their_licence(cast)
    west = Case.objects.create(
        partnership=cast.partnership, area=cast.area_b, reference="WK-IDOR-W0005"
    )
    return World(
        cast=cast,
        users={
            "other_area": cast.housing_rep,
            "other_agency": other_agency,
            "invite_other_case": cast.invited_rep,
            "not_invited": cast.police_rep,
            "conflicted": conflicted,
            "deactivated": gone,
            "other_referrer": None,
            "other_partnership_hub": other_hub,
            "other_partnership_chair": other_chair,
            "area_limited_hub": area_limited,
            "expired_hub": expired,
        },
        ordinary_case=cast.case_a,
        uninvited_case=uninvited,
        restricted_case=restricted,
        west_case=west,
        other_partnership=other_partnership,
    )


def second_partnership() -> tuple[Partnership, User, User]:
    """Another partnership with a hub coordinator and a chair who each hold what a working account
    of their role needs (``make_user``: agreements signed, a licence, a second factor), so that a
    refusal of the first partnership's objects is the scoping's doing, not a gate's."""
    other = partnership_create_from_preset(
        preset="gwent",
        name="Second partnership (IDOR matrix)",
        official_email_domains=[OTHER_DOMAIN],
        hub_email=f"hub@{OTHER_DOMAIN}",
    )
    hub = Agency.objects.create(
        partnership=other, name="Second hub", sector=Sector.OTHER, is_hub=True
    )
    police = Agency.objects.create(
        partnership=other, name="Second police", sector=Sector.POLICE, statutory=True
    )
    for area in Area.objects.filter(partnership=other):
        AreaMembership.objects.create(area=area, agency=police, kind=MembershipKind.STANDING)
    coordinator = make_user(
        "idor_other_hub",
        agency=hub,
        email=f"idor_other_hub@{OTHER_DOMAIN}",
        is_hub_coordinator=True,
    )
    chair = make_user(
        "idor_other_chair", agency=police, email=f"idor_other_chair@{OTHER_DOMAIN}", is_chair=True
    )
    for user in (coordinator, chair):
        assert active_licence_for(user) is not None, f"{user.username} holds no licence"
    return other, coordinator, chair


def coordinators_held_by_their_licence(cast: Any) -> tuple[User, User]:
    """Two working coordinators of the partnership's own hub (agreements signed, a second
    factor): one whose licence covers North Kent only, one whose licence of every area expired a
    month ago (whatever today is). What refuses them is their licence, not their role."""
    hub = cast.coordinator.agency
    area_limited = make_user("idor_north_only_hub", agency=hub, is_hub_coordinator=True)
    Licence.objects.get(user=area_limited).areas.set([cast.area_a])
    expired = make_user("idor_expired_hub", agency=hub, is_hub_coordinator=True)
    Licence.objects.filter(user=expired).update(
        expires_on=timezone.localdate() - datetime.timedelta(days=30)
    )
    assert active_licence_for(area_limited) is not None
    assert active_licence_for(expired) is None
    return area_limited, expired


def client_of(world: World, attacker: str) -> Client:
    if attacker == "other_referrer":
        client = Client()
        session = client.session
        session["referrer_email"] = "another.referrer@example.org"
        session.save()
        return client
    user = world.users[attacker]
    user.refresh_from_db()
    return client_for(user)


SIGN_IN_PAGES = ("accounts:sign_in", "referrals:email")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROWS))
def test_idor_matrix(world, name):
    row = ROWS[name]
    tried = 0
    for attacker in ATTACKERS:
        kwargs = row.target(world, attacker)
        if kwargs is None:
            continue
        tried += 1
        url = reverse(name, kwargs=kwargs)
        client = client_of(world, attacker)
        denials_before = AuditEvent.objects.filter(outcome=Outcome.DENIED).count()
        response = getattr(client, row.method)(url, row.data)
        where = f"{attacker} {row.method.upper()} {name}"
        if response.status_code == 302:
            location = response["Location"]
            assert any(location.startswith(reverse(page)) for page in SIGN_IN_PAGES), (
                f"{where}: redirected to {location}, not to sign in"
            )
            continue
        assert response.status_code == 404, f"{where}: got {response.status_code}, expected 404"
        denial = AuditEvent.objects.filter(outcome=Outcome.DENIED).order_by("-id").first()
        assert AuditEvent.objects.filter(outcome=Outcome.DENIED).count() > denials_before, (
            f"{where}: the refusal was not audited"
        )
        user = world.users[attacker]
        assert denial.actor_id == (user.pk if user else None), f"{where}: audited as someone else"
    assert tried >= 3, f"{name}: too few attackers apply"


@pytest.mark.django_db
def test_the_rightful_users_do_reach_the_objects(world):
    """The matrix proves refusals; this proves the same objects open for those entitled."""
    case_a = reverse("caserecord:record", kwargs={"reference": world.ordinary_case.reference})
    restricted = reverse("caserecord:record", kwargs={"reference": world.restricted_case.reference})
    assert client_for(world.cast.police_rep).get(case_a).status_code == 200
    assert client_for(world.cast.chair).get(restricted).status_code == 200
    assert client_for(world.cast.invited_rep).get(case_a).status_code == 200
    assert client_for(world.users["other_agency"]).get(case_a).status_code == 200


@pytest.mark.django_db
def test_the_other_partnerships_attackers_do_reach_their_own_objects(world):
    """The second partnership's coordinator and chair are refused the first's objects because
    these are not theirs, not because they are stopped at a gate: they open their own."""
    area = world.other_partnership.areas.order_by("code").first()
    own = Case.objects.create(
        partnership=world.other_partnership, area=area, reference=f"{area.code}-IDOR-O0001"
    )
    case = reverse("caserecord:record", kwargs={"reference": own.reference})
    hub = client_for(world.users["other_partnership_hub"])
    chair = client_for(world.users["other_partnership_chair"])
    assert hub.get(case).status_code == 200
    assert chair.get(case).status_code == 200
    assert hub.get(reverse("triage:queue")).status_code == 200
    assert hub.get(reverse("meetings:add", kwargs={"area_id": area.pk})).status_code == 200
    assert (
        hub.get(reverse("partnerships:policy_edit", kwargs={"area_id": area.pk})).status_code == 200
    )
    meetings_generate(area=area)
    meeting = {"meeting_id": Meeting.objects.filter(area=area).order_by("starts_on").first().pk}
    for client in (hub, chair):
        assert client.get(reverse("meetings:detail", kwargs=meeting)).status_code == 200
        assert client.get(reverse("proceedings:meeting", kwargs=meeting)).status_code == 200


@pytest.mark.django_db
def test_the_partnerships_own_limited_coordinators_reach_what_their_licence_covers(world):
    """The area-limited coordinator is refused West Kent's objects because of the licence, not a
    gate: North Kent's same objects open for them. The expired one passes the role's gate (the
    queue, partnership-wide pages) and is given nothing of any area."""
    from tests.idor.meetings_research import _setup as meetings
    from tests.idor.proceedings import _setup as proceedings
    from tests.idor.triage import _setup as triage

    north_meeting = {"meeting_id": proceedings(world)["meeting"].pk}
    people = triage(world)["north"]
    north = [
        reverse("caserecord:record", kwargs={"reference": world.ordinary_case.reference}),
        reverse("triage:referral", kwargs={"public_id": people["referral"]}),
        reverse("triage:accept", kwargs={"public_id": people["referral"]}),
        reverse("triage:person", kwargs={"person_id": people["kept"]}),
        reverse("triage:weekly_updates", kwargs={"reference": world.ordinary_case.reference}),
        reverse("caseaccess:manage", kwargs={"reference": world.ordinary_case.reference}),
        reverse("partnerships:policy_edit", kwargs={"area_id": world.cast.area_a.pk}),
        reverse("meetings:add", kwargs={"area_id": world.cast.area_a.pk}),
        reverse("meetings:detail", kwargs=north_meeting),
        reverse("meetings:move", kwargs=north_meeting),
        reverse(
            "research:case",
            kwargs={"listing_id": meetings(world)["listings"][world.ordinary_case.pk].pk},
        ),
        reverse("proceedings:meeting", kwargs=north_meeting),
    ]
    area_limited = client_for(world.users["area_limited_hub"])
    for url in north:
        assert area_limited.get(url).status_code == 200, url
    # A coordinator whose licence expired reaches no hub page at all, area-bound or not.
    expired = client_for(world.users["expired_hub"])
    for name in ("triage:queue", "licences:hub_list", "accounts:hub_accounts"):
        assert area_limited.get(reverse(name)).status_code == 200, name
        assert expired.get(reverse(name)).status_code == 404, name
    assert expired.get(north[0]).status_code == 404
