"""Creating and changing partnerships and area policies."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.audit.services import audit_record

from .models import Area, AreaPolicy, Partnership, RetentionGroup
from .presets import PRESETS, UNSTATED_RETENTION

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
        policy = dict(area_spec["policy"])
        groups = policy.pop("retention_groups", None) or UNSTATED_RETENTION
        AreaPolicy.objects.create(area=area, **policy)
        for position, group in enumerate(groups):
            RetentionGroup.objects.create(area=area, position=position, **group)
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


class RetentionGroupError(ValueError):
    """A retention group the rules do not allow; the message is safe to show."""


@transaction.atomic
def retention_group_save(
    *,
    area: Area,
    actor: User,
    changes: Mapping[str, object],
    group: RetentionGroup | None = None,
    request: HttpRequest | None = None,
) -> RetentionGroup:
    """Add a retention group to ``area`` or change one. The hub of the partnership calls this.

    One group is the default (new cases start in it): making this one the default takes it from
    the other; the default cannot be taken away without giving it to another group.
    """
    code = str(changes["code"]).strip()
    clash = RetentionGroup.objects.filter(area=area, code=code)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise RetentionGroupError("Another group of this area already has that short name")
    if group is not None and group.is_default and not changes["is_default"]:
        raise RetentionGroupError("Make another group the default first")
    if group is None:
        position = RetentionGroup.objects.filter(area=area).count()
        group = RetentionGroup(area=area, position=position)
    before = {name: getattr(group, name) for name in changes} if group.pk else {}
    if changes["is_default"]:
        RetentionGroup.objects.filter(area=area, is_default=True).exclude(pk=group.pk).update(
            is_default=False
        )
    elif not RetentionGroup.objects.filter(area=area, is_default=True).exists():
        changes = {**changes, "is_default": True}  # an area's first group is its default
    for name, value in changes.items():
        setattr(group, name, value)
    group.full_clean()
    group.save()
    audit_record(
        action="retention_group.save",
        request=request,
        actor=actor,
        obj=group,
        detail={"fields": sorted(n for n, v in changes.items() if before.get(n, object()) != v)},
    )
    return group


PRIVACY_FIELDS = ("privacy_controller", "privacy_contact", "privacy_more")


@transaction.atomic
def privacy_notice_update(
    *,
    partnership: Partnership,
    actor: User,
    controller: str,
    contact: str,
    more: str,
    request: HttpRequest | None = None,
) -> Partnership:
    """Change the partnership's parts of its privacy notice: who the data controller is, how to
    reach the data protection officer, and anything it adds. Audited with the parts changed."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    values = {
        "privacy_controller": controller.strip(),
        "privacy_contact": contact.strip(),
        "privacy_more": more.strip(),
    }
    changed = [name for name, value in values.items() if getattr(partnership, name) != value]
    for name, value in values.items():
        setattr(partnership, name, value)
    partnership.privacy_updated_at = timezone.now()
    partnership.save(update_fields=[*PRIVACY_FIELDS, "privacy_updated_at"])
    audit_record(
        action="privacy_notice.change",
        request=request,
        actor=actor,
        obj=partnership,
        detail={"changed": changed},
    )
    return partnership
