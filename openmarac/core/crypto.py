"""Authenticated encryption of personal data at rest, and blind indexes for exact-match search.

Ciphertexts look like ``v1:<key id>:<base64(nonce || AES-256-GCM ciphertext+tag)>``. The key id
lets every key in ``OPENMARAC_DATA_KEYS`` decrypt while only the first encrypts, so rotating a key
is: put the new key first, restart, run ``manage.py rotate_data_keys``, then drop the old key.

Blind indexes are HMAC-SHA256 of a normalised value under ``OPENMARAC_INDEX_KEY``, truncated to
32 hex characters: equal inputs give equal indexes, and the index says nothing about the value to
anyone without the key. Keys never touch the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"


class DecryptionError(Exception):
    """A ciphertext could not be authenticated with any configured key."""


@dataclass(frozen=True)
class KeyRing:
    primary_id: str
    keys: dict[str, bytes]
    index_key: bytes


def _decode_key(label: str, value: str) -> bytes:
    try:
        raw = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{label} is not valid base64") from exc
    if len(raw) != 32:
        raise ImproperlyConfigured(f"{label} must decode to 32 bytes")
    return raw


def parse_keyring(data_keys: str, index_key: str) -> KeyRing:
    keys: dict[str, bytes] = {}
    primary_id = ""
    for entry in data_keys.split(","):
        entry = entry.strip()
        if not entry:
            continue
        key_id, sep, value = entry.partition(":")
        if not sep or not key_id.isalnum():
            raise ImproperlyConfigured("each data key must be written key_id:base64")
        if key_id in keys:
            raise ImproperlyConfigured(f"data key id {key_id} appears twice")
        keys[key_id] = _decode_key(f"data key {key_id}", value)
        primary_id = primary_id or key_id
    if not keys:
        raise ImproperlyConfigured("OPENMARAC_DATA_KEYS holds no key")
    return KeyRing(primary_id=primary_id, keys=keys, index_key=_decode_key("index key", index_key))


@lru_cache(maxsize=4)
def _cached_keyring(data_keys: str, index_key: str) -> KeyRing:
    return parse_keyring(data_keys, index_key)


def keyring() -> KeyRing:
    return _cached_keyring(settings.OPENMARAC_DATA_KEYS, settings.OPENMARAC_INDEX_KEY)


@lru_cache(maxsize=16)
def _cipher(key: bytes) -> AESGCM:
    """One cipher object per data key: building one costs more than a short decryption."""
    return AESGCM(key)


def encrypt(plaintext: str, *, ring: KeyRing | None = None) -> str:
    ring = ring or keyring()
    nonce = os.urandom(12)
    key_id = ring.primary_id
    # The key id is authenticated as associated data, so a ciphertext cannot be relabelled.
    sealed = _cipher(ring.keys[key_id]).encrypt(nonce, plaintext.encode(), key_id.encode())
    return f"{PREFIX}:{key_id}:{base64.b64encode(nonce + sealed).decode()}"


def key_id_of(ciphertext: str) -> str:
    parts = ciphertext.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DecryptionError("not an OpenMARAC ciphertext")
    return parts[1]


def decrypt(ciphertext: str, *, ring: KeyRing | None = None) -> str:
    ring = ring or keyring()
    parts = ciphertext.split(":", 2)
    if len(parts) != 3 or parts[0] != PREFIX:
        raise DecryptionError("not an OpenMARAC ciphertext")
    key_id = parts[1]
    key = ring.keys.get(key_id)
    if key is None:
        raise DecryptionError(f"no configured key has id {key_id}")
    try:
        blob = binascii.a2b_base64(parts[2], strict_mode=True)
        return _cipher(key).decrypt(blob[:12], blob[12:], key_id.encode()).decode()
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise DecryptionError("ciphertext failed authentication") from exc


def blind_index(value: str, *, purpose: str, ring: KeyRing | None = None) -> str:
    """Keyed hash of an already-normalised value; ``purpose`` separates index families."""
    ring = ring or keyring()
    digest = hmac.new(ring.index_key, f"{purpose}\x1f{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
