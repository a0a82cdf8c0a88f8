"""The retention queue in the browser's terms: the hub and the information governance role review,
a second person approves behind a fresh second factor, and nobody reads a name on the way."""

from __future__ import annotations

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from openmarac.accounts.models import User
from openmarac.accounts.services import MFA_AT
from openmarac.audit.models import AuditEvent
from openmarac.cases.models import Case, ParticipantRole
from openmarac.partnerships.models import RetentionGroup, RetentionReviewer
from openmarac.retention.models import CaseRetention, DisposalCertificate, RetentionState
from openmarac.retention.services import retention_archive_due

from .conftest import TEST_NOW, client_for
from .retention_helpers import archived_due, closed_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def governance(cast):
    return User.objects.get(username="governance")


@pytest.fixture
def manager(cast):
    return User.objects.get(username="manager")


@pytest.fixture
def due(cast):
    case = archived_due(cast.area_a, "NK-2012-VIEW1")
    return case


def test_the_hub_reviews_recommends_and_a_second_person_approves_over_http(cast, due, manager):
    hub = client_for(cast.coordinator)
    queue = hub.get(reverse("retention:queue")).content.decode()
    assert due.reference in queue
    review = hub.get(reverse("retention:case", args=[due.reference])).content.decode()
    assert "Matrixa" not in review  # no names at review
    assert "Archivist" not in review
    assert "People named" in review
    response = hub.post(reverse("retention:recommend", args=[due.reference]), {})
    assert response.status_code == 302
    assert CaseRetention.objects.get(case=due).state == RetentionState.RECOMMENDED
    # The one who recommended cannot approve.
    assert hub.post(reverse("retention:approve", args=[due.reference])).status_code == 400
    assert Case.objects.filter(pk=due.pk).exists()

    second = client_for(manager)
    confirm = second.get(reverse("retention:approve", args=[due.reference])).content.decode()
    assert "What will be destroyed" in confirm
    assert "Case participants" in confirm
    done = second.post(reverse("retention:approve", args=[due.reference]))
    certificate = DisposalCertificate.objects.get(case_reference=due.reference)
    assert done["Location"] == reverse("retention:certificate", args=[certificate.pk])
    assert not Case.objects.filter(pk=due.pk).exists()
    page = second.get(done["Location"]).content.decode()
    assert "Casey Coordinator" in page
    assert "Morgan Manager" in page
    assert "Matrixa" not in page


def test_approval_needs_a_fresh_second_factor(cast, due, manager):
    hub = client_for(cast.coordinator)
    hub.post(reverse("retention:recommend", args=[due.reference]), {})
    second = client_for(manager)
    session = second.session
    session[MFA_AT] = int(time.time()) - 3600
    session.save()
    response = second.post(reverse("retention:approve", args=[due.reference]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))
    assert Case.objects.filter(pk=due.pk).exists()


def test_a_decision_with_missing_details_shows_the_error_and_changes_nothing(cast, due):
    hub = client_for(cast.coordinator)
    response = hub.post(reverse("retention:hold", args=[due.reference]), {"hold-reason": "court"})
    assert response.status_code == 400
    assert "Enter what the hold is for" in response.content.decode()
    assert not CaseRetention.objects.get(case=due).is_held
    response = hub.post(
        reverse("retention:hold", args=[due.reference]),
        {"hold-reason": "court", "hold-detail": "Family court hearing"},
    )
    assert response.status_code == 302
    assert CaseRetention.objects.get(case=due).is_held
    event = AuditEvent.objects.filter(action="retention.hold").get()
    assert event.detail == {"reason": "court"}  # the note stays encrypted, out of the log


def test_information_governance_sees_the_queue_and_certificates_but_no_case_detail(
    cast, due, governance
):
    ig = client_for(governance)
    assert ig.get(reverse("retention:queue")).status_code == 200
    review = ig.get(reverse("retention:case", args=[due.reference]))
    assert review.status_code == 200
    assert "Matrixa" not in review.content.decode()
    for name, args in (
        ("cases:list", []),
        ("caserecord:record", [cast.case_a.reference]),
        ("retention:archive", []),
        ("retention:archived_case", [due.reference]),
        ("retention:rules", []),
        ("triage:queue", []),
    ):
        assert ig.get(reverse(name, args=args)).status_code == 404, name
    assert ("Retention", "retention:queue") in ig.get(reverse("workspace:home")).context[
        "nav_items"
    ]


def test_where_the_area_names_information_governance_it_recommends_and_the_hub_approves(
    cast, due, governance
):
    policy = cast.area_a.policy
    policy.retention_reviewer = RetentionReviewer.INFORMATION_GOVERNANCE
    policy.save()
    hub = client_for(cast.coordinator)
    refused = hub.post(reverse("retention:recommend", args=[due.reference]), {})
    assert refused.status_code == 400
    assert "recommended by the information governance lead" in refused.content.decode()
    assert client_for(governance).post(reverse("retention:recommend", args=[due.reference]), {})
    assert CaseRetention.objects.get(case=due).recommended_by == governance
    hub.post(reverse("retention:approve", args=[due.reference]))
    assert not Case.objects.filter(pk=due.pk).exists()


def test_a_governance_lead_without_a_live_licence_reaches_nothing(cast, due, governance):
    from openmarac.licences.models import Licence, LicenceStatus

    Licence.objects.filter(user=governance).update(status=LicenceStatus.SUSPENDED)
    assert client_for(governance).get(reverse("retention:queue")).status_code == 404


def test_the_queue_reads_as_many_rows_for_3_cases_as_for_30(cast, django_assert_max_num_queries):
    hub = client_for(cast.coordinator)

    def make(n: int, start: int) -> None:
        for i in range(start, start + n):
            archived_due(cast.area_a, f"NK-2012-Q{i:04d}")

    make(3, 0)
    hub.get(reverse("retention:queue"))
    with CaptureQueriesContext(connection) as few:
        assert hub.get(reverse("retention:queue")).status_code == 200
    make(27, 100)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = hub.get(reverse("retention:queue")).content.decode()
    assert page.count(">NK-2012-Q") == 25  # a page at a time
    assert "Next" in page


def test_the_hub_changes_an_areas_retention_group(cast):
    group = RetentionGroup.objects.get(area=cast.area_a, code="2")
    hub = client_for(cast.coordinator)
    url = reverse("retention:group_edit", args=[cast.area_a.pk, group.pk])
    assert hub.get(url).status_code == 200
    response = hub.post(
        url,
        {
            "code": "2",
            "label": "MoPI group 2: other violent, other sexual, drug supply",
            "runs_from": "last_referral",
            "years_adult": "12",
            "years_child": "12",
            "review_every_years": "10",
            "is_default": "yes",
        },
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.years_adult, group.is_default) == (12, True)
    assert not RetentionGroup.objects.get(area=cast.area_a, code="1").is_default
    assert "12 years from the last referral" in hub.get(reverse("retention:rules")).content.decode()


def test_the_group_a_case_moves_to_comes_from_its_own_area(cast):
    case, _ = closed_case(
        cast.area_a,
        "NK-2016-GRP01",
        closed_at=TEST_NOW - datetime.timedelta(days=3000),
        people={"victim": (ParticipantRole.VICTIM, "Groupa", "Mover", None)},
    )
    retention_archive_due(now=TEST_NOW)
    hub = client_for(cast.coordinator)
    response = hub.post(
        reverse("retention:group", args=[case.reference]),
        {"group-group_code": "standard", "group-detail": "x"},
    )
    assert response.status_code == 400
    assert CaseRetention.objects.get(case=case).group_code == "1"
