"""Scoped reads of IDVA contacts: only contacts on cases the user may see."""

from __future__ import annotations

from django.db.models import QuerySet

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to

from .models import IdvaContact


def idva_contacts_visible_to(user: User) -> QuerySet[IdvaContact]:
    return IdvaContact.objects.filter(case__in=cases_visible_to(user).values("pk")).select_related(
        "case__area", "referral"
    )


def idva_contacts_open(user: User) -> QuerySet[IdvaContact]:
    """Contacts without an outcome, the most urgent first. Bounded to a page."""
    return idva_contacts_visible_to(user).filter(outcome="").order_by("due_at", "pk")[:50]


def idva_contact_for_meeting(case: Case) -> IdvaContact | None:
    """The case's latest contact, for the meeting screen; the caller has fetched ``case``
    through the user's scope."""
    return IdvaContact.objects.filter(case=case).order_by("-accepted_at", "-pk").first()
