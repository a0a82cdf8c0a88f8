"""MARAC research: what each agency knows about each person on a listed case.

When a meeting's agenda is published every agency taking part in each listed case gets a
``ResearchRequest``. The agency answers per person (victim, each perpetrator, each child) with a
``ResearchEntry``: relevant information with its date range and whether it is fact or
professional opinion, or "not known to us", or "known, nothing relevant". Every change to an
entry is kept as a ``ResearchEntryVersion``. Only the supplying agency edits its research; every
member of the area MARAC who may see the case reads it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency
from openmarac.cases.models import CaseParticipant
from openmarac.core.fields import EncryptedTextField
from openmarac.meetings.models import Listing


class ResearchRequest(models.Model):
    listing = models.ForeignKey(Listing, on_delete=models.PROTECT, related_name="research_requests")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="research_requests")
    requested_at = models.DateTimeField()
    due_on = models.DateField(db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    written_submission = models.BooleanField(
        default=False,
        help_text="The agency will not attend: the chair reads its research out at the meeting.",
    )

    class Meta:
        ordering = ["listing__meeting__starts_on", "listing_id", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "agency"], name="research_request_unique")
        ]

    def __str__(self) -> str:
        return f"Research request {self.pk}"

    @property
    def is_complete(self) -> bool:
        return self.completed_at is not None


class Finding(models.TextChoices):
    INFORMATION = "information", "Relevant information to share"
    NOT_KNOWN = "not_known", "Not known to us"
    NOTHING_RELEVANT = "nothing_relevant", "Known to us, nothing relevant"


class Basis(models.TextChoices):
    FACT = "fact", "Fact"
    OPINION = "opinion", "Professional opinion"
    BOTH = "both", "Fact and professional opinion"


class ResearchEntry(models.Model):
    """One agency's research on one person of the case. ``version`` counts its changes."""

    request = models.ForeignKey(ResearchRequest, on_delete=models.PROTECT, related_name="entries")
    participant = models.ForeignKey(CaseParticipant, on_delete=models.PROTECT, related_name="+")
    finding = models.CharField(max_length=20, choices=Finding.choices)
    information = EncryptedTextField(blank=True)
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    basis = models.CharField(max_length=10, choices=Basis.choices, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["request_id", "participant_id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "participant"], name="research_entry_unique")
        ]

    def __str__(self) -> str:
        return f"Research entry {self.pk}"


class ResearchEntryVersion(models.Model):
    """An entry as it stood after each save: research history is never lost."""

    entry = models.ForeignKey(ResearchEntry, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    finding = models.CharField(max_length=20, choices=Finding.choices)
    information = EncryptedTextField(blank=True)
    period_from = models.DateField(null=True, blank=True)
    period_to = models.DateField(null=True, blank=True)
    basis = models.CharField(max_length=10, choices=Basis.choices, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["entry_id", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "version"], name="research_version_unique")
        ]

    def __str__(self) -> str:
        return f"Research entry {self.entry_id} version {self.version}"
