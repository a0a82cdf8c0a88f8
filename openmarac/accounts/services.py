"""Signing in, second factors, lock-out, passwords and sessions. Every event is audited."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.sessions.backends.base import SessionBase
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record, client_ip
from openmarac.core.crypto import blind_index

from . import mfa
from .models import EmailCode, Passkey, RecoveryCode, TotpDevice, User, UserSession
from .policy import installation_policy, network_refusal, policy_for_user
from .sessions import end_all_sessions

CHANGES = {
    "password_changed": "your password was changed",
    "password_reset": "the hub team issued you a temporary password",
    "mfa_enrolled": "a second factor was added",
    "mfa_removed": "a second factor was removed",
    "mfa_reset": "the hub team reset your second factors",
    "recovery_codes_issued": "new recovery codes were made",
    "locked": "your account was locked after too many failed attempts",
}

PENDING = "auth_pending"
MFA_AT = "mfa_at"
SIGNED_IN_AT = "signed_in_at"


@dataclass(frozen=True)
class PasswordResult:
    status: str  # "ok", "invalid", "locked" or "network"
    user: User | None = None


def _unknown_failures_key(username: str) -> str:
    return f"auth:unknown-failures:{blind_index(username.lower(), purpose='sign-in')[:32]}"


def sign_in_password(*, username: str, password: str, request: HttpRequest) -> PasswordResult:
    """Check a username and password: the first step. Never says which part was wrong, and takes
    about as long for a name that does not exist (Django's backend hashes a dummy password)."""
    policy = installation_policy()
    refusal = network_refusal(policy, client_ip(request))
    if refusal:
        audit_record(
            action="auth.sign_in",
            request=request,
            outcome=Outcome.DENIED,
            detail={"reason": refusal},
        )
        return PasswordResult("network")
    user = authenticate(request, username=username, password=password)
    known = User.objects.filter(username=username).select_related("agency").first()
    threshold = policy_for_user(known).lockout_threshold if known else policy.lockout_threshold
    if known is None:
        # Unknown names are counted too, and "locked" at the same threshold, so that the
        # lock-out message itself does not reveal which names exist.
        key = _unknown_failures_key(username)
        cache.add(key, 0, timeout=24 * 60 * 60)
        failures = cache.incr(key)
        audit_record(
            action="auth.sign_in",
            request=request,
            outcome=Outcome.FAILURE,
            detail={"known_user": False},
        )
        return PasswordResult("locked" if failures >= threshold else "invalid")
    if known.is_locked:
        audit_record(
            action="auth.sign_in",
            request=request,
            actor=known,
            outcome=Outcome.DENIED,
            detail={"reason": "locked"},
        )
        return PasswordResult("locked")
    if user is None or not user.is_active:
        locked = failure_record(user=known, request=request, step="password")
        return PasswordResult("locked" if locked else "invalid")
    assert isinstance(user, User)
    audit_record(action="auth.password_accepted", request=request, actor=user)
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "at": int(time.time())}
    return PasswordResult("ok", user)


def credentials_changed_notice(*, user: User, change: str) -> None:
    """Tell the user their sign-in details changed, so that a change they did not make is seen.
    Says only what kind of change, never how to use it."""
    from openmarac.notifications.services import notice_record

    notice_record(
        event=f"auth.{change}",
        instance=f"user:{user.pk}:{time.time_ns()}",
        recipient_email=user.email,
        recipient_user=user,
        subject="Your OpenMARAC sign-in details changed",
        body=(
            f"The sign-in details of your OpenMARAC account changed: {CHANGES[change]}.\n\n"
            "If this was not you, contact the MARAC hub team at once.\n\n"
            f"{settings.SITE_URL}/\n"
        ),
        obj=user,
    )


@transaction.atomic
def failure_record(*, user: User, request: HttpRequest | None, step: str) -> bool:
    """Count a failed password or code; lock the account at the threshold. True if locked now."""
    User.objects.filter(pk=user.pk).update(failed_sign_ins=F("failed_sign_ins") + 1)
    user.refresh_from_db(fields=["failed_sign_ins", "locked_at"])
    audit_record(
        action="auth.sign_in" if step == "password" else "auth.mfa",
        request=request,
        actor=user,
        outcome=Outcome.FAILURE,
        detail={"known_user": True, "step": step, "failures": user.failed_sign_ins},
    )
    if user.locked_at is None and user.failed_sign_ins >= policy_for_user(user).lockout_threshold:
        user.locked_at = timezone.now()
        user.save(update_fields=["locked_at"])
        audit_record(
            action="auth.locked",
            request=request,
            actor=user,
            obj=user,
            outcome=Outcome.DENIED,
            detail={"failures": user.failed_sign_ins},
        )
        credentials_changed_notice(user=user, change="locked")
    return user.locked_at is not None


def pending_user(request: HttpRequest) -> User | None:
    """The user who has given their password in this session but not yet finished signing in."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    if time.time() - pending.get("at", 0) > settings.SIGN_IN_PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True, locked_at__isnull=True).first()
    if user is None:
        request.session.pop(PENDING, None)
    return user


def mfa_code_check(*, user: User, code: str, request: HttpRequest) -> str | None:
    """Try a code as an authenticator-app code, then an e-mailed code (where the policy allows
    them), then a recovery code. Returns the method that accepted it; audited either way, and a
    code nothing accepts counts one failure towards the lock-out."""
    cleaned = mfa.clean_code(code)
    method = ""
    if cleaned.isdigit() and len(cleaned) == mfa.TOTP_DIGITS:
        if mfa.totp_verify(user=user, code=cleaned):
            method = "totp"
        elif policy_for_user(user).allow_email_codes and mfa.email_code_use(
            user=user, code=cleaned
        ):
            method = "email"
    elif mfa.recovery_code_use(user=user, code=cleaned):
        method = "recovery"
    if not method:
        failure_record(user=user, request=request, step="code")
        return None
    audit_record(action="auth.mfa", request=request, actor=user, detail={"method": method})
    if method == "recovery":
        audit_record(
            action="auth.recovery_code_used",
            request=request,
            actor=user,
            detail={"left": mfa.recovery_codes_left(user)},
        )
    return method


def email_code_request(*, user: User, request: HttpRequest) -> bool:
    """Send an e-mailed code if the partnership allows them; audited either way."""
    if not policy_for_user(user).allow_email_codes or not user.email:
        audit_record(
            action="auth.email_code_sent",
            request=request,
            actor=user,
            outcome=Outcome.DENIED,
            detail={"reason": "not_allowed"},
        )
        return False
    mfa.email_code_send(user=user)
    audit_record(action="auth.email_code_sent", request=request, actor=user)
    return True


def device_label(request: HttpRequest) -> str:
    agent = request.META.get("HTTP_USER_AGENT", "")
    browser = next(
        (
            name
            for token, name in (
                ("Edg/", "Edge"),
                ("Firefox/", "Firefox"),
                ("Chrome/", "Chrome"),
                ("Safari/", "Safari"),
            )
            if token in agent
        ),
        "Unknown browser",
    )
    system = next(
        (
            name
            for token, name in (
                ("Windows", "Windows"),
                ("iPhone", "iPhone"),
                ("iPad", "iPad"),
                ("Android", "Android"),
                ("Mac OS", "Mac"),
                ("Linux", "Linux"),
            )
            if token in agent
        ),
        "unknown system",
    )
    return f"{browser} on {system}"


@transaction.atomic
def sign_in_complete(*, user: User, request: HttpRequest, method: str) -> UserSession:
    """Both factors given: start a fresh session (new id), record it, reset the failure count."""
    request.session.pop(PENDING, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")  # new session id
    now = int(time.time())
    request.session[MFA_AT] = now
    request.session[SIGNED_IN_AT] = now
    request.session.save()
    User.objects.filter(pk=user.pk).update(failed_sign_ins=0)
    record = UserSession.objects.create(
        user=user,
        session_key=request.session.session_key or "",
        ip_address=client_ip(request),
        device=device_label(request)[:120],
    )
    audit_record(action="auth.sign_in", request=request, actor=user, detail={"method": method})
    return record


def mfa_refresh(*, request: HttpRequest, method: str) -> None:
    """Step-up: a signed-in user has just given a second factor again."""
    request.session[MFA_AT] = int(time.time())
    audit_record(action="auth.step_up", request=request, detail={"method": method})


def _session_store(session_key: str) -> SessionBase:
    engine = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    store: SessionBase = engine(session_key)
    return store


@transaction.atomic
def session_end(
    *, record: UserSession, actor: Any, request: HttpRequest | None, reason: str
) -> None:
    """End one signed-in session, wherever it is: its stored session is deleted."""
    if record.ended_at is None:
        record.ended_at = timezone.now()
        record.end_reason = reason
        record.save(update_fields=["ended_at", "end_reason"])
    _session_store(record.session_key).delete(record.session_key)
    audit_record(
        action="auth.session_ended",
        request=request,
        actor=actor,
        obj=record,
        detail={"reason": reason, "user": record.user_id},
    )


def session_touch(request: HttpRequest) -> None:
    """Keep the session list's "last seen" roughly current (at most one write a minute)."""
    key = request.session.session_key
    if not key:
        return
    now = timezone.now()
    UserSession.objects.filter(
        session_key=key, last_seen_at__lt=now - timedelta(seconds=60)
    ).update(last_seen_at=now, ip_address=client_ip(request))


def session_expired(request: HttpRequest, reason: str) -> None:
    key = request.session.session_key
    if key:
        UserSession.objects.filter(session_key=key, ended_at__isnull=True).update(
            ended_at=timezone.now(), end_reason=reason
        )
    audit_record(action="auth.session_ended", request=request, detail={"reason": reason})


@transaction.atomic
def account_unlock(*, user: User, actor: User, request: HttpRequest | None) -> None:
    User.objects.filter(pk=user.pk).update(locked_at=None, failed_sign_ins=0)
    user.refresh_from_db(fields=["locked_at", "failed_sign_ins"])
    audit_record(action="auth.unlocked", request=request, actor=actor, obj=user)


@transaction.atomic
def mfa_reset(*, user: User, actor: User, request: HttpRequest | None) -> None:
    """Remove every second factor of ``user`` and end their sessions: they enrol again."""
    TotpDevice.objects.filter(user=user).delete()
    Passkey.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    EmailCode.objects.filter(user=user).delete()
    audit_record(action="auth.mfa_reset", request=request, actor=actor, obj=user)
    credentials_changed_notice(user=user, change="mfa_reset")
    end_all_sessions(user=user, actor=actor, reason="mfa_reset", request=request)


@transaction.atomic
def password_reset_by_hub(*, user: User, actor: User, request: HttpRequest | None) -> str:
    """Give ``user`` a temporary password, to be changed at sign-in; it does not skip the
    second factor. Unlocks the account and ends its sessions. Returns the password once."""
    temporary = "-".join(secrets.token_urlsafe(6) for _ in range(3))
    user.set_password(temporary)
    user.must_change_password = True
    user.locked_at = None
    user.failed_sign_ins = 0
    user.save(
        update_fields=[
            "password",
            "password_changed_at",
            "must_change_password",
            "locked_at",
            "failed_sign_ins",
        ]
    )
    audit_record(action="auth.password_reset", request=request, actor=actor, obj=user)
    credentials_changed_notice(user=user, change="password_reset")
    end_all_sessions(user=user, actor=actor, reason="password_reset", request=request)
    return temporary


@transaction.atomic
def password_change(*, user: User, password: str, request: HttpRequest) -> None:
    """Set a new (already validated) password; this session stays signed in, others end."""
    user.set_password(password)
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    audit_record(action="auth.password_changed", request=request, actor=user, obj=user)
    credentials_changed_notice(user=user, change="password_changed")
    if request.user.is_authenticated:
        keep = request.session.session_key
        for record in UserSession.objects.filter(user=user, ended_at__isnull=True).exclude(
            session_key=keep
        ):
            session_end(record=record, actor=user, request=request, reason="password_changed")
        update_session_auth_hash(request, user)


@transaction.atomic
def totp_enrol(
    *, user: User, secret: str, code: str, name: str, request: HttpRequest
) -> TotpDevice | None:
    """Add an authenticator app once the user has typed a code it shows."""
    if mfa.totp_matching_step(secret, code, after_step=0) is None:
        audit_record(
            action="auth.mfa_enrolled",
            request=request,
            actor=user,
            outcome=Outcome.FAILURE,
            detail={"method": "totp"},
        )
        return None
    device = TotpDevice.objects.create(user=user, secret=secret, name=name or "Authenticator app")
    mfa.totp_verify(user=user, code=code, device=device)
    audit_record(
        action="auth.mfa_enrolled",
        request=request,
        actor=user,
        obj=device,
        detail={"method": "totp"},
    )
    credentials_changed_notice(user=user, change="mfa_enrolled")
    return device


@transaction.atomic
def totp_remove(*, device: TotpDevice, request: HttpRequest) -> None:
    audit_record(action="auth.mfa_removed", request=request, obj=device, detail={"method": "totp"})
    credentials_changed_notice(user=device.user, change="mfa_removed")
    device.delete()


def recovery_codes_issue(*, user: User, request: HttpRequest) -> list[str]:
    codes = mfa.recovery_codes_generate(user=user)
    audit_record(action="auth.recovery_codes_issued", request=request, actor=user, obj=user)
    credentials_changed_notice(user=user, change="recovery_codes_issued")
    return codes


@transaction.atomic
def security_policy_update(
    *, policy: Any, actor: User, changes: dict[str, Any], request: HttpRequest | None
) -> Any:
    """Apply the hub's edits to the partnership's security policy, recording which fields."""
    changed = sorted(name for name, value in changes.items() if getattr(policy, name) != value)
    for name in changed:
        setattr(policy, name, changes[name])
    policy.full_clean()
    policy.save()
    audit_record(
        action="security_policy.update",
        request=request,
        actor=actor,
        obj=policy,
        detail={"fields": changed},
    )
    return policy
