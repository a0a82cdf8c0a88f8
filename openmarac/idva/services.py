"""The IDVA clock: opening a contact when the hub accepts a referral, recording attempts and the
outcome, and the sweep's reminders and lateness. Each change is one transaction with its audit.

Who may call what:

* ``idva_contact_open`` — triage, when it accepts a referral.
* ``idva_attempt_record`` — a representative of an IDVA service agency, or the hub, who may see
  the case.
* ``idva_clock_sweep`` — the sweep (no user): idempotent, each notice keyed once.

Notices name no person: they point to the contact's page.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Sector
from openmarac.agencies.selectors import agencies_active_in
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.workdays import calendar_for
from openmarac.notifications.services import notice_record
from openmarac.partnerships.models import Area
from openmarac.referrals.models import Referral

from .models import ContactMethod, ContactOutcome, IdvaContact, IdvaContactAttempt

FRIDAY = 4
MAX_NOTE = 5000


class IdvaError(Exception):
    """A change the rules do not allow; the message is safe to show to the user."""


def _link(contact: IdvaContact) -> str:
    path = reverse("idva:contact", kwargs={"public_id": contact.public_id})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def idva_due_at(*, area: Area, accepted_at: datetime.datetime) -> datetime.datetime:
    """When the IDVA service is to have contacted the victim: the area's working hours after
    acceptance (000 §4.1: 24/48), or its Friday hours when accepted on a Friday (002 §5.7: 72)."""
    policy = area.policy
    local = timezone.localtime(accepted_at)
    if policy.idva_contact_friday_hours is not None and local.weekday() == FRIDAY:
        return accepted_at + datetime.timedelta(hours=policy.idva_contact_friday_hours)
    calendar = calendar_for(area.partnership)
    return calendar.add_working_hours(accepted_at, policy.idva_contact_working_hours)


def idva_users(area: Area) -> list[User]:
    """The active representatives of the area's IDVA service."""
    return list(
        User.objects.filter(
            agency__in=agencies_active_in(area).filter(sector=Sector.IDVA),
            is_active=True,
            is_agency_rep=True,
        ).order_by("pk")
    )


def may_record(user: User, case: Case) -> bool:
    """An IDVA service representative or a hub coordinator who may see the case."""
    agency = user.agency
    role = bool(user.is_hub_coordinator) or bool(
        user.is_agency_rep and agency is not None and agency.sector == Sector.IDVA
    )
    return role and user.is_active and cases_visible_to(user).filter(pk=case.pk).exists()


@transaction.atomic
def idva_contact_open(
    *, referral: Referral, case: Case, accepted_at: datetime.datetime
) -> IdvaContact:
    """Start the IDVA clock for an accepted referral. Opening it again returns the same one."""
    contact, created = IdvaContact.objects.get_or_create(
        referral=referral,
        defaults={
            "case": case,
            "accepted_at": accepted_at,
            "due_at": idva_due_at(area=case.area, accepted_at=accepted_at),
        },
    )
    if created:
        audit_record(
            action="idva_contact.open",
            actor_label="triage",
            obj=contact,
            detail={"case": case.pk, "due_at": contact.due_at.isoformat()},
        )
    return contact


@transaction.atomic
def idva_attempt_record(
    *,
    contact: IdvaContact,
    at: datetime.datetime,
    method: str,
    note: str,
    outcome: str,
    presents_view: str,
    actor: User,
    request: HttpRequest | None,
) -> IdvaContactAttempt:
    """Record one attempt to contact the victim, with its time and method, and the outcome once
    there is one (engaged, declined, unreachable) with who presents the victim's view."""
    contact = IdvaContact.objects.select_for_update(of=("self",)).get(pk=contact.pk)
    if not may_record(actor, contact.case):
        raise IdvaError("Only the IDVA service or the hub can record contact with the victim")
    if method not in ContactMethod.values:
        raise IdvaError("Select how contact was attempted")
    if outcome and outcome not in ContactOutcome.values:
        raise IdvaError("Select the outcome")
    if at > timezone.now():
        raise IdvaError("The time of the attempt must be in the past")
    if at < contact.accepted_at - datetime.timedelta(days=1):
        raise IdvaError("The attempt must be after the referral was accepted")
    attempt = IdvaContactAttempt.objects.create(
        contact=contact,
        at=at,
        method=method,
        note=(note or "").strip()[:MAX_NOTE],
        by=actor,
        by_agency=actor.agency,
    )
    fields = []
    if outcome:
        contact.outcome, contact.outcome_at, contact.outcome_by = outcome, at, actor
        fields += ["outcome", "outcome_at", "outcome_by"]
    if presents_view.strip():
        contact.presents_view = presents_view.strip()[:200]
        fields.append("presents_view")
    if fields:
        contact.save(update_fields=fields)
    audit_record(
        action="idva_contact.attempt",
        request=request,
        actor=actor,
        obj=contact,
        detail={"attempt": attempt.pk, "method": method, "outcome": outcome},
    )
    return attempt


def victim_engaged(case: Case) -> bool:
    """Whether the latest recorded outcome on ``case`` is that the victim engaged with the IDVA
    service: Gwent's repeat rule (004 §4.2.3) reads this, not a question at triage."""
    latest = (
        IdvaContact.objects.filter(case=case)
        .exclude(outcome="")
        .order_by("-outcome_at", "-pk")
        .values_list("outcome", flat=True)
        .first()
    )
    return latest == ContactOutcome.ENGAGED


def _remind(contact: IdvaContact, now: datetime.datetime) -> int:
    sent = 0
    for user in idva_users(contact.case.area):
        sent += (
            notice_record(
                event="idva_contact.reminder",
                instance=f"idva_contact:{contact.pk}",
                recipient_email=user.email,
                recipient_user=user,
                subject="An IDVA contact with a victim is due soon",
                body=(
                    "Contact with the victim on a MARAC case is due by "
                    f"{timezone.localtime(contact.due_at):%A %-d %B %H:%M}.\n\n"
                    f"Sign in to record it: {_link(contact)}\n"
                ),
                obj=contact,
            )
            is not None
        )
    contact.reminded_at = now
    contact.save(update_fields=["reminded_at"])
    return sent


def _late(contact: IdvaContact, now: datetime.datetime) -> int:
    notice = notice_record(
        event="idva_contact.late",
        instance=f"idva_contact:{contact.pk}",
        recipient_email=contact.case.partnership.hub_email,
        subject="An IDVA contact with a victim is late",
        body=(
            "The IDVA service has not recorded contact with the victim on a MARAC case within "
            f"the area's deadline.\n\nSign in to see it: {_link(contact)}\n"
        ),
        obj=contact,
    )
    contact.late_at = now
    contact.save(update_fields=["late_at"])
    return int(notice is not None)


def idva_clock_sweep(*, now: datetime.datetime) -> int:
    """Remind the IDVA service before each open contact's deadline (the area's reminder hours)
    and tell the hub once when it has passed. Returns how many notices were recorded."""
    done = 0
    open_contacts = (
        IdvaContact.objects.filter(outcome="")
        .filter(late_at__isnull=True)
        .select_related("case__area__policy", "case__partnership")
        .order_by("due_at", "pk")
    )
    for contact in open_contacts:
        with transaction.atomic():
            if now >= contact.due_at:
                done += _late(contact, now)
                continue
            hours = contact.case.area.policy.idva_contact_reminder_hours
            if (
                contact.reminded_at is None
                and hours
                and now >= contact.due_at - (datetime.timedelta(hours=hours))
            ):
                done += _remind(contact, now)
    return done
