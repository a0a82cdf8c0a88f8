"""Every URL that takes an object id, tried by every kind of user who must not reach the object.

Rows live in ``tests/idor/<feature>.py``; see ``tests/idor/common.py`` for the attackers. Every
try must answer 404 and record the refusal in the audit log, or send the attacker to sign in.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from openmarac.agencies.models import Agency
from openmarac.audit.models import AuditEvent, Outcome
from openmarac.caseaccess.models import ConflictDeclaration
from openmarac.cases.models import Case, CaseAccessGrant, Restriction
from openmarac.licences.models import EndReason, Licence
from openmarac.licences.services import licence_deactivate

from . import idor as idor_package
from .conftest import client_for, make_user
from .idor.common import ATTACKERS, Row, World

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
        },
        ordinary_case=cast.case_a,
        uninvited_case=uninvited,
        restricted_case=restricted,
    )


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
    case_a = reverse("cases:detail", kwargs={"reference": world.ordinary_case.reference})
    restricted = reverse("cases:detail", kwargs={"reference": world.restricted_case.reference})
    assert client_for(world.cast.police_rep).get(case_a).status_code == 200
    assert client_for(world.cast.chair).get(restricted).status_code == 200
    assert client_for(world.cast.invited_rep).get(case_a).status_code == 200
    assert client_for(world.users["other_agency"]).get(case_a).status_code == 200
