"""Signing in, second factors, lock-out, passwords and sessions. Every event is audited."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.module_loading import import_string

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record, client_ip

from . import mfa, setup_links, throttle
from .models import SecurityPolicy, TotpDevice, User, UserSession
from .policy import installation_policy, network_refusal, policy_for_user

CHANGES = {
    "password_changed": "your password was changed",
    "password_reset": "the hub team reset your password and e-mailed you a link to choose one",
    "mfa_enrolled": "a second factor was added",
    "mfa_removed": "a second factor was removed",
    "mfa_reset": "the hub team reset your second factors",
    "recovery_codes_issued": "new recovery codes were made",
    "throttled": (
        "there were many failed attempts to sign in as you, so signing in is slowed down for a "
        "few minutes at a time"
    ),
}

PENDING = "auth_pending"
MFA_AT = "mfa_at"
SIGNED_IN_AT = "signed_in_at"
# When the session ends unless the person does something first (seconds since the epoch).
ENDS_AT = "ends_at"


@dataclass(frozen=True)
class PasswordResult:
    status: str  # "ok", "invalid", "throttled" or "network"
    user: User | None = None
    wait: throttle.Wait | None = None


def sign_in_password(*, username: str, password: str, request: HttpRequest) -> PasswordResult:
    """Check a username and password: the first step. Never says which part was wrong, and a
    name that does not exist is answered, counted, delayed and timed exactly like one that does
    (Django's backend hashes a dummy password; ``throttle`` counts both in one table by the
    installation's threshold, since the partnership is not known before the name is)."""
    policy = installation_policy()
    ip = client_ip(request)
    refusal = network_refusal(policy, ip)
    if refusal:
        audit_record(
            action="auth.sign_in",
            request=request,
            outcome=Outcome.DENIED,
            detail={"reason": refusal},
        )
        return PasswordResult("network")
    known = User.objects.filter(username=username).select_related("agency").first()
    wait = throttle.wait_for(username=username, ip=ip, request=request)
    if wait is not None:
        audit_record(
            action="auth.sign_in",
            request=request,
            actor=known,
            outcome=Outcome.DENIED,
            detail={"reason": "throttled", "known_user": known is not None},
        )
        return PasswordResult("throttled", wait=wait)
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        failure_record(username=username, known=known, request=request, step="password")
        wait = throttle.wait_for(username=username, ip=ip, request=request)
        return PasswordResult("throttled", wait=wait) if wait else PasswordResult("invalid")
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


def failure_record(
    *, username: str, known: User | None, request: HttpRequest | None, step: str
) -> None:
    """Count a failed password or code towards the name's delays (see ``throttle``); audited.
    The owner of a real account is told when failures from everywhere reach the point where
    every network is slowed down."""
    threshold = (
        policy_for_user(known).lockout_threshold
        if known is not None and step != "password"
        else installation_policy().lockout_threshold
    )
    alert = throttle.failure_count(
        username=username, ip=client_ip(request), threshold=threshold, request=request
    )
    audit_record(
        action="auth.sign_in" if step == "password" else "auth.mfa",
        request=request,
        actor=known,
        outcome=Outcome.FAILURE,
        detail={"known_user": known is not None, "step": step},
    )
    if alert and known is not None:
        audit_record(
            action="auth.throttled", request=request, actor=known, obj=known, outcome=Outcome.DENIED
        )
        credentials_changed_notice(user=known, change="throttled")


def pending_user(request: HttpRequest) -> User | None:
    """The user who has given their password in this session but not yet finished signing in."""
    pending = request.session.get(PENDING)
    if not pending:
        return None
    if time.time() - pending.get("at", 0) > settings.SIGN_IN_PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
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
        failure_record(username=user.username, known=user, request=request, step="code")
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
    request.session.pop(setup_links.GRANT, None)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")  # new session id
    now = int(time.time())
    request.session[MFA_AT] = now
    request.session[SIGNED_IN_AT] = now
    request.session.save()
    throttle.clear(username=user.username)
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
    *, record: UserSession, actor: User, request: HttpRequest | None, reason: str
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


def account_unlock(*, user: User, actor: User, request: HttpRequest | None) -> None:
    """The hub clears a name's sign-in delays, for someone held up by another's guessing."""
    throttle.clear(username=user.username)
    audit_record(action="auth.unlocked", request=request, actor=actor, obj=user)


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
    *,
    policy: SecurityPolicy,
    actor: User,
    changes: Mapping[str, object],
    request: HttpRequest | None,
) -> SecurityPolicy:
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
