"""One-time codes that prove a referrer holds an official work e-mail address."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record, client_ip
from openmarac.core.crypto import blind_index

from .models import EmailVerification
from .selectors import email_index


class TooManyCodes(Exception):
    pass


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    message: str = ""


def _code_hash(verification_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"otp:{verification_id}:{code}".encode(), hashlib.sha256).hexdigest()


def referrer_label(email: str) -> str:
    return f"referrer:{email_index(email)[:16]}"


def verification_send_code(*, email: str, request: HttpRequest | None) -> EmailVerification:
    """Send a fresh six-digit code, within the per-address and per-network hourly limits."""
    now = timezone.now()
    hour_ago = now - timedelta(hours=1)
    address_key = email_index(email)
    ip = client_ip(request) or ""
    ip_key = blind_index(ip, purpose="ip") if ip else ""
    by_address = EmailVerification.objects.filter(email_index=address_key, created_at__gte=hour_ago)
    by_ip = EmailVerification.objects.filter(ip_index=ip_key, created_at__gte=hour_ago)
    if by_address.count() >= settings.REFERRAL_CODES_PER_ADDRESS_PER_HOUR or (
        ip_key and by_ip.count() >= settings.REFERRAL_CODES_PER_IP_PER_HOUR
    ):
        audit_record(
            action="referrer.code_requested",
            request=request,
            actor_label=referrer_label(email),
            outcome=Outcome.DENIED,
            detail={"reason": "rate_limited"},
        )
        raise TooManyCodes
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        # A new code replaces any earlier one for the address.
        by_address.filter(used_at__isnull=True).update(used_at=now)
        verification = EmailVerification.objects.create(
            email_index=address_key,
            code_hash="pending",
            ip_index=ip_key,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.REFERRAL_CODE_TTL_SECONDS),
        )
        verification.code_hash = _code_hash(verification.pk, code)
        verification.save(update_fields=["code_hash"])
    minutes = settings.REFERRAL_CODE_TTL_SECONDS // 60
    send_mail(
        subject="Your OpenMARAC referral code",
        message=(
            f"Your code to make a MARAC referral is {code}\n\n"
            f"It expires in {minutes} minutes and can be used once.\n\n"
            "If you did not ask for this code, you can ignore this email.\n"
        ),
        from_email=None,
        recipient_list=[email],
    )
    audit_record(
        action="referrer.code_requested",
        request=request,
        actor_label=referrer_label(email),
        obj=verification,
    )
    return verification


@transaction.atomic
def verification_check_code(*, email: str, code: str, request: HttpRequest | None) -> CheckResult:
    """Accept the latest unexpired, unused code once; count failed attempts against it."""
    now = timezone.now()
    verification = (
        EmailVerification.objects.select_for_update()
        .filter(email_index=email_index(email), used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    label = referrer_label(email)
    if verification is None or verification.expires_at <= now:
        audit_record(
            action="referrer.code_checked",
            request=request,
            actor_label=label,
            outcome=Outcome.FAILURE,
            detail={"reason": "expired_or_missing"},
        )
        return CheckResult(
            False, "The code has expired or has already been used. Ask for a new code"
        )
    if verification.attempts >= settings.REFERRAL_CODE_MAX_ATTEMPTS:
        verification.used_at = now
        verification.save(update_fields=["used_at"])
        return CheckResult(
            False, "You have entered the wrong code too many times. Ask for a new code"
        )
    if not hmac.compare_digest(verification.code_hash, _code_hash(verification.pk, code)):
        verification.attempts += 1
        if verification.attempts >= settings.REFERRAL_CODE_MAX_ATTEMPTS:
            verification.used_at = now
        verification.save(update_fields=["attempts", "used_at"])
        audit_record(
            action="referrer.code_checked",
            request=request,
            actor_label=label,
            obj=verification,
            outcome=Outcome.FAILURE,
            detail={"reason": "wrong_code", "attempts": verification.attempts},
        )
        if verification.used_at:
            return CheckResult(
                False, "You have entered the wrong code too many times. Ask for a new code"
            )
        return CheckResult(False, "The code is not correct. Check the email and try again")
    verification.used_at = now
    verification.save(update_fields=["used_at"])
    audit_record(action="referrer.signed_in", request=request, actor_label=label, obj=verification)
    return CheckResult(True)
