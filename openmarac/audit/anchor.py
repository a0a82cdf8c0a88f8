"""Anchoring the audit chain's head outside the database.

The hash chain shows any entry changed or removed before the newest one, but not the newest
entries themselves being removed: a chain cut short is still a valid chain. An anchor is a copy
of the chain's head kept where the database's users cannot reach it: the newest entry's id, its
digest, and how many entries there were up to it. The worker logs the head at every sweep and
e-mails a signed anchor to each partnership's security contact once a day (``audit/sweeps.py``);
``manage.py verify_audit --anchor`` checks the log against one (``verify.py``).

A signed anchor is signed with Django's ``django.core.signing.Signer``: HMAC-SHA256 under a key
derived from ``SECRET_KEY`` and the salt ``openmarac.audit.anchor``. Its signature shows that the
anchor was issued by this installation and not altered since. An anchor holds no case data.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.signing import BadSignature, Signer
from django.utils import timezone

from .models import AuditEvent

PREFIX = "audit-anchor-v1"
SALT = "openmarac.audit.anchor"
_DIGEST = re.compile(r"[0-9a-f]{64}")
_TIME = "%Y%m%dT%H%M%SZ"


class AnchorError(ValueError):
    """An anchor that cannot be read, or whose signature does not hold."""


@dataclass(frozen=True)
class Anchor:
    """The head of the chain at one moment. A bare digest anchor knows only ``digest``."""

    digest: str
    event_id: int | None = None
    count: int | None = None
    at: datetime.datetime | None = None


def chain_head(*, now: datetime.datetime | None = None) -> Anchor | None:
    """The newest entry's id and digest and the number of entries up to it; None when empty.

    Writers are serialised and take their id inside the lock, so no entry below the newest id
    can still be uncommitted: the count is that of a complete prefix of the chain.
    """
    newest = AuditEvent.objects.order_by("-id").values_list("id", "entry_hash").first()
    if newest is None:
        return None
    event_id, digest = newest
    count = AuditEvent.objects.filter(id__lte=event_id).count()
    at = (now or timezone.now()).astimezone(datetime.UTC).replace(microsecond=0)
    return Anchor(digest=digest, event_id=event_id, count=count, at=at)


def _signer() -> Signer:
    return Signer(salt=SALT, algorithm="sha256")


def anchor_sign(anchor: Anchor) -> str:
    """The anchor as one line, ``audit-anchor-v1.<id>.<count>.<digest>.<UTC time>:<signature>``."""
    if anchor.event_id is None or anchor.count is None or anchor.at is None:
        raise AnchorError("only a complete chain head can be signed")
    at = anchor.at.astimezone(datetime.UTC).strftime(_TIME)
    return _signer().sign(f"{PREFIX}.{anchor.event_id}.{anchor.count}.{anchor.digest}.{at}")


def anchor_parse(text: str) -> Anchor:
    """Read an anchor: a bare 64-character digest, or a signed anchor whose signature holds.

    Raises ``AnchorError`` with a message fit to show the administrator.
    """
    text = text.strip()
    if _DIGEST.fullmatch(text.lower()):
        return Anchor(digest=text.lower())
    if not text.startswith(f"{PREFIX}."):
        raise AnchorError(
            "Not an audit anchor: give the 64-character digest or the whole signed anchor line "
            f"(starting {PREFIX}.) from the anchor e-mail."
        )
    try:
        value = _signer().unsign(text)
    except BadSignature as exc:
        raise AnchorError(
            "The anchor's signature does not hold: it was altered, or it was not issued by this "
            "installation (or under its current SECRET_KEY). Check it by its digest alone, "
            "against the copy of the e-mail you keep, if the key has changed."
        ) from exc
    parts = value.split(".")
    try:
        _prefix, event_id, count, digest, at = parts
        anchor = Anchor(
            digest=digest,
            event_id=int(event_id),
            count=int(count),
            at=datetime.datetime.strptime(at, _TIME).replace(tzinfo=datetime.UTC),
        )
    except ValueError as exc:  # signed by this installation, so only a future format lands here
        raise AnchorError("The signed anchor is not in a format this version reads.") from exc
    if not _DIGEST.fullmatch(anchor.digest):
        raise AnchorError("The signed anchor is not in a format this version reads.")
    return anchor
