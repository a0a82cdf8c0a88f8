"""The answers of a complete demo referral, shared by the demo's referrals and its triage queue.

Every name is invented and every address uses the reserved example.org domain.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from openmarac.agencies.models import Agency
from openmarac.core.types import JSONValue
from openmarac.partnerships.models import Area

DEMO_DOMAIN = "example.org"


def demo_referral_answers(
    area: Area,
    agency: Agency | None,
    *,
    victim: tuple[str, str],
    perpetrator: tuple[str, str],
    assessed_on: datetime.date | None = None,
) -> dict[str, JSONValue]:
    """A complete referral's answers: a Dash RIC scoring 15, consent given, one perpetrator,
    assessed on ``assessed_on`` (by default, today)."""
    assessed_on = assessed_on or timezone.localdate()
    yes = {f"q{i}": "yes" for i in range(1, 16)}
    no = {f"q{i}": "no" for i in range(16, 25)}
    return {
        "area": {"area": str(area.pk)},
        "referrer": {
            "name": "Referrer Demo",
            "job_title": "Support worker",
            "agency": str(agency.pk) if agency else "other",
            "other_agency": "" if agency else "Example Charity",
            "phone": "01632 960000",
            "manager": "",
        },
        "handling": {
            "victimless": "no",
            "transfer_in": "no",
            "transfer_from": "",
            "restricted_handling": "none",
            "restricted_reason": "",
            "employee_agency": "",
        },
        "victim": {
            "forenames": victim[0],
            "surname": victim[1],
            "aliases": "",
            "date_of_birth": "1992",
            "gender": "female",
            "address": "2 Example Road\nThistlebrook",
            "postcode": "ZZ9 9ZZ",
            "pregnant": "no",
        },
        "safe-contact": {
            "safe_phone": "01632 960001",
            "voicemail_safe": "no",
            "safe_email": "",
            "address_safe": "no",
            "safe_times": "Weekday mornings",
            "safety_notes": "",
        },
        "perpetrators": {
            "done": True,
            "items": [
                {
                    "forenames": perpetrator[0],
                    "surname": perpetrator[1],
                    "aliases": "",
                    "date_of_birth": "",
                    "gender": "male",
                    "relationship": "Ex-partner",
                    "address": "",
                    "postcode": "",
                    "lives_with_victim": "no",
                }
            ],
        },
        "children": {"done": True, "items": []},
        "household": {"done": True, "items": []},
        "checklist": {"checklist": "dash-ric"},
        "checklist-answers": {**yes, **no, "assessed_on": assessed_on.isoformat()},
        "incidents": {"incidents": 2, "crimes": 1, "summary": "Fictional demo narrative."},
        "reasons": {
            "professional_judgement": "no",
            "judgement_rationale": "",
            "repeat": "no",
            "repeat_details": "",
        },
        "consent": {
            "consent": "given",
            "refusal_reason": "",
            "legal_basis": [],
            "sharing_rationale": "",
            "victim_aware": "yes",
        },
        "equality": {
            "ethnicity": "not_known",
            "disability": "not_known",
            "sexual_orientation": "not_known",
            "trans": "not_known",
            "religion": "",
            "immigration": "not_known",
        },
        "needs": {"interpreter": "no", "language": "", "specialist_needs": ""},
        "agencies": {"involved": [], "other_agencies": ""},
        "safety": {
            "actions_taken": "Fictional demo safety plan.",
            "children_referral": "not_applicable",
        },
    }


COMPLETE_SECTIONS = [
    "area",
    "referrer",
    "handling",
    "victim",
    "safe-contact",
    "checklist",
    "checklist-answers",
    "incidents",
    "reasons",
    "consent",
    "equality",
    "needs",
    "agencies",
    "safety",
]
