"""Cases: one victim's MARAC file, linking people in their roles."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency
from openmarac.core.fields import EncryptedTextField
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


class ClosureReason(models.TextChoices):
    CLOSED_TO_MARAC = "closed_to_marac", "Closed to MARAC at a meeting"
    NOT_HIGH_RISK = "not_high_risk", "Not deemed high risk at the meeting"
    PERIOD_ENDED = "period_ended", "The period open to MARAC ended"
    TRANSFERRED_OUT = "transferred_out", "Transferred to another MARAC"
    HUB_REVIEW = "hub_review", "Closed by the hub after review"


class Case(models.Model):
    """One victim's MARAC file.

    Lifecycle fields are set only by services: ``last_referred_at`` when a referral is accepted
    onto the case, ``last_heard_on`` when a meeting hears it, ``open_until`` for the end of the
    period the case stays open to MARAC (and agencies keep their flags), ``closed_at`` and
    ``closure_reason`` when it closes.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="cases")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="cases")
    reference = models.CharField(max_length=30, unique=True)
    status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    restriction = models.CharField(
        max_length=10, choices=Restriction.choices, default=Restriction.NONE, blank=True
    )
    has_children = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_referred_at = models.DateTimeField(null=True, blank=True, db_index=True)
    last_heard_on = models.DateField(null=True, blank=True, db_index=True)
    open_until = models.DateField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closure_reason = models.CharField(max_length=20, choices=ClosureReason.choices, blank=True)
    archived_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set when a closed case past its flag period is archived (``cases.archive``): "
        "read-only and out of every list but the hub's archive search.",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The daily sweep finds the closed cases still to archive from this index alone: it
            # holds only those, however many cases have been archived.
            models.Index(
                fields=["closed_at"],
                name="case_to_archive_idx",
                condition=models.Q(status="closed", archived_at__isnull=True),
            ),
            # The cases list shows a partnership's cases newest first, a page at a time.
            models.Index(fields=["partnership", "-created_at"], name="case_list_newest_idx"),
            # The restricted cases page (case access) lists only the restricted few, by reference.
            models.Index(
                fields=["reference"],
                name="case_restricted_idx",
                condition=~models.Q(restriction=""),
            ),
        ]

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


class CaseLinkKind(models.TextChoices):
    SAME_VICTIM_OTHER_PERPETRATOR = "victim", "Same victim, different perpetrator"
    SAME_PERPETRATOR_OTHER_VICTIM = "perpetrator", "Same perpetrator, different victim"
    EARLIER_OUT_OF_WINDOW = "earlier", "Earlier case, outside the repeat window"
    HEARD_ELSEWHERE = "elsewhere", "Heard by another MARAC"
    INFORMATION_ONLY = "information", "Information only"
    CHILD_IN_COMMON = "child", "A child in common"


class CaseLink(models.Model):
    """Two cases that are not one case but give each other context (not a repeat)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_from")
    related_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_to")
    kind = models.CharField(max_length=12, choices=CaseLinkKind.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["case", "related_case", "kind"], name="case_link_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(case=models.F("related_case")), name="case_link_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Link {self.pk}"


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


class DeathRole(models.TextChoices):
    VICTIM = "victim", "Victim"
    PERPETRATOR = "perpetrator", "Perpetrator"


class CaseDeath(models.Model):
    """The recorded death of a case's victim or perpetrator.

    Recording one freezes the case's record from routine edits (``lifecycle.case_is_frozen``)
    and tells the partnership's domestic abuse lead, for a domestic abuse related death review.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="deaths")
    role = models.CharField(max_length=12, choices=DeathRole.choices)
    participant = models.ForeignKey(
        CaseParticipant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    died_on = models.DateField(null=True, blank=True)
    notes = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Death record {self.pk}"
