"""Creating and changing partnerships and area policies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest

from openmarac.audit.services import audit_record

from .models import Area, AreaPolicy, Partnership
from .presets import PRESETS

if TYPE_CHECKING:
    from openmarac.accounts.models import User


class UnknownPreset(ValueError):
    pass


@transaction.atomic
def partnership_create_from_preset(
    *,
    preset: str,
    official_email_domains: list[str],
    hub_email: str,
    name: str | None = None,
    actor: User | None = None,
) -> Partnership:
    """Create a partnership with every area and policy of a preset. Run by an installer."""
    if preset not in PRESETS:
        raise UnknownPreset(f"no preset called {preset!r}; choose from {', '.join(PRESETS)}")
    spec = PRESETS[preset]
    partnership = Partnership.objects.create(
        name=name or spec["partnership"]["name"],
        nation=spec["partnership"]["nation"],
        official_email_domains=[d.lower().strip() for d in official_email_domains],
        hub_email=hub_email,
        preset=preset,
    )
    for area_spec in spec["areas"]:
        area = Area.objects.create(
            partnership=partnership, name=area_spec["name"], code=area_spec["code"]
        )
        AreaPolicy.objects.create(area=area, **area_spec["policy"])
    from openmarac.accounts.policy import security_policy_create

    security_policy_create(partnership=partnership, preset=preset)
    audit_record(
        action="partnership.create", actor=actor, obj=partnership, detail={"preset": preset}
    )
    return partnership


@transaction.atomic
def area_policy_update(
    *,
    policy: AreaPolicy,
    actor: User,
    changes: Mapping[str, object],
    request: HttpRequest | None = None,
) -> AreaPolicy:
    """Apply edited policy values. Only hub coordinators of the partnership may call this."""
    changed = sorted(name for name, value in changes.items() if getattr(policy, name) != value)
    for name in changed:
        setattr(policy, name, changes[name])
    policy.full_clean()
    policy.save()
    audit_record(
        action="area_policy.update",
        request=request,
        actor=actor,
        obj=policy,
        detail={"fields": changed},
    )
    return policy
