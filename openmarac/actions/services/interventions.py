"""The hub's edits to the partnership's library of common interventions."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.http import HttpRequest
from django.utils.text import slugify

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.partnerships.models import Partnership

from ..library import BUILT_IN
from ..models import Intervention
from .rules import ActionError, clean_text


@transaction.atomic
def library_save(
    *,
    partnership: Partnership,
    entries: list[Mapping[str, object]],
    actor: User,
    request: HttpRequest | None,
) -> int:
    """Replace the partnership's intervention library (the hub's edit). Entries no longer in the
    list are kept but made inactive, so actions that name them still read sensibly."""
    if not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can edit the library")
    seen = []
    for position, entry in enumerate(entries):
        slug = str(entry["slug"])[:40]
        Intervention.objects.update_or_create(
            partnership=partnership,
            slug=slug,
            defaults={
                "title": str(entry["title"]).strip()[:120],
                "what": str(entry["what"]).strip(),
                "sector": str(entry.get("sector", ""))[:20],
                "position": position,
                "active": True,
            },
        )
        seen.append(slug)
    Intervention.objects.filter(partnership=partnership).exclude(slug__in=seen).update(active=False)
    audit_record(
        action="intervention_library.save",
        request=request,
        actor=actor,
        obj=partnership,
        detail={"entries": len(seen)},
    )
    return len(seen)


@transaction.atomic
def intervention_save(
    *,
    partnership: Partnership,
    slug: str | None,
    title: str,
    what: str,
    active: bool,
    actor: User,
    request: HttpRequest | None,
) -> Intervention:
    """Add (``slug`` None) or change one entry of the partnership's library. The first change
    copies the built-in list, so the partnership's own library starts complete."""
    if not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can edit the library")
    title = clean_text(title, message="Enter the intervention's name")[:120]
    what = clean_text(what, message="Enter the text the action starts from")
    rows = Intervention.objects.filter(partnership=partnership)
    if not rows.exists():
        Intervention.objects.bulk_create(
            Intervention(
                partnership=partnership,
                slug=entry.slug,
                title=entry.title,
                what=entry.what,
                sector=entry.sector,
                position=position,
            )
            for position, entry in enumerate(BUILT_IN)
        )
    if slug is None:
        base = slugify(title)[:34] or "intervention"
        slug = base
        number = 1
        while rows.filter(slug=slug).exists():
            number += 1
            slug = f"{base}-{number}"
        entry = Intervention.objects.create(
            partnership=partnership,
            slug=slug,
            title=title,
            what=what,
            active=active,
            position=rows.count(),
        )
    else:
        entry = rows.get(slug=slug)
        entry.title, entry.what, entry.active = title, what, active
        entry.save(update_fields=["title", "what", "active"])
    audit_record(action="intervention.save", request=request, actor=actor, obj=entry)
    return entry
