"""Search for staff: exact references, names through blocking keys, scope, audit and input."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openmarac.audit.models import AuditEvent
from openmarac.caseaccess.models import ConflictDeclaration
from openmarac.cases.models import Case, CaseAccessGrant, CaseParticipant, Restriction
from openmarac.people.models import PersonKey
from openmarac.people.services import PersonDetails, person_create
from openmarac.referrals.models import Referral, ReferralStatus
from openmarac.search.selectors import PAGE_SIZE

from .conftest import client_for, make_user

pytestmark = pytest.mark.django_db

URL = "/search/"
DOB = datetime.date(1984, 3, 7)


def person_on(case: Case, forenames: str, surname: str, dob: datetime.date | None = None):
    person = person_create(
        partnership=case.partnership,
        details=PersonDetails(forenames=forenames, surname=surname, date_of_birth=dob),
    )
    CaseParticipant.objects.create(case=case, person=person, role="victim")
    return person


def search(user, q, dob: datetime.date | None = None, page: int | None = None):
    data = {"q": q}
    if dob is not None:
        data.update(
            date_of_birth_day=str(dob.day),
            date_of_birth_month=str(dob.month),
            date_of_birth_year=str(dob.year),
        )
    if page is not None:
        data["page"] = str(page)
    return client_for(user).post(URL, data)


def text(response) -> str:
    return response.content.decode()


def heading(response) -> str:
    found = re.search(r'<h2 class="govuk-heading-m" id="results">([^<]*)</h2>', text(response))
    return found.group(1) if found else ""


def test_the_url_is_not_a_query_string_and_the_form_posts():
    assert reverse("search:results") == URL


def test_a_case_reference_is_found_exactly(cast):
    reference = cast.case_a.reference
    response = search(cast.coordinator, reference)
    assert response.status_code == 200
    assert heading(response) == "1 result"
    assert f'href="/cases/{reference}/"' in text(response)
    # Typed in lower case it is still the same reference; a part of it is not.
    assert heading(search(cast.coordinator, reference.lower())) == "1 result"
    assert heading(search(cast.coordinator, reference[:-1])) == "No results"
    assert heading(search(cast.coordinator, reference[2:])) == "No results"


def test_a_referral_reference_is_found_exactly_and_leads_to_its_case(cast):
    referral = Referral.objects.create(
        partnership=cast.partnership,
        area=cast.area_a,
        case=cast.case_a,
        reference="NK-2026-990001",
        status=ReferralStatus.ACCEPTED,
    )
    response = search(cast.police_rep, referral.reference)
    assert heading(response) == "1 result"
    assert f'href="/cases/{cast.case_a.reference}/"' in text(response)
    assert "Referral" in text(response)
    # Housing is not in North Kent and not invited to this case: nothing.
    assert heading(search(cast.housing_rep, referral.reference)) == "No results"
    assert heading(search(cast.police_rep, "NK-2026-99000")) == "No results"


def test_a_submitted_referral_leads_the_hub_to_triage(cast):
    referral = Referral.objects.filter(status=ReferralStatus.SUBMITTED).first()
    response = search(cast.coordinator, referral.reference)
    assert heading(response) == "1 result"
    assert reverse("triage:referral", kwargs={"public_id": referral.public_id}) in text(response)
    # A representative sees a referral only once it is on a case they may see.
    assert heading(search(cast.police_rep, referral.reference)) == "No results"


def test_a_name_is_found_by_its_nickname_and_a_phonetic_spelling(cast):
    person_on(cast.case_a, "Robert", "Smith", DOB)
    person_on(cast.case_a, "Roberta", "Jones", DOB)
    for typed in ("Robert Smith", "Bob Smith", "bobby smith", "Robert Smyth", "Smith, Bob"):
        response = search(cast.police_rep, typed)
        assert heading(response) == "1 result", typed
        assert "Robert Smith" in text(response)
        assert "7 March 1984" in text(response)
        assert f'href="/cases/{cast.case_a.reference}/"' in text(response)
    assert heading(search(cast.police_rep, "Alice Smith")) == "No results"


def test_the_formal_name_comes_before_names_that_only_sound_alike(cast):
    sounds_alike = person_on(cast.case_a, "Robert", "Smyth")
    exact = person_on(cast.case_a, "Robert", "Smith")
    assert sounds_alike.pk < exact.pk
    body = text(search(cast.police_rep, "Robert Smith"))
    assert body.index("Robert Smith") < body.index("Robert Smyth")


def test_a_date_of_birth_narrows_a_name(cast):
    person_on(cast.case_a, "Robert", "Smith", DOB)
    person_on(cast.case_a, "Robert", "Smith", datetime.date(1990, 7, 3))
    person_on(cast.case_a, "Robert", "Smith", datetime.date(1984, 7, 3))  # day and month swapped
    assert heading(search(cast.police_rep, "Bob Smith")) == "3 results"
    narrowed = search(cast.police_rep, "Bob Smith", dob=DOB)
    assert heading(narrowed) == "1 result"
    assert "7 March 1984" in text(narrowed)
    assert "3 July" not in text(narrowed)
    assert heading(search(cast.police_rep, "Bob Smith", dob=datetime.date(1984, 3, 8))) == (
        "No results"
    )


def test_names_are_never_stored_or_searched_in_clear(cast):
    person_on(cast.case_a, "Robert", "Smith", DOB)
    with CaptureQueriesContext(connection) as queries:
        search(cast.police_rep, "Robert Smith", dob=DOB)
    sql = " ".join(q["sql"] for q in queries.captured_queries).lower()
    assert "smith" not in sql
    assert "1984-03-07" not in sql
    assert not PersonKey.objects.filter(key__icontains="smith").exists()


def test_an_agency_outside_the_marac_finds_nothing_of_its_cases(cast):
    person_on(cast.case_a, "Robert", "Smith", DOB)
    assert heading(search(cast.police_rep, "Robert Smith")) == "1 result"
    assert heading(search(cast.housing_rep, "Robert Smith")) == "No results"
    assert heading(search(cast.housing_rep, cast.case_a.reference)) == "No results"
    # The case the user may see is found; the one they may not adds nothing to a person on both.
    person = person_on(cast.case_b, "Robert", "Smith", DOB)
    CaseParticipant.objects.create(case=cast.case_a, person=person, role="perpetrator")
    body = text(search(cast.housing_rep, "Robert Smith"))
    assert cast.case_b.reference in body
    assert cast.case_a.reference not in body


def test_a_restricted_case_is_found_only_by_those_named_on_it(cast):
    restricted = Case.objects.create(
        partnership=cast.partnership,
        area=cast.area_a,
        reference="NK-SRCH-R0001",
        restriction=Restriction.EMPLOYEE,
    )
    CaseAccessGrant.objects.create(case=restricted, user=cast.chair, granted_by=cast.coordinator)
    person_on(restricted, "Robert", "Smith", DOB)
    for user in (cast.police_rep, cast.coordinator):
        assert heading(search(user, restricted.reference)) == "No results"
        assert heading(search(user, "Robert Smith", dob=DOB)) == "No results"
    assert heading(search(cast.chair, restricted.reference)) == "1 result"
    assert heading(search(cast.chair, "Robert Smith", dob=DOB)) == "1 result"


def test_a_declared_conflict_hides_the_case_from_search(cast):
    person_on(cast.case_a, "Robert", "Smith", DOB)
    conflicted = make_user("search_conflicted", agency=cast.police_rep.agency, is_agency_rep=True)
    assert heading(search(conflicted, "Robert Smith")) == "1 result"
    ConflictDeclaration.objects.create(case=cast.case_a, user=conflicted)
    assert heading(search(conflicted, "Robert Smith")) == "No results"
    assert heading(search(conflicted, cast.case_a.reference)) == "No results"


def _same_page(response, typed: str) -> str:
    """The page without what differs by design: tokens, nonces, the time-out countdown and the
    text typed."""
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text(response))
    body = re.sub(r'nonce="[^"]*"', "", body)
    # The time-out warning's countdown starts from the second the page was made.
    body = re.sub(r'data-seconds-left="\d+"', "", body)
    return body.replace(typed, "TYPED")


def _same_headers(response) -> list[tuple[str, str]]:
    return sorted(
        (k, re.sub(r"'nonce-[^']*'", "", v))
        for k, v in response.headers.items()
        if k not in {"X-Request-ID", "Expires"}  # each response's own id and time
    )


def test_a_person_or_case_that_cannot_be_seen_looks_exactly_like_no_match(cast):
    before = search(cast.housing_rep, "Robert Smith")
    person_on(cast.case_a, "Robert", "Smith")
    unseen = search(cast.housing_rep, "Robert Smith")
    assert unseen.status_code == before.status_code == 200
    assert _same_page(unseen, "Robert Smith") == _same_page(before, "Robert Smith")
    assert _same_headers(unseen) == _same_headers(before)

    unseen_case = search(cast.housing_rep, cast.case_a.reference)
    no_case = search(cast.housing_rep, "NK-0000-X0000")
    assert _same_page(unseen_case, cast.case_a.reference) == _same_page(no_case, "NK-0000-X0000")
    # The audit trail records both the same way.
    events = AuditEvent.objects.filter(action="search.run").order_by("-id")[:2]
    assert [e.detail for e in events] == [{"kind": "reference", "results": 0, "page": 1}] * 2
    assert all(e.outcome == "success" for e in events)


def test_each_search_is_audited_without_its_terms(cast):
    person_on(cast.case_a, "Robert", "Smith", DOB)
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    search(cast.police_rep, "Bob Smyth", dob=DOB)
    events = list(AuditEvent.objects.filter(id__gt=last))
    assert [e.action for e in events] == ["search.run"]
    event = events[0]
    assert event.actor_id == cast.police_rep.pk
    assert event.detail == {"kind": "name_and_date_of_birth", "results": 1, "page": 1}
    stored = json.dumps([event.detail, event.object_id, event.object_type, event.actor_label])
    for term in ("bob", "smyth", "1984", "07"):
        assert term not in stored.lower()


def test_terms_never_reach_an_address_and_a_query_string_is_ignored(cast):
    person_on(cast.case_a, "Robert", "Smith", DOB)
    client = client_for(cast.police_rep)
    before = AuditEvent.objects.filter(action="search.run").count()
    response = client.get(URL, {"q": "Robert Smith"})
    assert response.status_code == 200
    assert "Robert Smith" not in text(response)
    assert heading(response) == ""
    assert AuditEvent.objects.filter(action="search.run").count() == before
    # The header box and the page's form both post, with a CSRF token.
    assert re.search(
        r'<form method="post" action="/search/" class="om-header__search"', text(response)
    )
    assert 'name="csrfmiddlewaretoken"' in text(response)
    results = search(cast.police_rep, "Robert Smith")
    assert "no-store" in results["Cache-Control"]


def test_search_refuses_a_post_without_its_csrf_token(cast):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.police_rep)
    assert client.post(URL, {"q": "Robert Smith"}).status_code == 403


def test_pages_of_results_post_the_terms_back(cast):
    for _ in range(PAGE_SIZE + 5):
        person_on(cast.case_a, "Robert", "Smith", DOB)
    first = search(cast.police_rep, "Bob Smith", dob=DOB)
    assert heading(first) == f"{PAGE_SIZE + 5} results"
    body = text(first)
    assert body.count(f'href="/cases/{cast.case_a.reference}/"') == PAGE_SIZE
    assert "Page 1 of 2" in body
    next_form = body[body.index('class="govuk-pagination__next"') :]
    for name, value in (
        ("q", "Bob Smith"),
        ("date_of_birth_day", "7"),
        ("date_of_birth_month", "3"),
        ("date_of_birth_year", "1984"),
        ("page", "2"),
    ):
        assert f'<input type="hidden" name="{name}" value="{value}">' in next_form
    assert "?q=" not in body
    assert "?page=" not in body
    second = search(cast.police_rep, "Bob Smith", dob=DOB, page=2)
    assert text(second).count(f'href="/cases/{cast.case_a.reference}/"') == 5
    assert "Page 2 of 2" in text(second)
    assert AuditEvent.objects.filter(action="search.run").order_by("-id").first().detail == {
        "kind": "name_and_date_of_birth",
        "results": PAGE_SIZE + 5,
        "page": 2,
    }


def test_the_query_count_does_not_grow_with_the_results(cast):
    def queries_for(count: int, surname: str) -> int:
        for _ in range(count):
            person_on(cast.case_a, "Robert", surname, DOB)
        client = client_for(cast.police_rep)
        with CaptureQueriesContext(connection) as queries:
            response = client.post(URL, {"q": f"Bob {surname}"})
        assert heading(response) == f"{count} results"
        assert response.content.decode().count(f"Robert {surname}") == count
        return len(queries.captured_queries)

    assert queries_for(3, "Pemberton") == queries_for(30, "Ollerenshaw")


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("", "Enter a case or referral reference, or a person&#x27;s name"),
        ("   ", "Enter a case or referral reference, or a person&#x27;s name"),
        ("x" * 10_000, "Search terms must be 200 characters or fewer"),
        ("Robert\x00Smith", "Search terms must only include letters, numbers and -"),
        ("Robert\u200fSmith", "Search terms must only include letters, numbers and -"),
    ],
)
def test_bad_input_gets_an_error_and_keeps_what_was_typed(cast, typed, error):
    response = search(cast.police_rep, typed)
    assert response.status_code == 200
    body = text(response)
    assert "govuk-error-summary" in body
    assert error in body
    assert 'class="govuk-error-message"' in body
    assert heading(response) == ""
    if typed.strip() and "\x00" not in typed:
        assert typed in body
    assert not AuditEvent.objects.filter(action="search.run").exists()


def test_a_date_of_birth_needs_a_name_and_a_real_date(cast):
    response = search(cast.police_rep, cast.case_a.reference, dob=DOB)
    assert "Enter the person&#x27;s first and last names to search with a date of birth" in (
        text(response)
    )
    future = search(cast.police_rep, "Robert Smith", dob=datetime.date(2030, 1, 1))
    assert "Date of birth must be" in text(future)
    assert "Robert Smith" in text(future)
    bad = client_for(cast.police_rep).post(
        URL,
        {
            "q": "Robert Smith",
            "date_of_birth_day": "31",
            "date_of_birth_month": "2",
            "date_of_birth_year": "1984",
        },
    )
    assert "Date of birth must be a real date" in text(bad)


@pytest.mark.parametrize(
    "typed",
    [
        "Zoë Ångström",
        "محمد علي",
        "李 小龙",
        "O'Brien-Smith Jr",
        "🙂 🙂",
        "'; DROP TABLE x; --",
        "a b",
    ],
)
def test_unusual_names_search_safely(cast, typed):
    person_on(cast.case_a, "Zoe", "Angstrom")
    response = search(cast.police_rep, typed)
    assert response.status_code == 200
    assert heading(response) in {"No results", "1 result"}
    if typed == "Zoë Ångström":
        assert heading(response) == "1 result"


def test_the_header_box_is_for_staff_who_see_cases(cast):
    home = reverse("workspace:home")
    assert 'class="om-header__search"' in text(client_for(cast.police_rep).get(home))
    assert 'class="om-header__search"' not in text(client_for(cast.lead).get(URL, follow=True))
    assert client_for(cast.lead).get(URL).status_code == 404
    assert client_for(cast.lead).post(URL, {"q": "Robert Smith"}).status_code == 404
    anonymous = client_for(None).get(home, follow=True)
    assert 'class="om-header__search"' not in text(anonymous)
    assert client_for(None).post(URL, {"q": "x"}).status_code == 302
