"""Signing in through the real pages, for the authentication tests."""

from __future__ import annotations

from django.test import Client

from openmarac.accounts.models import User
from openmarac.demo.partnership import DEMO_PASSWORD

from .conftest import next_totp_code

SIGN_IN = "/accounts/sign-in/"
CODE = "/accounts/sign-in/code/"


def password_step(client: Client, username: str, password: str = DEMO_PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(SIGN_IN, {"username": username, "password": password})


def sign_in(user: User, client: Client | None = None) -> Client:
    """Both steps: the password, then the authenticator app's next code."""
    client = client or Client()
    response = password_step(client, user.username)
    assert response.status_code == 302, response
    assert response["Location"] == CODE
    response = client.post(CODE, {"code": next_totp_code(user)})
    assert response.status_code == 302, response.content.decode()[-1500:]
    return client
