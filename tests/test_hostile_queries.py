"""Hostile query strings on every page: never a server error, for anyone.

Every GET URL of the permission matrix is asked for by every member of the cast with random and
hostile values (numbers past 64 bits, far dates, NUL bytes, unicode, empty strings, keys given
twice) in the query parameters the page reads, plus a few it does not. A raised exception fails
the test (the test client re-raises it), and so does any 5xx answer or an unescaped script.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openmarac.actions.library import library_for
from openmarac.core.forms import QueryForm
from openmarac.licences.models import LicenceStatus

from . import matrix as matrix_package
from .conftest import Cast, client_for
from .matrix.common import CAST
from .test_permission_matrix import MATRIX

TODAY = "2026-03-04 10:00:00+00:00"  # a Wednesday
SOURCE = Path(__file__).resolve().parent.parent / "openmarac"

# Values that a query parameter might be given. Values that the page would accept are mixed in
# (``READS`` below) so the fuzzing also reaches past each page's first check.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "9" * 30,
    "-" + "9" * 30,
    str(2**63),
    str(2**63 - 1),
    str(2**31),
    "0",
    "-1",
    "1.5",
    "1e309",
    "NaN",
    "²",
    "١٢",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2026-02-30",
    "2026-13-01",
    "1899-12-31",
    "3000-01-01",
    "9" * 5000,
    "x" * 3000,
    "<script>alert(1)</script>",
    "'; DROP TABLE cases_case; --",
    "%00",
    "\u202e",
    "😀",
    "//evil.example/",
    "https://evil.example/",
    "javascript:alert(1)",
    "mine",
    "active",
]
HOSTILE = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers().map(str),
    st.dates().map(lambda day: day.isoformat()),
)

Good = Callable[[Cast], list[str]]


def _first_intervention(cast: Cast) -> list[str]:
    return [entry.slug for entry in library_for(cast.partnership)[:1]]


# url name -> {query parameter the page reads: values it would accept}
READS: dict[str, dict[str, Good]] = {
    "accounts:sign_in": {"next": lambda c: ["/cases/", "/"]},
    "accounts:confirm": {"next": lambda c: ["/cases/"]},
    "actions:manager": {
        "view": lambda c: ["mine"],
        "status": lambda c: ["open", "proposed", "closed"],
        "due": lambda c: ["overdue", "soon", "later"],
        "area": lambda c: [str(c.area_a.pk), str(c.area_b.pk)],
        "agency": lambda c: [str(c.police_rep.agency_id)],
        "page": lambda c: ["1", "2"],
    },
    "actions:propose": {"intervention": _first_intervention},
    "audit:case": {"reference": lambda c: [c.case_a.reference], "page": lambda c: ["1", "2"]},
    "audit:user": {
        "user": lambda c: [str(c.police_rep.pk)],
        "from": lambda c: ["2026-01-01"],
        "to": lambda c: ["2026-03-01"],
        "page": lambda c: ["1", "2"],
    },
    "audit:downloads": {
        "from": lambda c: ["2026-01-01"],
        "to": lambda c: ["2026-03-01"],
        "page": lambda c: ["1", "2"],
    },
    "audit:pattern": {
        "from": lambda c: ["2026-01-01"],
        "to": lambda c: ["2026-03-01"],
        "many": lambda c: ["1", "25"],
    },
    "caseaccess:index": {
        "reference": lambda c: [c.case_a.reference],
        "page": lambda c: ["1", "2"],
    },
    "cases:list": {"page": lambda c: ["1", "2"]},
    "proceedings:index": {"page": lambda c: ["1", "2"]},
    "research:mine": {"page": lambda c: ["1", "2"]},
    "triage:complex_cases": {"page": lambda c: ["1", "2"]},
    "licences:hub_list": {"status": lambda c: list(LicenceStatus.values)},
    "meetings:calendar": {"area": lambda c: [str(c.area_a.pk), str(c.area_b.pk)]},
    **{
        name: {
            "area": lambda c: ["all", c.area_a.code, c.area_b.code],
            "period": lambda c: ["2026Q1", "2025"],
            "from": lambda c: ["2026-01-01"],
            "to": lambda c: ["2026-03-01"],
        }
        for name in (
            "reports:dashboard",
            "reports:steering",
            "reports:safelives_return",
            "reports:return_download",
            "reports:exports",
            "reports:export",
        )
    },
    "retention:queue": {
        "show": lambda c: ["due", "recommended", "held", "scheduled"],
        "page": lambda c: ["1", "2"],
    },
    "retention:certificates": {"page": lambda c: ["1", "2"]},
    "retention:archive": {"q": lambda c: [c.case_a.reference, "Demoname Victimone"]},
}
READING_EXAMPLES = 12  # per member of the cast, for a page that reads its query string
OTHER_EXAMPLES = 2  # per member, for a page that reads none (random names only)


def _groups() -> dict[str, list[str]]:
    """The matrix's URL names in the groups its rows are declared in, to build a cast for each."""
    groups: dict[str, list[str]] = {}
    for module in pkgutil.iter_modules(matrix_package.__path__):
        if module.name != "common":
            rows = importlib.import_module(f"{matrix_package.__name__}.{module.name}").ROWS
            groups[module.name] = sorted(rows)
    declared = {name for names in groups.values() for name in names}
    groups["core"] = sorted(set(MATRIX) - declared)
    return groups


GROUPS = _groups()


def _queries(cast: Cast, name: str) -> st.SearchStrategy[dict[str, list[str]]]:
    """Query strings for ``name``: each parameter absent, given once or given several times."""
    reads = READS.get(name, {})
    values = {
        param: st.lists(st.one_of(HOSTILE, st.sampled_from(good(cast) or [""])), max_size=3)
        for param, good in reads.items()
    }
    others = st.dictionaries(
        st.text(min_size=1, max_size=8), st.lists(HOSTILE, max_size=2), max_size=2
    )
    return st.tuples(st.fixed_dictionaries(values), others).map(lambda both: {**both[1], **both[0]})


@pytest.fixture
def _clock() -> Iterator[None]:
    with time_machine.travel(TODAY, tick=True):
        yield


@pytest.fixture
def cast(_clock: None, cast: Cast) -> Cast:
    """The standing cast, built on a fixed day so nothing here depends on the real date."""
    return cast


def _fuzz(cast: Cast, name: str) -> None:
    kwargs_for, _expected = MATRIX[name]
    url = reverse(name, kwargs=kwargs_for(cast))
    examples = READING_EXAMPLES if name in READS else OTHER_EXAMPLES
    for member in CAST:
        client = client_for(cast.user(member))

        @settings(
            max_examples=examples,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(_queries(cast, name))
        def get(query: dict[str, list[str]]) -> None:
            # A savepoint: a database error (PostgreSQL refusing a value) surfaces as itself,
            # not as every later query failing in an aborted transaction.
            with transaction.atomic():
                response = client.get(url, query)  # raises whatever the view raised
            assert response.status_code < 500, (
                f"{member} GET {name} {query!r}: {response.status_code}"
            )
            # Whatever a page shows back of the query is escaped.
            assert b"<script>alert(1)</script>" not in response.content

        get()


@pytest.mark.django_db
@pytest.mark.parametrize("group", sorted(GROUPS))
def test_no_query_string_makes_a_server_error(cast, group):
    for name in GROUPS[group]:
        _fuzz(cast, name)


def test_every_query_parameter_is_read_through_a_query_form():
    """``request.GET`` is only ever handed whole to a ``QueryForm``; every such form's keys are
    declared in ``READS`` (so the fuzzing above sends them hostile values)."""
    forms: set[str] = set()
    pending = [QueryForm]
    while pending:
        for sub in pending.pop().__subclasses__():
            forms.add(sub.__name__)
            pending.append(sub)
    for path in SOURCE.rglob("*.py"):
        source = path.read_text()
        for match in re.finditer(r"request\.GET", source):
            call = re.search(r"(\w+)\(\s*$", source[: match.start()])
            reader = call.group(1) if call else ""
            assert reader in forms, (
                f"{path.relative_to(SOURCE)}: request.GET read outside a QueryForm"
            )
    declared = {param for params in READS.values() for param in params}
    keys: set[str] = set()
    pending = [QueryForm]
    while pending:
        for sub in pending.pop().__subclasses__():
            keys |= {sub.query_names.get(field, field) for field in sub.base_fields}
            pending.append(sub)
    assert keys <= declared, f"declare these query parameters in READS: {sorted(keys - declared)}"
    assert set(READS) <= set(MATRIX)


# The cases the fuzzing above first found, kept as plain examples.


def _error_shown(body: str, field_id: str, message: str) -> None:
    """The GOV.UK pattern: the message in the error summary, linked to the field, and at it."""
    assert "govuk-error-summary" in body
    assert f'<a href="#{field_id}">{message}</a>' in body
    assert f'id="{field_id}-error"' in body
    assert f"</span> {message}</p>" in body


@pytest.mark.django_db
def test_an_area_id_past_64_bits_is_ignored_and_the_whole_calendar_shown(cast):
    client = client_for(cast.coordinator)
    response = client.get(reverse("meetings:calendar"), {"area": "9" * 30})
    assert response.status_code == 200
    body = response.content.decode()
    for area in (cast.area_a, cast.area_b):
        assert f'id="area-{area.pk}"' in body
    narrowed = client.get(reverse("meetings:calendar"), {"area": str(cast.area_a.pk)})
    assert f'id="area-{cast.area_b.pk}"' not in narrowed.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("report", ["audit:downloads", "audit:pattern", "audit:user"])
@pytest.mark.parametrize(
    ("param", "value", "message"),
    [
        ("to", "9999-12-31", "To must be 31 December 2999 or earlier"),
        ("from", "9999-12-31", "From must be 31 December 2999 or earlier"),
        ("from", "0001-01-01", "From must be 1 January 1900 or later"),
    ],
)
def test_an_audit_period_out_of_range_is_refused_with_an_error(cast, report, param, value, message):
    query = {param: value}
    if report == "audit:user":
        query["user"] = str(cast.police_rep.pk)
    response = client_for(cast.coordinator).get(reverse(report), query)
    assert response.status_code == 200
    body = response.content.decode()
    _error_shown(body, f"id_{param}", message)
    assert f'value="{value}"' in body  # what was typed stays in the box to correct
    assert "govuk-table" not in body  # no report for a period that was not asked for


@pytest.mark.django_db
def test_an_audit_period_that_is_not_a_date_is_refused_with_an_error(cast):
    response = client_for(cast.coordinator).get(reverse("audit:downloads"), {"to": "31/12/2025"})
    _error_shown(response.content.decode(), "id_to", "To must be a real date, like 2025-03-27")


@pytest.mark.django_db
def test_an_audit_period_left_empty_is_the_last_quarter(cast):
    response = client_for(cast.coordinator).get(reverse("audit:downloads"), {"from": "", "to": ""})
    body = response.content.decode()
    assert "govuk-error-summary" not in body
    assert 'value="2025-12-02"' in body
    assert 'value="2026-03-04"' in body


@pytest.mark.django_db
def test_a_nul_byte_in_a_case_address_finds_no_case(cast):
    # PostgreSQL refuses NUL in text: the lookup must not reach it.
    assert client_for(cast.coordinator).get("/cases/%00/").status_code == 404


@pytest.mark.django_db
def test_a_nul_byte_in_the_licence_status_shows_every_licence(cast):
    client = client_for(cast.coordinator)
    response = client.get(reverse("licences:hub_list"), {"status": "active\x00"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<strong>All licences</strong>" in body
    assert body.count("govuk-table__row") == client.get(
        reverse("licences:hub_list")
    ).content.decode().count("govuk-table__row")


@pytest.mark.django_db
def test_a_nul_byte_in_a_case_reference_to_manage_is_refused_with_an_error(cast):
    response = client_for(cast.coordinator).get(
        reverse("caseaccess:index"), {"reference": "NK\x00"}
    )
    assert response.status_code == 200
    _error_shown(
        response.content.decode(),
        "id_reference",
        "Case reference must only include letters, numbers and symbols",
    )
