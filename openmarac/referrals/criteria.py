"""Evaluating a referral against its area's criteria. Any one criterion met makes it eligible."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openmarac.checklists.models import ChecklistDefinition, ChecklistKind
from openmarac.partnerships.models import AreaPolicy, EscalationCombinator

LEVEL_ORDER = {"standard": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class CriterionResult:
    slug: str
    label: str
    met: bool
    explanation: str


def checklist_result(
    definition: ChecklistDefinition | None, answers: dict[str, Any]
) -> tuple[int | None, str]:
    """The score (yes count) for scored checklists and the level for level-based tools."""
    if definition is None:
        return None, ""
    if definition.kind == ChecklistKind.LEVEL:
        return None, str(answers.get("level", ""))
    return definition.score(answers), ""


def evaluate(
    *,
    policy: AreaPolicy,
    definition: ChecklistDefinition | None,
    answers: dict[str, Any],
) -> list[CriterionResult]:
    results = []
    checklist_answers = answers.get("checklist-answers", {})
    score, level = checklist_result(definition, checklist_answers)
    rule = policy.threshold_for(definition.slug) if definition else None
    if definition is not None and rule is not None:
        if definition.kind == ChecklistKind.LEVEL:
            wanted = str(rule.get("level") or "high")
            met = LEVEL_ORDER.get(level, -1) >= LEVEL_ORDER[wanted]
            explanation = (
                f"{definition.short_title} level is {level or 'not given'}; {wanted} is needed."
            )
        else:
            threshold = rule.get("threshold")
            met = threshold is not None and score is not None and score >= int(str(threshold))
            explanation = (
                f"{definition.short_title} score is {score}; {threshold} or more is needed."
            )
        results.append(CriterionResult("visible_high_risk", "Visible high risk", met, explanation))

    incidents = answers.get("incidents", {})
    if policy.escalation_incidents is not None or policy.escalation_crimes is not None:
        n_incidents = int(incidents.get("incidents") or 0)
        n_crimes = int(incidents.get("crimes") or 0)
        checks = []
        wants = []
        if policy.escalation_incidents is not None:
            checks.append(n_incidents >= policy.escalation_incidents)
            wants.append(f"{policy.escalation_incidents} incidents")
        if policy.escalation_crimes is not None:
            checks.append(n_crimes >= policy.escalation_crimes)
            wants.append(f"{policy.escalation_crimes} crimes")
        both = policy.escalation_combinator == EscalationCombinator.BOTH
        met = all(checks) if both else any(checks)
        joiner = " and " if both else " or "
        results.append(
            CriterionResult(
                "potential_escalation",
                "Potential escalation",
                met,
                f"{n_incidents} incidents and {n_crimes} crimes in "
                f"{policy.escalation_window_months} months; {joiner.join(wants)} are needed.",
            )
        )

    reasons = answers.get("reasons", {})
    judgement = reasons.get("professional_judgement") == "yes" and bool(
        reasons.get("judgement_rationale")
    )
    results.append(
        CriterionResult(
            "professional_judgement",
            "Professional judgement",
            judgement,
            "You gave a rationale for referring on professional judgement."
            if judgement
            else "Not claimed.",
        )
    )
    repeat = reasons.get("repeat") == "yes"
    results.append(
        CriterionResult(
            "repeat",
            "Repeat referral",
            repeat,
            "You said the victim was referred in the last 12 months: the hub will confirm."
            if repeat
            else "Not declared.",
        )
    )
    transfer = answers.get("handling", {}).get("transfer_in") == "yes"
    results.append(
        CriterionResult(
            "transfer_in",
            "Transfer from another MARAC",
            transfer,
            "Transfers are always accepted." if transfer else "Not a transfer.",
        )
    )
    if policy.dvds_disclosure_is_criterion:
        dvds = reasons.get("dvds") == "yes"
        results.append(
            CriterionResult(
                "dvds_disclosure",
                "DVDS disclosure",
                dvds,
                "Every DVDS disclosure is a MARAC case here." if dvds else "No disclosure.",
            )
        )
    return results


def criteria_met(results: list[CriterionResult]) -> list[str]:
    return [r.slug for r in results if r.met]
