"""Retention: each archived case's place in its area's retention rule, the decisions reviewers
take on it, and the certificate that remains once it is disposed of.

``CaseRetention`` and ``RetentionDecision`` belong to the case and go with it at disposal;
``DisposalCertificate`` outlives it and holds no personal data: the case reference, dates, the
rule applied, who recommended and who approved, and counts of what was destroyed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.cases.models import Case
from openmarac.core.fields import EncryptedTextField
from openmarac.partnerships.models import Area, Partnership


class RetentionState(models.TextChoices):
    SCHEDULED = "scheduled", "Waiting for its review date"
    DUE = "due", "Due for review"
    RECOMMENDED = "recommended", "Disposal recommended: waiting for a second person"


class ReasonCategory(models.TextChoices):
    COURT = "court", "A live court case"
    DARDR = "dardr", "A domestic abuse related death review"
    STATUTORY_REVIEW = "statutory_review", "Another statutory review (e.g. safeguarding)"
    INVESTIGATION = "investigation", "A police investigation"
    SUBJECT_ACCESS = "subject_access", "A subject access request in progress"
    STILL_NEEDED = "still_needed", "Still needed for the rule's purpose"
    PERIOD_ENDED = "period_ended", "The retention period has ended"
    OTHER = "other", "Another reason"


class CaseRetention(models.Model):
    """Where one archived case stands in its area's retention rule.

    Created when the case is archived; ``review_on`` is the next day a reviewer must look at
    it (a periodic review, or the end of the retention period). The daily sweep reads the index
    ``retention_review_idx`` (state, then date), so it touches only the cases that fall due,
    however many are archived. A legal hold (``held_at``) keeps the case out of the sweep and
    forbids disposal until it is lifted.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="retention")
    group_code = models.CharField(max_length=20)
    state = models.CharField(
        max_length=12, choices=RetentionState.choices, default=RetentionState.SCHEDULED
    )
    review_on = models.DateField()
    ends_on = models.DateField(
        null=True,
        blank=True,
        help_text="The end of the retention period where the case's own dates give it; empty "
        "when it runs from a date of birth (worked out at review, never stored).",
    )
    scheduled_at = models.DateTimeField()
    due_at = models.DateTimeField(null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommended_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    hold_reason = models.CharField(max_length=20, choices=ReasonCategory.choices, blank=True)

    class Meta:
        # The sweep's look-up (scheduled, by date) and the queue's (a state, by date) both read
        # this index: only the cases that fall due are touched, however many are archived.
        indexes = [models.Index(fields=["state", "review_on"], name="retention_review_idx")]

    def __str__(self) -> str:
        return f"Retention of case {self.case_id}"

    @property
    def is_held(self) -> bool:
        return self.held_at is not None


class DecisionKind(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled for review"
    DUE = "due", "Fell due for review"
    EXTEND = "extend", "Kept until a later review"
    HOLD = "hold", "Legal hold placed"
    LIFT = "lift", "Legal hold lifted"
    GROUP = "group", "Moved to another retention group"
    RECOMMEND = "recommend", "Disposal recommended"
    REJECT = "reject", "Recommendation not approved"


class RetentionDecision(models.Model):
    """One step in a case's retention history. Goes with the case at disposal; the certificate
    keeps who recommended and who approved."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="retention_decisions")
    kind = models.CharField(max_length=12, choices=DecisionKind.choices)
    reason = models.CharField(max_length=20, choices=ReasonCategory.choices, blank=True)
    detail = EncryptedTextField(blank=True)
    until = models.DateField(null=True, blank=True)
    group_code = models.CharField(max_length=20, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"Retention decision {self.pk}"


class DisposalCertificate(models.Model):
    """What remains of a disposed case: no name, narrative or date of birth, only the facts an
    auditor needs and the counts of what was destroyed (``counts``: kind of record -> rows)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, null=True, related_name="+")
    case_reference = models.CharField(max_length=30, db_index=True)
    case_created_at = models.DateTimeField(
        help_text="With the reference, tells the disposed case from a later one that might be "
        "given the same reference after a restore."
    )
    case_opened_on = models.DateField(null=True, blank=True)
    case_closed_on = models.DateField(null=True, blank=True)
    last_referred_on = models.DateField(null=True, blank=True)
    archived_on = models.DateField(null=True, blank=True)
    had_children = models.BooleanField(default=False)
    restriction = models.CharField(max_length=10, blank=True)
    group_code = models.CharField(max_length=20, blank=True)
    rule = models.CharField(max_length=400, help_text="The retention rule applied, in words.")
    retention_ended_on = models.DateField(null=True, blank=True)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recommended_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    disposed_at = models.DateTimeField(db_index=True)
    counts = models.JSONField(default=dict)
    reapplied_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When a restored backup brought the case back and it was disposed of again.",
    )

    class Meta:
        ordering = ["-disposed_at", "-pk"]

    def __str__(self) -> str:
        return f"Disposal certificate {self.case_reference}"

    @property
    def total_destroyed(self) -> int:
        return sum(int(n) for n in self.counts.values())
