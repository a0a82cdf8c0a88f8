"""The period a case stays open to MARAC, closing it at the end, and recording a death.

* A meeting that hears a case (or a repeat heard again) starts its period:
  ``case_period_restart`` sets ``last_heard_on`` and ``open_until`` (the area's
  ``case_open_months`` after the meeting) and tells every agency of the case to flag the victim,
  and the perpetrator only where the area's policy says so (Lincolnshire: not the perpetrator).
* The sweep ``cases.period_end`` closes each open case whose period has ended and tells the same
  agencies, by case reference only, to remove their flags (``cases_close_expired``).
* ``case_death_record`` records the death of a victim or perpetrator, tells the partnership's
  domestic abuse lead, and freezes the case's record: every service that edits a case's record
  calls ``case_is_frozen`` first and refuses.

E-mails say only that there is something to do and carry the case reference; never a name.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.agencies.selectors import agencies_active_in
from openmarac.audit.services import audit_record
from openmarac.core.workdays import local_date
from openmarac.notifications.services import notice_record

from .models import (
    Case,
    CaseAccessGrant,
    CaseDeath,
    CaseInvitation,
    CaseParticipant,
    CaseStatus,
    ClosureReason,
    DeathRole,
)
from .selectors import cases_visible_to


class CaseFrozen(Exception):
    """The case's record is frozen (a death is recorded); the message is safe to show."""

    def __init__(self, message: str = "This case is frozen because a death has been recorded"):
        super().__init__(message)


class LifecycleError(Exception):
    """A lifecycle change the rules do not allow; the message is safe to show."""


def case_is_frozen(case: Case) -> bool:
    """Whether the case's record is frozen from routine edits (a death has been recorded)."""
    return CaseDeath.objects.filter(case_id=case.pk).exists()


def case_require_editable(case: Case) -> None:
    """Raise ``CaseFrozen`` if the case's record may no longer be edited routinely."""
    if case_is_frozen(case):
        raise CaseFrozen()


def case_agencies(case: Case) -> list[Agency]:
    """The agencies taking part in ``case``: for research requests, flags and notices.

    An ordinary case: the area's active standing agencies and the agencies currently invited to
    it. A restricted case (closed, HBA, employee): only the agencies of the named users granted
    access to it, so nobody else learns of it.
    """
    if case.restriction:
        ids = (
            CaseAccessGrant.objects.filter(case=case, user__is_active=True)
            .exclude(user__agency__is_hub=True)
            .values("user__agency_id")
        )
        return list(Agency.objects.filter(pk__in=ids).order_by("name"))
    invited = (
        CaseInvitation.objects.filter(case=case)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
        .values("agency_id")
    )
    standing = agencies_active_in(case.area).values("pk")
    return list(
        Agency.objects.filter(Q(pk__in=standing) | Q(pk__in=invited), is_hub=False)
        .distinct()
        .order_by("name")
    )


def case_agency_users(case: Case, agency: Agency) -> list[User]:
    """The active representatives of ``agency`` who may see ``case`` (named users if restricted)."""
    users = User.objects.filter(agency=agency, is_active=True, is_agency_rep=True)
    if case.restriction:
        users = users.filter(case_grants__case=case)
    # Only those who may open the case now: a licence covering it, and no declared conflict.
    return [
        user
        for user in users.distinct().order_by("pk")
        if cases_visible_to(user).filter(pk=case.pk).exists()
    ]


def _site(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _tell_agencies(*, case: Case, event: str, occasion: str, subject: str, body: str) -> int:
    sent = 0
    for agency in case_agencies(case):
        for user in case_agency_users(case, agency):
            notice = notice_record(
                event=event,
                instance=f"case:{case.pk}:{occasion}",
                recipient_email=user.email,
                recipient_user=user,
                subject=subject,
                body=body,
                obj=case,
            )
            sent += notice is not None
    return sent


def _period_end(case: Case, heard_on: datetime.date) -> datetime.date:
    return heard_on + relativedelta(months=case.area.policy.case_open_months)


@transaction.atomic
def case_period_restart(
    *,
    case: Case,
    heard_on: datetime.date,
    actor: User | None,
    request: HttpRequest | None,
) -> Case:
    """A meeting heard ``case`` on ``heard_on``: (re)start its period open to MARAC.

    Called when a meeting hears a case, and by triage when a repeat is heard again. The case
    (re)opens until the area's ``case_open_months`` after ``heard_on``; a later hearing never
    shortens the period. Every agency of the case is told, once per hearing, to flag the victim
    (and the perpetrator, where the policy says so) on its own systems until then.
    """
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("area__policy").get(pk=case.pk)
    )
    if case.last_heard_on and heard_on < case.last_heard_on:
        raise LifecycleError("The case was heard more recently than that")
    open_until = _period_end(case, heard_on)
    reopened = case.status != CaseStatus.OPEN
    case.last_heard_on = heard_on
    case.open_until = open_until
    case.status = CaseStatus.OPEN
    case.closed_at = None
    case.closure_reason = ""
    case.save(
        update_fields=["last_heard_on", "open_until", "status", "closed_at", "closure_reason"]
    )
    audit_record(
        action="case.period_restart",
        request=request,
        actor=actor,
        obj=case,
        detail={
            "heard_on": heard_on.isoformat(),
            "open_until": open_until.isoformat(),
            "reopened": reopened,
        },
    )
    whom = (
        "the victim and the perpetrator"
        if case.area.policy.flag_perpetrator
        else "the victim (not the perpetrator)"
    )
    _tell_agencies(
        case=case,
        event="case.flag",
        occasion=f"heard:{heard_on.isoformat()}",
        subject=f"MARAC case {case.reference}: flag on your systems",
        body=(
            f"MARAC case {case.reference} was heard on {heard_on:%d %B %Y}.\n\n"
            f"Please flag {whom} on your agency's own systems until {open_until:%d %B %Y}.\n\n"
            f"Sign in to see the case: {_site(reverse('caserecord:record', args=[case.reference]))}\n"
        ),
    )
    return case


@transaction.atomic
def case_period_close(*, case: Case, today: datetime.date) -> bool:
    """Close ``case`` if its period has ended; tell its agencies to remove flags. Idempotent."""
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("area__policy").get(pk=case.pk)
    )
    if case.status != CaseStatus.OPEN or case.open_until is None or case.open_until >= today:
        return False
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.closure_reason = ClosureReason.PERIOD_ENDED
    case.save(update_fields=["status", "closed_at", "closure_reason"])
    audit_record(
        action="case.period_end",
        actor_label="deadline sweep",
        obj=case,
        detail={"open_until": case.open_until.isoformat()},
    )
    _tell_agencies(
        case=case,
        event="case.unflag",
        occasion=f"closed:{case.open_until.isoformat()}",
        subject=f"MARAC case {case.reference}: remove your flags",
        body=(
            f"MARAC case {case.reference} has closed: its period open to MARAC ended on "
            f"{case.open_until:%d %B %Y}.\n\n"
            "Please remove the MARAC flags for this case reference from your agency's own "
            "systems.\n"
        ),
    )
    return True


def cases_close_expired(*, now: datetime.datetime) -> int:
    """Close every open case whose period ended before today (the sweep step)."""
    today = local_date(now)
    due = Case.objects.filter(status=CaseStatus.OPEN, open_until__lt=today).values_list(
        "pk", flat=True
    )
    return sum(
        case_period_close(case=case, today=today) for case in Case.objects.filter(pk__in=due)
    )


@transaction.atomic
def case_death_record(
    *,
    case: Case,
    role: str,
    actor: User,
    request: HttpRequest | None,
    participant: CaseParticipant | None = None,
    died_on: datetime.date | None = None,
    notes: str = "",
) -> CaseDeath:
    """Record the death of the case's victim or a perpetrator; freeze the case; tell the DA lead.

    The hub records it (agencies tell the hub). ``notes`` are encrypted and never e-mailed.
    """
    if role not in DeathRole.values:
        raise LifecycleError("Choose whether the victim or a perpetrator has died")
    if participant is not None and (participant.case_id != case.pk or participant.role != role):
        raise LifecycleError("Choose a person from this case in that role")
    if died_on is not None and died_on > local_date(timezone.now()):
        raise LifecycleError("The date of death must be today or in the past")
    death = CaseDeath.objects.create(
        case=case,
        role=role,
        participant=participant,
        died_on=died_on,
        notes=notes.strip(),
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    audit_record(
        action="case.death_record",
        request=request,
        actor=actor,
        obj=case,
        detail={"death": death.pk, "role": role},
    )
    partnership = case.partnership
    notice_record(
        event="case.death",
        instance=f"death:{death.pk}",
        recipient_email=partnership.da_lead_email,
        subject=f"MARAC case {case.reference}: a death has been recorded",
        body=(
            f"The death of a {death.get_role_display().lower()} has been recorded on MARAC case "
            f"{case.reference}, for a domestic abuse related death review.\n\n"
            f"Sign in to see it: {_site(reverse('caserecord:record', args=[case.reference]))}\n"
        ),
        obj=case,
    )
    notice_record(
        event="case.death",
        instance=f"death:{death.pk}",
        recipient_email=partnership.hub_email,
        subject=f"MARAC case {case.reference}: a death has been recorded",
        body=(
            f"A death has been recorded on MARAC case {case.reference}. The case is now frozen "
            "from routine edits.\n"
        ),
        obj=case,
    )
    return death
