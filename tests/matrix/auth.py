"""Sign-in, second factors, the user's own security page and the hub's account pages."""

from __future__ import annotations

from typing import Any

from .common import NO_ARGS, SIGN_IN, Args, everyone, hub_only


def signed_in_only(status: Any) -> dict[str, Any]:
    return {**everyone(status), "revoked": SIGN_IN, "anonymous": SIGN_IN}


def hub_post_only() -> dict[str, Any]:
    return {**hub_only(), "coordinator": 405}


def _a_session(cast: Any) -> dict[str, Any]:
    from openmarac.accounts.models import UserSession

    record, _ = UserSession.objects.get_or_create(
        session_key="matrix-session", defaults={"user": cast.police_rep}
    )
    return {"session_id": record.pk}


ACCOUNT: Args = lambda cast: {"user_id": cast.police_rep.pk}  # noqa: E731
ONE: Args = lambda cast: {"device_id": 1}  # noqa: E731

ROWS: dict[str, tuple[Args, dict[str, Any]]] = {
    # The sign-in steps after the password answer only a session that has given one.
    "accounts:verify": (NO_ARGS, everyone(SIGN_IN)),
    "accounts:enrol": (NO_ARGS, everyone(SIGN_IN)),
    "accounts:new_password": (NO_ARGS, everyone(SIGN_IN)),
    # A set-up link that is not a live one is "cannot be used" for everyone; choosing a
    # password needs the grant a live link gives, or it is back to signing in.
    "accounts:setup_link": (lambda cast: {"token": "not-a-live-link"}, everyone(404)),
    "accounts:setup_password": (NO_ARGS, everyone(SIGN_IN)),
    "accounts:email_code": (NO_ARGS, everyone(405)),
    "accounts:passkey_sign_in_options": (NO_ARGS, everyone(405)),
    "accounts:passkey_sign_in": (NO_ARGS, everyone(405)),
    # "Stay signed in" is a post, from the time-out warning.
    "accounts:session_keep_alive": (NO_ARGS, everyone(405)),
    "accounts:confirm": (NO_ARGS, signed_in_only(200)),
    "accounts:security": (NO_ARGS, signed_in_only(200)),
    "accounts:password_change": (NO_ARGS, signed_in_only(200)),
    "accounts:totp_add": (NO_ARGS, signed_in_only(200)),
    # Codes are shown once, straight after they are made; otherwise back to the security page.
    "accounts:recovery_codes": (NO_ARGS, signed_in_only(302)),
    "accounts:recovery_codes_new": (NO_ARGS, signed_in_only(405)),
    "accounts:totp_remove": (ONE, signed_in_only(405)),
    "accounts:session_end": (_a_session, signed_in_only(405)),
    "accounts:passkey_register_options": (NO_ARGS, signed_in_only(405)),
    "accounts:passkey_register": (NO_ARGS, signed_in_only(405)),
    "accounts:passkey_remove": (lambda cast: {"passkey_id": 1}, signed_in_only(405)),
    "accounts:hub_accounts": (NO_ARGS, hub_only()),
    "accounts:hub_account": (ACCOUNT, hub_only()),
    "accounts:hub_security_policy": (NO_ARGS, hub_only()),
    "accounts:hub_account_action": (
        lambda cast: {"user_id": cast.police_rep.pk, "action": "unlock"},
        hub_post_only(),
    ),
    "accounts:hub_session_end": (_a_session, hub_post_only()),
}
