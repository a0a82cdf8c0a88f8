"""Users: professionals of one agency, holding one or more MARAC roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.crypto import salted_hmac

from openmarac.agencies.models import Agency


class User(AbstractUser):
    """A licence holder. Roles are flags so that one person can, say, chair and represent police.

    Privileged roles (hub coordinator) belong only to users of the hub agency; the service that
    grants roles enforces it, and a database constraint cannot see across the join.
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    job_title = models.CharField(max_length=200, blank=True)
    is_hub_coordinator = models.BooleanField(default=False)
    is_chair = models.BooleanField(default=False)
    is_agency_rep = models.BooleanField(default=False)
    is_partnership_lead = models.BooleanField(default=False)
    is_hub_manager = models.BooleanField(
        default=False,
        help_text="Hub manager: may open a restricted case with a written reason (break-glass).",
    )
    is_key_contact = models.BooleanField(
        default=False, help_text="Requests licences for their agency's staff."
    )
    is_referral_approver = models.BooleanField(
        default=False, help_text="Approves their agency's referrals before they reach the hub."
    )
    session_epoch = models.PositiveIntegerField(
        default=0,
        help_text="Raised to end every session of this user at once (see accounts.sessions).",
    )

    class Meta:
        ordering = ["username"]

    def clean(self) -> None:
        super().clean()
        if self.has_privileged_role and not (self.agency is not None and self.agency.is_hub):
            raise ValidationError("Only members of the hub team can hold hub roles.")

    @property
    def has_privileged_role(self) -> bool:
        """Hub roles, which member agencies never get (000 §6.5)."""
        return bool(self.is_hub_coordinator or self.is_hub_manager)

    def get_session_auth_hash(self) -> str:
        """Sessions carry this hash; raising ``session_epoch`` invalidates every one of them.

        Django compares it on each request and signs out a session whose hash no longer matches,
        exactly as it does after a password change.
        """
        return salted_hmac(
            "openmarac.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def role_names(self) -> list[str]:
        names = []
        if self.is_hub_coordinator:
            names.append("Hub coordinator")
        if self.is_hub_manager:
            names.append("Hub manager")
        if self.is_key_contact:
            names.append("Key contact")
        if self.is_chair:
            names.append("Chair")
        if self.is_agency_rep:
            names.append("Agency representative")
        if self.is_referral_approver:
            names.append("Referral approver")
        if self.is_partnership_lead:
            names.append("Partnership lead")
        return names
