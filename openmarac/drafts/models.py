"""Form drafts: what someone typed into a long form that their session ended under, or that was
refused, kept so that they find it again on the form after signing in.

A draft belongs to one signed-in user, or to one referrer's e-mail address (held as a blind
index, never in clear). What was typed is encrypted like other case data, and kept only for
``PURGE_FORM_DRAFT_HOURS`` (the retention sweep deletes older drafts)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from openmarac.core.fields import EncryptedJSONField


class FormDraft(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE
    )
    # blind_index(e-mail, purpose="form_draft_referrer") for a referrer; blank for a user.
    referrer_key = models.CharField(max_length=64, blank=True, db_index=True)
    # The form's page, e.g. /actions/<uuid>/comment/: URLs never hold case data.
    path = models.CharField(max_length=300)
    # {"field name": ["value", …]}, the form as submitted less its CSRF token.
    fields = EncryptedJSONField()
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False) & models.Q(referrer_key=""))
                | (models.Q(user__isnull=True) & ~models.Q(referrer_key="")),
                name="form_draft_one_owner",
            )
        ]

    def __str__(self) -> str:
        return f"Form draft {self.pk}"
