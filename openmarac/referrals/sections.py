"""The referral journey's sections: which form each uses, and how it is grouped on the task list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from openmarac.checklists.models import ChecklistDefinition
from openmarac.checklists.services import current_checklist

from .forms.fields import ReferralSectionForm
from .forms.people import ChildForm, HouseholdForm, PerpetratorForm, SafeContactForm, VictimForm
from .forms.risk import (
    ChecklistAnswersForm,
    ChecklistChoiceForm,
    IncidentsForm,
    ReasonsForm,
    StalkingForm,
)
from .forms.sharing import AgenciesForm, ConsentForm, EqualityForm, NeedsForm, SafetyForm
from .forms.start import AreaForm, HandlingForm, ReferrerForm
from .models import Referral


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    form: type[ReferralSectionForm]
    group: str
    repeatable: bool = False
    min_items: int = 0
    max_items: int = 10
    item_name: str = ""
    optional: bool = False


SECTIONS: list[Section] = [
    Section("area", "MARAC area", AreaForm, "Before you start"),
    Section("referrer", "Your details", ReferrerForm, "Before you start"),
    Section("handling", "Type of referral", HandlingForm, "Before you start"),
    Section("victim", "Victim", VictimForm, "People"),
    Section("safe-contact", "Safe contact details", SafeContactForm, "People"),
    Section(
        "perpetrators",
        "Perpetrators",
        PerpetratorForm,
        "People",
        repeatable=True,
        min_items=1,
        max_items=6,
        item_name="perpetrator",
    ),
    Section(
        "children",
        "Children",
        ChildForm,
        "People",
        repeatable=True,
        max_items=15,
        item_name="child",
    ),
    Section(
        "household",
        "Other household members",
        HouseholdForm,
        "People",
        repeatable=True,
        max_items=10,
        item_name="household member",
    ),
    Section("checklist", "Which risk checklist", ChecklistChoiceForm, "Risk"),
    Section("checklist-answers", "Risk checklist answers", ChecklistAnswersForm, "Risk"),
    Section("stalking", "Stalking screening (S-DASH)", StalkingForm, "Risk", optional=True),
    Section("incidents", "Incidents and crimes", IncidentsForm, "Risk"),
    Section("reasons", "Reasons for referral", ReasonsForm, "Risk"),
    Section("consent", "Consent and information sharing", ConsentForm, "Sharing and support"),
    Section("equality", "Equality information", EqualityForm, "Sharing and support"),
    Section("needs", "Interpreter and specialist needs", NeedsForm, "Sharing and support"),
    Section("agencies", "Agencies already involved", AgenciesForm, "Sharing and support"),
    Section("safety", "Immediate safety actions", SafetyForm, "Sharing and support"),
]
BY_SLUG = {section.slug: section for section in SECTIONS}


def main_checklists(referral: Referral) -> list[ChecklistDefinition]:
    """The area's accepted, non-supplementary checklists, in the policy's order."""
    if referral.area is None:
        return []
    found = []
    for slug in referral.area.policy.accepted_checklist_slugs:
        definition = current_checklist(slug)
        if definition is not None and not definition.supplementary:
            found.append(definition)
    return found


def chosen_checklist(referral: Referral) -> ChecklistDefinition | None:
    slug = referral.answers.get("checklist", {}).get("checklist")
    return next((d for d in main_checklists(referral) if d.slug == slug), None)


def stalking_checklist(referral: Referral) -> ChecklistDefinition | None:
    if referral.area is None or "s-dash" not in referral.area.policy.accepted_checklist_slugs:
        return None
    return current_checklist("s-dash")


def sections_for(referral: Referral) -> list[Section]:
    """The sections this referral has to complete, given its area's policy."""
    wanted = []
    for section in SECTIONS:
        if section.slug == "stalking" and stalking_checklist(referral) is None:
            continue
        wanted.append(section)
    return wanted


def is_available(referral: Referral, section: Section) -> bool:
    """Sections that depend on an earlier answer cannot be started before it."""
    needs_area = ("checklist", "checklist-answers", "stalking", "incidents", "reasons")
    if section.slug in needs_area and referral.area is None:
        return False
    if section.slug == "checklist-answers":
        return chosen_checklist(referral) is not None
    return True


def form_context(referral: Referral, section: Section) -> dict[str, Any]:
    context: dict[str, Any] = {"partnership": referral.partnership}
    if referral.area is not None:
        policy = referral.area.policy
        context["escalation_window_months"] = policy.escalation_window_months
        context["dvds_is_criterion"] = policy.dvds_disclosure_is_criterion
        context["main_checklists"] = main_checklists(referral)
    if section.slug == "checklist-answers":
        context["checklist_definition"] = chosen_checklist(referral)
    if section.slug == "stalking":
        context["checklist_definition"] = stalking_checklist(referral)
    return context


def build_form(
    referral: Referral, section: Section, *, data: Any = None, initial: dict[str, Any] | None = None
) -> ReferralSectionForm:
    return section.form(data=data, initial=initial, context=form_context(referral, section))


def is_complete(referral: Referral, section: Section) -> bool:
    if section.repeatable:
        stored = referral.answers.get(section.slug, {})
        return bool(stored.get("done")) and len(stored.get("items", [])) >= section.min_items
    return section.slug in referral.completed_sections


def incomplete_sections(referral: Referral) -> list[Section]:
    return [s for s in sections_for(referral) if not s.optional and not is_complete(referral, s)]


def summarise(referral: Referral, section: Section, data: dict[str, Any]) -> list[tuple[str, str]]:
    """Question labels and answer text for the check-your-answers page."""
    if section.slug == "checklist-answers" and chosen_checklist(referral) is None:
        return []
    if section.slug == "stalking" and stalking_checklist(referral) is None:
        return []
    form = build_form(referral, section)
    rows = []
    for name, field in form.fields.items():
        value = data.get(name)
        choices = dict(getattr(field, "choices", []) or [])
        if isinstance(value, list):
            shown = ", ".join(str(choices.get(v, v)) for v in value) or "None"
        elif value in (None, ""):
            shown = "Not given"
        else:
            shown = str(choices.get(value, choices.get(str(value), value)))
        rows.append((str(field.label), shown))
    return rows
