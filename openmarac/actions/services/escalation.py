"""Who is copied when an action is escalated as overdue: a user's line manager, or the agency's
MARAC lead, as the hub records them."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.audit.services import audit_record

from ..models import EscalationContact
from .rules import ActionError


@transaction.atomic
def escalation_contact_set(
    *,
    agency: Agency,
    user: User | None,
    email: str,
    actor: User,
    request: HttpRequest | None,
) -> EscalationContact:
    """Record the line manager of ``user`` (or, with no user, the agency's MARAC lead) to be
    copied when one of their actions is escalated as overdue."""
    if not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can record line managers")
    if user is not None and user.agency_id != agency.pk:
        raise ActionError("The user must belong to the agency")
    email = (email or "").strip()
    if not email:
        raise ActionError("Enter the line manager's e-mail address")
    contact, _ = EscalationContact.objects.update_or_create(
        agency=agency,
        user=user,
        defaults={"email": email, "updated_by": actor},
    )
    audit_record(action="escalation_contact.set", request=request, actor=actor, obj=contact)
    return contact


def escalation_contact_for(user: User | None, agency: Agency) -> str:
    """The e-mail to copy on escalation: the user's line manager, else the agency's lead."""
    contact = None
    if user is not None:
        contact = EscalationContact.objects.filter(user=user).first()
    if contact is None:
        contact = EscalationContact.objects.filter(agency=agency, user__isnull=True).first()
    return contact.email if contact else ""
