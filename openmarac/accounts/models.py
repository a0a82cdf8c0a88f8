"""Users: professionals of one agency, holding one or more MARAC roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from openmarac.agencies.models import Agency
from openmarac.core.fields import EncryptedTextField
from openmarac.partnerships.models import Partnership


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
    is_information_governance = models.BooleanField(
        default=False,
        help_text=(
            "The partnership's information governance lead: reviews the retention queue and is "
            "the second person of a disposal. Sees no case detail beyond what review needs."
        ),
    )
    session_epoch = models.PositiveIntegerField(
        default=0,
        help_text="Raised to end every session of this user at once (see accounts.sessions).",
    )
    password_changed_at = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(
        default=False, help_text="Set when the password must be changed at the next sign-in."
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

    def set_password(self, raw_password: str | None) -> None:
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()

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
        if self.is_information_governance:
            names.append("Information governance")
        return names


class SecurityPolicy(models.Model):
    """How a partnership's users sign in: password rules, second factors, lock-out, sessions and
    where from. One per partnership; presets fill it in and the hub edits it."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="security_policy"
    )
    password_min_length = models.PositiveSmallIntegerField(default=12)
    password_require_character_classes = models.BooleanField(
        default=False,
        help_text="Upper and lower case letters, a digit and a symbol (a protocol deviation).",
    )
    password_max_age_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Force a change after this many days; empty for never."
    )
    allow_email_codes = models.BooleanField(
        default=False, help_text="Let users receive their second-factor code by e-mail."
    )
    lockout_threshold = models.PositiveSmallIntegerField(default=10)
    idle_timeout_minutes = models.PositiveSmallIntegerField(default=15)
    absolute_lifetime_hours = models.PositiveSmallIntegerField(default=12)
    allowed_networks = models.JSONField(
        default=list, blank=True, help_text="CIDR ranges; when set, sign-in only from these."
    )
    denied_networks = models.JSONField(
        default=list, blank=True, help_text="CIDR ranges never allowed to sign in."
    )
    allowed_countries = models.JSONField(
        default=list,
        blank=True,
        help_text="ISO country codes; when set, sign-in only from these (needs a GeoIP database).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "security policies"

    def __str__(self) -> str:
        return f"Security policy for {self.partnership}"


class TotpDevice(models.Model):
    """An authenticator app. Each time-step's code is accepted once: ``last_used_step`` rises."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="totp_devices")
    name = models.CharField(max_length=60, default="Authenticator app")
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class Passkey(models.Model):
    """A WebAuthn credential (a passkey or security key) registered by the user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    name = models.CharField(max_length=60, default="Passkey")
    credential_id = models.BinaryField(unique=True)
    credential_data = models.BinaryField(help_text="The attested credential data (public key).")
    sign_count = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class RecoveryCode(models.Model):
    """A single-use code for when the other factors are lost. Only a keyed hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "code_hash"], name="recovery_code_unique")
        ]

    def __str__(self) -> str:
        return f"Recovery code of {self.user_id}"


class EmailCode(models.Model):
    """A second-factor code sent by e-mail, where the partnership's policy allows it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    def __str__(self) -> str:
        return f"E-mailed code of {self.user_id}"


class UserSession(models.Model):
    """A signed-in session, kept so that users and the hub can see and end sessions."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    device = models.CharField(max_length=120, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=30, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return f"Session of {self.user_id} from {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class SetupLinkPurpose(models.TextChoices):
    NEW_ACCOUNT = "new_account", "Set up a new account"
    PASSWORD_RESET = "password_reset", "Choose a new password"
    FACTOR_RESET = "factor_reset", "Set up a second factor again"


class SetupLink(models.Model):
    """A single-use, expiring link e-mailed to the user alone: the only way to choose a password
    without knowing the old one, or to enrol a second factor without one. Only a hash of the
    token is stored; nobody but the addressee ever sees the token itself."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="setup_links")
    purpose = models.CharField(max_length=20, choices=SetupLinkPurpose.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="setup_links_issued", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Set-up link of {self.user_id} ({self.purpose})"


class SignInThrottle(models.Model):
    """Failed sign-in attempts for one name, from one network or (``network_key`` empty) from
    everywhere. Kept alike for names that exist and names that do not, so that neither the
    answers nor what survives a restart tell them apart. Keys are blind indexes: no name is
    stored."""

    account_key = models.CharField(max_length=64)
    network_key = models.CharField(max_length=64, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(default=timezone.now)
    blocked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account_key", "network_key"], name="sign_in_throttle_unique"
            )
        ]
        indexes = [models.Index(fields=["last_failure_at"], name="sign_in_throttle_age")]

    def __str__(self) -> str:
        return f"Sign-in throttle {self.account_key[:8]}"
