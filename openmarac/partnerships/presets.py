"""Ready-made settings for the five operating protocols in the seeds.

Each value cites the protocol section it comes from (see docs/presets.md); where a protocol is
silent the common default is used and the preset says so in ``notes``. A partnership created
from a preset is then edited like any other: nothing reads the preset again.
"""

from __future__ import annotations

import datetime
from typing import Any

DASH_RIC_14 = {"checklist": "dash-ric", "threshold": 14}
S_DASH = {"checklist": "s-dash", "threshold": None}

KENT_SIGNPOSTING = (
    "This referral does not meet the MARAC criteria. Liaise with your safeguarding lead to put a "
    "plan in place: resubmit a referral that identifies the risk factors more clearly, arrange a "
    "professionals' meeting, or, with the client's consent, refer to domestic abuse support "
    "services for those at medium or standard risk."
)
LINCS_SIGNPOSTING = (
    "This referral does not meet the MARAC criteria. Make sure the victim is given the details of "
    "the Lincolnshire domestic abuse specialist service and other support services, with their "
    "24-hour contact numbers."
)
GWENT_SIGNPOSTING = (
    "This referral does not meet the MARAC criteria. Do not refer only to reach an IDVA or for "
    "legal aid evidence: seek support from local specialist domestic abuse services (see the "
    "VAWDASV services directory), consider support within your own agency, or signpost to other "
    "specialist services."
)
CAMBS_SIGNPOSTING = (
    "This referral does not meet the MARAC criteria. Offer the victim local domestic abuse "
    "support services, and discuss the case with your agency's MARAC representative."
)
KENT_POLICE_SIGNPOSTING = (
    "This case is not assessed as high risk. The victim should still be offered the services of "
    "other agencies or organisations, and information shared in line with your agency's policy."
)


def _area(name: str, code: str, **policy: Any) -> dict[str, Any]:
    return {"name": name, "code": code, "policy": policy}


KENT_MONTHLY = {"cadence": "monthly", "monthly_week_of_month": 2}
KENT_COMMON = {
    "accepted_checklists": [
        DASH_RIC_14,
        {"checklist": "police-dash", "threshold": 16},
        {"checklist": "dara", "level": "high"},
        S_DASH,
    ],
    "escalation_incidents": 3,
    "escalation_crimes": None,
    "escalation_combinator": "or",
    "escalation_window_months": 6,
    "repeat_window_months": 12,
    "repeat_from": "referral",
    "approval_before_submission": False,
    "signposting_text": KENT_SIGNPOSTING,
    "agenda_lead_days": 7,
    "agenda_lead_working_days": False,
    "research_cutoff_days": 7,
    "research_due_working_days": 5,
    "triage_sla_working_hours": 24,
    "idva_contact_working_hours": 48,
    "online_action_planning": True,
    "action_planning_working_days": 5,
    "action_default_due_working_days": 5,
    "minutes_due_working_days": 10,
    # 000 §5.1: the MARAC manager decides; the meeting is held "as soon as practical" (no limit).
    "emergency_decided_by": "hub_manager",
    "emergency_within_hours": None,
    # No protocol says how early a meeting may open: a day before its date, as everywhere,
    # unless the chair confirms.
    "open_days_before": 1,
    # 000 §1.5: records follow the MoPI groups, reviewed by the hub team. Group 1 is kept until
    # the subject is 100 and reviewed every 10 years (not "10 years"); groups 2 and 3 run from
    # the last referral, since their periods are "clear periods" without a further referral.
    # MARAC cases are the highest-risk domestic abuse cases, often with child protection
    # concerns, so a new case starts in group 1 and a reviewer may move it.
    "retention_groups": [
        {
            "code": "1",
            "label": "MoPI group 1: serious violent, serious sexual, child protection",
            "runs_from": "date_of_birth",
            "years_adult": 100,
            "years_child": 100,
            "review_every_years": 10,
            "is_default": True,
        },
        {
            "code": "2",
            "label": "MoPI group 2: other violent, other sexual, drug supply",
            "runs_from": "last_referral",
            "years_adult": 10,
            "years_child": 10,
            "review_every_years": 10,
        },
        {
            "code": "3",
            "label": "MoPI group 3: acquisitive, fraud or forgery, drug possession",
            "runs_from": "last_referral",
            "years_adult": 6,
            "years_child": 6,
            "review_every_years": 5,
        },
    ],
}


def retention_group(
    label: str, runs_from: str, years_adult: int, years_child: int
) -> list[dict[str, Any]]:
    """An area with one retention rule (no review groups)."""
    return [
        {
            "code": "standard",
            "label": label,
            "runs_from": runs_from,
            "years_adult": years_adult,
            "years_child": years_child,
            "review_every_years": None,
            "is_default": True,
        }
    ]


# Where a protocol states no retention: 7 years after closure, until the partnership decides.
UNSTATED_RETENTION = retention_group(
    "Not stated in the protocol: 7 years after closure until the partnership decides",
    "closure",
    7,
    7,
)

PRESETS: dict[str, dict[str, Any]] = {
    "kent-medway": {
        "title": "Kent and Medway MARAC hub (operating protocol v1.3, 2025)",
        "partnership": {"name": "Kent and Medway MARAC Partnership", "nation": "ENG"},
        "notes": "Research within 5 working days (000 §4.2); online action planning 5 working days "
        "(§4.3); cases referred within a week of a meeting go to the next one (§4.1). Meeting "
        "weekdays are not in the protocol: set them for each area.",
        "areas": [
            _area("North Kent", "NK", meeting_weekdays=[1], **KENT_MONTHLY, **KENT_COMMON),
            _area("East Kent", "EK", meeting_weekdays=[2], **KENT_MONTHLY, **KENT_COMMON),
            _area("Mid-Kent", "MK", meeting_weekdays=[3], **KENT_MONTHLY, **KENT_COMMON),
            _area(
                "Medway",
                "MED",
                cadence="fortnightly",
                meeting_weekdays=[1],
                **KENT_COMMON,
            ),
            _area("West Kent", "WK", meeting_weekdays=[0], **KENT_MONTHLY, **KENT_COMMON),
            _area("South-East Kent", "SEK", meeting_weekdays=[4], **KENT_MONTHLY, **KENT_COMMON),
        ],
    },
    "kent-police-guide": {
        "title": "Kent Police MARAC implementation guide (earlier, paper-based)",
        "partnership": {"name": "Kent Police MARAC", "nation": "ENG"},
        "notes": "SPECSS+ risk level high (001 Insert 1); 5+ incidents including 2+ crimes in a "
        "year (001 S2 Part 1); agenda circulated 10 days before the meeting (S2 Part 2). "
        "Retention is not stated in the guide: 7 years after closure is set until the "
        "partnership decides.",
        "areas": [
            _area(
                "Kent Police MARAC",
                "KP",
                accepted_checklists=[{"checklist": "specss-plus", "level": "high"}],
                escalation_incidents=5,
                escalation_crimes=2,
                escalation_combinator="and",
                escalation_window_months=12,
                repeat_window_months=12,
                repeat_from="referral",
                signposting_text=KENT_POLICE_SIGNPOSTING,
                cadence="monthly",
                monthly_week_of_month=1,
                meeting_weekdays=[2],
                agenda_lead_days=10,
                agenda_lead_working_days=False,
                research_cutoff_days=10,
                minutes_due_working_days=1,
                minutes_per_case=15,
                minutes_per_case_with_children=15,
                # S2 Part 4: an emergency MARAC "as soon as practicable" after the co-ordinator
                # is told; the guide names no decider, so the MARAC manager decides.
                emergency_decided_by="hub_manager",
                emergency_within_hours=None,
                open_days_before=1,
                retention_groups=UNSTATED_RETENTION,
            )
        ],
    },
    "lincolnshire": {
        "title": "Lincolnshire MARAC operating protocol",
        "partnership": {"name": "Lincolnshire Domestic Abuse Partnership", "nation": "ENG"},
        "notes": "Weekly on Wednesday and Thursday, recorded as one meeting (002 §4); DMR "
        "approval before submission (§7.2); agenda 8 working days ahead (§5.5); minutes in 10 "
        "working days, actions due in 5, escalated to the representative and their line manager at "
        "5 working days overdue (§7.13); retention 25/75 years from closure (§22). The "
        "protocol states no escalation count, so escalation is judged as professional judgement.",
        "areas": [
            _area(
                "Lincolnshire MARAC",
                "LINC",
                accepted_checklists=[DASH_RIC_14, S_DASH],
                escalation_incidents=None,
                escalation_crimes=None,
                escalation_window_months=12,
                repeat_window_months=12,
                repeat_from="meeting",
                approval_before_submission=True,
                signposting_text=LINCS_SIGNPOSTING,
                cadence="weekly",
                meeting_weekdays=[2],
                meeting_days=2,
                meeting_start_time=datetime.time(9, 0),
                agenda_lead_days=8,
                agenda_lead_working_days=True,
                research_cutoff_days=8,
                research_due_working_days=5,
                flag_perpetrator=False,
                triage_sla_working_hours=24,
                # §5.7: within 48 hours, or 72 hours if accepted on a Friday.
                idva_contact_working_hours=48,
                idva_contact_friday_hours=72,
                # §7.2 note to representatives: chased twice within 2 weeks, escalated to the
                # agency's partnership member by the beginning of week 3, not processed after
                # the end of week 3.
                incomplete_chase_count=2,
                incomplete_chase_interval_working_days=4,
                incomplete_escalate_working_days=10,
                incomplete_lapse_working_days=15,
                action_default_due_working_days=5,
                action_escalation_working_days_overdue=5,
                action_escalation_response_working_hours=24,
                minutes_due_working_days=10,
                quorum_requires_chair=True,
                quorum_requires_administrator=True,
                quorum_min_statutory_agencies=5,
                quorum_required_sectors=["police", "health", "idva"],
                quorum_childrens_when_children=True,
                # §10: the DA operational lead (or business manager) decides; held within 72
                # hours of the decision; no longer than 30 minutes.
                emergency_decided_by="hub_manager",
                emergency_within_hours=72,
                emergency_slot_minutes=30,
                open_days_before=1,
                # §22: adults 25 years and children 75 years from closure, then destroyed.
                retention_groups=retention_group(
                    "Adults 25 years, children 75 years from closure (§22)", "closure", 25, 75
                ),
            )
        ],
    },
    "cambridgeshire-peterborough": {
        "title": "Cambridgeshire and Peterborough MARAC terms of reference (2026)",
        "partnership": {
            "name": "Cambridgeshire and Peterborough DASV Partnership",
            "nation": "ENG",
        },
        "notes": "DASH 17+ or DARA high; 3 incidents in 12 months; 20 minutes a case, at most 9; "
        "agenda 7 days ahead; minutes within 24 hours; 7 years from the last referral (003). "
        'Incomplete actions are marked "no update from lead agency" after a period the terms '
        "of reference do not state: 10 working days overdue is set until the partnership decides.",
        "areas": [
            _area(
                name,
                code,
                accepted_checklists=[
                    {"checklist": "dash-ric", "threshold": 17},
                    {"checklist": "dara", "level": "high"},
                ],
                escalation_incidents=3,
                escalation_crimes=None,
                escalation_window_months=12,
                repeat_window_months=12,
                repeat_from="meeting",
                signposting_text=CAMBS_SIGNPOSTING,
                cadence="weekly",
                meeting_weekdays=weekdays,
                meeting_start_time=datetime.time(9, 30),
                agenda_lead_days=7,
                agenda_lead_working_days=False,
                research_cutoff_days=7,
                minutes_per_case=20,
                minutes_per_case_with_children=20,
                max_cases_per_meeting=9,
                minutes_due_working_days=1,
                action_no_update_working_days_overdue=10,
                minutes_due_hours=24,
                # "Secure Storage of Data": seven years from the date of the last referral.
                open_days_before=1,
                retention_groups=retention_group(
                    "7 years from the last referral", "last_referral", 7, 7
                ),
            )
            for name, code, weekdays in (
                ("Peterborough MARAC", "PBO", [1]),
                ("Cambridgeshire MARAC", "CAM", [2, 4]),
            )
        ],
    },
    "gwent": {
        "title": "Gwent MARAC operating protocol (2018)",
        "partnership": {"name": "Gwent VAWDASV Partnership", "nation": "WLS"},
        "notes": "14 ticks; 5 incidents and/or 3 crimes in 12 months; every DVDS disclosure is a "
        "MARAC case; fortnightly in five local authorities; agenda 5 days ahead; 10 minutes a case, "
        "15 with children (004 §4). Retention is not stated in the protocol: 7 years after closure "
        "is set until the partnership decides.",
        "areas": [
            _area(
                name,
                code,
                accepted_checklists=[DASH_RIC_14],
                escalation_incidents=5,
                escalation_crimes=3,
                escalation_combinator="or",
                escalation_window_months=12,
                dvds_disclosure_is_criterion=True,
                repeat_window_months=12,
                # §4.2.3: within 3 months of the meeting, victim engaged: back to the IDVA only.
                repeat_idva_only_within_months=3,
                repeat_from="referral",
                signposting_text=GWENT_SIGNPOSTING,
                cadence="fortnightly",
                meeting_weekdays=[weekday],
                agenda_lead_days=5,
                agenda_lead_working_days=False,
                research_cutoff_days=5,
                minutes_per_case=10,
                minutes_per_case_with_children=15,
                # §4.12: emergency MARACs are agreed between the referring agency and the chair.
                emergency_decided_by="chair",
                emergency_within_hours=None,
                open_days_before=1,
                retention_groups=UNSTATED_RETENTION,
            )
            for name, code, weekday in (
                ("Blaenau Gwent", "BG", 0),
                ("Caerphilly", "CAE", 1),
                ("Monmouthshire", "MON", 2),
                ("Newport", "NEW", 3),
                ("Torfaen", "TOR", 4),
            )
        ],
    },
}
