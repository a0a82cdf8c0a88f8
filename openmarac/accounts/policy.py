"""Each partnership's security policy: presets, and reading it for a user or the installation."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from django.conf import settings

from openmarac.partnerships.models import Partnership

from .models import SecurityPolicy, User

# What a preset changes from the defaults (OWASP ASVS 5.0 / NIST SP 800-63B). See docs/presets.md.
SECURITY_PRESETS: dict[str, dict[str, Any]] = {
    # Kent and Medway protocol v1.3 §6.3: e-mailed codes or an authenticator app; passwords of
    # 12+ characters with upper, lower, digit and symbol, changed every 90 days.
    "kent-medway": {
        "allow_email_codes": True,
        "password_require_character_classes": True,
        "password_max_age_days": 90,
    },
}


def security_policy_create(*, partnership: Partnership, preset: str = "") -> SecurityPolicy:
    """The policy of a new partnership: the defaults, changed as its preset says."""
    policy, _ = SecurityPolicy.objects.get_or_create(
        partnership=partnership, defaults=SECURITY_PRESETS.get(preset, {})
    )
    return policy


def security_policy_for(partnership: Partnership | None) -> SecurityPolicy:
    """The partnership's policy; the defaults (unsaved) if it has none or there is no partnership."""
    if partnership is None:
        return SecurityPolicy()
    policy = SecurityPolicy.objects.filter(partnership=partnership).first()
    return policy or SecurityPolicy(partnership=partnership)


def installation_policy() -> SecurityPolicy:
    """The policy for the sign-in pages, before anyone is known: the installation's partnership."""
    return security_policy_for(Partnership.objects.order_by("pk").first())


def policy_for_user(user: User | None) -> SecurityPolicy:
    agency = getattr(user, "agency", None)
    if agency is None:
        return installation_policy()
    return security_policy_for(agency.partnership)


def _networks(values: list[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(value, strict=False) for value in values]


@lru_cache(maxsize=1)
def _geoip_reader(path: str) -> Any:
    import maxminddb

    return maxminddb.open_database(path)


def geoip_available() -> bool:
    return bool(settings.GEOIP_DATABASE)


def country_of(ip: str) -> str | None:
    """The ISO country code of an address from the configured GeoIP database, or None."""
    if not settings.GEOIP_DATABASE:
        return None
    try:
        record = _geoip_reader(str(settings.GEOIP_DATABASE)).get(ip)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    country = record.get("country") or record.get("registered_country") or {}
    code = country.get("iso_code") if isinstance(country, dict) else None
    return str(code) if code else None


def network_refusal(policy: SecurityPolicy, ip: str | None) -> str | None:
    """Why ``ip`` may not sign in under ``policy`` (a short code), or None if it may."""
    if not (policy.allowed_networks or policy.denied_networks or policy.allowed_countries):
        return None
    if not ip:
        return "no_address"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return "bad_address"
    if any(address in network for network in _networks(policy.denied_networks)):
        return "denied_network"
    if policy.allowed_networks and not any(
        address in network for network in _networks(policy.allowed_networks)
    ):
        return "outside_allowed_networks"
    if policy.allowed_countries:
        country = country_of(ip)
        if country is None or country.upper() not in {c.upper() for c in policy.allowed_countries}:
            return "outside_allowed_countries"
    return None
