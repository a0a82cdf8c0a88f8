"""Editing an area's policy: every rule a hub coordinator may change without a developer."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db import models

from openmarac.agencies.models import Sector
from openmarac.checklists.models import ChecklistDefinition, ChecklistKind
from openmarac.core.forms import (
    GovukCheckboxes,
    GovukDateField,
    GovukForm,
    GovukNumberInput,
    GovukRadios,
    GovukTextarea,
    GovukTimeField,
)

from .models import AreaPolicy

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
]
BOOL_CHOICES = [("yes", "Yes"), ("no", "No")]

NUMBER_FIELDS = [
    ("escalation_incidents", "Escalation: incidents", False),
    ("escalation_crimes", "Escalation: crimes", False),
    ("escalation_window_months", "Escalation window in months", True),
    ("repeat_window_months", "Repeat window in months", True),
    ("meeting_days", "Days each meeting is held over", True),
    ("monthly_week_of_month", "For monthly meetings: week of the month (1 to 5)", False),
    ("agenda_lead_days", "Agenda published this many days before the meeting", True),
    ("research_cutoff_days", "Research cut-off: days before the meeting", True),
    ("research_due_working_days", "Research due: working days from listing", True),
    ("research_reminder_working_days", "Research reminder: working days before it is due", True),
    ("police_lookback_months", "Research guidance: months of police history", True),
    ("other_lookback_months", "Research guidance: months of other agencies' history", True),
    ("minutes_per_case", "Minutes per case", True),
    ("minutes_per_case_with_children", "Minutes per case with children", True),
    ("max_cases_per_meeting", "Most cases per meeting", False),
    ("triage_sla_working_hours", "Triage deadline in working hours", True),
    ("idva_contact_working_hours", "IDVA contact deadline in working hours", True),
    ("idva_contact_friday_hours", "IDVA contact deadline when accepted on a Friday: hours", False),
    ("idva_contact_reminder_hours", "IDVA contact reminder: hours before it is due", True),
    ("action_planning_working_days", "Online action planning: working days", True),
    ("action_default_due_working_days", "Actions due by default: working days", True),
    ("action_reminder_working_days_before", "Action reminders: working days before due", True),
    (
        "action_escalation_working_days_overdue",
        "Escalate actions this many working days overdue",
        False,
    ),
    (
        "action_escalation_response_working_hours",
        "Escalated actions to be completed within: working hours",
        True,
    ),
    (
        "action_no_update_working_days_overdue",
        "Mark 'no update from lead agency' this many working days overdue",
        False,
    ),
    (
        "professionals_meeting_agencies",
        "Agencies involved for a case to count as complex",
        True,
    ),
    ("minutes_due_working_days", "Minutes due: working days after the meeting", True),
    ("minutes_due_hours", "Minutes due: working hours after the meeting (instead of days)", False),
    ("actions_due_working_days", "Agreed actions sent to owners within: working days", True),
    (
        "open_days_before",
        "A meeting opens no more than this many days before its date without its chair",
        True,
    ),
    ("keep_open_days", "A case kept open at a meeting: days for further actions", True),
    ("quorum_min_statutory_agencies", "Quorum: statutory agencies that must attend", True),
    ("case_open_months", "Case stays open to MARAC: months", True),
    ("incomplete_chase_count", "Returned referrals: how many times to chase", True),
    (
        "incomplete_chase_interval_working_days",
        "Returned referrals: working days between chases",
        True,
    ),
    (
        "incomplete_escalate_working_days",
        "Returned referrals: escalate to the agency's lead after this many working days",
        False,
    ),
    (
        "incomplete_lapse_working_days",
        "Returned referrals: lapse after this many working days",
        False,
    ),
    (
        "repeat_idva_only_within_months",
        "Repeats to the IDVA service only within this many months of the last meeting "
        "(victim engaged)",
        False,
    ),
    ("complex_case_hearings", "Complex case review: hearings within 12 months", True),
    ("emergency_within_hours", "Emergency MARAC held within: hours of approval", False),
    ("emergency_slot_minutes", "Emergency MARAC: minutes for the case", True),
    ("emergency_research_hours", "Emergency MARAC: research due within hours", True),
    ("court_objection_working_days", "Court orders: working days the chair has to object", True),
    (
        "archive_after_days",
        "Archive a closed case this many days after closure and the end of its flag period",
        True,
    ),
]
BOOL_FIELDS = [
    ("approval_before_submission", "Referrals need agency approval before they reach the hub"),
    ("dvds_disclosure_is_criterion", "Every DVDS disclosure is a referral criterion"),
    ("agenda_lead_working_days", "Agenda lead time counts working days"),
    ("online_action_planning", "Agree actions online between meetings"),
    ("quorum_requires_chair", "Quorum: a chair must attend"),
    ("quorum_requires_administrator", "Quorum: a MARAC administrator must attend"),
    (
        "quorum_childrens_when_children",
        "Quorum: children's services must attend when a case involves children",
    ),
    ("notify_agency_rep_of_outcome", "Tell the referring agency's representatives the outcome"),
    ("notify_idva_on_accept", "Tell the IDVA service of each accepted referral"),
    ("notify_members_on_accept", "Tell every member agency of each new case"),
    ("flag_perpetrator", "Agencies flag the perpetrator as well as the victim"),
]
CHOICE_FIELDS = [
    "escalation_combinator",
    "repeat_from",
    "cadence",
    "bank_holiday_rule",
    "retention_reviewer",
    "case_order",
    "emergency_decided_by",
]


class AreaPolicyForm(GovukForm):
    signposting_text = forms.CharField(
        label="Signposting text for referrals that meet no criterion",
        required=False,
        max_length=5000,
        widget=GovukTextarea(),
    )
    confidentiality_statement = forms.CharField(
        label="Confidentiality statement every attendee confirms",
        max_length=10000,
        widget=GovukTextarea(),
        error_messages={"required": "Enter the confidentiality statement"},
    )
    quorum_required_sectors = forms.MultipleChoiceField(
        label="Quorum: sectors that must attend",
        required=False,
        choices=Sector.choices,
        widget=GovukCheckboxes(),
    )
    meeting_weekdays = forms.MultipleChoiceField(
        label="Meeting weekdays",
        choices=WEEKDAYS,
        widget=GovukCheckboxes(),
        error_messages={"required": "Select at least one meeting weekday"},
    )

    cadence_anchor = GovukDateField(
        label="Date of one meeting in a fortnightly series",
        required=False,
        help_text="For example, 7 12 2026. Leave blank for weekly and monthly meetings.",
    )
    meeting_start_time = GovukTimeField(label="Meetings start at", help_text="For example, 09:30")

    def __init__(self, *args: Any, policy: AreaPolicy, **kwargs: Any) -> None:
        initial: dict[str, Any] = {
            "signposting_text": policy.signposting_text,
            "confidentiality_statement": policy.confidentiality_statement,
            "quorum_required_sectors": list(policy.quorum_required_sectors or []),
            "meeting_weekdays": [str(d) for d in policy.meeting_weekdays],
            "cadence_anchor": policy.cadence_anchor,
            "meeting_start_time": policy.meeting_start_time,
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.policy = policy
        model_fields = {f.name: f for f in AreaPolicy._meta.get_fields()}
        for name in CHOICE_FIELDS:
            field = cast("models.Field[Any, Any]", model_fields[name])
            self.fields[name] = forms.ChoiceField(
                label=str(field.verbose_name).capitalize(),
                choices=list(field.choices or []),
                widget=GovukRadios(),
            )
            self.initial[name] = getattr(policy, name)
        for name, label, required in NUMBER_FIELDS:
            self.fields[name] = forms.IntegerField(
                label=label,
                required=required,
                min_value=0,
                max_value=999,
                widget=GovukNumberInput(),
                error_messages={
                    "required": f"Enter {label[0].lower()}{label[1:]}",
                    "invalid": f"{label} must be a whole number",
                    "min_value": f"{label} must be 0 or more",
                    "max_value": f"{label} must be 999 or less",
                },
            )
            self.initial[name] = getattr(policy, name)
        for name, label in BOOL_FIELDS:
            self.fields[name] = forms.ChoiceField(
                label=label, choices=BOOL_CHOICES, widget=GovukRadios()
            )
            self.initial[name] = "yes" if getattr(policy, name) else "no"
        self.checklists = list(ChecklistDefinition.objects.filter(is_current=True))
        for definition in self.checklists:
            rule = policy.threshold_for(definition.slug)
            name = f"checklist_{definition.slug}"
            if definition.kind == ChecklistKind.LEVEL:
                self.fields[name] = forms.ChoiceField(
                    label=f"{definition.title}: level needed",
                    required=False,
                    choices=[("", "Not accepted"), *definition.level_choices],
                    widget=GovukRadios(),
                )
                self.initial[name] = (rule or {}).get("level", "") if rule else ""
            elif definition.supplementary:
                self.fields[name] = forms.ChoiceField(
                    label=f"{definition.title}: accepted as a supplementary checklist",
                    choices=BOOL_CHOICES,
                    widget=GovukRadios(),
                )
                self.initial[name] = "yes" if rule else "no"
            else:
                self.fields[name] = forms.IntegerField(
                    label=f"{definition.title}: threshold (leave blank if not accepted)",
                    required=False,
                    min_value=1,
                    max_value=len(definition.questions),
                    widget=GovukNumberInput(),
                    error_messages={
                        "invalid": "The threshold must be a whole number",
                        "min_value": "The threshold must be 1 or more",
                        "max_value": f"The threshold must be {len(definition.questions)} or less",
                    },
                )
                self.initial[name] = (rule or {}).get("threshold") if rule else None

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {"signposting_text": data["signposting_text"]}
        out["confidentiality_statement"] = data["confidentiality_statement"]
        out["quorum_required_sectors"] = list(data["quorum_required_sectors"])
        out["meeting_weekdays"] = sorted(int(d) for d in data["meeting_weekdays"])
        out["cadence_anchor"] = data["cadence_anchor"]
        out["meeting_start_time"] = data["meeting_start_time"]
        for name in CHOICE_FIELDS:
            out[name] = data[name]
        for name, _label, _required in NUMBER_FIELDS:
            out[name] = data[name]
        for name, _label in BOOL_FIELDS:
            out[name] = data[name] == "yes"
        accepted: list[dict[str, Any]] = []
        for definition in self.checklists:
            value = data.get(f"checklist_{definition.slug}")
            if definition.kind == ChecklistKind.LEVEL and value:
                accepted.append({"checklist": definition.slug, "level": value})
            elif definition.supplementary and value == "yes":
                accepted.append({"checklist": definition.slug, "threshold": None})
            elif definition.kind == ChecklistKind.SCORE and not definition.supplementary and value:
                accepted.append({"checklist": definition.slug, "threshold": value})
        out["accepted_checklists"] = accepted
        return out

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not any(
            cleaned.get(f"checklist_{d.slug}") for d in self.checklists if not d.supplementary
        ):
            raise forms.ValidationError("The area must accept at least one risk checklist")
        return cleaned


class PrivacyNoticeForm(GovukForm):
    """The partnership's parts of its privacy notice."""

    privacy_controller = forms.CharField(
        label="Data controller",
        help_text="The organisation responsible for the information, with its postal address.",
        max_length=2000,
        widget=GovukTextarea(),
        error_messages={"required": "Enter the data controller's name and postal address"},
    )
    privacy_contact = forms.CharField(
        label="Data protection officer",
        help_text="How people contact the data protection officer: an e-mail or postal address.",
        max_length=2000,
        widget=GovukTextarea(),
        error_messages={"required": "Enter how to contact the data protection officer"},
    )
    privacy_more = forms.CharField(
        label="Anything else the partnership tells people (optional)",
        required=False,
        max_length=5000,
        widget=GovukTextarea(),
    )
