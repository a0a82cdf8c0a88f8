"""Letters the hub writes from a case: legal aid letters for victims heard at MARAC (002 §7.19)
and housing support letters, which go to the agency, never to the victim.

Each partnership edits its own template of each kind (``LetterTemplate``: text with
placeholders, no personal data). Every letter written is kept against its case (``Letter``,
encrypted) and goes with the case at disposal.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency
from openmarac.cases.models import Case
from openmarac.core.fields import EncryptedTextField
from openmarac.partnerships.models import Partnership


class LetterKind(models.TextChoices):
    LEGAL_AID = "legal_aid", "Legal aid letter"
    HOUSING_SUPPORT = "housing_support", "Housing support letter"


class LetterTemplate(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    body = models.TextField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind"], name="letter_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} template"


class Letter(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(max_length=20, choices=LetterKind.choices)
    recipient_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient = EncryptedTextField(help_text="Who the letter is addressed to, and where.")
    body = EncryptedTextField()
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at", "-pk"]

    def __str__(self) -> str:
        return f"Letter {self.pk}"
