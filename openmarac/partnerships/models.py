"""A partnership (one per installation) and its area MARACs, each with a policy that is data."""

from __future__ import annotations

import datetime

from django.db import models


class Nation(models.TextChoices):
    ENGLAND = "ENG", "England"
    WALES = "WLS", "Wales"
    SCOTLAND = "SCT", "Scotland"
    NORTHERN_IRELAND = "NIR", "Northern Ireland"


class Partnership(models.Model):
    name = models.CharField(max_length=200)
    nation = models.CharField(
        max_length=3,
        choices=Nation.choices,
        default=Nation.ENGLAND,
        help_text="Decides which bank holidays count as non-working days.",
    )
    official_email_domains = models.JSONField(
        default=list,
        help_text="E-mail domains whose holders may refer and hold licences, e.g. kent.police.uk.",
    )
    hub_email = models.EmailField(help_text="Where the hub team is told of new referrals.")
    security_contact_email = models.EmailField(
        blank=True, help_text="Alerted when a hub manager opens a restricted case (break-glass)."
    )
    preset = models.CharField(max_length=50, blank=True)
    da_lead_email = models.EmailField(
        blank=True,
        help_text=(
            "The partnership's domestic abuse lead for domestic abuse related death reviews: told "
            "when the death of a victim or perpetrator is recorded."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # The partnership's parts of the public privacy notice (/privacy/); the rest is the service's.
    privacy_controller = models.TextField(
        blank=True, help_text="The data controller: the organisation's name and postal address."
    )
    privacy_contact = models.TextField(
        blank=True, help_text="How to contact the data protection officer."
    )
    privacy_more = models.TextField(
        blank=True, help_text="Anything else the partnership tells people about their information."
    )
    privacy_updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """An area MARAC: one meeting series with its own membership and policy."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=200)
    code = models.CharField(
        max_length=6, help_text="Short letters used in case and referral references, e.g. CANT."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "code"], name="area_code_unique"),
            models.UniqueConstraint(fields=["partnership", "name"], name="area_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class EscalationCombinator(models.TextChoices):
    EITHER = "or", "Either count reached"
    BOTH = "and", "Both counts reached"


class RepeatFrom(models.TextChoices):
    LAST_REFERRAL = "referral", "The last referral"
    LAST_MEETING = "meeting", "The last meeting that heard the case"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    FORTNIGHTLY = "fortnightly", "Fortnightly"
    MONTHLY = "monthly", "Monthly on the nth weekday"


class BankHolidayRule(models.TextChoices):
    SKIP = "skip", "Skip the meeting"
    NEXT_WORKING_DAY = "next", "Move to the next working day"
    PREVIOUS_WORKING_DAY = "previous", "Move to the previous working day"


class RetentionEvent(models.TextChoices):
    CLOSURE = "closure", "The case's closure"
    LAST_REFERRAL = "last_referral", "The last referral"
    LAST_HEARING = "last_hearing", "The last meeting that heard the case"
    DATE_OF_BIRTH = "date_of_birth", "The youngest subject's date of birth"


class RetentionReviewer(models.TextChoices):
    HUB = "hub", "The hub team"
    INFORMATION_GOVERNANCE = "information_governance", "The information governance lead"


class EmergencyDecider(models.TextChoices):
    """Who decides a request for an emergency MARAC (000 §5.1, 002 §10, 004 §4.12)."""

    HUB_MANAGER = "hub_manager", "The MARAC manager or DA operational lead (hub manager role)"
    CHAIR = "chair", "The MARAC chair"


class CaseOrder(models.TextChoices):
    CHILDREN_FIRST = "children_first", "Cases involving children first"
    BY_AGENCY = "by_agency", "Clustered by referring agency"
    AS_LISTED = "as_listed", "In the order they were listed"


DEFAULT_CONFIDENTIALITY_STATEMENT = (
    "Information discussed by the agency representatives within the ambit of this meeting is "
    "strictly confidential and must not be disclosed to third parties who have not signed up to "
    "the MARAC information sharing agreement, without the agreement of the partners of the "
    "meeting. It should focus on domestic abuse and child protection concerns, and a clear "
    "distinction should be made between fact and professional opinion. All agencies should "
    "ensure that all records and related documentation are retained in a confidential and "
    "appropriately restricted manner. Anyone who has a conflict of interest, or who knows the "
    "victim or the perpetrator personally, must declare it to the chair before that case is "
    "discussed."
)


class AreaPolicy(models.Model):
    """Every rule that differs between MARACs, so that no code branches on which area it is."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="policy")

    # Referral criteria.
    accepted_checklists = models.JSONField(
        default=list,
        help_text=(
            'Checklists this area accepts: [{"checklist": slug, "threshold": ticks}] or, for '
            'level-based tools, [{"checklist": "dara", "level": "high"}].'
        ),
    )
    escalation_incidents = models.PositiveSmallIntegerField(null=True, blank=True)
    escalation_crimes = models.PositiveSmallIntegerField(null=True, blank=True)
    escalation_combinator = models.CharField(
        max_length=3, choices=EscalationCombinator.choices, default=EscalationCombinator.EITHER
    )
    escalation_window_months = models.PositiveSmallIntegerField(default=12)
    dvds_disclosure_is_criterion = models.BooleanField(
        default=False, help_text="Every DVDS disclosure is referred (Gwent)."
    )
    repeat_window_months = models.PositiveSmallIntegerField(default=12)
    repeat_from = models.CharField(
        max_length=10, choices=RepeatFrom.choices, default=RepeatFrom.LAST_REFERRAL
    )
    approval_before_submission = models.BooleanField(
        default=False,
        help_text="Referrals go to the referrer's agency approver before the hub (Lincolnshire DMR).",
    )
    signposting_text = models.TextField(
        blank=True,
        help_text="Shown to a referrer whose referral meets no criterion.",
    )

    # Meetings.
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.FORTNIGHTLY)
    meeting_weekdays = models.JSONField(
        default=list, help_text="Weekdays meetings are held on, 0 = Monday."
    )
    monthly_week_of_month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="For monthly meetings: 1 = first, 5 = last."
    )
    meeting_days = models.PositiveSmallIntegerField(
        default=1, help_text="A meeting held over several days counts as one."
    )
    cadence_anchor = models.DateField(
        null=True,
        blank=True,
        help_text=(
            "For fortnightly meetings: the date of any one meeting in the series. Without it, "
            "meetings fall in even-numbered ISO weeks."
        ),
    )
    meeting_start_time = models.TimeField(default=datetime.time(10, 0))
    bank_holiday_rule = models.CharField(
        max_length=10, choices=BankHolidayRule.choices, default=BankHolidayRule.NEXT_WORKING_DAY
    )
    agenda_lead_days = models.PositiveSmallIntegerField(default=8)
    agenda_lead_working_days = models.BooleanField(default=True)
    research_cutoff_days = models.PositiveSmallIntegerField(
        default=7,
        help_text="A case accepted within this many days of a meeting goes to the next one.",
    )
    research_due_working_days = models.PositiveSmallIntegerField(default=5)
    research_reminder_working_days = models.PositiveSmallIntegerField(
        default=1,
        help_text="Agencies with research outstanding are reminded this many working "
        "days before it is due (0: no reminder).",
    )
    police_lookback_months = models.PositiveSmallIntegerField(
        default=24, help_text="Guidance shown to police researchers: months of history to share."
    )
    other_lookback_months = models.PositiveSmallIntegerField(
        default=12, help_text="Guidance shown to other agencies: months of history to share."
    )
    minutes_per_case = models.PositiveSmallIntegerField(default=15)
    minutes_per_case_with_children = models.PositiveSmallIntegerField(default=15)
    max_cases_per_meeting = models.PositiveSmallIntegerField(null=True, blank=True)

    # Service levels.
    triage_sla_working_hours = models.PositiveSmallIntegerField(default=24)
    idva_contact_working_hours = models.PositiveSmallIntegerField(
        default=48,
        help_text="The IDVA service contacts the victim within this many working hours of "
        "acceptance (Kent 000 §4.1: 24/48; Lincolnshire 002 §5.7: 48).",
    )
    idva_contact_friday_hours = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="A referral accepted on a Friday gives the IDVA service this many hours "
        "instead (Lincolnshire 002 §5.7: 72). Empty: the working hours apply every day.",
    )
    idva_contact_reminder_hours = models.PositiveSmallIntegerField(
        default=4,
        help_text="The IDVA service is reminded this many hours before its contact is due "
        "(0: no reminder).",
    )
    online_action_planning = models.BooleanField(default=False)
    action_planning_working_days = models.PositiveSmallIntegerField(default=5)
    action_default_due_working_days = models.PositiveSmallIntegerField(default=5)
    action_reminder_working_days_before = models.PositiveSmallIntegerField(
        default=1, help_text="Owners are reminded this many working days before an action is due."
    )
    action_escalation_working_days_overdue = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=(
            "At this many working days overdue the representative and their line manager are "
            "asked to complete the action and give a rationale (Lincolnshire: 5). Empty: off."
        ),
    )
    action_escalation_response_working_hours = models.PositiveSmallIntegerField(
        default=24, help_text="Escalated actions are to be completed within this many hours."
    )
    action_no_update_working_days_overdue = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=(
            "An overdue action with no update for this many working days after its due date is "
            'marked "no update from lead agency" (Cambridgeshire). Empty: off.'
        ),
    )
    professionals_meeting_agencies = models.PositiveSmallIntegerField(
        default=4,
        help_text="A case with this many agencies actively involved is shown as complex.",
    )
    minutes_due_working_days = models.PositiveSmallIntegerField(default=10)
    case_open_months = models.PositiveSmallIntegerField(default=12)
    flag_perpetrator = models.BooleanField(
        default=True,
        help_text="Agencies flag the perpetrator as well as the victim (Lincolnshire: no).",
    )

    # The meeting and its minutes.
    confidentiality_statement = models.TextField(
        default=DEFAULT_CONFIDENTIALITY_STATEMENT,
        help_text="Every attendee confirms it before any case is opened at a meeting.",
    )
    quorum_requires_chair = models.BooleanField(default=True)
    quorum_requires_administrator = models.BooleanField(default=True)
    quorum_min_statutory_agencies = models.PositiveSmallIntegerField(
        default=0, help_text="Statutory agencies that must attend (Lincolnshire: 5)."
    )
    quorum_required_sectors = models.JSONField(
        default=list,
        blank=True,
        help_text='Sectors that must attend, e.g. ["police", "health", "idva"].',
    )
    quorum_childrens_when_children = models.BooleanField(
        default=False,
        help_text="Children's services must attend when a listed case involves children.",
    )
    case_order = models.CharField(
        max_length=15, choices=CaseOrder.choices, default=CaseOrder.CHILDREN_FIRST
    )
    minutes_due_hours = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Minutes due this many working hours after the meeting (Cambridgeshire: 24); "
        "when set, used instead of the working days.",
    )
    actions_due_working_days = models.PositiveSmallIntegerField(
        default=1,
        help_text="Agreed actions are sent to their owners within this many working days.",
    )
    open_days_before = models.PositiveSmallIntegerField(
        default=1,
        help_text="A meeting opens no more than this many days before its date unless its chair "
        "confirms opening it early.",
    )
    keep_open_days = models.PositiveSmallIntegerField(
        default=14,
        help_text="A case kept open at a meeting gets this many days for further actions, then "
        "the hub reviews it (Kent: 2 weeks).",
    )

    # Triage decisions: who is told, chasing a referral returned as incomplete, repeats.
    notify_agency_rep_of_outcome = models.BooleanField(
        default=True,
        help_text="The referring agency's representatives are told of each triage decision.",
    )
    notify_idva_on_accept = models.BooleanField(
        default=True, help_text="The area's IDVA service is told of every accepted referral."
    )
    notify_members_on_accept = models.BooleanField(
        default=True,
        help_text="Every member agency of the area is told of a new case (by reference only).",
    )
    incomplete_chase_count = models.PositiveSmallIntegerField(
        default=2, help_text="How many times the hub chases a referral returned as incomplete."
    )
    incomplete_chase_interval_working_days = models.PositiveSmallIntegerField(
        default=4, help_text="Working days between the return and each chase."
    )
    incomplete_escalate_working_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=10,
        help_text="Working days after the return when the referring agency's lead is told.",
    )
    incomplete_lapse_working_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=15,
        help_text="Working days after the return when the referral lapses, not processed.",
    )
    repeat_idva_only_within_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=(
            "A repeat within this many months of the meeting that last heard the case, with the "
            "victim engaged with the IDVA, goes to the IDVA service only (Gwent: 3)."
        ),
    )
    complex_case_hearings = models.PositiveSmallIntegerField(
        default=4,
        help_text="A case heard this many times within 12 months is a complex case review "
        "candidate.",
    )

    # Emergency MARACs (000 §5.1, 001 S2 Part 4, 002 §10, 004 §4.12).
    emergency_decided_by = models.CharField(
        max_length=12,
        choices=EmergencyDecider.choices,
        default=EmergencyDecider.HUB_MANAGER,
        help_text="Who accepts or refuses a request for an emergency MARAC.",
    )
    emergency_within_hours = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="An approved emergency MARAC is held within this many hours of the decision "
        "(Lincolnshire: 72). Empty: as soon as practicable, with no fixed limit.",
    )
    emergency_slot_minutes = models.PositiveSmallIntegerField(
        default=30, help_text="How long an emergency MARAC's case is given (002 §10: 30)."
    )
    emergency_research_hours = models.PositiveSmallIntegerField(
        default=24,
        help_text="Agencies' research for an emergency MARAC is due this many hours after the "
        "decision, and never after the meeting starts.",
    )

    # Court disclosure (Family Justice Council guidance, end of 002).
    court_objection_working_days = models.PositiveSmallIntegerField(
        default=5,
        help_text="Working days the chair has to object to a court order for disclosure.",
    )

    # Retention: the rules themselves are the area's ``RetentionGroup`` rows.
    retention_reviewer = models.CharField(
        max_length=25,
        choices=RetentionReviewer.choices,
        default=RetentionReviewer.HUB,
        help_text="Who reviews a case at the end of its retention period and recommends its "
        "disposal; a second person (the hub or the information governance lead) approves it.",
    )
    archive_after_days = models.PositiveSmallIntegerField(
        default=30,
        help_text="A closed case is archived this many days after its closure and the end of "
        "its flag period, whichever is later.",
    )

    def __str__(self) -> str:
        return f"Policy for {self.area}"

    def threshold_for(self, checklist_slug: str) -> dict[str, object] | None:
        for entry in self.accepted_checklists:
            if entry.get("checklist") == checklist_slug:
                return dict(entry)
        return None

    @property
    def accepted_checklist_slugs(self) -> list[str]:
        return [str(entry["checklist"]) for entry in self.accepted_checklists]


class RetentionGroup(models.Model):
    """One retention rule of an area: how long a case is kept, from which event, and how often it
    is reviewed meanwhile (MoPI-style review groups). Each case falls in one group of its area,
    the default one unless a reviewer moves it.

    The period is ``years_child`` when the case involves children, else ``years_adult``, counted
    from ``runs_from``; for the date of birth it is the age the youngest subject must reach (MoPI
    group 1: until the subject is 100). Periodic reviews, when set, fall every
    ``review_every_years`` after the case's closure.
    """

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="retention_groups")
    code = models.CharField(max_length=20, help_text='A short name, e.g. "1" or "standard".')
    label = models.CharField(max_length=200)
    runs_from = models.CharField(max_length=15, choices=RetentionEvent.choices)
    years_adult = models.PositiveSmallIntegerField()
    years_child = models.PositiveSmallIntegerField()
    review_every_years = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Review every this many years; empty: only at the end."
    )
    is_default = models.BooleanField(default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["area", "code"], name="retention_group_code_unique"),
            models.UniqueConstraint(
                fields=["area"],
                condition=models.Q(is_default=True),
                name="retention_group_one_default",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area.code} retention group {self.code}"

    @property
    def summary(self) -> str:
        """The rule in words, e.g. "25 years (75 with children) from the case's closure"."""
        event = RetentionEvent(self.runs_from)
        if event == RetentionEvent.DATE_OF_BIRTH:
            period = f"until the youngest subject is {self.years_adult}"
            if self.years_child != self.years_adult:
                period += f" ({self.years_child} with children)"
        else:
            period = f"{self.years_adult} years"
            if self.years_child != self.years_adult:
                period += f" ({self.years_child} with children)"
            period += f" from {event.label[0].lower()}{event.label[1:]}"
        if self.review_every_years:
            period += f", reviewed every {self.review_every_years} years"
        return period
