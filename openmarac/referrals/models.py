"""Online referrals: drafts, submissions, their people and the e-mail codes that admit referrers."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency
from openmarac.cases.models import Case, ParticipantRole
from openmarac.checklists.models import ChecklistDefinition
from openmarac.core.fields import EncryptedJSONField, EncryptedTextField
from openmarac.partnerships.models import Area, Partnership
from openmarac.people.models import Person


class EmailVerification(models.Model):
    """A one-time code sent to a referrer's work address. The code itself is never stored."""

    email_index = models.CharField(max_length=32, db_index=True)
    code_hash = models.CharField(max_length=64)
    ip_index = models.CharField(max_length=32, blank=True, db_index=True)
    created_at = models.DateTimeField(db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Verification {self.pk}"


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AWAITING_APPROVAL = "awaiting_approval", "Waiting for agency approval"
    RETURNED_BY_APPROVER = "returned_by_approver", "Returned by agency approver"
    SUBMITTED = "submitted", "Submitted to the hub"
    RETURNED_BY_HUB = "returned_by_hub", "Returned by the hub as incomplete"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    LAPSED = "lapsed", "Lapsed: not completed in time"


class Referral(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="referrals")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, related_name="referrals", null=True, blank=True
    )
    reference = models.CharField(max_length=30, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=25, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT, db_index=True
    )
    referrer_email = EncryptedTextField()
    referrer_email_index = models.CharField(max_length=32, db_index=True)
    referrer_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    answers = EncryptedJSONField(default=dict)
    completed_sections = models.JSONField(default=list)
    checklist = models.ForeignKey(
        ChecklistDefinition, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checklist_score = models.PositiveSmallIntegerField(null=True, blank=True)
    checklist_level = models.CharField(max_length=20, blank=True)
    criteria_met = models.JSONField(default=list)
    restriction_requested = models.CharField(max_length=10, blank=True)
    victim_declined_idva = models.BooleanField(
        default=False, help_text="The referral records that the victim declined IDVA support."
    )
    emergency_requested = models.BooleanField(
        default=False, help_text="The referrer asks for an emergency MARAC (reason in answers)."
    )
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_for_approval_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approval_note = EncryptedTextField(blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Set by triage (openmarac.triage.services.acceptance and .decisions).
    hub_return_note = EncryptedTextField(
        blank=True, help_text="What the hub asked the referrer to complete."
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    is_repeat = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The triage queue's "recently decided" list: the latest decisions first.
            models.Index(
                fields=["-decided_at"],
                name="referral_decided_idx",
                condition=models.Q(decided_at__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.reference or f"Draft {self.public_id}"


class LinkStatus(models.TextChoices):
    PENDING = "pending", "Not yet checked"
    LINKED = "linked", "Linked to a known person"
    NEW = "new", "Confirmed as a new person"


class ReferralParticipant(models.Model):
    """A person named on a submitted referral, in a role, for triage to link or confirm.

    ``submitted_person`` holds the details as the referral gave them and never changes;
    ``person`` is who triage decided they are: the same record, or a known person it was linked
    to (undoing the link points it back).
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referral_roles")
    submitted_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    link_status = models.CharField(
        max_length=10, choices=LinkStatus.choices, default=LinkStatus.PENDING
    )
    role = models.CharField(max_length=12, choices=ParticipantRole.choices)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["role", "position"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} on {self.referral}"

    @property
    def as_submitted(self) -> Person:
        return self.submitted_person or self.person
