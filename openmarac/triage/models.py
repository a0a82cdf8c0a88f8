"""Triage: the hub's decisions on referrals, the chasing of returned ones, and weekly updates."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency
from openmarac.cases.models import Case
from openmarac.core.fields import EncryptedTextField
from openmarac.meetings.models import Meeting
from openmarac.referrals.models import Referral


class DecisionKind(models.TextChoices):
    ACCEPT = "accept", "Accepted"
    RETURN = "return", "Returned as incomplete"
    DECLINE = "decline", "Declined"
    LAPSE = "lapse", "Lapsed: not completed in time"


class DeclineReason(models.TextChoices):
    OUT_OF_AREA = "out_of_area", "Out of area"
    THRESHOLD = "threshold", "The MARAC referral criteria are not met"
    NOT_DOMESTIC_ABUSE = (
        "not_domestic_abuse",
        "Not domestic abuse as defined by the Domestic Abuse Act 2021, sections 1 and 2",
    )


class Routing(models.TextChoices):
    AGENDA = "agenda", "Listed at a meeting"
    IDVA_ONLY = "idva_only", "Sent to the IDVA service only"


class TriageDecision(models.Model):
    """One decision on one referral, with its reason. Decisions are never edited."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="triage_decisions"
    )
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    decline_reason = models.CharField(max_length=20, choices=DeclineReason.choices, blank=True)
    reason = EncryptedTextField(blank=True)
    missing = EncryptedTextField(blank=True)
    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, null=True, blank=True, related_name="triage_decisions"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_repeat = models.BooleanField(default=False)
    routing = models.CharField(max_length=10, choices=Routing.choices, blank=True)
    responsibility = models.CharField(
        max_length=20,
        blank=True,
        help_text="Who the outcome is attributed to; a lapse is the referring agency's.",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()

    class Meta:
        ordering = ["decided_at", "pk"]

    def __str__(self) -> str:
        return f"Decision {self.pk} ({self.kind})"


class IncompleteChase(models.Model):
    """A referral returned as incomplete, and how far the sweep has chased it.

    The sweep works out from ``returned_at`` and the area's policy what is due; the counters here
    record what it has done, so running it again does nothing new.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="chases")
    decision = models.OneToOneField(TriageDecision, on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField()
    chases_sent = models.PositiveSmallIntegerField(default=0)
    last_chased_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    lapsed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["returned_at", "pk"]
        indexes = [
            models.Index(
                fields=["returned_at"],
                name="chase_open_idx",
                condition=models.Q(completed_at__isnull=True, lapsed_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return f"Chase {self.pk}"


class UpdateKind(models.TextChoices):
    NEW_ADDRESS = "new_address", "New address"
    CHANGED_DETAILS = "changed_details", "Changes in details"
    SCHOOL = "school", "Change of school"
    RELATIONSHIP_RESUMED = "relationship_resumed", "The relationship has resumed"
    PREGNANCY = "pregnancy", "Pregnancy"
    NEW_RISK = "new_risk", "Additional risks or vulnerabilities"


class WeeklyUpdate(models.Model):
    """New information on an open case that is not a repeat (Lincolnshire 8.1)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="weekly_updates")
    kind = models.CharField(max_length=25, choices=UpdateKind.choices)
    information = EncryptedTextField()
    purpose = EncryptedTextField(
        help_text="Why it is an update and not a repeat, what has been done with it, and what "
        "other agencies are asked to do."
    )
    extend_flag_requested = models.BooleanField(default=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Weekly update {self.pk}"
