"""Weekly updates (Lincolnshire 8.1): new information that is not a repeat, attached to an open
case by anyone who may see it, and sent to its members."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.cases.lifecycle import case_is_frozen
from openmarac.cases.models import Case, CaseStatus

from ..models import UpdateKind, WeeklyUpdate
from .errors import TriageError
from .recipients import emails_of, invited_emails, member_emails, notify, site_link


@transaction.atomic
def weekly_update_submit(
    *,
    case: Case,
    actor: User,
    kind: str,
    information: str,
    purpose: str,
    extend_flag: bool,
    request: HttpRequest | None = None,
) -> WeeklyUpdate:
    """Attach new information that is not a repeat to an open case, and tell its members."""
    if kind not in UpdateKind.values:
        raise TriageError("Select what kind of update this is")
    if not information.strip():
        raise TriageError("Enter the new information")
    if not purpose.strip():
        raise TriageError("Enter the purpose of the update")
    if case.status != CaseStatus.OPEN:
        raise TriageError("Weekly updates can only be added to an open case")
    if case_is_frozen(case):
        raise TriageError("This case is frozen because a death has been recorded")
    if actor.agency_id is None:
        raise TriageError("Only a member of an agency can submit an update")
    update = WeeklyUpdate.objects.create(
        case=case,
        kind=kind,
        information=information.strip(),
        purpose=purpose.strip(),
        extend_flag_requested=extend_flag,
        submitted_by=actor,
        agency_id=actor.agency_id,
        created_at=timezone.now(),
    )
    audit_record(
        action="weekly_update.submit",
        request=request,
        actor=actor,
        obj=update,
        detail={"case": case.pk, "kind": kind, "extend_flag": extend_flag},
    )
    link = site_link(reverse("triage:weekly_updates", args=[case.reference]))
    ask = (
        "\nAll agencies are asked to extend their 12-month MARAC flag for this case.\n"
        if extend_flag
        else ""
    )
    if case.restriction:
        recipients = emails_of(User.objects.filter(case_grants__case=case, is_active=True))
    else:
        recipients = member_emails(case.area) + invited_emails(case)
    if actor.email:
        recipients = [e for e in recipients if e != actor.email]
    notify(
        event="weekly_update.members",
        instance=f"update:{update.pk}",
        recipients=recipients,
        subject=f"MARAC case {case.reference}: weekly update"
        + (" and flag extension" if extend_flag else ""),
        body=f"There is new information on MARAC case {case.reference}.\n{ask}\n"
        f"Sign in to see it: {link}\n",
        obj=update,
    )
    return update
