"""Managing one's own second factors, notices of changes, and the passkey endpoints."""

from __future__ import annotations

import json
import re

import pytest
from django.core import mail
from django.test import Client

from openmarac.accounts import mfa
from openmarac.accounts.models import Passkey, TotpDevice
from openmarac.audit.models import AuditEvent
from openmarac.demo.partnership import DEMO_PASSWORD

from .auth_helpers import CODE, password_step
from .conftest import client_for, delivered_mail

pytestmark = pytest.mark.django_db


def test_users_add_and_remove_an_authenticator_app(cast):
    client = client_for(cast.chair)
    page = client.get("/accounts/security/authenticator/")
    assert page.status_code == 200
    secret = client.session["new_totp_secret"]
    response = client.post(
        "/accounts/security/authenticator/", {"code": mfa.totp_for(secret).now(), "name": "Spare"}
    )
    assert response.status_code == 302
    assert TotpDevice.objects.filter(user=cast.chair).count() == 2
    spare = TotpDevice.objects.get(user=cast.chair, name="Spare")
    assert client.post(f"/accounts/security/authenticator/{spare.pk}/remove/").status_code == 302
    last = TotpDevice.objects.get(user=cast.chair)
    client.post(f"/accounts/security/authenticator/{last.pk}/remove/")
    assert TotpDevice.objects.filter(pk=last.pk).exists()  # never the last factor
    # Someone else's device is not found.
    other = TotpDevice.objects.get(user=cast.police_rep)
    assert client.post(f"/accounts/security/authenticator/{other.pk}/remove/").status_code == 404


def test_new_recovery_codes_replace_the_old_ones(cast):
    old = mfa.recovery_codes_generate(user=cast.chair)
    client = client_for(cast.chair)
    response = client.post("/accounts/security/recovery-codes/new/")
    assert response["Location"] == "/accounts/security/recovery-codes/"
    page = client.get(response["Location"]).content.decode()
    new = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)
    assert len(new) == 10
    assert not set(old) & set(new)
    assert not mfa.recovery_code_use(user=cast.chair, code=old[0])
    assert mfa.recovery_code_use(user=cast.chair, code=new[0])


def test_users_are_told_when_their_sign_in_details_change(cast):
    mail.outbox.clear()
    hub = client_for(cast.coordinator)
    hub.post(f"/accounts/hub/{cast.housing_rep.pk}/reset-mfa/")
    sent = [m for m in delivered_mail() if cast.housing_rep.email in m.to]
    assert len(sent) == 1  # the set-up link says what changed and who did it
    assert sent[0].subject == "Set up your OpenMARAC sign-in"
    assert "reset your OpenMARAC second factors" in sent[0].body
    assert cast.coordinator.get_full_name() in sent[0].body
    assert "contact the MARAC hub team" in sent[0].body
    # A change the user makes themselves is told to them too.
    cast.housing_rep.refresh_from_db()  # the reset ended their sessions
    client = client_for(cast.housing_rep)
    client.post(
        "/accounts/security/password/",
        {
            "current": DEMO_PASSWORD,
            "password1": "lantern orbit meadow 42!X",
            "password2": "lantern orbit meadow 42!X",
        },
    )
    sent = [m for m in delivered_mail() if cast.housing_rep.email in m.to]
    assert sent[-1].subject == "Your OpenMARAC sign-in details changed"
    assert "your password was changed" in sent[-1].body


def test_passkey_options_need_a_password_step_and_a_registered_passkey(cast):
    client = Client()
    url = "/accounts/passkeys/sign-in/options/"
    assert client.post(url).status_code == 400  # nobody has given a password
    password_step(client, "chair")
    assert client.post(url).status_code == 400  # chair has no passkey
    from cryptography.hazmat.primitives.asymmetric import ec
    from fido2.cose import ES256
    from fido2.webauthn import Aaguid, AttestedCredentialData

    public_key = ES256.from_cryptography_key(ec.generate_private_key(ec.SECP256R1()).public_key())
    credential = AttestedCredentialData.create(Aaguid.NONE, b"\x01" * 16, public_key)
    Passkey.objects.create(
        user=cast.chair, credential_id=b"\x01" * 16, credential_data=bytes(credential)
    )
    response = client.post(url, HTTP_HOST="localhost")
    assert response.status_code == 200
    options = response.json()["publicKey"]
    assert options["rpId"] == "localhost"
    assert len(options["challenge"]) >= 43  # 32 random bytes, base64url


def test_a_bad_passkey_answer_is_refused_and_counted(cast):
    client = Client()
    password_step(client, "chair")
    response = client.post(
        "/accounts/passkeys/sign-in/",
        data=json.dumps({"id": "nothing"}),
        content_type="application/json",
    )
    assert response.status_code == 400  # no ceremony was started
    assert client.get(CODE).status_code == 200  # still only half signed in


def test_registering_a_passkey_needs_a_recent_second_factor(cast):
    client = client_for(cast.chair)
    response = client.post("/accounts/passkeys/register/options/", HTTP_HOST="localhost")
    assert response.status_code == 200
    options = response.json()["publicKey"]
    assert options["user"]["name"] == "chair"
    assert options["rp"]["id"] == "localhost"
    bad = client.post(
        "/accounts/passkeys/register/",
        data=json.dumps({"id": "x", "response": {}}),
        content_type="application/json",
        HTTP_HOST="localhost",
    )
    assert bad.status_code == 400
    assert not Passkey.objects.filter(user=cast.chair).exists()
    assert AuditEvent.objects.filter(
        action="auth.mfa_enrolled", outcome="failure", detail__method="passkey"
    ).exists()


class SoftAuthenticator:
    """A minimal WebAuthn authenticator (ES256, no attestation) for driving the real endpoints."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives.asymmetric import ec

        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = b"soft-authenticator-credential-1"
        self.counter = 0

    @staticmethod
    def b64(data: bytes) -> str:
        import base64

        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    def _client_data(self, kind: str, challenge: str) -> bytes:
        return json.dumps(
            {
                "type": kind,
                "challenge": challenge,
                "origin": "http://localhost",
                "crossOrigin": False,
            }
        ).encode()

    def _auth_data(self, flags: int, extra: bytes = b"") -> bytes:
        import hashlib

        self.counter += 1
        return (
            hashlib.sha256(b"localhost").digest()
            + bytes([flags])
            + self.counter.to_bytes(4, "big")
            + extra
        )

    def create(self, options: dict) -> dict:
        from fido2 import cbor
        from fido2.cose import ES256
        from fido2.webauthn import Aaguid, AttestedCredentialData

        public = ES256.from_cryptography_key(self.key.public_key())
        attested = AttestedCredentialData.create(Aaguid.NONE, self.credential_id, public)
        auth_data = self._auth_data(0x45, bytes(attested))  # user present, verified, attested
        attestation = cbor.encode({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"])
        return {
            "id": self.b64(self.credential_id),
            "rawId": self.b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": self.b64(client_data),
                "attestationObject": self.b64(attestation),
            },
            "clientExtensionResults": {},
        }

    def get(self, options: dict) -> dict:
        import hashlib

        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import ec

        client_data = self._client_data("webauthn.get", options["challenge"])
        auth_data = self._auth_data(0x05)
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return {
            "id": self.b64(self.credential_id),
            "rawId": self.b64(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": self.b64(client_data),
                "authenticatorData": self.b64(auth_data),
                "signature": self.b64(signature),
            },
            "clientExtensionResults": {},
        }


def _post_json(client: Client, url: str, data: dict | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        url, data=json.dumps(data or {}), content_type="application/json", HTTP_HOST="localhost"
    )


def test_a_passkey_is_registered_and_then_signs_in_as_the_second_factor(cast, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    authenticator = SoftAuthenticator()
    client = client_for(cast.chair)
    options = _post_json(client, "/accounts/passkeys/register/options/").json()["publicKey"]
    response = _post_json(client, "/accounts/passkeys/register/", authenticator.create(options))
    assert response.status_code == 200, response.content
    assert response.json() == {"redirect": "/accounts/security/"}
    passkey = Passkey.objects.get(user=cast.chair)
    assert bytes(passkey.credential_id) == authenticator.credential_id

    fresh = Client()
    fresh.post(
        "/accounts/sign-in/",
        {"username": "chair", "password": "demo-password-not-for-real-use"},
        HTTP_HOST="localhost",
    )
    options = _post_json(fresh, "/accounts/passkeys/sign-in/options/").json()["publicKey"]
    assert options["allowCredentials"][0]["id"] == authenticator.b64(authenticator.credential_id)
    answer = authenticator.get(options)
    response = _post_json(fresh, "/accounts/passkeys/sign-in/", answer)
    assert response.status_code == 200, response.content
    assert response.json() == {"redirect": "/"}
    assert fresh.get("/cases/", HTTP_HOST="localhost").status_code == 200
    event = AuditEvent.objects.filter(action="auth.sign_in", outcome="success").latest("id")
    assert event.detail == {"method": "passkey"}

    # The same signed answer cannot be replayed: its challenge is used up.
    replay = Client()
    replay.post(
        "/accounts/sign-in/",
        {"username": "chair", "password": "demo-password-not-for-real-use"},
        HTTP_HOST="localhost",
    )
    _post_json(replay, "/accounts/passkeys/sign-in/options/")
    assert _post_json(replay, "/accounts/passkeys/sign-in/", answer).status_code == 400
    assert replay.get("/cases/", HTTP_HOST="localhost").status_code == 302
