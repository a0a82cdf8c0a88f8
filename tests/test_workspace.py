"""Each role's home as a work list (issue 16) and the grouped menu."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from openmarac.actions.models import Action, ActionStatus
from openmarac.core.workdays import calendar_for
from openmarac.emergencies.services import emergency_refuse, emergency_request
from openmarac.referrals.models import Referral, ReferralStatus
from openmarac.referrals.selectors import email_index
from openmarac.triage.selectors import triage_queue
from openmarac.triage.sla import SlaState, sla_clock
from openmarac.workspace.selectors import home_items, work_for
from openmarac.workspace.selectors.clock import arrived_by, near_deadline, past_deadline

from .conftest import TEST_NOW, client_for
from .referral_helpers import verified_referrer

STAFF = ["coordinator", "chair", "police_rep", "housing_rep", "invited_rep"]
COUNT = re.compile(r'data-work="([a-z-]+)"[^>]*>.*?data-count="(\d+)"', re.S)


def _home_counts(client) -> dict[str, int]:
    response = client.get(reverse("workspace:home"))
    assert response.status_code == 200
    return {slug: int(n) for slug, n in COUNT.findall(response.content.decode())}


def _rows_on_list(client, slug: str) -> int:
    """Every row of the list, through all its pages."""
    total, url = 0, reverse("workspace:list", args=[slug])
    while url:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        total += html.count("data-row")
        following = re.search(r'href="(\?page=\d+)" rel="next"', html)
        url = reverse("workspace:list", args=[slug]) + following.group(1) if following else ""
    return total


def _referrals(cast, count: int, *, start: datetime.datetime) -> None:
    """``count`` referrals waiting at the hub, one an hour from ``start``."""
    Referral.objects.bulk_create(
        Referral(
            partnership=cast.partnership,
            area=cast.area_a,
            referrer_email="worker@example.org",
            referrer_email_index=email_index("worker@example.org"),
            status=ReferralStatus.SUBMITTED,
            submitted_at=start + datetime.timedelta(hours=n),
        )
        for n in range(count)
    )


def _overdue_actions(cast, count: int) -> None:
    model = Action.objects.filter(status=ActionStatus.AGREED).first()
    for _ in range(count):
        model.pk = None
        model.public_id = uuid.uuid4()
        model.due_on = datetime.date(2026, 11, 2)
        model.save()


@pytest.mark.django_db
@pytest.mark.parametrize("name", STAFF)
def test_every_count_on_the_home_equals_the_rows_of_the_list_it_opens(cast, name):
    _referrals(cast, 4, start=TEST_NOW - datetime.timedelta(days=10))
    _overdue_actions(cast, 2)
    client = client_for(cast.user(name))
    counts = _home_counts(client)
    assert counts, "the home shows the role's work"
    for slug, count in counts.items():
        if slug == "reports":
            continue
        assert _rows_on_list(client, slug) == count, slug


def test_the_hub_home_lists_the_hubs_work_with_real_counts(cast):
    _referrals(cast, 4, start=TEST_NOW - datetime.timedelta(days=10))
    counts = _home_counts(client_for(cast.coordinator))
    assert counts["triage-past-deadline"] >= 4
    assert {
        "triage-near-deadline",
        "returned-referrals",
        "agendas-to-publish",
        "research-late",
        "minutes-to-publish",
        "actions-overdue",
        "licence-requests",
        "licence-reviews",
        "retention-due",
    } <= set(counts)


def test_each_role_sees_its_own_work_and_no_one_elses(cast):
    assert set(_home_counts(client_for(cast.chair))) == {
        "minutes-to-approve",
        "sections-to-approve",
        "emergency-requests",
        "emergency-meetings",
        "complex-cases",
    }
    assert set(_home_counts(client_for(cast.police_rep))) == {
        "research-requested",
        "agency-actions-overdue",
        "agency-actions-due",
        "meetings-next",
    }
    # Another role's list is not found, and says nothing of its rows.
    response = client_for(cast.police_rep).get(
        reverse("workspace:list", args=["triage-past-deadline"])
    )
    assert response.status_code == 404


def test_a_chair_who_decides_emergency_marac_requests_sees_them_waiting(cast):
    """Gwent (004 §4.12): the chair decides; the request is on the chair's home until then."""
    client = client_for(cast.chair)
    assert _home_counts(client)["emergency-requests"] == 0
    asked = emergency_request(
        case=cast.case_a,
        reason="Threats to kill since the referral",
        actor=cast.coordinator,
        request=None,
    )
    # Where the MARAC manager decides, the request is not the chair's work.
    assert _home_counts(client)["emergency-requests"] == 0
    cast.area_a.policy.emergency_decided_by = "chair"
    cast.area_a.policy.save()
    assert _home_counts(client)["emergency-requests"] == 1
    page = client.get(reverse("workspace:list", args=["emergency-requests"])).content.decode()
    assert reverse("emergencies:detail", args=[asked.public_id]) in page
    assert "Threats to kill" not in page
    emergency_refuse(asked=asked, note="Not urgent", actor=cast.chair, request=None)
    assert _home_counts(client)["emergency-requests"] == 0


def test_rows_open_the_place_to_act(cast):
    _overdue_actions(cast, 1)
    html = (
        client_for(cast.coordinator)
        .get(reverse("workspace:list", args=["actions-overdue"]))
        .content.decode()
    )
    action = Action.objects.filter(due_on=datetime.date(2026, 11, 2)).first()
    assert reverse("actions:detail", args=[action.public_id]) in html
    assert "working days overdue" in html


def test_a_lead_who_works_no_cases_goes_to_the_reports_dashboard(cast):
    response = client_for(cast.lead).get(reverse("workspace:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard")


def test_a_lead_who_also_works_cases_gets_a_card_to_the_dashboard(cast):
    cast.chair.is_partnership_lead = True
    cast.chair.save()
    html = client_for(cast.chair).get(reverse("workspace:home")).content.decode()
    assert 'data-work="reports"' in html
    assert reverse("reports:dashboard") in html


def test_visitors_see_how_to_refer_and_a_referrer_their_referrals_by_state(cast):
    html = client_for(None).get(reverse("workspace:home")).content.decode()
    assert "Make a referral" in html
    client = verified_referrer("worker@example.org")
    _referrals(cast, 3, start=TEST_NOW - datetime.timedelta(hours=2))
    html = client.get(reverse("workspace:home")).content.decode()
    mine = Referral.objects.filter(referrer_email_index=email_index("worker@example.org"))
    counts = [int(n) for n in re.findall(r'data-count="(\d+)"', html)]
    assert sum(counts) == mine.count() >= 3
    # The card opens the referrer's list: one table row per referral, under its header row.
    rows = client.get(reverse("referrals:mine")).content.decode()
    assert rows.count('<tr class="govuk-table__row">') - 1 == sum(counts)
    assert reverse("referrals:mine") in html


def test_the_triage_clock_in_the_database_agrees_with_each_referrals_clock(cast):
    # Arrivals every three hours over a fortnight, across two weekends.
    for hours in range(0, 24 * 14, 3):
        _referrals(cast, 1, start=TEST_NOW - datetime.timedelta(hours=hours))
    now = timezone.now()
    waiting = triage_queue(cast.coordinator)
    past = set(past_deadline(waiting, now=now).values_list("pk", flat=True))
    near = set(near_deadline(waiting, now=now).values_list("pk", flat=True))
    for referral in waiting:
        state = sla_clock(referral, now=now).state
        assert (referral.pk in past) == (state == SlaState.OVERDUE), referral.submitted_at
        assert (referral.pk in near) == (state == SlaState.DUE_SOON), referral.submitted_at
    assert past
    assert near


def test_arrived_by_counts_back_over_a_weekend(cast):
    calendar = calendar_for(cast.partnership)
    # Monday 10:00 less 24 working hours: Friday 10:00, the weekend not counted.
    assert arrived_by(calendar, now=TEST_NOW, hours=24) == TEST_NOW - datetime.timedelta(days=3)


def _home_queries(cast, client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("workspace:home")).status_code == 200
    return len(captured)


def _list_queries(client, slug: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("workspace:list", args=[slug])).status_code == 200
    return len(captured)


def test_the_home_and_its_lists_take_as_many_queries_for_3_rows_as_for_30(cast):
    client = client_for(cast.coordinator)
    start = TEST_NOW - datetime.timedelta(days=20)
    _referrals(cast, 3, start=start)
    _overdue_actions(cast, 3)
    client.get(reverse("workspace:home"))  # warm the session
    few = (
        _home_queries(cast, client),
        _list_queries(client, "triage-past-deadline"),
        _list_queries(client, "actions-overdue"),
    )
    _referrals(cast, 27, start=start + datetime.timedelta(hours=5))
    _overdue_actions(cast, 27)
    many = (
        _home_queries(cast, client),
        _list_queries(client, "triage-past-deadline"),
        _list_queries(client, "actions-overdue"),
    )
    assert few == many
    counts = {
        i.work.slug: i.count for i in home_items(work_for(cast.coordinator, now=timezone.now()))
    }
    assert counts["triage-past-deadline"] >= 30


def test_the_home_and_lists_are_audited(cast):
    from openmarac.audit.models import AuditEvent

    client = client_for(cast.coordinator)
    client.get(reverse("workspace:home"))
    client.get(reverse("workspace:list", args=["actions-overdue"]))
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"home.view", "work_list.view"} <= actions


# --- The menu ---------------------------------------------------------------------------------

# Who saw which link before the menu was grouped: the grouping keeps exactly these (with the
# emergency MARACs for the hub and chairs, and the IDVA service's contacts for the hub).
LINKS = {
    "coordinator": {
        "triage:queue", "partnerships:area_list", "accounts:hub_accounts", "agencies:list",
        "licences:hub_list", "caseaccess:index", "audit:index", "cases:list",
        "triage:complex_cases", "meetings:calendar", "actions:manager", "proceedings:index",
        "reports:dashboard", "retention:queue", "retention:archive", "disclosure:sar_list",
        "disclosure:court_list", "letters:templates", "accounts:security", "emergencies:list",
        "idva:contacts",
    },
    "chair": {
        "cases:list", "triage:complex_cases", "meetings:calendar", "actions:manager",
        "proceedings:index", "reports:dashboard", "accounts:security", "emergencies:list",
    },
    "police_rep": {
        "cases:list", "actions:manager", "proceedings:index", "research:mine",
        "referrals:approval_list", "licences:mine", "accounts:security",
    },
    "housing_rep": {
        "cases:list", "actions:manager", "proceedings:index", "research:mine", "accounts:security",
    },
    "invited_rep": {
        "cases:list", "actions:manager", "proceedings:index", "research:mine", "accounts:security",
    },
    "lead": {"reports:dashboard", "accounts:security"},
}  # fmt: skip

NAV = re.compile(r'<nav aria-label="Main menu".*?</nav>', re.S)


@pytest.mark.parametrize("name", sorted(LINKS))
def test_each_role_sees_the_same_links_as_before_in_the_menu(cast, name):
    client = client_for(cast.user(name))
    response = client.get(reverse("accounts:security"))
    assert {name for _, name in response.context["nav_items"]} == LINKS[name]
    menu = NAV.search(response.content.decode()).group(0)
    assert set(re.findall(r'href="([^"]+)"', menu)) == {reverse(n) for n in LINKS[name]}


def test_the_menu_is_grouped_by_task(cast):
    html = client_for(cast.coordinator).get(reverse("accounts:security")).content.decode()
    menu = NAV.search(html).group(0)
    labels = re.findall(r'class="om-nav-group__label"[^>]*>([^<]+)<', menu)
    assert labels == ["Work", "Records", "Administration"]
    work = menu[menu.index(">Work<") : menu.index(">Records<")]
    for label in ["Triage queue", "Meetings", "Actions", "Minutes"]:
        assert f">{label}<" in work


@pytest.mark.parametrize(
    ("url", "current"),
    [
        ("/hub/triage/", "Triage queue"),
        ("/meetings/proceedings/", "Minutes"),  # not Meetings, whose address starts it
        ("/meetings/", "Meetings"),
        ("/hub/licences/register/", "Licences"),
        ("/accounts/security/", "Your account"),
    ],
)
def test_the_current_section_is_marked_in_the_menu(cast, url, current):
    html = client_for(cast.coordinator).get(url).content.decode()
    menu = NAV.search(html).group(0)
    marked = re.findall(r'aria-current="page"><strong[^>]*>([^<]+)<', menu)
    assert marked == [current]


def test_no_menu_link_is_marked_where_no_section_matches(cast):
    html = client_for(cast.coordinator).get(reverse("workspace:home")).content.decode()
    assert 'aria-current="page"' not in NAV.search(html).group(0)
