"""Accepting a referral: onto a new case, its earlier case (a repeat) or a case the hub names,
listed at a meeting or sent to the IDVA service alone, with the people told as the area says."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.cases.archive import case_unarchive
from openmarac.cases.lifecycle import LifecycleError, case_is_frozen, case_period_restart
from openmarac.cases.models import (
    Case,
    CaseAccessGrant,
    CaseLink,
    CaseLinkKind,
    CaseParticipant,
    CaseStatus,
    ParticipantRole,
    Restriction,
)
from openmarac.core.workdays import local_date
from openmarac.emergencies.services import EmergencyError, emergency_request_from_referral
from openmarac.idva.services import idva_contact_open, victim_engaged
from openmarac.meetings.models import ListingReason, Meeting
from openmarac.meetings.services import ListingResult, MeetingError, case_list
from openmarac.referrals.models import LinkStatus, Referral, ReferralStatus

from ..models import DecisionKind, Routing, TriageDecision
from ..repeats import RepeatAssessment, idva_only, repeat_assess
from .decisions import lock_waiting
from .errors import TriageError
from .recipients import (
    agency_rep_emails,
    idva_emails,
    member_emails,
    notify,
    referrer_link,
    site_link,
)


@dataclass
class AcceptResult:
    referral: Referral
    case: Case
    decision: TriageDecision
    assessment: RepeatAssessment
    listing: ListingResult | None = None
    links: list[CaseLink] = field(default_factory=list)

    @property
    def over_limit(self) -> bool:
        return bool(self.listing and self.listing.over_limit)


def _new_case(referral: Referral, actor: User) -> Case:
    assert referral.area is not None
    assert referral.reference
    restriction = (
        referral.restriction_requested
        if referral.restriction_requested in Restriction.values
        else Restriction.NONE
    )
    case = Case.objects.create(
        partnership=referral.partnership,
        area=referral.area,
        reference=referral.reference,
        restriction=restriction,
    )
    if restriction:
        # A restricted case admits named users only: the coordinator who accepted it first.
        CaseAccessGrant.objects.create(case=case, user=actor, granted_by=actor)
    return case


def _restart_period(
    *, case: Case, heard_on: datetime.date, actor: User, request: HttpRequest | None
) -> None:
    """A repeat restarts the case's period open to MARAC from the meeting that will hear it."""
    try:
        case_period_restart(case=case, heard_on=heard_on, actor=actor, request=request)
    except LifecycleError as exc:
        raise TriageError(str(exc)) from exc


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    actor: User,
    reason: str,
    request: HttpRequest | None = None,
    attach_to: Case | None = None,
    information_only: bool = False,
    meeting: Meeting | None = None,
) -> AcceptResult:
    """Accept a referral: a repeat reopens its case; otherwise a new case (or ``attach_to``).

    The case is listed at ``meeting`` or the next meeting open to it, unless the area sends
    this repeat to the IDVA service only (Gwent). Earlier cases that are not repeats are linked
    for context. The referrer, the referring agency and the IDVA service are told as the area's
    policy says.
    """
    referral = lock_waiting(referral)
    assert referral.area is not None
    policy = referral.area.policy
    if not reason.strip():
        raise TriageError("Enter the reason for accepting the referral")
    pending = referral.participants.filter(link_status=LinkStatus.PENDING).count()
    if pending:
        raise TriageError(
            "Check every person on the referral first: link them to a known person or confirm "
            "them as new"
        )
    now = timezone.now()
    today = local_date(now)
    assessment = repeat_assess(referral=referral, today=today, information_only=information_only)
    if attach_to is not None:
        if attach_to.partnership_id != referral.partnership_id or attach_to.area_id != (
            referral.area_id
        ):
            raise TriageError("A referral can only be attached to a case of its own area")
        if assessment.repeat_of is not None and assessment.repeat_of.pk != attach_to.pk:
            raise TriageError(
                f"This referral is a repeat of case {assessment.repeat_of.reference}: accept it "
                "onto that case"
            )
    case = assessment.repeat_of or attach_to or assessment.reopens
    if assessment.reopens is not None and case is not assessment.reopens:
        assessment.related.append((assessment.reopens, CaseLinkKind.EARLIER_OUT_OF_WINDOW))
    if case is not None and case.archived_at is not None:
        # The same people referred again re-open their archived file (002 §22).
        case = case_unarchive(case=case, actor=actor, reason="re_referral", request=request)
    if case is not None and case_is_frozen(case):
        raise TriageError(
            f"Case {case.reference} is frozen because a death has been recorded: ask the chair "
            "how to proceed"
        )
    is_repeat = assessment.is_repeat
    created = case is None
    if case is None:
        case = _new_case(referral, actor)
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    for participant in referral.participants.all():
        CaseParticipant.objects.get_or_create(
            case=case, person_id=participant.person_id, role=participant.role
        )
    case.has_children = case.participants.filter(role=ParticipantRole.CHILD).exists()
    case.last_referred_at = now
    if case.status == CaseStatus.CLOSED and not created:
        case.status = CaseStatus.OPEN
        case.closed_at = None
        case.closure_reason = ""
    case.save()
    links = []
    for related, kind in assessment.related:
        link, _ = CaseLink.objects.get_or_create(
            case=case, related_case=related, kind=kind, defaults={"created_by": actor}
        )
        links.append(link)
    routing = Routing.AGENDA
    if is_repeat and idva_only(
        case,
        months=policy.repeat_idva_only_within_months,
        # Gwent (004 §4.2.3): the engagement the IDVA service recorded, not a question at triage.
        victim_engaged=victim_engaged(case),
        today=today,
    ):
        routing = Routing.IDVA_ONLY
    listing = None
    if routing == Routing.AGENDA:
        try:
            listing = case_list(
                case=case,
                actor=actor,
                reason=ListingReason.REPEAT if is_repeat else ListingReason.NEW,
                referral=referral,
                meeting=meeting,
                request=request,
                on=today,
            )
        except MeetingError as exc:
            raise TriageError(str(exc)) from exc
        if is_repeat:
            _restart_period(
                case=case, heard_on=listing.listing.meeting.starts_on, actor=actor, request=request
            )
    referral.case = case
    referral.status = ReferralStatus.ACCEPTED
    referral.decided_at = now
    referral.is_repeat = is_repeat
    referral.save(update_fields=["case", "status", "decided_at", "is_repeat", "updated_at"])
    decision = TriageDecision.objects.create(
        referral=referral,
        kind=DecisionKind.ACCEPT,
        reason=reason.strip(),
        case=case,
        meeting=listing.listing.meeting if listing else None,
        is_repeat=is_repeat,
        routing=routing,
        decided_by=actor,
        decided_at=now,
    )
    audit_record(
        action="triage.accept",
        request=request,
        actor=actor,
        obj=referral,
        detail={
            "case": case.pk,
            "new_case": created,
            "repeat": is_repeat,
            "routing": routing,
            "meeting": decision.meeting_id,
            "links": [[link.related_case_id, link.kind] for link in links],
        },
    )
    _notify_accepted(referral, case, decision)
    idva_contact_open(referral=referral, case=case, accepted_at=now)
    if referral.emergency_requested:
        try:
            emergency_request_from_referral(
                referral=referral, case=case, actor=actor, request=request
            )
        except EmergencyError as exc:
            raise TriageError(str(exc)) from exc
    return AcceptResult(
        referral=referral,
        case=case,
        decision=decision,
        assessment=assessment,
        listing=listing,
        links=links,
    )


def _notify_accepted(referral: Referral, case: Case, decision: TriageDecision) -> None:
    assert referral.area is not None
    policy = referral.area.policy
    instance = f"referral:{referral.pk}:{decision.pk}"
    outcome = (
        "accepted as a repeat and sent to the IDVA service"
        if decision.routing == Routing.IDVA_ONLY
        else "accepted and listed for a MARAC meeting"
    )
    notify(
        event="triage.accepted.referrer",
        instance=instance,
        recipients=[referral.referrer_email],
        subject=f"MARAC referral {referral.reference} accepted",
        body=f"Your MARAC referral {referral.reference} has been {outcome}.\n\n"
        f"Verify your work e-mail address to see it: {referrer_link(referral)}\n",
        obj=referral,
    )
    case_link = site_link(reverse("caserecord:record", args=[case.reference]))
    if policy.notify_agency_rep_of_outcome:
        notify(
            event="triage.accepted.agency",
            instance=instance,
            recipients=agency_rep_emails(referral.referrer_agency),
            subject=f"MARAC referral {referral.reference} accepted",
            body=f"A MARAC referral from your organisation, {referral.reference}, has been "
            f"{outcome}.\n\nCase: {case.reference}\nSign in to see it: {case_link}\n",
            obj=referral,
        )
    idva = idva_emails(referral.area)
    if decision.routing == Routing.IDVA_ONLY or policy.notify_idva_on_accept:
        notify(
            event="triage.accepted.idva",
            instance=instance,
            recipients=idva,
            subject=f"MARAC case {case.reference}: referral for the IDVA service",
            body=f"A MARAC referral has been {outcome}. The IDVA service is asked to contact the "
            f"victim.\n\nCase: {case.reference}\nSign in to see it: {case_link}\n",
            obj=referral,
        )
    # A restricted case is not circulated to the membership (closed MARAC, HBA, employee).
    if (
        decision.routing == Routing.AGENDA
        and policy.notify_members_on_accept
        and not case.restriction
    ):
        others = [e for e in member_emails(referral.area) if e not in idva]
        notify(
            event="triage.accepted.members",
            instance=instance,
            recipients=others,
            subject=f"MARAC case {case.reference} listed",
            body="A case has been listed for the MARAC and is ready for your agency's research."
            f"\n\nCase: {case.reference}\nSign in to see it: {case_link}\n",
            obj=referral,
        )
