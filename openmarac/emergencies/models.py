"""Emergency MARACs: a request on a case, its decision, and the meeting that hears it.

A request comes from the referral journey (the referrer asks and says why; it is made when the
hub accepts the referral) or from the hub on an open case. The role the area's policy names
decides it. An approved request gets a meeting of the emergency kind within the area's limit,
with the case listed at it; a refused one says why and the case keeps its regular meeting.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency
from openmarac.cases.models import Case
from openmarac.core.fields import EncryptedTextField
from openmarac.meetings.models import Meeting
from openmarac.referrals.models import Referral


class EmergencyStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused: the case goes to its regular meeting"


class EmergencyRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="emergency_requests")
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emergency_requests",
    )
    reason = EncryptedTextField(help_text="Why the case cannot wait for the next meeting.")
    referring_agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Must attend the emergency MARAC (001 S2 Part 4 step 6, 002 §10).",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=EmergencyStatus.choices, default=EmergencyStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = EncryptedTextField(blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    held_by = models.DateTimeField(
        null=True, blank=True, help_text="The area's limit for holding the meeting, if it has one."
    )
    slot_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    research_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(status="requested"),
                name="emergency_one_open_request",
            )
        ]

    def __str__(self) -> str:
        return f"Emergency request {self.pk}"
