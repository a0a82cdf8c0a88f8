"""Cases: one victim's MARAC file, linking people in their roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency
from openmarac.partnerships.models import Area, Partnership
from openmarac.people.models import Person


class Restriction(models.TextChoices):
    NONE = "", "Not restricted"
    CLOSED = "closed", "Closed MARAC"
    HBA = "hba", "HBA / forced marriage / FGM"
    EMPLOYEE = "employee", "Employee-sensitive"


class CaseStatus(models.TextChoices):
    OPEN = "open", "Open to MARAC"
    CLOSED = "closed", "Closed"


class Case(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="cases")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=30, unique=True)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    restriction = models.CharField(
        max_length=10, choices=Restriction.choices, default=Restriction.NONE, blank=True
    )
    has_children = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference


class ParticipantRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    PERPETRATOR = "perpetrator", "Perpetrator"
    CHILD = "child", "Child"
    HOUSEHOLD = "household", "Other household member"


class CaseParticipant(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_roles")
    role = models.CharField(max_length=12, choices=ParticipantRole.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "person", "role"], name="case_participant_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.case}"


class CaseInvitation(models.Model):
    """A by-invite agency asked to join one case, for a limited time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="invitations")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="case_invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "agency"], name="case_invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.agency} invited to {self.case}"


class CaseAccessGrant(models.Model):
    """A named user allowed into a restricted case. Restricted cases admit nobody else."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="access_grants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_grants"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="case_grant_unique")]

    def __str__(self) -> str:
        return f"Grant {self.pk}"
