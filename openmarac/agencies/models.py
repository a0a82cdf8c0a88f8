"""Member agencies and their membership of area MARACs."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.partnerships.models import Area, Partnership


class Sector(models.TextChoices):
    """The steering group's sectors (issue 20): referrals, attendance and actions are counted by
    them. ``health`` is kept for a health agency that is none of the more precise four."""

    POLICE = "police", "Police"
    IDVA = "idva", "IDVA / domestic abuse service"
    CHILDRENS_SOCIAL_CARE = "childrens", "Children's social care"
    ADULT_SOCIAL_CARE = "adults", "Adult social care"
    PRIMARY_CARE = "primary_care", "Primary care"
    ACUTE_HEALTH = "acute_health", "Acute health"
    MENTAL_HEALTH = "mental_health", "Mental health"
    MATERNITY = "maternity", "Maternity"
    HEALTH = "health", "Health (other)"
    SUBSTANCE_USE = "substance_use", "Substance misuse"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation"
    EDUCATION = "education", "Education"
    VOLUNTARY = "voluntary", "Voluntary sector"
    OTHER = "other", "Other"


class Agency(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    statutory = models.BooleanField(default=False)
    is_hub = models.BooleanField(
        default=False, help_text="The MARAC hub team. Only its users may hold privileged roles."
    )
    escalation_email = models.EmailField(
        blank=True,
        help_text="The agency's lead for escalations (its domestic abuse partnership member or "
        "protocol signatory), told when a returned referral is not completed.",
    )
    withdrawn_on = models.DateField(
        null=True,
        blank=True,
        help_text="The agency withdrew from the agreements (000 §11.1): no licences, no agendas.",
    )
    withdrawal_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="agency_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipKind(models.TextChoices):
    STANDING = "standing", "Standing member (all cases)"
    BY_INVITE = "invite", "By invitation (named cases only)"


class AreaMembership(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(max_length=10, choices=MembershipKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["area", "agency"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} in {self.area} ({self.get_kind_display()})"


class Agreement(models.TextChoices):
    SHARING_AGREEMENT = "isa", "Information sharing agreement"
    OPERATING_PROTOCOL = "protocol", "Operating protocol"


class AgreementSignature(models.Model):
    """An agency's signature of one of the partnership's agreements, and its withdrawal.

    An agency may hold licences only while it has a current signature of both agreements.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="signatures")
    agreement = models.CharField(max_length=10, choices=Agreement.choices)
    signed_on = models.DateField()
    signed_by = models.CharField(max_length=200, help_text="Name and role of who signed.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["agency", "agreement", "-signed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "agreement"],
                condition=models.Q(withdrawn_on__isnull=True),
                name="signature_current_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_agreement_display()} signed on {self.signed_on:%d/%m/%Y}"
