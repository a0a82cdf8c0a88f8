"""Every URL the project serves, against the standing cast. A new URL must join this table."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from openmarac.referrals.models import Referral

from . import matrix as matrix_package
from .conftest import Cast, client_for
from .matrix.common import CAST, NO_ARGS, SIGN_IN, TO_EMAIL, Args, everyone, hub_only


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str = "") -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(
                    pattern.url_patterns,
                    f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace,
                )
            elif isinstance(pattern, URLPattern):
                assert pattern.name, f"unnamed URL pattern {pattern.pattern}"
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def referral_id(cast: Cast) -> str:
    return str(Referral.objects.filter(status="submitted").first().public_id)


def draft_id(cast: Cast) -> str:
    return str(Referral.objects.filter(status="draft").first().public_id)


DRAFT: Args = lambda cast: {"public_id": draft_id(cast)}  # noqa: E731
REFERRER_ONLY = everyone(TO_EMAIL)

# url name -> (kwargs, expected response on GET for each member of the cast)
MATRIX: dict[str, tuple[Args, dict[str, Any]]] = {
    "accounts:sign_in": (NO_ARGS, everyone(200)),
    "accounts:sign_out": (NO_ARGS, everyone(405)),
    "referrals:start": (NO_ARGS, everyone(200)),
    "referrals:email": (NO_ARGS, everyone(200)),
    "referrals:code": (NO_ARGS, everyone(TO_EMAIL)),
    "referrals:referrer_sign_out": (NO_ARGS, everyone(405)),
    "referrals:mine": (NO_ARGS, REFERRER_ONLY),
    "referrals:new": (NO_ARGS, REFERRER_ONLY),
    "referrals:task_list": (DRAFT, REFERRER_ONLY),
    "referrals:check": (DRAFT, REFERRER_ONLY),
    "referrals:submitted": (DRAFT, REFERRER_ONLY),
    "referrals:section": (lambda c: {"public_id": draft_id(c), "slug": "victim"}, REFERRER_ONLY),
    "referrals:list_section": (
        lambda c: {"public_id": draft_id(c), "slug": "children"},
        REFERRER_ONLY,
    ),
    "referrals:add_item": (lambda c: {"public_id": draft_id(c), "slug": "children"}, REFERRER_ONLY),
    "referrals:item": (
        lambda c: {"public_id": draft_id(c), "slug": "children", "index": 0},
        REFERRER_ONLY,
    ),
    "referrals:remove_item": (
        lambda c: {"public_id": draft_id(c), "slug": "children", "index": 0},
        REFERRER_ONLY,
    ),
    # The plain queue gave way to the triage queue; old links redirect there.
    "referrals:hub_queue": (NO_ARGS, {**hub_only(), "coordinator": 302}),
    "referrals:hub_detail": (
        lambda c: {"public_id": referral_id(c)},
        {**hub_only(), "coordinator": 302},
    ),
    "referrals:approval_list": (
        NO_ARGS,
        {**everyone(404), "police_rep": 200, "revoked": SIGN_IN, "anonymous": SIGN_IN},
    ),
    # The demo referral went straight to the hub, so no approver ever sees it.
    "referrals:approval_detail": (
        lambda c: {"public_id": referral_id(c)},
        {**everyone(404), "revoked": SIGN_IN, "anonymous": SIGN_IN},
    ),
    "cases:list": (
        NO_ARGS,
        {**everyone(200), "lead": 404, "revoked": SIGN_IN, "anonymous": SIGN_IN},
    ),
    "caserecord:record": (
        lambda c: {"reference": c.case_a.reference},
        {
            "coordinator": 200,
            "chair": 200,
            "police_rep": 200,
            "housing_rep": 404,  # housing is only by invite in North Kent, and not invited here
            "invited_rep": 200,  # invited to this case
            "lead": 404,
            "revoked": SIGN_IN,
            "anonymous": SIGN_IN,
        },
    ),
    "partnerships:area_list": (NO_ARGS, hub_only()),
    "partnerships:policy_edit": (lambda c: {"area_id": c.area_a.pk}, hub_only()),
}


def _rows_from_feature_modules() -> None:
    """Add each feature's rows from ``tests/matrix/<feature>.py`` (its ``ROWS`` dict)."""
    for module in pkgutil.iter_modules(matrix_package.__path__):
        if module.name == "common":
            continue
        rows = importlib.import_module(f"{matrix_package.__name__}.{module.name}").ROWS
        clash = set(rows) & set(MATRIX)
        assert not clash, f"URLs with two rows in the permission matrix: {sorted(clash)}"
        MATRIX.update(rows)


_rows_from_feature_modules()


def test_every_url_is_in_the_permission_matrix():
    missing = all_url_names() - set(MATRIX)
    assert not missing, f"add these URLs to the permission matrix: {sorted(missing)}"
    stale = set(MATRIX) - all_url_names()
    assert not stale, f"these URLs no longer exist: {sorted(stale)}"


def check(response: Any, expected: Any) -> None:
    if expected == SIGN_IN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:sign_in"))
    elif expected == TO_EMAIL:
        assert response.status_code == 302
        assert response["Location"] == reverse("referrals:email")
    else:
        assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(cast, name):
    kwargs_for, expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs_for(cast))
    for member in CAST:
        response = client_for(cast.user(member)).get(url)
        try:
            check(response, expected[member])
        except AssertionError as exc:
            raise AssertionError(
                f"{member} GET {name}: got {response.status_code}, expected {expected[member]}"
            ) from exc


@pytest.mark.django_db
def test_case_b_is_seen_only_by_its_area_and_the_hub(cast):
    url = reverse("caserecord:record", kwargs={"reference": cast.case_b.reference})
    seen = {m: client_for(cast.user(m)).get(url).status_code for m in CAST}
    assert seen == {
        "coordinator": 200,
        "chair": 200,
        "police_rep": 200,
        "housing_rep": 200,
        "invited_rep": 404,
        "lead": 404,
        "revoked": 302,
        "anonymous": 302,
    }
