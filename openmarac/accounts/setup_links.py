"""Set-up links: how a password is chosen or a second factor enrolled without the old one.

Nobody is ever shown a credential that signs in as someone else. When an account is new, or the
hub resets a password or the second factors, the account holder alone is e-mailed a single-use
link that expires (``settings.SETUP_LINK_SECONDS``, a day by default). Opening it in a browser
gives that browser a short grant (``GRANT_SECONDS``) to choose a password and, for an account with
no second factor, to enrol one. Without a grant, a password alone never reaches enrolment.

Resetting a hub coordinator, hub manager or chair takes a hub manager who is not that person, so
that one coordinator cannot take over a more powerful account: two people are involved. The
account holder and the partnership's security contact are told at once, and the audit trail says
who did it. Only a hash of each token is stored, and the e-mail is sent directly rather than kept
in the notice outbox, whose messages are stored readable.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.audit.models import Outcome
from openmarac.audit.services import audit_record

from . import throttle
from .models import EmailCode, Passkey, RecoveryCode, SetupLink, SetupLinkPurpose, TotpDevice, User
from .sessions import end_all_sessions

logger = logging.getLogger(__name__)

GRANT = "setup_grant"
GRANT_SECONDS = 30 * 60

RESET_WORDS = {
    SetupLinkPurpose.NEW_ACCOUNT: "sent a link to set up the account",
    SetupLinkPurpose.PASSWORD_RESET: "reset the password",
    SetupLinkPurpose.FACTOR_RESET: "reset the second factors",
}


class SetupLinkNotSent(Exception):
    """The e-mail could not be sent; nothing was changed."""


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_privileged(user: User) -> bool:
    """Accounts whose reset takes a hub manager: they can see more than anyone else."""
    return bool(user.is_hub_coordinator or user.is_hub_manager or user.is_chair)


def reset_refusal(*, actor: User, target: User) -> str:
    """Why ``actor`` may not reset ``target``'s sign-in details, or "" if they may."""
    if actor.pk == target.pk:
        return (
            "You cannot reset your own account here. Change your password or second factors "
            "under Sign-in and security"
        )
    if is_privileged(target) and not actor.is_hub_manager:
        return "Only a hub manager can reset the account of a hub coordinator, hub manager or chair"
    return ""


def _link_email(*, user: User, token: str, purpose: str, actor: User | None) -> None:
    url = f"{settings.SITE_URL}/accounts/set-up/{token}/"
    hours = max(1, settings.SETUP_LINK_SECONDS // 3600)
    who = (
        f"{actor.get_full_name() or actor.username} of the MARAC hub team"
        if actor
        else "The MARAC hub team"
    )
    what = {
        SetupLinkPurpose.NEW_ACCOUNT: "Your OpenMARAC account is ready to set up.",
        SetupLinkPurpose.PASSWORD_RESET: f"{who} reset your OpenMARAC password.",
        SetupLinkPurpose.FACTOR_RESET: (
            f"{who} reset your OpenMARAC second factors (authenticator apps, passkeys and "
            "recovery codes)."
        ),
    }[SetupLinkPurpose(purpose)]
    try:
        send_mail(
            subject="Set up your OpenMARAC sign-in",
            message=(
                f"{what}\n\nOpen this link to continue. It works once, and only for the next "
                f"{hours} hours:\n\n{url}\n\n"
                "Nobody from the hub team will ever ask you for this link, your password or a code. "
                "If you did not expect this e-mail, contact the MARAC hub team at once.\n"
            ),
            from_email=None,
            recipient_list=[user.email],
        )
    except (OSError, ValueError) as error:  # SMTP and connection failures
        logger.warning("set-up link e-mail not sent: %s", type(error).__name__)
        raise SetupLinkNotSent from error


def _security_contact_notice(*, user: User, actor: User | None, purpose: str) -> None:
    """Tell the partnership's security contact at once that an account was reset, and by whom."""
    from openmarac.notifications.services import notice_record

    partnership = user.agency.partnership if user.agency else None
    if partnership is None:
        return
    contact = partnership.security_contact_email or partnership.hub_email
    if not contact:
        return
    by = f"{actor.get_full_name()} ({actor.username})" if actor else "the system"
    notice_record(
        event="auth.account_reset_alert",
        instance=f"user:{user.pk}:{time.time_ns()}",
        recipient_email=contact,
        subject="An OpenMARAC account was reset",
        body=(
            f"{by} {RESET_WORDS[SetupLinkPurpose(purpose)]} of the account "
            f"{user.username} at {timezone.localtime():%d %B %Y %H:%M}.\n\n"
            "The account holder has been e-mailed a single-use set-up link; nobody else can "
            "use it. If this was not expected, check the audit trail and contact the hub manager.\n"
        ),
        obj=user,
    )


@transaction.atomic
def setup_link_issue(
    *, user: User, purpose: str, actor: User | None, request: HttpRequest | None
) -> SetupLink:
    """E-mail ``user`` a new single-use set-up link; earlier unused links stop working.
    Raises ``SetupLinkNotSent`` (and changes nothing) if the e-mail cannot be sent."""
    now = timezone.now()
    SetupLink.objects.filter(user=user, used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    link = SetupLink.objects.create(
        user=user,
        purpose=purpose,
        token_hash=_hash(token),
        created_by=actor,
        expires_at=now + timedelta(seconds=settings.SETUP_LINK_SECONDS),
    )
    audit_record(
        action="auth.setup_link_sent",
        request=request,
        actor=actor,
        obj=user,
        detail={"purpose": purpose},
    )
    _link_email(user=user, token=token, purpose=purpose, actor=actor)
    return link


def _check_reset(*, actor: User, user: User) -> None:
    refusal = reset_refusal(actor=actor, target=user)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def password_reset_by_hub(*, user: User, actor: User, request: HttpRequest | None) -> SetupLink:
    """The old password stops working at once and the user is e-mailed a link to choose a new
    one; they still need their second factor to sign in. Sessions end; the security contact is
    told. Nothing is shown to the hub but that the link was sent."""
    _check_reset(actor=actor, user=user)
    purpose = (
        SetupLinkPurpose.NEW_ACCOUNT if user.last_login is None else SetupLinkPurpose.PASSWORD_RESET
    )
    user.set_unusable_password()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    throttle.clear(username=user.username)
    audit_record(action="auth.password_reset", request=request, actor=actor, obj=user)
    link = setup_link_issue(user=user, purpose=purpose, actor=actor, request=request)
    _security_contact_notice(user=user, actor=actor, purpose=purpose)
    end_all_sessions(user=user, actor=actor, reason="password_reset", request=request)
    return link


@transaction.atomic
def mfa_reset(*, user: User, actor: User, request: HttpRequest | None) -> SetupLink:
    """Remove every second factor and end the sessions; the user is e-mailed a link that, with
    their password, lets them enrol a new one. The security contact is told."""
    _check_reset(actor=actor, user=user)
    TotpDevice.objects.filter(user=user).delete()
    Passkey.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    EmailCode.objects.filter(user=user).delete()
    audit_record(action="auth.mfa_reset", request=request, actor=actor, obj=user)
    link = setup_link_issue(
        user=user, purpose=SetupLinkPurpose.FACTOR_RESET, actor=actor, request=request
    )
    _security_contact_notice(user=user, actor=actor, purpose=SetupLinkPurpose.FACTOR_RESET)
    end_all_sessions(user=user, actor=actor, reason="mfa_reset", request=request)
    return link


def setup_link_valid(token: str) -> SetupLink | None:
    """The unused, unexpired link of an active account that ``token`` opens, if any."""
    if not token or len(token) > 100:
        return None
    return (
        SetupLink.objects.select_related("user")
        .filter(
            token_hash=_hash(token),
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            user__is_active=True,
        )
        .first()
    )


@transaction.atomic
def setup_link_use(*, token: str, request: HttpRequest) -> SetupLink | None:
    """Use a link up (once only) and give this browser a short grant for its user."""
    link = setup_link_valid(token)
    if link is not None:
        used = SetupLink.objects.filter(pk=link.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        link = link if used else None
    if link is None:
        audit_record(
            action="auth.setup_link_used",
            request=request,
            outcome=Outcome.DENIED,
            detail={"reason": "invalid"},
        )
        return None
    request.session.cycle_key()
    request.session[GRANT] = {
        "user": link.user_id,
        "purpose": link.purpose,
        "password": link.purpose != SetupLinkPurpose.FACTOR_RESET,
        "at": int(time.time()),
    }
    audit_record(
        action="auth.setup_link_used",
        request=request,
        actor=link.user,
        obj=link.user,
        detail={"purpose": link.purpose},
    )
    return link


def grant_of(request: HttpRequest) -> dict[str, Any] | None:
    """This browser's unexpired set-up grant, if it has one."""
    grant = request.session.get(GRANT)
    if not grant or time.time() - grant.get("at", 0) > GRANT_SECONDS:
        request.session.pop(GRANT, None)
        return None
    return dict(grant)


def grant_user(request: HttpRequest) -> User | None:
    grant = grant_of(request)
    if grant is None:
        return None
    return User.objects.filter(pk=grant["user"], is_active=True).first()


def grant_allows_enrolment(request: HttpRequest, user: User) -> bool:
    grant = grant_of(request)
    return bool(grant and grant["user"] == user.pk and not grant["password"])
