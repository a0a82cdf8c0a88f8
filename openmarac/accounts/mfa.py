"""Second factors: authenticator apps (TOTP), recovery codes and e-mailed codes.

Passkeys are in ``passkeys.py``. Every check is audited by the caller's service; the functions
here only decide whether a code is good, and use it up when it is.
"""

from __future__ import annotations

import hmac
import secrets
import time
from datetime import timedelta

import pyotp
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import EmailCode, RecoveryCode, TotpDevice, User

TOTP_STEP_SECONDS = 30
TOTP_DIGITS = 6
# A code from the step before or after the current one is accepted, for clock drift.
TOTP_DRIFT_STEPS = 1
RECOVERY_CODE_COUNT = 10
EMAIL_CODE_MAX_ATTEMPTS = 5
ISSUER = "OpenMARAC"


def clean_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def totp_secret_new() -> str:
    return pyotp.random_base32()


def totp_for(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=TOTP_DIGITS, interval=TOTP_STEP_SECONDS)


def totp_provisioning_uri(*, secret: str, user: User) -> str:
    return totp_for(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // TOTP_STEP_SECONDS)


def totp_matching_step(secret: str, code: str, *, after_step: int) -> int | None:
    """The time-step whose code is ``code``, if it is near now and later than ``after_step``."""
    code = clean_code(code)
    if not (code.isdigit() and len(code) == TOTP_DIGITS):
        return None
    totp = totp_for(secret)
    now_step = current_step()
    found = None
    for step in range(now_step - TOTP_DRIFT_STEPS, now_step + TOTP_DRIFT_STEPS + 1):
        # Compare every candidate, so the time taken does not depend on which one matched.
        if hmac.compare_digest(totp.at(step * TOTP_STEP_SECONDS), code) and step > after_step:
            found = step
    return found


@transaction.atomic
def totp_verify(*, user: User, code: str, device: TotpDevice | None = None) -> TotpDevice | None:
    """The confirmed device whose current code this is, used up; None if no device accepts it.

    Each device remembers the last time-step it accepted, so a code (and any earlier one) works
    only once, even within its 30 seconds.
    """
    devices = TotpDevice.objects.select_for_update().filter(user=user)
    devices = devices.filter(pk=device.pk) if device else devices.filter(confirmed_at__isnull=False)
    for candidate in devices:
        step = totp_matching_step(candidate.secret, code, after_step=candidate.last_used_step)
        if step is not None:
            candidate.last_used_step = step
            candidate.last_used_at = timezone.now()
            if candidate.confirmed_at is None:
                candidate.confirmed_at = candidate.last_used_at
            candidate.save(update_fields=["last_used_step", "last_used_at", "confirmed_at"])
            return candidate
    return None


def _code_hash(user_id: int, code: str, purpose: str) -> str:
    return salted_hmac(f"openmarac.accounts.{purpose}", f"{user_id}:{clean_code(code)}").hexdigest()


def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones, returned once in clear for display."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(alphabet) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=_code_hash(user.pk, code, "recovery"))
            for code in codes
        )
    return codes


@transaction.atomic
def recovery_code_use(*, user: User, code: str) -> bool:
    """Use up one unused recovery code; False if there is none such."""
    used = RecoveryCode.objects.filter(
        user=user, code_hash=_code_hash(user.pk, code, "recovery"), used_at__isnull=True
    ).update(used_at=timezone.now())
    return used == 1


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def email_code_send(*, user: User) -> EmailCode:
    """E-mail a fresh six-digit code, replacing any earlier one. Sent at once, never stored in
    clear, so it does not go through the notice outbox (whose messages are kept readable)."""
    now = timezone.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        EmailCode.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
        record = EmailCode.objects.create(
            user=user,
            code_hash=_code_hash(user.pk, code, "email-code"),
            expires_at=now + timedelta(seconds=settings.MFA_EMAIL_CODE_TTL_SECONDS),
        )
    minutes = settings.MFA_EMAIL_CODE_TTL_SECONDS // 60
    send_mail(
        subject="Your OpenMARAC sign-in code",
        message=(
            f"Your code to sign in to OpenMARAC is {code}\n\n"
            f"It expires in {minutes} minutes and can be used once.\n\n"
            "If you did not try to sign in, tell the MARAC hub team at once.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    return record


@transaction.atomic
def email_code_use(*, user: User, code: str) -> bool:
    now = timezone.now()
    record = (
        EmailCode.objects.select_for_update()
        .filter(user=user, used_at__isnull=True, expires_at__gt=now)
        .order_by("-created_at")
        .first()
    )
    if record is None:
        return False
    if hmac.compare_digest(record.code_hash, _code_hash(user.pk, code, "email-code")):
        record.used_at = now
        record.save(update_fields=["used_at"])
        return True
    record.attempts += 1
    if record.attempts >= EMAIL_CODE_MAX_ATTEMPTS:
        record.used_at = now
    record.save(update_fields=["attempts", "used_at"])
    return False


def has_strong_factor(user: User) -> bool:
    """An authenticator app or passkey: what every account must have (e-mail codes aside)."""
    return (
        TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()
        or user.passkeys.exists()
    )
