"""What happens at a MARAC meeting: who came, what they confirmed and declared, what each case
heard and decided, and the minutes that record it.

Free text (information shared, risks, the victim's voice, reasons) is encrypted at rest. Each
model is written only by ``services.py``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency
from openmarac.cases.models import Case
from openmarac.core.fields import EncryptedTextField
from openmarac.meetings.models import Listing, Meeting


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved by the chair"
    PUBLISHED = "published", "Published to attendees"


class MeetingRecord(models.Model):
    """The running record of one meeting: when it opened and closed, and its minutes' state."""

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="record")
    opened_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    outstanding_actions_notes = EncryptedTextField(blank=True)
    minutes_status = models.CharField(
        max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    minutes_due_at = models.DateTimeField(null=True, blank=True)
    actions_due_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the meeting's chair approved the minutes, bar any case a stand-in chaired.",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actions_published_at = models.DateTimeField(null=True, blank=True)
    minutes_late_at = models.DateTimeField(
        null=True, blank=True, help_text="When the sweep found the minutes past their deadline."
    )
    actions_late_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Record of meeting {self.meeting_id}"

    @property
    def is_open(self) -> bool:
        return self.opened_at is not None and self.closed_at is None


class AttendeeRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    MINUTE_TAKER = "minute_taker", "Administrator (minute taker)"
    REPRESENTATIVE = "representative", "Agency representative"
    OBSERVER = "observer", "Observer"


class Attendee(models.Model):
    """A person at the meeting. Observers are recorded as such and never count towards quorum."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendees")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_attendances",
    )
    name = models.CharField(max_length=200, help_text="The professional's name as they gave it.")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField(max_length=15, choices=AttendeeRole.choices)
    confidentiality_confirmed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["role", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(user__isnull=False),
                name="attendee_user_once_per_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"Attendee {self.pk}"


class Apology(models.Model):
    """An agency that sent apologies, and whether it sent its information in writing."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="apologies")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    information_in_writing = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "agency"], name="apology_once_per_agency")
        ]

    def __str__(self) -> str:
        return f"Apology {self.pk}"


class ConflictDeclaration(models.Model):
    """An attendee declared a conflict of interest in one case before it was heard.

    The declarer is excluded from the case from then on: ``cases_visible_to`` leaves the case
    out for them. A conflicted chair or minute taker names who takes over for that case.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="conflicts")
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="conflicts")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="meeting_conflicts")
    attendee = models.ForeignKey(Attendee, on_delete=models.PROTECT, related_name="conflicts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conflicts_declared",
    )
    stand_in = models.ForeignKey(
        Attendee,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stood_in_for",
        help_text="Who chairs or takes minutes for this case instead.",
    )
    declared_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["listing", "attendee"], name="conflict_once")
        ]

    def __str__(self) -> str:
        return f"Conflict {self.pk}"


class Outcome(models.TextChoices):
    KEEP_OPEN = "keep_open", "Keep open for further actions"
    CLOSE = "close", "Close to MARAC"
    NOT_HIGH_RISK = "not_high_risk", "Not deemed high risk"


class Hearing(models.Model):
    """One case heard at one meeting: the per-case minute and its outcome."""

    listing = models.OneToOneField(Listing, on_delete=models.PROTECT, related_name="hearing")
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    risks = EncryptedTextField(blank=True)
    victim_voice = EncryptedTextField(blank=True)
    discussion = EncryptedTextField(blank=True)
    feedback_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    feedback_what = EncryptedTextField(blank=True)
    outcome = models.CharField(max_length=15, choices=Outcome.choices, blank=True)
    outcome_reason = EncryptedTextField(blank=True)
    consensus_agencies = models.ManyToManyField(Agency, blank=True, related_name="+")
    keep_open_until = models.DateField(null=True, blank=True)
    hub_review_notified_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Hearing {self.pk}"


class SectionApproval(models.Model):
    """The approval of one case's section of the minutes by the stand-in who chaired it.

    A chair with a conflict of interest in a case hands it to a stand-in and is kept out of it:
    that case's section is approved by the stand-in, not the meeting's chair. The chair's
    approval (``MeetingRecord.approved_at``) covers the rest; the minutes are approved once every
    part is.
    """

    hearing = models.OneToOneField(
        Hearing, on_delete=models.PROTECT, related_name="section_approval"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Section approval {self.pk}"


class SharedInformation(models.Model):
    """What one agency shared about one case at the meeting (or sent in writing)."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="information")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    text = EncryptedTextField()
    in_writing = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["agency__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "agency"], name="information_once")
        ]

    def __str__(self) -> str:
        return f"Information {self.pk}"


class CorrectionStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for the coordinator"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class MinutesCorrection(models.Model):
    """An agency asked for what it shared to be corrected. Accepting keeps the earlier text."""

    information = models.ForeignKey(
        SharedInformation, on_delete=models.CASCADE, related_name="corrections"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField()
    proposed_text = EncryptedTextField()
    reason = EncryptedTextField()
    status = models.CharField(
        max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.REQUESTED
    )
    previous_text = EncryptedTextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"Correction {self.pk}"


class CaseAlert(models.Model):
    """An alert kept on a case, e.g. why a meeting found it not high risk."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="alerts")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, related_name="+")
    text = EncryptedTextField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Alert {self.pk}"
