"""Throttling failed sign-ins, in place of a lock-out that strangers could use.

A permanent lock-out after ten wrong passwords lets anyone who knows a username keep its owner
out until the hub notices. Instead (NIST SP 800-63B §5.2.2), failures are counted per name in two
ways, and past a threshold each further failure earns a delay that doubles up to a cap:

* per name *and network*: the policy's threshold of free failures (10 by default), then delays of
  1, 2, 4 … minutes up to an hour. Someone guessing from one network slows only themselves; the
  owner, signing in from their own network, is not held up.
* per name from *every* network: five times the threshold, then delays of 1, 2, 4 … minutes up to
  15. This stops guessing spread over many networks, while a stranger can hold the owner up for
  at most a quarter of an hour at a time, and never on a device the owner has signed in on
  before: a browser that completed a sign-in carries a signed device cookie for that name, and
  there the name is counted per device instead, not per network or from everywhere (OWASP's
  device cookies). Guessing from the owner's office network therefore never holds them up.

A name that exists and one that does not are counted in the same table, by the same keys (blind
indexes; no name is stored), with the same thresholds and the same answers, so neither a
response nor a restart tells them apart. The rate limits per network address (``settings.
RATE_LIMITS``) stay on top of this. A successful sign-in clears the name's counts; so does the hub.
"""

from __future__ import annotations

import datetime
import ipaddress
import math
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from openmarac.core.crypto import blind_index

from .models import SignInThrottle

ACCOUNT_WIDE_FACTOR = 5
NETWORK_CAP = datetime.timedelta(hours=1)
ACCOUNT_CAP = datetime.timedelta(minutes=15)
BASE_DELAY = datetime.timedelta(minutes=1)
FORGET_AFTER = datetime.timedelta(days=30)
DEVICE_COOKIE = "om_device"
DEVICE_SALT = "openmarac.accounts.throttle.device"
DEVICE_DAYS = 180
DEVICE_NAMES = 5


@dataclass(frozen=True)
class Wait:
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, math.ceil(self.seconds / 60))


def account_key(username: str) -> str:
    return blind_index(username.strip().lower(), purpose="sign-in-throttle")


def network_of(ip: str | None) -> str:
    """The network an address speaks for: itself for IPv4, its /64 for IPv6 (one household or
    office usually holds a whole /64)."""
    if not ip:
        return "-"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "-"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _network_key(ip: str | None) -> str:
    return blind_index(network_of(ip), purpose="sign-in-network")


def _device_key(username: str) -> str:
    return blind_index(username.strip().lower(), purpose="sign-in-device")


def known_devices(request: HttpRequest | None) -> list[str]:
    """The names (as device keys) this browser has completed a sign-in for."""
    raw = request.COOKIES.get(DEVICE_COOKIE, "") if request is not None else ""
    if not raw:
        return []
    try:
        keys = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_DAYS * 24 * 60 * 60)
    except signing.BadSignature:
        return []
    return [str(key) for key in keys][:DEVICE_NAMES] if isinstance(keys, list) else []


def remember_device(response: HttpResponse, request: HttpRequest, username: str) -> None:
    """After a completed sign-in: this browser is one of the owner's devices for this name."""
    key = _device_key(username)
    keys = [key, *(k for k in known_devices(request) if k != key)][:DEVICE_NAMES]
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(keys, salt=DEVICE_SALT),
        max_age=DEVICE_DAYS * 24 * 60 * 60,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )


def _rows(username: str, ip: str | None, request: HttpRequest | None) -> Q:
    key = account_key(username)
    device = _device_key(username)
    if device in known_devices(request):
        return Q(account_key=key, network_key=device)
    return Q(account_key=key, network_key=_network_key(ip)) | Q(account_key=key, network_key="")


def wait_for(*, username: str, ip: str | None, request: HttpRequest | None = None) -> Wait | None:
    """How long this name must wait before another attempt from here, if at all."""
    now = timezone.now()
    until = (
        SignInThrottle.objects.filter(_rows(username, ip, request), blocked_until__gt=now)
        .order_by("-blocked_until")
        .values_list("blocked_until", flat=True)
        .first()
    )
    if until is None:
        return None
    return Wait(seconds=max(1, int((until - now).total_seconds())))


def _delay(failures: int, threshold: int, cap: datetime.timedelta) -> datetime.timedelta | None:
    over = failures - threshold
    if over < 0:
        return None
    return min(cap, BASE_DELAY * (2 ** min(over, 20)))


def _count(*, account: str, network: str, threshold: int, cap: datetime.timedelta) -> int:
    now = timezone.now()
    with transaction.atomic():
        updated = SignInThrottle.objects.filter(account_key=account, network_key=network).update(
            failures=F("failures") + 1, last_failure_at=now
        )
        if not updated:
            try:
                with transaction.atomic():
                    SignInThrottle.objects.create(
                        account_key=account, network_key=network, failures=1, last_failure_at=now
                    )
            except IntegrityError:  # another request created it first
                SignInThrottle.objects.filter(account_key=account, network_key=network).update(
                    failures=F("failures") + 1, last_failure_at=now
                )
        row = SignInThrottle.objects.get(account_key=account, network_key=network)
        delay = _delay(row.failures, threshold, cap)
        if delay is not None:
            row.blocked_until = now + delay
            row.save(update_fields=["blocked_until"])
    return row.failures


def failure_count(
    *, username: str, ip: str | None, threshold: int, request: HttpRequest | None = None
) -> bool:
    """Count one failed password or code for this name from this network (or this known
    device) and from everywhere. True when the name has just reached the threshold across every
    network (worth telling its owner)."""
    account = account_key(username)
    device = _device_key(username)
    here = device if device in known_devices(request) else _network_key(ip)
    _count(account=account, network=here, threshold=threshold, cap=NETWORK_CAP)
    everywhere = _count(
        account=account, network="", threshold=threshold * ACCOUNT_WIDE_FACTOR, cap=ACCOUNT_CAP
    )
    return everywhere == threshold * ACCOUNT_WIDE_FACTOR


def clear(*, username: str) -> None:
    """A successful sign-in, or the hub: the name starts again with no failures anywhere."""
    SignInThrottle.objects.filter(account_key=account_key(username)).delete()


def state_of(*, username: str) -> tuple[int, Wait | None]:
    """For the hub's account page: failures from every network, and any delay now in force."""
    now = timezone.now()
    rows = list(SignInThrottle.objects.filter(account_key=account_key(username)))
    failures = next((r.failures for r in rows if r.network_key == ""), 0)
    until = max(
        (r.blocked_until for r in rows if r.blocked_until and r.blocked_until > now), default=None
    )
    return failures, (Wait(int((until - now).total_seconds())) if until else None)


def forget_old(*, now: datetime.datetime) -> int:
    """Delete counts with no failure for a month (run by the deadline sweep)."""
    deleted, _ = SignInThrottle.objects.filter(last_failure_at__lt=now - FORGET_AFTER).delete()
    return deleted
