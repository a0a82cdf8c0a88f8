"""Exceptions to ordinary case access: conflicts of interest and break-glass openings.

Restricted cases and the named users invited to them are ``Case.restriction`` and
``cases.CaseAccessGrant``; this app holds the services and pages that change them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.cases.models import Case
from openmarac.core.fields import EncryptedTextField


class ConflictDeclaration(models.Model):
    """A user knows a person in a case; from then on they cannot open it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="conflicts"
    )
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "user"], name="conflict_unique"),
        ]

    def __str__(self) -> str:
        return f"Conflict {self.pk}"


class BreakGlass(models.Model):
    """A hub manager opening a restricted case they were not invited to, for a limited time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="break_glass_uses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_uses"
    )
    reason = EncryptedTextField()
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"Break-glass {self.pk}"
