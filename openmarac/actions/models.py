"""SMART actions on a case, their history, online action planning and professionals' meetings.

An action is never deleted: it is proposed, agreed (open), then completed with an outcome or
marked not feasible with a reason; a proposal the chair does not agree is declined with a reason.
Every change is a timestamped ``ActionEntry``. Free text is encrypted at rest.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from openmarac.agencies.models import Agency
from openmarac.cases.models import Case, CaseParticipant
from openmarac.core.fields import EncryptedTextField
from openmarac.meetings.models import Meeting
from openmarac.partnerships.models import Partnership


class ActionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Open"
    COMPLETED = "completed", "Completed"
    NOT_FEASIBLE = "not_feasible", "Not feasible"
    DECLINED = "declined", "Not agreed"


OPEN_STATUSES = (ActionStatus.AGREED,)
CLOSED_STATUSES = (ActionStatus.COMPLETED, ActionStatus.NOT_FEASIBLE)


class OwnerAgreement(models.TextChoices):
    VOLUNTEERED = "volunteered", "Volunteered by the agency"
    IN_ADVANCE = "in_advance", "Agreed in advance by the agency"
    ATTENDING = "attending", "Agreed by the agency at the meeting"


class NotFeasibleReason(models.TextChoices):
    LEGAL = "legal", "Legal reasons"
    REMIT = "remit", "Outside the agency's remit"
    CIRCUMSTANCES = "circumstances", "A change of circumstances"
    OTHER = "other", "Another reason"


class Action(models.Model):
    """One SMART action owned by one agency on one case."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actions",
        help_text="The meeting the action was proposed for or agreed at; empty when online.",
    )
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_actions",
    )
    intervention = models.CharField(max_length=40, blank=True)
    what = EncryptedTextField()
    addresses_participant = models.ForeignKey(
        CaseParticipant, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    addresses_risk = EncryptedTextField(blank=True)
    due_on = models.DateField(db_index=True)
    rationale = EncryptedTextField()
    status = models.CharField(
        max_length=15, choices=ActionStatus.choices, default=ActionStatus.PROPOSED, db_index=True
    )

    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    owner_agreement = models.CharField(max_length=12, choices=OwnerAgreement.choices, blank=True)
    owner_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_agreed_at = models.DateTimeField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)

    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = EncryptedTextField(blank=True)
    not_feasible_reason = models.CharField(
        max_length=15, choices=NotFeasibleReason.choices, blank=True
    )
    last_update_at = models.DateTimeField(null=True, blank=True)

    # Overdue handling, set by the sweep so that each step happens once.
    escalated_at = models.DateTimeField(null=True, blank=True)
    escalation_response_due_at = models.DateTimeField(null=True, blank=True)
    no_update_marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner_agency", "status", "due_on"], name="action_manager_idx"),
            models.Index(fields=["case", "status"], name="action_case_idx"),
            # The action manager: the hub's every-agency lists by due date, and the closed
            # actions most recently closed first, a page at a time.
            models.Index(fields=["status", "due_on"], name="action_status_due_idx"),
            models.Index(fields=["status", "-closed_at"], name="action_closed_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(addresses_participant__isnull=False)
                | ~models.Q(addresses_risk=""),
                name="action_addresses_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.AGREED

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_overdue_now(self) -> bool:
        from openmarac.core.workdays import local_date

        return self.status == ActionStatus.AGREED and self.due_on < local_date(timezone.now())

    @property
    def addresses_label(self) -> str:
        if self.addresses_participant_id:
            participant = self.addresses_participant
            assert participant is not None
            return f"{participant.person.display_name} ({participant.get_role_display().lower()})"
        return f"Risk: {self.addresses_risk}"


class EntryKind(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    COMMENT = "comment", "Comment"
    OWNER_AGREED = "owner_agreed", "Agency agreed to own it"
    AGREED = "agreed", "Agreed"
    DECLINED = "declined", "Not agreed"
    UPDATE = "update", "Update"
    DUE_CHANGED = "due_changed", "Due date changed"
    COMPLETED = "completed", "Completed"
    NOT_FEASIBLE = "not_feasible", "Not feasible"
    ESCALATED = "escalated", "Escalated as overdue"
    NO_UPDATE = "no_update", "No update from lead agency"
    RATIONALE = "rationale", "Rationale for the delay"


class ActionEntry(models.Model):
    """One timestamped line in an action's history. Entries are only ever added."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(max_length=15, choices=EntryKind.choices)
    text = EncryptedTextField(blank=True)
    at = models.DateTimeField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Entry {self.pk}"


class PlanningStage(models.Model):
    """Online action planning on one case between meetings (Kent hub model, 000 §4.3)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="planning_stages")
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closes_on = models.DateField(help_text="The last working day of the stage.")
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(closed_at__isnull=True),
                name="planning_stage_one_open_per_case",
            )
        ]

    def __str__(self) -> str:
        return f"Planning stage {self.pk}"


class ProfessionalsMeetingReason(models.TextChoices):
    COMPLEX = "complex", "Complex: many agencies actively involved"
    URGENT = "urgent", "Urgent: imminent safeguarding risk"


class ProfessionalsMeetingRequest(models.Model):
    """A member asks for a professionals' meeting on a case; the coordinator schedules it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="professionals_requests")
    reason = models.CharField(max_length=10, choices=ProfessionalsMeetingReason.choices)
    note = EncryptedTextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    agencies_involved = models.PositiveSmallIntegerField(
        default=0, help_text="Agencies actively involved when the meeting was asked for."
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"Professionals' meeting request {self.pk}"


class Intervention(models.Model):
    """A partnership's own entry in the library of common interventions (edited by the hub).

    Until the hub edits the library, the built-in list in ``library.py`` is used.
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="interventions"
    )
    slug = models.SlugField(max_length=40)
    title = models.CharField(max_length=120)
    what = models.TextField(help_text="Pre-filled action text; the user always edits it.")
    sector = models.CharField(max_length=20, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="intervention_slug_unique")
        ]

    def __str__(self) -> str:
        return self.title


class EscalationContact(models.Model):
    """Whom to copy when an action is escalated as overdue: a user's line manager, or an
    agency's MARAC lead when no line manager is recorded (Lincolnshire 002 §7.13)."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="action_escalation_contact",
    )
    email = EncryptedTextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency"],
                condition=models.Q(user__isnull=True),
                name="escalation_contact_one_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"Escalation contact {self.pk}"
