"""The IDVA clock: the IDVA service contacts the victim within the area's hours of acceptance
(000 §4.1, 002 §5.7), recording each attempt and the outcome (engaged, declined, unreachable)
and who presents the victim's view at the meeting (002 §7.9, §7.14)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency
from openmarac.cases.models import Case
from openmarac.core.fields import EncryptedTextField
from openmarac.referrals.models import Referral


class ContactOutcome(models.TextChoices):
    ENGAGED = "engaged", "Engaged with the IDVA service"
    DECLINED = "declined", "Declined IDVA support"
    UNREACHABLE = "unreachable", "Could not be reached"


class ContactMethod(models.TextChoices):
    PHONE = "phone", "Telephone"
    TEXT = "text", "Text message"
    EMAIL = "email", "E-mail"
    IN_PERSON = "in_person", "In person"
    VIA_REFERRER = "via_referrer", "Through the referring agency"


class IdvaContact(models.Model):
    """One accepted referral's contact with the victim. The sweep reminds the IDVA service before
    ``due_at`` (``reminded_at``) and tells the hub once it has passed (``late_at``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="idva_contacts")
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, null=True, blank=True, related_name="idva_contact"
    )
    accepted_at = models.DateTimeField()
    due_at = models.DateTimeField(db_index=True)
    outcome = models.CharField(max_length=12, choices=ContactOutcome.choices, blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    presents_view = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who presents the victim's view at the meeting (an agency or a role).",
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    late_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return f"IDVA contact {self.pk}"


class IdvaContactAttempt(models.Model):
    contact = models.ForeignKey(IdvaContact, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField()
    method = models.CharField(max_length=15, choices=ContactMethod.choices)
    note = EncryptedTextField(blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    by_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"IDVA contact attempt {self.pk}"
