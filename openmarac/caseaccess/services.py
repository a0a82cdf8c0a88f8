"""Restricting cases, inviting named users, conflicts of interest and break-glass."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.audit.services import audit_record
from openmarac.cases.models import Case, CaseAccessGrant, Restriction
from openmarac.cases.selectors import active_licence_for
from openmarac.notifications.services import notice_record

from .models import BreakGlass, ConflictDeclaration

if TYPE_CHECKING:
    from openmarac.accounts.models import User

BREAK_GLASS_MINUTES = 120


def _is_hub(user: User) -> bool:
    return bool(user.is_hub_coordinator and user.agency is not None and user.agency.is_hub)


@transaction.atomic
def case_restrict(
    *, case: Case, restriction: str, actor: User, request: HttpRequest | None = None
) -> Case:
    """Mark (or unmark) a case as closed MARAC, HBA/FM/FGM or employee-sensitive."""
    if not _is_hub(actor):
        raise PermissionError("Only the hub restricts cases.")
    if restriction not in Restriction.values:
        raise ValidationError("Unknown restriction.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    before = case.restriction
    case.restriction = restriction
    case.save(update_fields=["restriction"])
    audit_record(
        action="case.restrict",
        request=request,
        actor=actor,
        obj=case,
        detail={"from": before, "to": restriction},
    )
    return case


@transaction.atomic
def case_access_grant(
    *, case: Case, user: User, actor: User, request: HttpRequest | None = None
) -> CaseAccessGrant:
    """Invite a named user into a restricted case."""
    if not _is_hub(actor):
        raise PermissionError("Only the hub invites users to restricted cases.")
    if not case.restriction:
        raise ValidationError("Only a restricted case takes named users.")
    if user.agency is None or user.agency.partnership_id != case.partnership_id:
        raise ValidationError("The user must belong to the partnership.")
    if active_licence_for(user) is None:
        raise ValidationError("The user must hold an active licence.")
    if ConflictDeclaration.objects.filter(case=case, user=user).exists():
        raise ValidationError("The user has declared a conflict of interest in this case.")
    grant, created = CaseAccessGrant.objects.get_or_create(
        case=case, user=user, defaults={"granted_by": actor}
    )
    if created:
        audit_record(
            action="case.access_grant",
            request=request,
            actor=actor,
            obj=case,
            detail={"user": user.pk},
        )
        notice_record(
            event="case.access_granted",
            instance=str(grant.pk),
            recipient_email=user.email,
            recipient_user=user,
            subject="There is something for you in OpenMARAC",
            body=f"There is something for you in OpenMARAC. Sign in to see it: {settings.SITE_URL}/\n",
        )
    return grant


@transaction.atomic
def case_access_revoke(
    *, grant: CaseAccessGrant, actor: User, request: HttpRequest | None = None
) -> None:
    if not _is_hub(actor):
        raise PermissionError("Only the hub removes users from restricted cases.")
    audit_record(
        action="case.access_revoke",
        request=request,
        actor=actor,
        obj=grant.case,
        detail={"user": grant.user_id},
    )
    grant.delete()


@transaction.atomic
def conflict_declare(
    *, case: Case, user: User, request: HttpRequest | None = None
) -> ConflictDeclaration:
    """The user knows a person in the case: from now on they cannot open it."""
    declaration, created = ConflictDeclaration.objects.get_or_create(case=case, user=user)
    CaseAccessGrant.objects.filter(case=case, user=user).delete()
    if created:
        audit_record(action="case.conflict_declare", request=request, actor=user, obj=case)
    return declaration


@transaction.atomic
def break_glass_open(
    *, case: Case, user: User, reason: str, request: HttpRequest | None = None
) -> BreakGlass:
    """A hub manager opens a restricted case they were not invited to, with a written reason.

    The partnership's security contact is alerted at once (with no case data), and the use
    stands out in the audit reports. Access lasts ``BREAK_GLASS_MINUTES``.
    """
    if not (_is_hub(user) and user.is_hub_manager):
        raise PermissionError("Only a hub manager can break glass.")
    if not case.restriction:
        raise ValidationError("Break-glass is only for restricted cases.")
    if len(reason.strip()) < 20:
        raise ValidationError("Give the reason in at least 20 characters.")
    if ConflictDeclaration.objects.filter(case=case, user=user).exists():
        raise ValidationError("You have declared a conflict of interest in this case.")
    now = timezone.now()
    use = BreakGlass.objects.create(
        case=case,
        user=user,
        reason=reason.strip(),
        opened_at=now,
        expires_at=now + datetime.timedelta(minutes=BREAK_GLASS_MINUTES),
    )
    audit_record(
        action="case.break_glass",
        request=request,
        actor=user,
        obj=case,
        detail={"break_glass": use.pk, "flag": "break_glass"},
    )
    partnership = case.partnership
    contact = partnership.security_contact_email or partnership.hub_email
    notice_record(
        event="case.break_glass",
        instance=str(use.pk),
        recipient_email=contact,
        subject="OpenMARAC: a restricted case was opened by break-glass",
        body=(
            "A hub manager opened a restricted case by break-glass, with a written reason.\n\n"
            f"Sign in to review it in the break-glass audit report: "
            f"{settings.SITE_URL}/hub/audit/break-glass/\n"
        ),
        obj=use,
    )
    return use
