"""Member agencies and their membership of area MARACs."""

from __future__ import annotations

from django.db import models

from openmarac.partnerships.models import Area, Partnership


class Sector(models.TextChoices):
    POLICE = "police", "Police"
    IDVA = "idva", "IDVA / domestic abuse service"
    CHILDRENS_SOCIAL_CARE = "childrens", "Children's social care"
    ADULT_SOCIAL_CARE = "adults", "Adult social care"
    HEALTH = "health", "Health"
    MENTAL_HEALTH = "mental_health", "Mental health"
    HOUSING = "housing", "Housing"
    PROBATION = "probation", "Probation"
    SUBSTANCE_USE = "substance_use", "Substance use"
    EDUCATION = "education", "Education"
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
