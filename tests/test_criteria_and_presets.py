"""Referral criteria per area policy, and the presets' values from the protocols."""

from __future__ import annotations

import pytest

from openmarac.checklists.services import checklists_load, current_checklist
from openmarac.partnerships.models import AreaPolicy
from openmarac.partnerships.presets import PRESETS
from openmarac.partnerships.services import partnership_create_from_preset
from openmarac.referrals.criteria import criteria_met, evaluate

pytestmark = pytest.mark.django_db


def policy_of(preset: str, area_code: str | None = None) -> AreaPolicy:
    partnership = partnership_create_from_preset(
        preset=preset, official_email_domains=["example.org"], hub_email="hub@example.org"
    )
    areas = partnership.areas.all()
    return (areas.get(code=area_code) if area_code else areas.first()).policy


def answers(
    yes: int = 0, *, incidents: int = 0, crimes: int = 0, level: str = "", **reasons: str
) -> dict:
    return {
        "checklist-answers": {**{f"q{i}": "yes" for i in range(1, yes + 1)}, "level": level},
        "incidents": {"incidents": incidents, "crimes": crimes},
        "reasons": {"professional_judgement": "no", "repeat": "no", **reasons},
        "handling": {"transfer_in": "no"},
    }


def met(policy, slug="dash-ric", **kw) -> list[str]:
    checklists_load()
    return criteria_met(
        evaluate(policy=policy, definition=current_checklist(slug), answers=answers(**kw))
    )


@pytest.mark.parametrize(
    ("preset", "threshold"),
    [("kent-medway", 14), ("lincolnshire", 14), ("gwent", 14), ("cambridgeshire-peterborough", 17)],
)
def test_visible_high_risk_starts_at_the_areas_dash_threshold(preset, threshold):
    policy = policy_of(preset)
    assert "visible_high_risk" not in met(policy, yes=threshold - 1)
    assert "visible_high_risk" in met(policy, yes=threshold)


def test_kent_police_dash_threshold_is_sixteen():
    policy = policy_of("kent-medway")
    assert "visible_high_risk" not in met(policy, "police-dash", yes=15)
    assert "visible_high_risk" in met(policy, "police-dash", yes=16)


def test_dara_counts_as_a_level_not_a_score():
    policy = policy_of("cambridgeshire-peterborough")
    assert "visible_high_risk" not in met(policy, "dara", level="medium")
    assert "visible_high_risk" in met(policy, "dara", level="high")


def test_a_checklist_the_area_does_not_accept_meets_nothing():
    policy = policy_of("gwent")  # Gwent accepts the Dash RIC only
    assert met(policy, "police-dash", yes=27) == []


def test_gwent_escalation_is_five_incidents_or_three_crimes_in_twelve_months():
    policy = policy_of("gwent")
    assert "potential_escalation" not in met(policy, incidents=4, crimes=2)
    assert "potential_escalation" in met(policy, incidents=5, crimes=0)
    assert "potential_escalation" in met(policy, incidents=3, crimes=3)


def test_old_kent_police_escalation_needs_five_incidents_and_two_crimes():
    policy = policy_of("kent-police-guide")
    assert "potential_escalation" not in met(policy, "specss-plus", incidents=6, crimes=1)
    assert "potential_escalation" in met(policy, "specss-plus", incidents=5, crimes=2)


def test_kent_escalation_is_three_events_in_six_months():
    policy = policy_of("kent-medway")
    assert policy.escalation_window_months == 6
    assert "potential_escalation" in met(policy, incidents=3)


def test_professional_judgement_needs_its_rationale():
    policy = policy_of("kent-medway")
    assert "professional_judgement" not in met(policy, professional_judgement="yes")
    assert "professional_judgement" in met(
        policy, professional_judgement="yes", judgement_rationale="Threats to kill"
    )


def test_every_dvds_disclosure_is_a_criterion_in_gwent_only():
    assert "dvds_disclosure" in met(policy_of("gwent"), dvds="yes")
    assert "dvds_disclosure" not in met(policy_of("kent-medway"), dvds="yes")


def test_transfers_in_are_always_eligible():
    checklists_load()
    policy = policy_of("cambridgeshire-peterborough")
    data = answers()
    data["handling"]["transfer_in"] = "yes"
    assert criteria_met(evaluate(policy=policy, definition=None, answers=data)) == ["transfer_in"]


def test_every_preset_builds_a_partnership():
    for name, spec in PRESETS.items():
        partnership = partnership_create_from_preset(
            preset=name,
            name=f"{name} test",
            official_email_domains=["example.org"],
            hub_email="h@example.org",
        )
        assert partnership.areas.count() == len(spec["areas"])


def test_preset_values_follow_the_protocols():
    kent = policy_of("kent-medway", "MED")
    assert (
        kent.cadence,
        kent.repeat_from,
        kent.research_due_working_days,
        kent.online_action_planning,
    ) == (
        "fortnightly",
        "referral",
        5,
        True,
    )
    lincs = policy_of("lincolnshire")
    assert lincs.approval_before_submission
    assert (lincs.meeting_days, lincs.agenda_lead_days, lincs.agenda_lead_working_days) == (
        2,
        8,
        True,
    )
    assert lincs.repeat_from == "meeting"
    (lincs_rule,) = lincs.area.retention_groups.all()
    assert (lincs_rule.runs_from, lincs_rule.years_adult, lincs_rule.years_child) == (
        "closure",
        25,
        75,
    )
    cambs = policy_of("cambridgeshire-peterborough", "CAM")
    assert (cambs.max_cases_per_meeting, cambs.minutes_per_case, cambs.meeting_weekdays) == (
        9,
        20,
        [2, 4],
    )
    (cambs_rule,) = cambs.area.retention_groups.all()
    assert (cambs_rule.runs_from, cambs_rule.years_adult, cambs_rule.years_child) == (
        "last_referral",
        7,
        7,
    )
    gwent = policy_of("gwent", "NEW")
    assert (
        gwent.minutes_per_case,
        gwent.minutes_per_case_with_children,
        gwent.agenda_lead_days,
    ) == (10, 15, 5)
    assert gwent.area.partnership.nation == "WLS"


def test_an_installer_creates_the_partnership_from_a_preset_once():
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command(
        "create_partnership",
        "--preset",
        "gwent",
        "--domain",
        "gwent.example.org",
        "--hub-email",
        "hub@gwent.example.org",
        stdout=out,
    )
    assert "Blaenau Gwent" in out.getvalue()
    with pytest.raises(CommandError):
        call_command(
            "create_partnership",
            "--preset",
            "gwent",
            "--domain",
            "x.example.org",
            "--hub-email",
            "hub@x.example.org",
            stdout=out,
        )
