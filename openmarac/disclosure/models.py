"""Disclosing what the MARAC holds: subject access requests and court orders.

* A ``SubjectAccessRequest`` is logged by the hub with the requester's identity check and its
  clock (one month, extendable by two; UK GDPR Art. 12(3)). What is held about the data subject is
  gathered into ``SarItem`` rows, each a copy of one piece of information with who supplied it
  and the hub's decision (disclose, disclose with third-party information removed, refer to the
  supplying agency, withhold) and why. The pack is made from the decisions.
* A ``CourtOrder`` on a case is recorded (court, case number, what is ordered, deadline), the
  chair is asked and may object within the area's set time, and the bundle is made from
  ``CourtItem`` decisions: information another agency supplied is referred to it unless it
  consented (Family Justice Council guidance, end of 002).

Every copy of case information (item texts) is encrypted and belongs to its case: it goes with
the case at disposal. A request names its subject with ``SET_NULL``, so a disposal is never held
up by it.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency
from openmarac.cases.models import Case
from openmarac.core.fields import EncryptedTextField
from openmarac.partnerships.models import Partnership
from openmarac.people.models import Person


class ItemKind(models.TextChoices):
    DETAILS = "details", "Personal details"
    ADDRESS = "address", "Address"
    CASE_ROLE = "case_role", "Named on a MARAC case"
    REFERRAL = "referral", "Referral"
    RESEARCH = "research", "Research shared by an agency"
    MINUTES = "minutes", "MARAC minutes"
    SHARED = "shared", "Information shared at the meeting"
    ACTION = "action", "Action"
    UPDATE = "update", "Update from an agency"
    ALERT = "alert", "Alert on the case"


class Decision(models.TextChoices):
    DISCLOSE = "disclose", "Disclose"
    REDACT = "redact", "Disclose with third-party information removed"
    REFER = "refer", "Refer to the agency that supplied it"
    WITHHOLD = "withhold", "Withhold"


class Reason(models.TextChoices):
    NONE = "", "No reason needed"
    THIRD_PARTY = (
        "third_party",
        "It identifies other people (Data Protection Act 2018 Sch. 2 para 16)",
    )
    OTHER_AGENCY = "other_agency", "Another agency supplied it and answers for it"
    PERPETRATOR = (
        "perpetrator",
        "Not disclosed to an alleged perpetrator: it could identify the referral or the victim's location (002 §7.17)",
    )
    SAFETY = "safety", "Disclosure would put someone at risk of serious harm"
    CRIME = "crime", "Disclosure would prejudice the prevention or detection of crime"
    CONSENT = "consent", "The supplying agency consented to disclosure"
    OTHER = "other", "Another reason (in the note)"


class MadeBy(models.TextChoices):
    SUBJECT = "subject", "The data subject"
    AGENCY = "agency", "An agency on the data subject's behalf"
    REPRESENTATIVE = "representative", "A solicitor or other representative with authority"


class IdentityMethod(models.TextChoices):
    DOCUMENTS = "documents", "Photo identity and proof of address seen"
    COUNCIL = "council", "Checked by the council's subject access service"
    AGENCY = "agency", "Confirmed by an agency that knows the data subject"
    AUTHORITY = "authority", "Representative's authority and the subject's identity seen"


class SarStatus(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class SubjectAccessRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=30, unique=True)
    requester_name = EncryptedTextField(help_text="The data subject's name, as they gave it.")
    reply_to = EncryptedTextField(help_text="Safe contact details to send the reply to.")
    made_by = models.CharField(max_length=15, choices=MadeBy.choices, default=MadeBy.SUBJECT)
    received_on = models.DateField()
    due_on = models.DateField()
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = EncryptedTextField(blank=True)
    identity_method = models.CharField(max_length=15, choices=IdentityMethod.choices, blank=True)
    identity_note = EncryptedTextField(blank=True)
    identity_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    identity_checked_at = models.DateTimeField(null=True, blank=True)
    subject = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    subject_is_alleged_perpetrator = models.BooleanField(default=False)
    gathered_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=SarStatus.choices, default=SarStatus.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.reference

    @property
    def deadline(self) -> datetime.date:
        """The day the answer is due: the extended date, if the deadline was extended."""
        return self.extended_to or self.due_on


class SarItem(models.Model):
    """One piece of information held about the data subject, copied when gathered."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="items"
    )
    source_key = models.CharField(max_length=60)
    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    label = models.CharField(max_length=200)
    supplied_by = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.CharField(max_length=15, choices=Reason.choices, blank=True)
    disclosed_text = EncryptedTextField(
        blank=True, help_text="For a redaction: the text as disclosed, third parties removed."
    )
    note = EncryptedTextField(blank=True)
    locked = models.BooleanField(
        default=False, help_text="Withheld by rule (an alleged perpetrator): cannot be disclosed."
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "source_key"], name="sar_item_once")
        ]

    def __str__(self) -> str:
        return f"SAR item {self.pk}"


class ChairResponse(models.TextChoices):
    NONE = "", "Not yet"
    NO_OBJECTION = "no_objection", "No objection"
    OBJECTS = "objects", "Formal objection"


class CourtOrderStatus(models.TextChoices):
    AWAITING_CHAIR = "awaiting_chair", "Waiting for the chair"
    OBJECTED = "objected", "The chair objected"
    PREPARING = "preparing", "Preparing the bundle"
    DISCLOSED = "disclosed", "Disclosed to the court"


class CourtOrder(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="court_orders")
    court = models.CharField(max_length=200)
    court_case_number = models.CharField(max_length=60)
    ordered = EncryptedTextField(help_text="What the order asks to be disclosed.")
    deadline = models.DateField()
    received_on = models.DateField()
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    objection_due_on = models.DateField()
    chair_response = models.CharField(max_length=15, choices=ChairResponse.choices, blank=True)
    chair_reason = EncryptedTextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=15, choices=CourtOrderStatus.choices, default=CourtOrderStatus.AWAITING_CHAIR
    )
    proceed_note = EncryptedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    disclosed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"Court order {self.pk}"


class CourtItem(models.Model):
    """One document or piece of information the order may reach, and what is done with it."""

    order = models.ForeignKey(CourtOrder, on_delete=models.CASCADE, related_name="items")
    source_key = models.CharField(max_length=60)
    kind = models.CharField(max_length=12, choices=ItemKind.choices)
    label = models.CharField(max_length=200)
    supplied_by = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = EncryptedTextField()
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.CharField(max_length=15, choices=Reason.choices, blank=True)
    note = EncryptedTextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "source_key"], name="court_item_once")
        ]

    def __str__(self) -> str:
        return f"Court item {self.pk}"
