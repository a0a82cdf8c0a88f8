"""Second factors for the demo accounts, so that a newcomer can sign in to ``make run``.

Each demo user gets an authenticator app with a fixed, published secret (never in production:
the demo refuses to load there). ``manage.py demo_accounts`` prints the secrets; the demo
partnership also allows e-mailed codes, which development prints in the terminal.
"""

from __future__ import annotations

import base64
import datetime
import hashlib

from openmarac.accounts.mfa import totp_provisioning_uri
from openmarac.accounts.models import TotpDevice, User


def demo_totp_secret(username: str) -> str:
    digest = hashlib.sha256(f"openmarac-demo-only-totp-{username}".encode()).digest()
    return base64.b32encode(digest[:20]).decode()


def demo_second_factors(users: list[User], *, confirmed_at: datetime.datetime) -> None:
    for user in users:
        TotpDevice.objects.create(
            user=user,
            name="Demo authenticator",
            secret=demo_totp_secret(user.username),
            confirmed_at=confirmed_at,
        )


def demo_totp_uri(user: User) -> str:
    return totp_provisioning_uri(secret=demo_totp_secret(user.username), user=user)
