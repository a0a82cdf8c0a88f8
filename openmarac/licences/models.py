"""Licences: who may use the system, for which area MARACs or cases, and who answers for them.

A licence is requested by an agency's key contact and approved by the hub (000 §6.1-6.2). It
names the holder, their agency, the area MARACs it covers (standing) or the cases it is invited
to (by invite, until a date), a delegate and a senior escalation contact.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency
from openmarac.cases.models import Case
from openmarac.partnerships.models import Area


class LicenceKind(models.TextChoices):
    STANDING = "standing", "Standing: every case of the area MARACs it covers"
    BY_INVITE = "invite", "By invitation: only the cases it is invited to, until a date"


class LicenceStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspended"
    DEACTIVATED = "deactivated", "Deactivated"


class EndReason(models.TextChoices):
    LEAVER = "leaver", "Left the role"
    ROTA = "rota", "Rota"
    UNUSED = "unused", "Unused for a quarter"
    WITHDRAWN = "withdrawn", "Agency withdrew from the agreements"
    REFUSED = "refused", "Request refused"
    OTHER = "other", "Other"


class Licence(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="licences"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="licences")
    kind = models.CharField(max_length=10, choices=LicenceKind.choices)
    areas = models.ManyToManyField(Area, blank=True, related_name="licences")
    cases = models.ManyToManyField(Case, blank=True, related_name="licences")
    expires_on = models.DateField(
        null=True, blank=True, help_text="By-invite licences end on this date."
    )
    delegate_name = models.CharField(max_length=200)
    delegate_email = models.EmailField()
    escalation_name = models.CharField(max_length=200)
    escalation_email = models.EmailField()
    status = models.CharField(
        max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.REQUESTED
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=10, choices=EndReason.choices, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=~models.Q(status="deactivated"),
                name="licence_one_live_per_user",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="invite") | models.Q(expires_on__isnull=False),
                name="licence_invite_has_end_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Licence {str(self.public_id)[:8]}"

    @property
    def short_id(self) -> str:
        return str(self.public_id)[:8].upper()
