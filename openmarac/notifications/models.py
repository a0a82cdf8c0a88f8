"""The notice outbox: every e-mail the service sends is first recorded here, exactly once."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.core.fields import EncryptedTextField


class Notice(models.Model):
    """One message to one recipient about one event.

    ``key`` is a hash of (event, instance, recipient) with a unique constraint, so recording the
    same notice twice (a re-run sweep, two workers, a retried request) leaves one row. Delivery
    claims a row before sending, so two senders never send the same row at once.

    Subjects and bodies carry references and links only, never a name, address or narrative.
    """

    key = models.CharField(max_length=64, unique=True)
    event = models.CharField(max_length=60, db_index=True)
    instance = models.CharField(
        max_length=120, help_text="Which occurrence of the event, e.g. 'referral:12:2026-11-23'."
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notices",
    )
    recipient_email = EncryptedTextField()
    subject = models.CharField(max_length=200)
    body = models.TextField()
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=80, blank=True)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="notice_unsent_idx",
                condition=models.Q(sent_at__isnull=True),
            ),
            models.Index(fields=["object_type", "object_id"], name="notice_object_idx"),
        ]

    def __str__(self) -> str:
        return f"Notice {self.pk} ({self.event})"
