"""Filling in the referral journey through its real forms, as a referrer would."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client

from openmarac.partnerships.models import Area

DOB = {"date_of_birth_day": "3", "date_of_birth_month": "4", "date_of_birth_year": "1990"}


def verified_referrer(email: str = "worker@example.org") -> Client:
    client = Client()
    response = client.post("/refer/email/", {"email": email})
    assert response.status_code == 302, response.content.decode()[:2000]
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    response = client.post("/refer/email/code/", {"code": code})
    assert response.status_code == 302
    return client


def start_referral(client: Client) -> str:
    response = client.post("/refer/referrals/new/")
    assert response.status_code == 302
    return response["Location"]


def post_ok(client: Client, url: str, data: dict[str, Any]) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, (
        f"{url}: {response.status_code} " + re.sub(r"\s+", " ", response.content.decode())[-3000:]
    )


def complete_referral(
    client: Client,
    base: str,
    area: Area,
    *,
    yes_count: int = 15,
    checklist: str = "dash-ric",
    agency_pk: int | None = None,
    incidents: int = 0,
    crimes: int = 0,
    judgement: str = "no",
    victim_surname: str = "Testvictim",
) -> None:
    post_ok(client, f"{base}s/area/", {"area": str(area.pk)})
    post_ok(
        client,
        f"{base}s/referrer/",
        {
            "name": "Referrer Person",
            "job_title": "Nurse",
            "agency": str(agency_pk) if agency_pk else "other",
            "other_agency": "" if agency_pk else "Example Surgery",
            "phone": "01632 960123",
        },
    )
    post_ok(
        client,
        f"{base}s/handling/",
        {"victimless": "no", "transfer_in": "no", "restricted_handling": "none"},
    )
    post_ok(
        client,
        f"{base}s/victim/",
        {
            "forenames": "Testfirst",
            "surname": victim_surname,
            "aliases": "Maidenname",
            **DOB,
            "gender": "female",
            "address": "5 Example Close",
            "postcode": "ZZ1 2ZZ",
            "pregnant": "no",
        },
    )
    post_ok(
        client,
        f"{base}s/safe-contact/",
        {"voicemail_safe": "no", "address_safe": "no", "safe_phone": "01632 960999"},
    )
    post_ok(
        client,
        f"{base}list/perpetrators/add/",
        {
            "forenames": "Testperp",
            "surname": "Perpsurname",
            "gender": "male",
            "relationship": "Ex-partner",
            "lives_with_victim": "no",
        },
    )
    post_ok(client, f"{base}list/perpetrators/", {})
    post_ok(client, f"{base}list/children/", {})
    post_ok(client, f"{base}list/household/", {})
    post_ok(client, f"{base}s/checklist/", {"checklist": checklist})
    answers: dict[str, Any] = {
        "assessed_on_day": "1",
        "assessed_on_month": "3",
        "assessed_on_year": "2026",
    }
    count = {"dash-ric": 24, "police-dash": 27}.get(checklist, 0)
    for i in range(1, count + 1):
        answers[f"q{i}"] = "yes" if i <= yes_count else "no"
    if checklist in ("dara", "specss-plus"):
        answers["level"] = "high" if yes_count >= 14 else "medium"
    post_ok(client, f"{base}s/checklist-answers/", answers)
    post_ok(
        client,
        f"{base}s/incidents/",
        {"incidents": str(incidents), "crimes": str(crimes), "summary": "Narrative text"},
    )
    reasons = {
        "professional_judgement": judgement,
        "judgement_rationale": "Escalating threats" if judgement == "yes" else "",
        "repeat": "no",
    }
    if area.policy.dvds_disclosure_is_criterion:
        reasons["dvds"] = "no"
    post_ok(client, f"{base}s/reasons/", reasons)
    post_ok(client, f"{base}s/consent/", {"consent": "given", "victim_aware": "yes"})
    post_ok(
        client,
        f"{base}s/equality/",
        {
            "ethnicity": "not_known",
            "disability": "not_known",
            "sexual_orientation": "not_known",
            "trans": "not_known",
            "immigration": "not_known",
        },
    )
    post_ok(client, f"{base}s/needs/", {"interpreter": "no"})
    post_ok(client, f"{base}s/agencies/", {"other_agencies": ""})
    post_ok(
        client,
        f"{base}s/safety/",
        {"actions_taken": "Safety planning", "children_referral": "not_applicable"},
    )
