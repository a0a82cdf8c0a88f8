"""The reports count the known half-year of ``reports_scenario`` exactly: every figure of each
area and of the partnership, for two quarters and for one meeting; frozen figures survive what
happens to the records after; small numbers are withheld at the threshold and not a count past.

Run on SQLite by default and on PostgreSQL with ``DATABASE_URL``: the counting is the database's.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest

from openmarac.agencies.models import Sector
from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.people.services import person_merge
from openmarac.reports import periods
from openmarac.reports.catalogue import BY_KEY, FIGURES, SAFELIVES_PATTERN
from openmarac.reports.counting import Scope
from openmarac.reports.facts import age_band, age_on, relationship_code
from openmarac.reports.figures import Figures, figures_for
from openmarac.reports.models import AreaPopulation, FrozenFigures, HearingFact, ReferralFact
from openmarac.reports.selectors import meeting_scope, scope_for
from openmarac.reports.services import figures_freeze, settled_figures_freeze
from openmarac.reports.suppression import cells_for
from tests.conftest import client_for
from tests.reports_scenario import at, build

Q2, Q3 = periods.quarter(2026, 2), periods.quarter(2026, 3)

NORTH_Q2 = {
    "hearings": 2,
    "cases_heard": 2,
    "children_in_households": 2,
    "children_in_households_of_cases": 2,
    "hearings_referred_by_police": 1,
    "hearings_referred_by_idva": 1,
    "safelives_hearings_police": 1,
    "safelives_hearings_idva": 1,
    "victims_female": 1,
    "victims_male": 1,
    "victims_age_16_17": 1,
    "victims_age_35_44": 1,
    "victims_minoritised": 1,
    "victims_white": 1,
    "victims_lgbt": 1,
    "victims_not_lgbt": 1,
    "victims_disabled": 1,
    "victims_not_disabled": 1,
    "perpetrators_under_18": 1,
    "relationship_ex_partner": 1,
    "relationship_family": 1,
    "repeat_victimisation_12m": 1,
    "referrals_received": 4,
    "referrals_received_police": 2,
    "referrals_received_idva": 1,
    "referrals_received_housing": 1,
    "referrals_received_criterion_visible_high_risk": 4,
    "referrals_victimless": 1,
    "triage_decided": 4,
    "triage_on_time": 3,
    "referrals_accepted": 2,
    "referrals_accepted_police": 1,
    "referrals_accepted_idva": 1,
    "referrals_accepted_criterion_visible_high_risk": 2,
    "referrals_returned": 1,
    "referrals_returned_housing": 1,
    "referrals_returned_criterion_visible_high_risk": 1,
    "referrals_lapsed": 1,
    "referrals_lapsed_housing": 1,
    "referrals_lapsed_criterion_visible_high_risk": 1,
    "referrals_declined": 1,
    "referrals_declined_police": 1,
    "referrals_declined_criterion_visible_high_risk": 1,
    "referrals_declined_threshold": 1,
    "actions_set": 3,
    "actions_completed": 1,
    "actions_not_feasible": 1,
    "actions_open": 1,
    "actions_overdue": 1,
    "actions_no_update": 1,
    "research_requested": 8,
    "research_on_time": 2,
    "meetings_held": 1,
    "agendas_on_time": 1,
    "minutes_due": 1,
    "minutes_on_time": 1,
    "actions_sent_on_time": 1,
    "attendances": 2,
    "apologies": 1,
    "hearings_referred_by_police_percent": 50.0,
    "victims_male_percent": 50.0,
    "victims_age_16_17_percent": 50.0,
    "victims_minoritised_percent": 50.0,
    "victims_lgbt_percent": 50.0,
    "victims_disabled_percent": 50.0,
    "triage_on_time_percent": 75.0,
    "research_on_time_percent": 25.0,
    "repeat_victimisation_12m_percent": 50.0,
    # 2 hearings in 91 days, a year's worth per 10,000 of North Kent's 50,000 women.
    "cases_per_10000_women": 1.6,
}
NORTH_Q3 = {
    "hearings": 2,
    "cases_heard": 2,
    "repeat_hearings": 1,
    "repeat_cases": 1,
    "children_in_households": 1,
    "children_in_households_of_cases": 1,
    "hearings_referred_by_police": 1,
    "hearings_referred_by_idva": 1,
    "safelives_hearings_police": 1,
    "safelives_hearings_idva": 1,
    "victims_female": 1,
    "victims_male": 1,
    "victims_age_16_17": 1,
    "victims_age_35_44": 1,
    "victims_minoritised": 1,
    "victims_white": 1,
    "victims_lgbt": 1,
    "victims_not_lgbt": 1,
    "victims_disabled": 1,
    "victims_not_disabled": 1,
    "perpetrators_under_18": 1,
    "relationship_ex_partner": 1,
    "relationship_family": 1,
    "referrals_received": 1,
    "referrals_received_police": 1,
    "referrals_received_criterion_visible_high_risk": 1,
    "triage_decided": 1,
    "triage_on_time": 1,
    "referrals_accepted": 1,
    "referrals_accepted_police": 1,
    "referrals_accepted_criterion_visible_high_risk": 1,
    "transfers_out": 1,
    "meetings_held": 1,
    "minutes_due": 1,
    "attendances": 1,
    "repeat_rate": 50.0,
    "repeat_case_rate": 50.0,
    "hearings_referred_by_police_percent": 50.0,
    "victims_male_percent": 50.0,
    "victims_age_16_17_percent": 50.0,
    "victims_minoritised_percent": 50.0,
    "victims_lgbt_percent": 50.0,
    "victims_disabled_percent": 50.0,
    "triage_on_time_percent": 100.0,
    "cases_per_10000_women": 1.6,  # 2 hearings in 92 days
}
WEST_Q3 = {
    "hearings": 1,
    "cases_heard": 1,
    "children_in_households": 1,
    "children_in_households_of_cases": 1,
    "hearings_referred_by_health": 1,
    "safelives_hearings_other": 1,
    "victims_female": 1,
    "victims_age_45_54": 1,
    "victims_minoritised": 1,
    "victims_lgbt_not_known": 1,
    "victims_disability_not_known": 1,
    "relationship_partner": 1,
    "referrals_received": 1,
    "referrals_received_health": 1,
    "referrals_received_criterion_visible_high_risk": 1,
    "referrals_received_criterion_transfer_in": 1,
    "transfers_in": 1,
    "triage_decided": 1,
    "triage_on_time": 1,
    "referrals_accepted": 1,
    "referrals_accepted_health": 1,
    "referrals_accepted_criterion_visible_high_risk": 1,
    "referrals_accepted_criterion_transfer_in": 1,
    "meetings_held": 1,
    "minutes_due": 1,
    "minutes_on_time": 1,
    "actions_sent_on_time": 1,
    "attendances": 1,
    "victims_minoritised_percent": 100.0,
    "triage_on_time_percent": 100.0,
}
# The two areas' sums, but for what is counted once per case, per share or per rate.
ALL_Q3 = {
    "hearings": 3,
    "cases_heard": 3,
    "repeat_hearings": 1,
    "repeat_cases": 1,
    "children_in_households": 2,
    "children_in_households_of_cases": 2,
    "hearings_referred_by_police": 1,
    "hearings_referred_by_idva": 1,
    "hearings_referred_by_health": 1,
    "safelives_hearings_police": 1,
    "safelives_hearings_idva": 1,
    "safelives_hearings_other": 1,
    "victims_female": 2,
    "victims_male": 1,
    "victims_age_16_17": 1,
    "victims_age_35_44": 1,
    "victims_age_45_54": 1,
    "victims_minoritised": 2,
    "victims_white": 1,
    "victims_lgbt": 1,
    "victims_not_lgbt": 1,
    "victims_lgbt_not_known": 1,
    "victims_disabled": 1,
    "victims_not_disabled": 1,
    "victims_disability_not_known": 1,
    "perpetrators_under_18": 1,
    "relationship_partner": 1,
    "relationship_ex_partner": 1,
    "relationship_family": 1,
    "referrals_received": 2,
    "referrals_received_police": 1,
    "referrals_received_health": 1,
    "referrals_received_criterion_visible_high_risk": 2,
    "referrals_received_criterion_transfer_in": 1,
    "transfers_in": 1,
    "triage_decided": 2,
    "triage_on_time": 2,
    "referrals_accepted": 2,
    "referrals_accepted_police": 1,
    "referrals_accepted_health": 1,
    "referrals_accepted_criterion_visible_high_risk": 2,
    "referrals_accepted_criterion_transfer_in": 1,
    "transfers_out": 1,
    "meetings_held": 2,
    "minutes_due": 2,
    "minutes_on_time": 1,
    "actions_sent_on_time": 1,
    "attendances": 2,
    "repeat_rate": 33.3,
    "repeat_case_rate": 33.3,
    "hearings_referred_by_police_percent": 33.3,
    "victims_male_percent": 33.3,
    "victims_age_16_17_percent": 33.3,
    "victims_minoritised_percent": 66.7,
    "victims_lgbt_percent": 33.3,
    "victims_disabled_percent": 33.3,
    "triage_on_time_percent": 100.0,
}
ALL_Q2 = {key: value for key, value in NORTH_Q2.items() if key != "cases_per_10000_women"}


def _documented(key: str) -> bool:
    return key in BY_KEY or key.startswith("safelives_hearings_")


def _non_zero(figures: Figures) -> dict[str, Any]:
    """Every figure that is not nought or empty, after checking each is a documented figure and
    that every documented figure was counted."""
    values = figures.values
    assert all(_documented(key) for key in values), sorted(k for k in values if not _documented(k))
    every = {figure.key for figure in FIGURES if figure.key != SAFELIVES_PATTERN}
    wanted = (
        every
        if not figures.scope.meeting_id
        else {
            figure.key
            for figure in FIGURES
            if figure.per_meeting and figure.key != SAFELIVES_PATTERN
        }
    )
    assert wanted <= set(values), sorted(wanted - set(values))
    return {key: value for key, value in values.items() if value not in (0, None)}


@pytest.fixture
def scenario(cast):
    built = build(cast)
    AreaPopulation.objects.create(area=cast.area_a, women_16_plus=50_000, source="Census 2021")
    return built


def test_every_figure_of_each_area_and_of_the_partnership_for_two_quarters(cast, scenario):
    lead = cast.lead
    assert _non_zero(figures_for(scope_for(lead, area=cast.area_a, period=Q2))) == NORTH_Q2
    assert _non_zero(figures_for(scope_for(lead, area=cast.area_a, period=Q3))) == NORTH_Q3
    assert _non_zero(figures_for(scope_for(lead, area=cast.area_b, period=Q2))) == {}
    assert _non_zero(figures_for(scope_for(lead, area=cast.area_b, period=Q3))) == WEST_Q3
    # Every area: the other areas have no population, so no rate per 10,000 women.
    everyone = figures_for(scope_for(lead, area=None, period=Q2))
    assert everyone.scope.all_areas
    assert _non_zero(everyone) == ALL_Q2
    assert _non_zero(figures_for(scope_for(lead, area=None, period=Q3))) == ALL_Q3
    # The half-year counts R1's case once as a case and twice as a hearing.
    half = figures_for(scope_for(lead, area=cast.area_a, period=periods.days(Q2.start, Q3.end)))
    assert (half["hearings"], half["cases_heard"], half["repeat_cases"]) == (4, 2, 1)
    assert half["children_in_households"] == 3  # 2 in May, then 1 in July (R5's one child)
    assert half["children_in_households_of_cases"] == 1  # each case's latest hearing: 1 + 0


def test_the_tables_by_agency(cast, scenario):
    north = figures_for(scope_for(cast.lead, area=cast.area_a, period=Q2))
    assert north.tables["attendance_by_agency"] == [
        {
            "agency": "Example Children's Services",
            "expected": 1,
            "attended": 0,
            "apologies": 1,
            "in_writing": 1,
            "missed": 0,
        },
        {
            "agency": "Example Constabulary",
            "expected": 1,
            "attended": 1,
            "apologies": 0,
            "in_writing": 0,
            "missed": 0,
        },
        {
            "agency": "Example Health Trust",
            "expected": 1,
            "attended": 0,
            "apologies": 0,
            "in_writing": 0,
            "missed": 1,
        },
        {
            "agency": "Example IDVA Service",
            "expected": 1,
            "attended": 1,
            "apologies": 0,
            "in_writing": 0,
            "missed": 0,
        },
    ]
    assert north.tables["research_by_agency"] == [
        {"agency": "Example Children's Services", "requested": 2, "on_time": 0},
        {"agency": "Example Constabulary", "requested": 2, "on_time": 2},
        {"agency": "Example Health Trust", "requested": 2, "on_time": 0},
        {"agency": "Example IDVA Service", "requested": 2, "on_time": 0},
    ]
    closed = {"actions_open": 0, "actions_overdue": 0, "actions_no_update": 0}
    assert north.tables["actions_by_agency"] == [
        {
            "agency": "Example Children's Services",
            "actions_set": 1,
            "actions_completed": 0,
            "actions_not_feasible": 1,
            **closed,
        },
        {
            "agency": "Example Constabulary",
            "actions_set": 1,
            "actions_completed": 1,
            "actions_not_feasible": 0,
            **closed,
        },
        {
            "agency": "Example IDVA Service",
            "actions_set": 1,
            "actions_completed": 0,
            "actions_not_feasible": 0,
            "actions_open": 1,
            "actions_overdue": 1,
            "actions_no_update": 1,
        },
    ]


def test_a_meetings_figures_leave_out_equality(cast, scenario):
    may = scenario.meetings["may"]
    figures = figures_for(meeting_scope(may, periods.meeting_day(may.starts_on)))
    assert _non_zero(figures) == {
        "hearings": 2,
        "cases_heard": 2,
        "children_in_households": 2,
        "hearings_referred_by_police": 1,
        "hearings_referred_by_idva": 1,
        "safelives_hearings_police": 1,
        "safelives_hearings_idva": 1,
        "hearings_referred_by_police_percent": 50.0,
        "meetings_held": 1,
        "agendas_on_time": 1,
        "minutes_due": 1,
        "minutes_on_time": 1,
        "actions_sent_on_time": 1,
        "attendances": 2,
        "apologies": 1,
    }
    assert not any(key.startswith(("victims_", "relationship_")) for key in figures.values)


def test_the_same_quarter_gives_the_same_return_after_records_change(cast, scenario):
    """Frozen figures never change; and even before freezing, the facts keep what a referral said
    when people are merged and a case moves area."""
    scope = scope_for(cast.lead, area=cast.area_a, period=Q2)
    figures_freeze(scope=scope, actor=cast.coordinator)
    one, two = scenario.cases["one"], scenario.cases["two"]
    victim_one = CaseParticipant.objects.get(case=one, role=ParticipantRole.VICTIM).person
    victim_two = CaseParticipant.objects.get(case=two, role=ParticipantRole.VICTIM).person
    person_merge(kept=victim_one, merged=victim_two, actor=cast.coordinator, reason="Same person")
    Case.objects.filter(pk=two.pk).update(area=cast.area_b)
    frozen = figures_for(scope)
    assert frozen.frozen_at is not None
    page = client_for(cast.lead).get("/reports/return/", {"area": "NK", "period": "2026Q2"})
    assert "These figures were frozen on 23 November 2026" in page.content.decode()
    assert _non_zero(frozen) == NORTH_Q2
    # Unfrozen, the partnership's quarter is counted again now, from the same facts.
    assert _non_zero(figures_for(scope_for(cast.lead, area=None, period=Q2))) == ALL_Q2
    # Records disposed of: the facts go with them, the frozen counts stay.
    ReferralFact.objects.all().delete()
    HearingFact.objects.all().delete()
    assert _non_zero(figures_for(scope, refresh=False)) == NORTH_Q2
    assert FrozenFigures.objects.get(scope_key=scope.key).figures["hearings"] == 2


def test_the_sweep_freezes_settled_quarters_and_meetings_once(cast, scenario):
    from openmarac.partnerships.models import Partnership

    Partnership.objects.filter(pk=cast.partnership.pk).update(created_at=at("2026-01-05"))
    areas = cast.partnership.areas.count()
    # On 23 November 2026 with 42 days to settle: Q1, Q2 and Q3 are settled (Q3 ended 30 Sept),
    # for every area and for all of them, and the three meetings held on or before 12 October.
    assert settled_figures_freeze(now=at("2026-11-23")) == 3 * (areas + 1) + 3
    assert settled_figures_freeze(now=at("2026-11-23")) == 0
    frozen = FrozenFigures.objects.get(scope_key=scope_for(cast.lead, area=None, period=Q3).key)
    assert frozen.figures["hearings"] == 3
    assert frozen.area_id is None
    assert frozen.meeting_id is None


# --- Small numbers ---------------------------------------------------------------------------


def _figures(values: dict[str, Any]) -> Figures:
    scope = Scope(partnership_id=1, area_ids=(1,), all_areas=False, period=Q2, label="Test")
    return Figures(scope=scope, values=values)


@pytest.mark.parametrize(
    ("count", "shown"), [(0, "0"), (1, "fewer than 5"), (4, "fewer than 5"), (5, "5"), (6, "6")]
)
def test_a_breakdown_is_withheld_from_1_to_one_below_the_threshold(count, shown):
    cells = cells_for(_figures({"victims_disabled": count, "referrals_received": count}), 5)
    assert cells["victims_disabled"].text == shown
    assert cells["victims_disabled"].export_value == (count if count in (0, 5, 6) else shown)
    # A total is never withheld, small or not.
    assert cells["referrals_received"].text == str(count)


def test_a_lone_small_count_takes_the_smallest_other_of_its_group_with_it():
    values = {
        "cases_heard": 40,
        "victims_female": 30,
        "victims_male": 3,
        "victims_non_binary": 0,
        "victims_other": 0,
        "victims_not_known": 7,
        "victims_male_percent": 7.5,
    }
    cells = cells_for(_figures(values), 5)
    assert cells["victims_male"].text == "fewer than 5"
    assert cells["victims_not_known"].text == "not shown"  # else 40 - 30 - 7 gives the 3 away
    assert cells["victims_female"].text == "30"
    assert cells["victims_non_binary"].text == "0"
    assert cells["victims_male_percent"].text == "not shown"
    # Two small counts cover each other: nothing more is withheld.
    two = cells_for(_figures({**values, "victims_not_known": 4, "victims_female": 33}), 5)
    assert [two[k].text for k in ("victims_female", "victims_male", "victims_not_known")] == [
        "33",
        "fewer than 5",
        "fewer than 5",
    ]


def test_the_partnerships_threshold_decides_and_the_lead_sees_no_small_count(cast, scenario):
    from openmarac.reports.figures import reporting_settings
    from tests.conftest import client_for

    body = (
        client_for(cast.lead).get("/reports/", {"area": "NK", "period": "2026Q2"}).content.decode()
    )
    for label in (
        "Male victims",
        "LGBT+ victims",
        "Disabled victims",
        "Referrals received: Police",
    ):
        shown = re.search(rf">{re.escape(label)}</a></th>\s*<td[^>]*>([^<]*)</td>", body)
        assert shown is not None, label
        assert shown.group(1) == "fewer than 5", label
    # The monthly table of referrals by sector withholds its small counts too.
    assert re.search(r">Police</th>(<td[^>]*>(fewer than 5|not shown|0)</td>)+</tr>", body)
    settings = reporting_settings(cast.partnership.pk)
    settings.suppression_threshold = 2
    settings.save()
    north = figures_for(scope_for(cast.lead, area=cast.area_a, period=Q2))
    cells = cells_for(north, 2)
    assert cells["victims_male"].text == "fewer than 2"
    assert cells["referrals_received_police"].text == "2"


# --- The rules that turn answers into codes ------------------------------------------------------


@pytest.mark.parametrize(
    ("dob", "on", "age", "band"),
    [
        ("2009-04-21", "2026-04-20", 16, "16_17"),
        ("2008-04-20", "2026-04-20", 18, "18_24"),
        ("2009", "2026-04-20", 16, "16_17"),  # the younger of 16 and 17
        ("1961-01-01", "2026-01-01", 65, "65_plus"),
        ("", "2026-01-01", None, "not_known"),
        ("19x0", "2026-01-01", None, "not_known"),
    ],
)
def test_age_on_the_day_the_referral_arrived(dob, on, age, band):
    assert age_on(dob, datetime.date.fromisoformat(on)) == age
    assert age_band(age) == band


@pytest.mark.parametrize(
    ("words", "code"),
    [
        ("Ex-partner", "ex_partner"),
        ("ex husband", "ex_partner"),
        ("Former partner", "ex_partner"),
        ("Husband", "partner"),
        ("boyfriend", "partner"),
        ("Son", "family"),
        ("Stepfather", "family"),
        ("Neighbour", "other"),
        ("", "not_known"),
    ],
)
def test_the_relationship_from_the_referrals_words(words, code):
    assert relationship_code(words) == code


def test_every_sector_has_a_safelives_category_by_default(cast):
    from openmarac.reports.figures import reporting_settings

    settings = reporting_settings(cast.partnership.pk)
    assert set(settings.safelives_categories) == set(Sector.values)


def test_population_shares_are_weighted_by_women(cast):
    from openmarac.reports.counting import population_shares

    AreaPopulation.objects.create(
        area=cast.area_a, women_16_plus=30_000, minoritised_percent=Decimal("10.0")
    )
    AreaPopulation.objects.create(
        area=cast.area_b, women_16_plus=10_000, minoritised_percent=Decimal("30.0")
    )
    scope = Scope(
        partnership_id=cast.partnership.pk,
        area_ids=(cast.area_a.pk, cast.area_b.pk),
        all_areas=False,
        period=Q2,
        label="Two",
    )
    shares = population_shares(scope)
    assert shares["minoritised_percent"] == 15.0
    assert shares["disabled_percent"] is None


def test_the_sweep_keeps_the_facts_and_a_page_then_reads_them_without_looking(cast):
    from openmarac.jobs.services import run_sweep
    from openmarac.reports.facts import facts_kept_current_by_sweep
    from tests.triage_helpers import submit_referral

    referral = submit_referral(cast.area_a, agency=cast.police_rep.agency)
    assert not facts_kept_current_by_sweep()
    run_sweep(deliver=False)
    assert ReferralFact.objects.filter(referral=referral, sector="police").exists()
    assert facts_kept_current_by_sweep()
    # With the sweep current, a page counts what the sweep wrote and looks for nothing stale.
    late = submit_referral(cast.area_a, victim=("Late", "Arrival"), agency=cast.police_rep.agency)
    quarter = periods.quarter_of(datetime.date(2026, 11, 23))
    counted = figures_for(scope_for(cast.lead, area=cast.area_a, period=quarter))
    assert not ReferralFact.objects.filter(referral=late).exists()
    assert counted["referrals_received"] == ReferralFact.objects.filter(area=cast.area_a).count()
