"""A case at the meeting (its hearing): opening it, its record, what each agency shared,
and its outcome."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.audit.services import audit_record
from openmarac.cases import lifecycle
from openmarac.cases.models import Case, CaseStatus, ClosureReason
from openmarac.core.workdays import local_date
from openmarac.meetings.models import Listing, ListingStatus
from openmarac.notifications.services import notice_record

from ..models import CaseAlert, Hearing, Outcome, SharedInformation
from .attendance import unconfirmed
from .conflicts import present_agencies
from .guards import ProceedingsError, case_writable, part_writable, record_for


@transaction.atomic
def hearing_open(*, listing: Listing, actor: User, request: HttpRequest | None = None) -> Hearing:
    """Open a case at the meeting. Only after the meeting opened and every attendee, including
    anyone who joined since, confirmed the confidentiality statement."""
    record = record_for(listing.meeting)
    if not record.opened_at or record.closed_at:
        raise ProceedingsError("Cases can be opened only while the meeting is open")
    if listing.status == ListingStatus.WITHDRAWN:
        raise ProceedingsError("The case was withdrawn from this meeting")
    waiting = unconfirmed(listing.meeting)
    if waiting:
        raise ProceedingsError(
            f"{len(waiting)} attendee(s) have not confirmed the confidentiality statement"
        )
    case_writable(listing.case)
    hearing, created = Hearing.objects.get_or_create(
        listing=listing, defaults={"opened_at": timezone.now(), "opened_by": actor}
    )
    if created:
        audit_record(
            action="hearing.open",
            request=request,
            actor=actor,
            obj=hearing,
            detail={"case": listing.case_id, "meeting": listing.meeting_id},
        )
    return hearing


@transaction.atomic
def hearing_update(
    *,
    hearing: Hearing,
    actor: User,
    risks: str,
    victim_voice: str,
    discussion: str,
    feedback_agency: Agency | None,
    feedback_what: str,
    request: HttpRequest | None = None,
) -> Hearing:
    part_writable(record_for(hearing.listing.meeting), hearing)
    case_writable(hearing.listing.case)
    hearing.risks = risks.strip()
    hearing.victim_voice = victim_voice.strip()
    hearing.discussion = discussion.strip()
    hearing.feedback_agency = feedback_agency
    hearing.feedback_what = feedback_what.strip()
    hearing.save()
    audit_record(action="hearing.update", request=request, actor=actor, obj=hearing)
    return hearing


@transaction.atomic
def information_record(
    *,
    hearing: Hearing,
    agency: Agency,
    text: str,
    in_writing: bool,
    actor: User,
    request: HttpRequest | None = None,
) -> SharedInformation:
    """Record what one agency shared (or sent in writing for the chair to read out)."""
    part_writable(record_for(hearing.listing.meeting), hearing)
    case_writable(hearing.listing.case)
    if not text.strip():
        raise ProceedingsError("Enter the information the agency shared")
    if agency.partnership_id != hearing.listing.case.partnership_id:
        raise ProceedingsError("Choose an agency of this partnership")
    info, _ = SharedInformation.objects.update_or_create(
        hearing=hearing,
        agency=agency,
        defaults={
            "text": text.strip(),
            "in_writing": in_writing,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    audit_record(
        action="hearing.information",
        request=request,
        actor=actor,
        obj=info,
        detail={"hearing": hearing.pk, "agency": agency.pk},
    )
    return info


@transaction.atomic
def hearing_decide(
    *,
    hearing: Hearing,
    outcome: str,
    actor: User,
    reason: str = "",
    consensus: Iterable[Agency] = (),
    request: HttpRequest | None = None,
) -> Hearing:
    """Record the case's outcome and mark it heard.

    * keep open: a further period for actions (Kent: 2 weeks), then the hub reviews it;
    * close to MARAC: no further review; the case stays on the list, flagged, for its period.

    Both start the case's period open to MARAC from the hearing (``case_period_restart``).

    A case **not deemed high risk** needs the agreement of every agency present for it and a
    reason. It is closed at once: the referrer is told a decision was reached, every agency of
    the case is told to remove its flags, and an alert on the case says which meeting decided it
    and why.
    """
    hearing = Hearing.objects.select_for_update().select_related("listing__case").get(pk=hearing.pk)
    listing = hearing.listing
    meeting = listing.meeting
    case = Case.objects.select_for_update().get(pk=listing.case_id)
    part_writable(record_for(meeting), hearing)
    case_writable(case)
    if hearing.outcome:
        raise ProceedingsError("The outcome of this case is already recorded")
    if outcome not in Outcome.values:
        raise ProceedingsError("Choose the outcome")
    reason = reason.strip()
    now = timezone.now()
    heard_on = local_date(now) if meeting.starts_on <= local_date(now) else meeting.starts_on
    policy = meeting.area.policy
    if outcome == Outcome.NOT_HIGH_RISK:
        present = {a.pk for a in present_agencies(listing)}
        agreed = {a.pk for a in consensus}
        if not reason:
            raise ProceedingsError("Enter why the case is not deemed high risk")
        if not present or agreed != present:
            missing = len(present - agreed)
            raise ProceedingsError(
                "Every agency present must agree that the case is not high risk "
                f"({missing} have not)"
            )
        hearing.consensus_agencies.set(list(consensus))
    hearing.outcome = outcome
    hearing.outcome_reason = reason
    hearing.decided_at = now
    hearing.decided_by = actor
    if outcome == Outcome.KEEP_OPEN:
        hearing.keep_open_until = heard_on + datetime.timedelta(days=policy.keep_open_days)
    hearing.save()

    Listing.objects.filter(pk=listing.pk).update(status=ListingStatus.HEARD)
    if outcome == Outcome.NOT_HIGH_RISK:
        case.last_heard_on = heard_on
        case.status = CaseStatus.CLOSED
        case.closed_at = now
        case.closure_reason = ClosureReason.NOT_HIGH_RISK
        case.open_until = heard_on
        case.save(
            update_fields=["last_heard_on", "status", "closed_at", "closure_reason", "open_until"]
        )
        _not_high_risk_follow_up(hearing=hearing, case=case, actor=actor, reason=reason, now=now)
    else:
        # Hearing the case starts its period open to MARAC (agencies are told to flag it).
        # Closing to MARAC ends the meeting's work on it; the case stays on the MARAC list,
        # flagged, for the area's period, and the period's end tells agencies to unflag.
        lifecycle.case_period_restart(case=case, heard_on=heard_on, actor=actor, request=request)
    audit_record(
        action="hearing.decide",
        request=request,
        actor=actor,
        obj=hearing,
        detail={"case": case.pk, "outcome": outcome, "meeting": meeting.pk},
    )
    return hearing


def _not_high_risk_follow_up(
    *, hearing: Hearing, case: Case, actor: User, reason: str, now: datetime.datetime
) -> None:
    listing = hearing.listing
    meeting = listing.meeting
    CaseAlert.objects.create(
        case=case,
        meeting=meeting,
        text=(
            f"Not deemed high risk at the meeting of {meeting.starts_on:%-d %B %Y}, by the "
            f"agreement of every agency present. Reason: {reason}"
        ),
        created_at=now,
        created_by=actor,
    )
    referral = listing.referral or case.referrals.order_by("-submitted_at").first()
    if referral is not None and referral.referrer_email:
        notice_record(
            event="proceedings.not_high_risk.referrer",
            instance=f"hearing:{hearing.pk}",
            recipient_email=referral.referrer_email,
            subject=f"MARAC decision on referral {referral.reference}",
            body=(
                f"The MARAC has reached a decision on referral {referral.reference}.\n\n"
                "Your agency's MARAC representative will tell you what was decided and why.\n"
            ),
        )
    for agency in lifecycle.case_agencies(case):
        for user in lifecycle.case_agency_users(case, agency):
            notice_record(
                event="proceedings.remove_flags",
                instance=f"hearing:{hearing.pk}",
                recipient_email=user.email,
                recipient_user=user,
                subject=f"MARAC case {case.reference}: remove your flags",
                body=(
                    f"The MARAC found case {case.reference} not high risk. Remove any flags "
                    "your agency placed for it.\n\n"
                    f"Sign in for details: {settings.SITE_URL}{reverse('proceedings:index')}\n"
                ),
                obj=case,
            )
