"""People known to the MARAC. Everything that identifies a person is encrypted at rest."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.core.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from openmarac.partnerships.models import Partnership


class Gender(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NON_BINARY = "non_binary", "Non-binary"
    OTHER = "other", "Another gender"
    NOT_KNOWN = "not_known", "Not known"


class Person(models.Model):
    """One real person, possibly named on many referrals and cases.

    Search never reads the encrypted columns: it goes through ``PersonKey`` blind indexes.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="people")
    forenames = EncryptedTextField(blank=True)
    surname = EncryptedTextField(blank=True)
    aliases = EncryptedJSONField(default=list, blank=True)
    date_of_birth = EncryptedDateField(blank=True, null=True)
    birth_year = EncryptedTextField(blank=True, help_text="When only the year is known.")
    gender = models.CharField(max_length=12, choices=Gender.choices, default=Gender.NOT_KNOWN)
    phone = EncryptedTextField(blank=True)
    email = EncryptedTextField(blank=True)
    contact_safety_notes = EncryptedTextField(blank=True)
    equality = EncryptedJSONField(default=dict, blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_from"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "people"

    def __str__(self) -> str:
        # Never the name: model reprs reach logs and error pages.
        return f"Person {self.pk}"

    @property
    def display_name(self) -> str:
        return " ".join(part for part in (self.forenames, self.surname) if part) or "Name not known"


class PersonAddress(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="addresses")
    lines = EncryptedTextField(blank=True)
    postcode = EncryptedTextField(blank=True)
    is_current = models.BooleanField(default=True)
    safe_to_contact_here = models.BooleanField(null=True)

    def __str__(self) -> str:
        return f"Address {self.pk}"


class PersonKey(models.Model):
    """A blind index or blocking key: an HMAC of one normalised identifying value.

    Exact-match search and candidate selection for record matching read only this table.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="keys")
    key = models.CharField(max_length=32)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "key"], name="person_key_unique")]
        # Key first, then person: candidate look-ups are answered from the index alone.
        indexes = [models.Index(fields=["key", "person"], name="person_key_lookup")]

    def __str__(self) -> str:
        return f"PersonKey {self.pk}"


class PersonMerge(models.Model):
    """Two records found to be one person: ``merged`` was folded into ``kept``.

    ``moved`` records exactly what the merge changed (which case and referral roles were
    repointed, which duplicate case roles were removed), so that an unmerge puts every row back.
    """

    kept = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_merged")
    reason = EncryptedTextField()
    moved = models.JSONField(default=dict)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undo_reason = EncryptedTextField(blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"Merge {self.pk}"
