"""The figures about referrals: received, and each kind of decision, by sector and criterion."""

from __future__ import annotations

from openmarac.agencies.models import Sector
from openmarac.triage.models import DeclineReason

from .facts import CRITERIA
from .figure import CAMBS, CRITERION_LABELS, KENT_HUB, LINCS, OUTCOMES, Figure


def referral_figures() -> list[Figure]:
    f: list[Figure] = []
    for outcome, label, rule in OUTCOMES:
        total_rule = (
            f"Referrals the hub {rule.removeprefix('the hub ')}"
            if outcome != "received"
            else f"Referrals that {rule}: the first time each was delivered to the hub."
        )
        f.append(
            Figure(
                f"referrals_{outcome}",
                f"Referrals {label}",
                "referrals",
                total_rule
                + " A referral's area is the area it was made to. Decisions count on the day "
                "they were made, whenever the referral arrived.",
                CAMBS if outcome == "declined" else LINCS,
                kind="total",
            )
        )
        for sector, sector_label in Sector.choices:
            f.append(
                Figure(
                    f"referrals_{outcome}_{sector}",
                    f"Referrals {label}: {sector_label}",
                    "referrals",
                    f"referrals_{outcome} whose referrer's agency is of this sector.",
                    KENT_HUB,
                    group=f"referrals_{outcome}_by_sector",
                    total=f"referrals_{outcome}",
                )
            )
        for criterion in CRITERIA:
            f.append(
                Figure(
                    f"referrals_{outcome}_criterion_{criterion}",
                    f"Referrals {label}: {CRITERION_LABELS[criterion]}",
                    "referrals",
                    f"referrals_{outcome} that met this criterion when submitted (a referral "
                    "meeting several counts under each).",
                    LINCS,
                )
            )
    for reason, label in DeclineReason.choices:
        f.append(
            Figure(
                f"referrals_declined_{reason}",
                f"Referrals declined: {label[0].lower()}{label[1:]}",
                "referrals",
                "referrals_declined with this reason.",
                CAMBS,
                group="declined_by_reason",
                total="referrals_declined",
            )
        )
    f += [
        Figure(
            "referrals_victimless",
            "Victimless referrals received",
            "referrals",
            "referrals_received that said they were victimless (from an agency working with the "
            "perpetrator).",
            KENT_HUB,
        ),
        Figure(
            "transfers_in",
            "Transfers in received",
            "referrals",
            "referrals_received that were transfers from another MARAC.",
            LINCS,
        ),
        Figure(
            "transfers_out",
            "Transfers out",
            "referrals",
            "Cases of the area closed in the period because they were transferred to another "
            "MARAC.",
            LINCS,
        ),
    ]
    return f
