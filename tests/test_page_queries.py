"""Every list page costs the same number of queries whatever the number of rows it shows, and
long lists come a page (50 rows) at a time.

Each page is asked for with 3 rows, then with 30: the count of queries must not change and must
stay at most ``MAX_QUERIES``, so a query a row (N+1) cannot come back unnoticed. The pages that
grow with history are paginated: 51 rows make 2 pages. That scoped reads compose the user's
scope as a subquery, never a list of ids, is tested in ``test_page_queries_scope``."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openmarac.actions.models import Action, ActionStatus
from openmarac.agencies.models import Agency, Sector
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case, Restriction
from openmarac.core.workdays import local_midnight
from openmarac.meetings.models import Listing, ListingReason, ListingStatus, Meeting, MeetingKind
from openmarac.proceedings.models import (
    Attendee,
    AttendeeRole,
    Hearing,
    MeetingRecord,
    MinutesStatus,
)
from openmarac.referrals.models import Referral, ReferralStatus
from openmarac.referrals.selectors import email_index
from openmarac.research.models import ResearchRequest

from .conftest import Cast, client_for

pytestmark = pytest.mark.django_db

D = datetime.date
MAX_QUERIES = 30


def _get(client, url: str, data: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    response = client.get(url, data or {})
    assert response.status_code == 200, (url, response.status_code)
    return response


def _queries(client, url: str, data: dict[str, str] | None = None) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        _get(client, url, data)
    return len(captured.captured_queries)


def assert_flat(
    client,  # type: ignore[no-untyped-def]
    url: str,
    grow: Callable[[int], object],
    data: dict[str, str] | None = None,
) -> None:
    """The page's query count with 3 rows added equals the count with 30, and is bounded."""
    grow(3)
    _get(client, url, data)  # the session and the caches settle on a first visit
    few = _queries(client, url, data)
    grow(27)
    many = _queries(client, url, data)
    assert few == many, f"{url}: {few} queries with 3 rows, {many} with 30"
    assert many <= MAX_QUERIES, f"{url}: {many} queries"


def assert_two_pages(client, url: str, data: dict[str, str] | None = None) -> None:  # type: ignore[no-untyped-def]
    """51 rows: 50 on the first page, 1 on the second, and GOV.UK pagination between them."""
    first = _get(client, url, data)
    page = first.context["page"]
    assert page.paginator.count == 51
    assert page.paginator.num_pages == 2
    assert len(page.object_list) == 50
    body = first.content.decode()
    assert 'class="govuk-pagination"' in body
    assert 'rel="next"' in body
    second = _get(client, url, {**(data or {}), "page": "2"})
    assert len(second.context["page"].object_list) == 1
    assert 'rel="prev"' in second.content.decode()


# Building rows.


class Rows:
    """Rows added straight to the database, numbered on from the last batch."""

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.made = 0
        self.now = timezone.now()

    def cases(self, count: int, *, area=None, **fields: object) -> list[Case]:  # type: ignore[no-untyped-def]
        area = area or self.cast.area_a
        start, self.made = self.made, self.made + count
        return Case.objects.bulk_create(
            Case(
                partnership=self.cast.partnership,
                area=area,
                reference=f"{area.code}-PQ-{number:04d}",
                **fields,
            )
            for number in range(start, start + count)
        )

    def meeting(self, on: D, *, area=None, published: bool = True) -> Meeting:  # type: ignore[no-untyped-def]
        return Meeting.objects.create(
            area=area or self.cast.area_a,
            kind=MeetingKind.EXTRA,
            starts_on=on,
            ends_on=on,
            start_time=datetime.time(9, 30),
            agenda_published_at=local_midnight(on - datetime.timedelta(days=8))
            if published
            else None,
        )

    def listings(
        self, meeting: Meeting, cases: list[Case], status: str = ListingStatus.LISTED
    ) -> list[Listing]:
        first = Listing.objects.filter(meeting=meeting).count()
        return Listing.objects.bulk_create(
            Listing(
                meeting=meeting,
                case=case,
                reason=ListingReason.NEW,
                status=status,
                position=first + number,
                listed_at=self.now,
            )
            for number, case in enumerate(cases)
        )

    def actions(
        self, cases: list[Case], agency: Agency, *, meeting: Meeting | None = None, **fields: object
    ) -> list[Action]:
        defaults: dict[str, object] = {
            "status": ActionStatus.AGREED,
            "due_on": D(2026, 12, 31),
            "agreed_at": self.now - datetime.timedelta(days=30),
        }
        defaults.update(fields)
        return Action.objects.bulk_create(
            Action(
                case=case,
                meeting=meeting,
                owner_agency=agency,
                what="Check the victim's safety plan with her",
                addresses_risk="Stalking",
                rationale="Named at the meeting",
                proposed_by=self.cast.coordinator,
                proposed_at=self.now - datetime.timedelta(days=31),
                **defaults,
            )
            for case in cases
        )


def police(cast: Cast) -> Agency:
    agency = cast.police_rep.agency
    assert agency is not None
    return agency


# The pages.


def test_the_cases_list_is_flat_and_paginated(cast):
    rows = Rows(cast)
    client = client_for(cast.coordinator)
    url = reverse("cases:list")
    assert_flat(client, url, lambda n: rows.cases(n))
    from openmarac.cases.selectors import cases_visible_to

    rows.cases(51 - cases_visible_to(cast.coordinator).count())
    assert_two_pages(client, url)


def test_the_restricted_cases_page_is_flat_and_paginated(cast):
    rows = Rows(cast)
    client = client_for(cast.coordinator)
    url = reverse("caseaccess:index")
    assert_flat(client, url, lambda n: rows.cases(n, restriction=Restriction.HBA))
    from openmarac.caseaccess.selectors import restricted_cases

    rows.cases(51 - restricted_cases(cast.coordinator).count(), restriction=Restriction.CLOSED)
    assert_two_pages(client, url)


def _heard_often(rows: Rows, meetings: list[Meeting]) -> Callable[[int], object]:
    def grow(count: int) -> None:
        cases = rows.cases(count)
        for meeting in meetings:
            rows.listings(meeting, cases, status=ListingStatus.HEARD)

    return grow


def test_complex_cases_count_only_the_last_12_months_and_are_paginated(cast):
    rows = Rows(cast)
    recent = [rows.meeting(D(2026, month, 3)) for month in (2, 5, 8, 11)]
    client = client_for(cast.coordinator)
    url = reverse("triage:complex_cases")
    assert_flat(client, url, _heard_often(rows, recent))
    # Four hearings, but one of them more than 12 months ago: not a candidate.
    old = rows.meeting(D(2025, 10, 1))
    stale = rows.cases(1)
    for meeting in [old, *recent[:3]]:
        rows.listings(meeting, stale, status=ListingStatus.HEARD)
    shown = _get(client, url).context["page"].paginator.object_list
    assert stale[0].pk not in {case.pk for case in shown}
    assert {case.hearings for case in shown} == {4}
    from openmarac.triage.selectors import complex_case_candidates

    have = complex_case_candidates(cast.coordinator, today=D(2026, 11, 23)).count()
    _heard_often(rows, recent)(51 - have)
    assert_two_pages(client, url)


def _published_minutes(rows: Rows, user) -> Callable[[int], object]:  # type: ignore[no-untyped-def]
    day = [D(2025, 1, 6)]

    def grow(count: int) -> None:
        for _ in range(count):
            meeting = rows.meeting(day[0])
            day[0] += datetime.timedelta(days=1)
            MeetingRecord.objects.create(meeting=meeting, minutes_status=MinutesStatus.PUBLISHED)
            Attendee.objects.create(
                meeting=meeting,
                user=user,
                name=user.get_full_name(),
                agency=user.agency,
                role=AttendeeRole.REPRESENTATIVE,
                recorded_at=rows.now,
            )

    return grow


def test_the_meetings_and_minutes_index_is_flat_and_paginated(cast):
    rows = Rows(cast)
    client = client_for(cast.police_rep)
    url = reverse("proceedings:index")
    grow = _published_minutes(rows, cast.police_rep)
    assert_flat(client, url, grow)
    from openmarac.proceedings.selectors import meetings_with_minutes_for

    grow(51 - meetings_with_minutes_for(cast.police_rep).count())
    assert_two_pages(client, url)


def test_the_minutes_index_lists_the_meetings_minutes_access_allows(cast):
    """The index's one query agrees with ``minutes_access``, decided one meeting at a time."""
    from openmarac.proceedings.selectors import meetings_with_minutes_for, minutes_access

    rows = Rows(cast)
    _published_minutes(rows, cast.police_rep)(2)
    observed = rows.meeting(D(2025, 3, 3))
    MeetingRecord.objects.create(meeting=observed, minutes_status=MinutesStatus.PUBLISHED)
    Attendee.objects.create(
        meeting=observed,
        user=cast.housing_rep,
        name="Housing",
        role=AttendeeRole.OBSERVER,
        recorded_at=rows.now,
    )
    draft = rows.meeting(D(2025, 3, 4))
    MeetingRecord.objects.create(meeting=draft)
    Attendee.objects.create(
        meeting=draft,
        user=cast.police_rep,
        name="Police",
        role=AttendeeRole.REPRESENTATIVE,
        recorded_at=rows.now,
    )
    meetings = Meeting.objects.filter(area__partnership=cast.partnership)
    for user in (cast.coordinator, cast.chair, cast.police_rep, cast.housing_rep, cast.lead):
        expected = {m.pk for m in meetings if minutes_access(user, m).any}
        expected &= {
            m.pk
            for m in meetings.filter(record__minutes_status=MinutesStatus.PUBLISHED)
            if m.attendees.filter(user=user).exists()
            or m.listings.filter(referral__referrer_agency_id=user.agency_id).exists()
        }
        assert set(meetings_with_minutes_for(user).values_list("pk", flat=True)) == expected


def test_the_action_manager_is_flat_paginated_and_filtered(cast):
    rows = Rows(cast)
    url = reverse("actions:manager")
    for user in (cast.coordinator, cast.police_rep):
        assert_flat(client_for(user), url, lambda n: rows.actions(rows.cases(n), police(cast)))
    client = client_for(cast.coordinator)
    west = {"agency": str(police(cast).pk), "area": str(cast.area_b.pk)}
    shown = _get(client, url, west).context["page"].paginator.count
    rows.actions(rows.cases(51 - shown, area=cast.area_b), police(cast))
    assert_two_pages(client, url, west)
    # The links to the other pages keep the filters.
    body = _get(client, url, west).content.decode()
    link = re.search(r'href="\?([^"]*)" rel="next"', body)
    assert link is not None
    assert sorted(link.group(1).split("&amp;")) == sorted(
        [f"agency={police(cast).pk}", f"area={cast.area_b.pk}", "page=2", "status=open"]
    )


def test_the_action_manager_shows_one_group_at_a_time_with_every_groups_count(cast):
    rows = Rows(cast)
    agency = police(cast)
    overdue = rows.actions(rows.cases(2), agency, due_on=D(2026, 11, 2))
    closed = rows.actions(rows.cases(1), agency, status=ActionStatus.COMPLETED, closed_at=rows.now)
    proposed = rows.actions(rows.cases(1), agency, status=ActionStatus.PROPOSED, agreed_at=None)
    client = client_for(cast.police_rep)
    url = reverse("actions:manager")
    counts = _get(client, url).context["counts"]
    late = _get(client, url, {"due": "overdue"}).context["page"].object_list
    assert {a.pk for a in overdue} <= {a.pk for a in late}
    assert all(a.due_on < D(2026, 11, 23) for a in late)
    assert len(late) == counts.overdue
    done = _get(client, url, {"status": "closed"}).context["page"].object_list
    assert closed[0].pk in {a.pk for a in done}
    assert len(done) == counts.closed
    asked = _get(client, url, {"status": "proposed"}).context["page"].object_list
    assert proposed[0].pk in {a.pk for a in asked}
    other_area = _get(client, url, {"area": str(cast.area_b.pk)}).context["page"].object_list
    assert all(a.case.area_id == cast.area_b.pk for a in other_area)
    refused = _get(client, url, {"status": "everything"})
    assert "Choose a status from the list" in refused.content.decode()


def _referrals(rows: Rows, status: str, **fields: object) -> Callable[[int], object]:
    def grow(count: int) -> None:
        start, rows.made = rows.made, rows.made + count
        Referral.objects.bulk_create(
            Referral(
                partnership=rows.cast.partnership,
                area=rows.cast.area_a,
                reference=f"R-PQ-{number:04d}",
                status=status,
                referrer_email=f"referrer{number}@example.org",
                referrer_email_index=email_index(f"referrer{number}@example.org"),
                referrer_agency=police(rows.cast),
                **fields,
            )
            for number in range(start, start + count)
        )

    return grow


def test_the_triage_queue_is_flat_and_recently_decided_is_bounded(cast):
    rows = Rows(cast)
    client = client_for(cast.coordinator)
    url = reverse("triage:queue")
    waiting = _referrals(rows, ReferralStatus.SUBMITTED, submitted_at=rows.now)
    decided = _referrals(
        rows, ReferralStatus.DECLINED, decided_at=rows.now - datetime.timedelta(days=1)
    )
    assert_flat(client, url, lambda n: (waiting(n), decided(n)))
    _referrals(rows, ReferralStatus.LAPSED, decided_at=rows.now - datetime.timedelta(days=40))(5)
    shown = _get(client, url).context["decided"]
    assert len(shown) == 20
    assert all(r.decided_at >= rows.now - datetime.timedelta(days=30) for r in shown)


def _research_rows(rows: Rows, meeting: Meeting, agencies: list[Agency]) -> Callable[[int], object]:
    def grow(count: int) -> None:
        listings = rows.listings(meeting, rows.cases(count))
        ResearchRequest.objects.bulk_create(
            ResearchRequest(
                listing=listing, agency=agency, requested_at=rows.now, due_on=D(2026, 12, 1)
            )
            for listing in listings
            for agency in agencies
        )

    return grow


def test_an_agencys_research_list_is_flat_and_paginated(cast):
    rows = Rows(cast)
    meeting = rows.meeting(D(2026, 12, 9))
    client = client_for(cast.police_rep)
    url = reverse("research:mine")
    grow = _research_rows(rows, meeting, [police(cast)])
    assert_flat(client, url, grow)
    shown = _get(client, url).context["page"].paginator.count
    grow(51 - shown)
    assert_two_pages(client, url)


def test_the_research_board_is_flat(cast):
    rows = Rows(cast)
    meeting = rows.meeting(D(2026, 12, 9))
    housing = Agency.objects.get(partnership=cast.partnership, sector=Sector.HOUSING)
    url = reverse("research:board", args=[meeting.pk])
    grow = _research_rows(rows, meeting, [police(cast), housing])
    assert_flat(client_for(cast.police_rep), url, grow)
    rows_shown = _get(client_for(cast.police_rep), url).context["board"].rows
    assert len(rows_shown) == 30


def test_the_agenda_is_flat(cast):
    rows = Rows(cast)
    meeting = rows.meeting(D(2026, 12, 9))
    url = reverse("meetings:detail", args=[meeting.pk])

    def grow(count: int) -> None:
        rows.listings(meeting, rows.cases(count))
        rows.listings(meeting, rows.cases(1, restriction=Restriction.HBA))

    for user in (cast.coordinator, cast.police_rep):
        assert_flat(client_for(user), url, grow)
    shown = _get(client_for(cast.police_rep), url).context["rows"]
    assert len(shown) == 64  # every ordinary case, and each HBA case masked by its slot
    assert sum(1 for row in shown if row.label.text.startswith("HBA ")) == 4


def _heard_with_actions(rows: Rows, meeting: Meeting) -> Callable[[int], object]:
    def grow(count: int) -> None:
        cases = rows.cases(count)
        for listing in rows.listings(meeting, cases):
            Hearing.objects.create(listing=listing, opened_at=rows.now, risks="Stalking")
        rows.actions(cases, police(rows.cast), meeting=meeting)
        # Each case has an action from an earlier meeting still open, reviewed first.
        rows.actions(cases, police(rows.cast), agreed_at=rows.now - datetime.timedelta(days=60))

    return grow


def test_running_a_meeting_is_flat_and_reviews_only_its_own_cases_actions(cast):
    rows = Rows(cast)
    meeting = rows.meeting(D(2026, 12, 9))
    url = reverse("proceedings:meeting", args=[meeting.pk])
    assert_flat(client_for(cast.coordinator), url, _heard_with_actions(rows, meeting))
    elsewhere = rows.cases(1)  # a case of the same area not on this meeting
    rows.actions(elsewhere, police(cast), agreed_at=rows.now - datetime.timedelta(days=60))
    outstanding = _get(client_for(cast.coordinator), url).context["outstanding"]
    on_the_list = set(meeting.listings.values_list("case_id", flat=True))
    assert len(outstanding) == 30
    assert {item["action"].case_id for item in outstanding} <= on_the_list


def test_the_minutes_are_flat(cast):
    rows = Rows(cast)
    meeting = rows.meeting(D(2026, 12, 9))
    url = reverse("proceedings:minutes", args=[meeting.pk])
    MeetingRecord.objects.create(meeting=meeting)
    assert_flat(client_for(cast.coordinator), url, _heard_with_actions(rows, meeting))
    doc = _get(client_for(cast.coordinator), url).context["doc"]
    assert len(doc.cases) == 30
    assert all(len(case.actions) == 1 for case in doc.cases)


def _events(rows: Rows, actor, case: Case) -> Callable[[int], object]:  # type: ignore[no-untyped-def]
    def grow(count: int) -> None:
        for _ in range(count):
            audit_record(action="case.view", actor=actor, obj=case)

    return grow


def test_the_audit_reports_are_flat_and_paginated(cast):
    rows = Rows(cast)
    client = client_for(cast.coordinator)
    user_url = reverse("audit:user")
    query = {"user": str(cast.police_rep.pk)}
    grow = _events(rows, cast.police_rep, cast.case_a)
    assert_flat(client, user_url, grow, query)
    shown = _get(client, user_url, query).context["page"].paginator.count
    grow(51 - shown)
    assert_two_pages(client, user_url, query)
    case_url = reverse("audit:case")
    assert_flat(client, case_url, grow, {"reference": cast.case_a.reference})
