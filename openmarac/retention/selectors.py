"""What each reviewer may see of retention: the queue, certificates and (the hub's) archive.

The queue and the certificates are scoped to the areas the reviewer's active licence covers, for
the hub team and the information governance role alike; neither shows names, narrative or
dates of birth. Only the hub searches the archive and opens an archived case, read-only, through
``cases.selectors.archived_cases_visible_to`` (the same rules as for live cases).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from openmarac.cases.models import Case
from openmarac.cases.selectors import active_licence_for, archived_cases_visible_to
from openmarac.core.decorators import is_hub, is_information_governance
from openmarac.partnerships.models import Area
from openmarac.people.keys import key_for
from openmarac.people.normalise import name_tokens, normalise_name

from .models import CaseRetention, DisposalCertificate
from .models import RetentionState as State

if TYPE_CHECKING:
    from openmarac.accounts.models import User


def retention_areas_for(user: User) -> QuerySet[Area]:
    """The areas whose retention ``user`` reviews: those their active licence covers."""
    if not (is_hub(user) or is_information_governance(user)):
        return Area.objects.none()
    licence = active_licence_for(user)
    if licence is None or licence.agency_id != user.agency_id:
        return Area.objects.none()
    assert user.agency is not None  # the licence is the user's agency's
    return Area.objects.filter(
        partnership_id=user.agency.partnership_id, pk__in=licence.areas.values("pk")
    )


def retention_queue_for(user: User) -> QuerySet[CaseRetention]:
    """Every archived case of the reviewer's areas with its retention state."""
    return (
        CaseRetention.objects.filter(
            case__area__in=retention_areas_for(user).values("pk"),
            case__archived_at__isnull=False,
        )
        .select_related("case__area", "recommended_by", "held_by")
        .order_by("review_on", "case__reference")
    )


QUEUE_VIEWS = {
    "due": ("Due for review", Q(state=State.DUE, held_at__isnull=True)),
    "recommended": (
        "Waiting for a second person",
        Q(state=State.RECOMMENDED, held_at__isnull=True),
    ),
    "held": ("On legal hold", Q(held_at__isnull=False)),
    "scheduled": ("Scheduled", Q(state=State.SCHEDULED, held_at__isnull=True)),
}


def certificates_for(user: User) -> QuerySet[DisposalCertificate]:
    return (
        DisposalCertificate.objects.filter(area__in=retention_areas_for(user).values("pk"))
        .select_related("area", "recommended_by", "approved_by")
        .order_by("-disposed_at", "-pk")
    )


def archive_search(user: User, query: str) -> QuerySet[Case]:
    """Archived cases the hub may see whose reference is ``query``, or naming a person of that
    first forename and surname (through the people's blind-index keys; nothing is decrypted)."""
    archived = archived_cases_visible_to(user).select_related("area")
    query = query.strip()
    if not query:
        return archived.none()
    match = Q(reference__iexact=query)
    tokens = name_tokens(query)
    if len(tokens) >= 2:
        surname = normalise_name(query.split()[-1])
        keys = [key_for("n", f"{tokens[0]}|{surname}")]
        match |= Q(participants__person__keys__key__in=keys)
    return archived.filter(match).distinct().order_by("reference")
