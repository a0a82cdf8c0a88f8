"""What a figure is, and the words its definitions share: sources, sections, labels."""

from __future__ import annotations

from dataclasses import dataclass

SAFELIVES = "SafeLives MARAC data form (per meeting; analysed by quarter)"
KENT_HUB = "000 §8.1-8.3 (Kent and Medway hub protocol)"
LINCS = "002 §20-23 (Lincolnshire protocol)"
CAMBS = "003 MARAC Steering Group; SafeLives 10 principles"
GWENT = "004 §3.2, §5, §8 (Gwent protocol)"
KENT_GUIDE = "001 Part 5, Outcome Measurement (Kent Police guide)"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    section: str
    rule: str
    source: str
    kind: str = "breakdown"
    per_meeting: bool = False
    group: str = ""  # a partition of ``total``, for complementary suppression
    total: str = ""
    numerator: str = ""
    denominator: str = ""

    @property
    def suppressible(self) -> bool:
        return self.kind == "breakdown"


SECTIONS = [
    ("cases", "Cases heard"),
    ("referring", "Cases heard by referring agency"),
    ("victims", "Victims and perpetrators of the cases heard"),
    ("referrals", "Referrals"),
    ("timeliness", "Timeliness"),
    ("actions", "Actions"),
    ("attendance", "Attendance"),
    ("outcomes", "Outcomes and comparators"),
]
SECTION_TITLES = dict(SECTIONS)
OUTCOMES = [
    ("received", "received", "reached the hub (first arrival) in the period"),
    ("accepted", "accepted", "the hub accepted in the period"),
    ("returned", "returned as incomplete", "the hub returned as incomplete in the period"),
    ("lapsed", "lapsed", "lapsed in the period, not completed in time after a return"),
    ("declined", "declined", "the hub declined in the period"),
]
CRITERION_LABELS = {
    "visible_high_risk": "visible high risk",
    "potential_escalation": "potential escalation",
    "professional_judgement": "professional judgement",
    "repeat": "repeat (declared)",
    "transfer_in": "transfer in",
    "dvds_disclosure": "DVDS disclosure",
}
AGE_LABELS = {
    "under_16": "under 16",
    "16_17": "aged 16 or 17",
    "18_24": "aged 18 to 24",
    "25_34": "aged 25 to 34",
    "35_44": "aged 35 to 44",
    "45_54": "aged 45 to 54",
    "55_64": "aged 55 to 64",
    "65_plus": "aged 65 or over",
    "not_known": "age not known",
}
HEARINGS_RULE = (
    "Each case heard at a meeting in the period counts once per meeting that heard it: a listing "
    "whose outcome the meeting recorded (kept open, closed or not deemed high risk), at a meeting "
    "of the area starting in the period."
)
CASE_RULE = (
    "Counted once per case heard in the period, with the details of the referral behind its "
    "latest hearing in the period (the referral it was listed for; for a listing without one, "
    "the case's latest referral that reached the hub by the meeting's date)."
)
