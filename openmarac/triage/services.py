"""The hub's triage decisions, chasing returned referrals, and weekly updates.

Each service is one transaction with its audit event and its notices. Notices say only that
there is something to see and where to sign in, with the referral or case reference: never a
name, an address or the hub's free-text reasons (those are shown after signing in).

Who may call what: the triage decisions, linking and merging are for hub coordinators; weekly
updates are for anyone who may see the case. The views check the role and the scope; these
check the state of the referral or case.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency, Sector
from openmarac.agencies.selectors import agencies_active_in
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
from openmarac.core.workdays import calendar_for, local_date
from openmarac.meetings.models import ListingReason, Meeting
from openmarac.meetings.services import ListingResult, MeetingError, case_list
from openmarac.notifications.services import notice_record
from openmarac.partnerships.models import Area
from openmarac.referrals.models import LinkStatus, Referral, ReferralStatus

from .models import (
    DecisionKind,
    DeclineReason,
    IncompleteChase,
    Routing,
    TriageDecision,
    UpdateKind,
    WeeklyUpdate,
)
from .repeats import RepeatAssessment, idva_only, repeat_assess


class TriageError(Exception):
    """A decision the rules do not allow; the message is safe to show."""


# Recipients.


def _emails(users: Any) -> list[str]:
    return sorted({u.email for u in users if u.email})


def agency_rep_emails(agency: Agency | None) -> list[str]:
    """The referring agency's MARAC representatives and approvers (Lincolnshire: DMRs)."""
    if agency is None:
        return []
    return _emails(
        User.objects.filter(agency=agency, is_active=True).filter(
            Q(is_agency_rep=True) | Q(is_referral_approver=True)
        )
    )


def idva_emails(area: Area) -> list[str]:
    """The representatives of the area's IDVA service (a standing member with the IDVA sector)."""
    return _emails(
        User.objects.filter(
            agency__in=agencies_active_in(area).filter(sector=Sector.IDVA),
            is_active=True,
            is_agency_rep=True,
        )
    )


def member_emails(area: Area) -> list[str]:
    """The representatives of every agency taking part in the area's MARAC."""
    return _emails(
        User.objects.filter(agency__in=agencies_active_in(area), is_active=True, is_agency_rep=True)
    )


def invited_emails(case: Case) -> list[str]:
    """The representatives of agencies invited to this one case, while the invitation lasts."""
    invited = case.invitations.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    ).values("agency_id")
    return _emails(User.objects.filter(agency__in=invited, is_active=True, is_agency_rep=True))


def _notify(
    *, event: str, instance: str, recipients: list[str], subject: str, body: str, obj: Any
) -> int:
    sent = 0
    for address in sorted(set(recipients)):
        if notice_record(
            event=event,
            instance=instance,
            recipient_email=address,
            subject=subject,
            body=body,
            obj=obj,
        ):
            sent += 1
    return sent


def _site(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _referrer_link(referral: Referral) -> str:
    return _site(reverse("referrals:submitted", args=[referral.public_id]))


# Decisions.


def _lock_waiting(referral: Referral) -> Referral:
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("area__policy", "partnership", "referrer_agency")
        .get(pk=referral.pk)
    )
    if referral.status != ReferralStatus.SUBMITTED:
        raise TriageError("This referral is not waiting for triage")
    return referral


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


def _new_case(referral: Referral, actor: Any) -> Case:
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


def _restart_period(*, case: Case, heard_on: datetime.date, actor: Any, request: Any) -> None:
    """A repeat restarts the case's period open to MARAC from the meeting that will hear it."""
    try:
        case_period_restart(case=case, heard_on=heard_on, actor=actor, request=request)
    except LifecycleError as exc:
        raise TriageError(str(exc)) from exc


@transaction.atomic
def referral_accept(
    *,
    referral: Referral,
    actor: Any,
    reason: str,
    request: Any = None,
    attach_to: Case | None = None,
    information_only: bool = False,
    victim_engaged_with_idva: bool = False,
    meeting: Meeting | None = None,
) -> AcceptResult:
    """Accept a referral: a repeat reopens its case; otherwise a new case (or ``attach_to``).

    The case is listed at ``meeting`` or the next meeting open to it, unless the area sends
    this repeat to the IDVA service only (Gwent). Earlier cases that are not repeats are linked
    for context. The referrer, the referring agency and the IDVA service are told as the area's
    policy says.
    """
    referral = _lock_waiting(referral)
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
        victim_engaged=victim_engaged_with_idva,
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
    _notify(
        event="triage.accepted.referrer",
        instance=instance,
        recipients=[referral.referrer_email],
        subject=f"MARAC referral {referral.reference} accepted",
        body=f"Your MARAC referral {referral.reference} has been {outcome}.\n\n"
        f"Verify your work e-mail address to see it: {_referrer_link(referral)}\n",
        obj=referral,
    )
    case_link = _site(reverse("cases:detail", args=[case.reference]))
    if policy.notify_agency_rep_of_outcome:
        _notify(
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
        _notify(
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
        _notify(
            event="triage.accepted.members",
            instance=instance,
            recipients=others,
            subject=f"MARAC case {case.reference} listed",
            body="A case has been listed for the MARAC and is ready for your agency's research."
            f"\n\nCase: {case.reference}\nSign in to see it: {case_link}\n",
            obj=referral,
        )


@transaction.atomic
def referral_return(
    *, referral: Referral, actor: Any, missing: str, request: Any = None
) -> TriageDecision:
    """Return a referral as incomplete: the referrer is told what is missing (after signing in)
    and can complete and resend the same referral; the area's chase rule then runs."""
    referral = _lock_waiting(referral)
    if not missing.strip():
        raise TriageError("Enter what is missing from the referral")
    now = timezone.now()
    decision = TriageDecision.objects.create(
        referral=referral,
        kind=DecisionKind.RETURN,
        missing=missing.strip(),
        reason=missing.strip(),
        decided_by=actor,
        decided_at=now,
    )
    IncompleteChase.objects.filter(referral=referral, completed_at__isnull=True).update(
        completed_at=now
    )
    IncompleteChase.objects.create(referral=referral, decision=decision, returned_at=now)
    referral.status = ReferralStatus.RETURNED_BY_HUB
    referral.hub_return_note = missing.strip()
    referral.returned_at = now
    referral.decided_at = now
    referral.save(
        update_fields=["status", "hub_return_note", "returned_at", "decided_at", "updated_at"]
    )
    audit_record(
        action="triage.return",
        request=request,
        actor=actor,
        obj=referral,
        detail={"decision": decision.pk},
    )
    instance = f"referral:{referral.pk}:{decision.pk}"
    link = _site(reverse("referrals:task_list", args=[referral.public_id]))
    _notify(
        event="triage.returned.referrer",
        instance=instance,
        recipients=[referral.referrer_email],
        subject=f"MARAC referral {referral.reference} needs more information",
        body=f"The MARAC hub has returned referral {referral.reference} because it is "
        "incomplete.\n\nVerify your work e-mail address to see what is missing, complete the "
        f"referral and send it again: {link}\n",
        obj=referral,
    )
    assert referral.area is not None
    if referral.area.policy.notify_agency_rep_of_outcome:
        _notify(
            event="triage.returned.agency",
            instance=instance,
            recipients=agency_rep_emails(referral.referrer_agency),
            subject=f"MARAC referral {referral.reference} returned as incomplete",
            body=f"A MARAC referral from your organisation, {referral.reference}, has been "
            "returned to the referrer as incomplete. Please make sure it is completed.\n",
            obj=referral,
        )
    return decision


@transaction.atomic
def referral_decline(
    *,
    referral: Referral,
    actor: Any,
    decline_reason: str,
    explanation: str,
    request: Any = None,
) -> TriageDecision:
    """Decline a referral with one of the recognised reasons and an explanation."""
    referral = _lock_waiting(referral)
    if decline_reason not in DeclineReason.values:
        raise TriageError("Select why the referral is declined")
    if not explanation.strip():
        raise TriageError("Explain why the referral is declined")
    now = timezone.now()
    decision = TriageDecision.objects.create(
        referral=referral,
        kind=DecisionKind.DECLINE,
        decline_reason=decline_reason,
        reason=explanation.strip(),
        decided_by=actor,
        decided_at=now,
    )
    referral.status = ReferralStatus.DECLINED
    referral.decided_at = now
    referral.save(update_fields=["status", "decided_at", "updated_at"])
    audit_record(
        action="triage.decline",
        request=request,
        actor=actor,
        obj=referral,
        detail={"decision": decision.pk, "reason": decline_reason},
    )
    label = DeclineReason(decline_reason).label
    instance = f"referral:{referral.pk}:{decision.pk}"
    _notify(
        event="triage.declined.referrer",
        instance=instance,
        recipients=[referral.referrer_email],
        subject=f"MARAC referral {referral.reference} declined",
        body=f"The MARAC hub has declined referral {referral.reference}.\n\nReason: {label}.\n\n"
        "Verify your work e-mail address to read the hub's explanation and the support "
        f"available: {_referrer_link(referral)}\n",
        obj=referral,
    )
    assert referral.area is not None
    if referral.area.policy.notify_agency_rep_of_outcome:
        _notify(
            event="triage.declined.agency",
            instance=instance,
            recipients=agency_rep_emails(referral.referrer_agency),
            subject=f"MARAC referral {referral.reference} declined",
            body=f"A MARAC referral from your organisation, {referral.reference}, has been "
            f"declined.\n\nReason: {label}.\n",
            obj=referral,
        )
    return decision


# Chasing a returned referral (run by the sweep).


def chase_due_times(chase: IncompleteChase, referral: Referral) -> dict[str, Any]:
    """When each chase, the escalation and the lapse fall due, in the area's working days."""
    assert referral.area is not None
    policy = referral.area.policy
    calendar = calendar_for(referral.partnership)

    def after(days: int) -> datetime.datetime:
        return calendar.add_working_hours(chase.returned_at, 24 * days)

    return {
        "chases": [
            after(policy.incomplete_chase_interval_working_days * n)
            for n in range(1, policy.incomplete_chase_count + 1)
        ],
        "escalate": after(policy.incomplete_escalate_working_days)
        if policy.incomplete_escalate_working_days
        else None,
        "lapse": after(policy.incomplete_lapse_working_days)
        if policy.incomplete_lapse_working_days
        else None,
    }


@transaction.atomic
def chase_advance(*, chase: IncompleteChase, now: datetime.datetime) -> int:
    """Do whatever is due on one returned referral at ``now``; return how many steps were done.

    Idempotent: what was done is recorded on the chase, and each notice has its own key.
    """
    chase = IncompleteChase.objects.select_for_update(of=("self",)).get(pk=chase.pk)
    if chase.completed_at or chase.lapsed_at:
        return 0
    referral = (
        Referral.objects.select_for_update(of=("self",))
        .select_related("area__policy", "partnership", "referrer_agency")
        .get(pk=chase.referral_id)
    )
    if referral.status != ReferralStatus.RETURNED_BY_HUB or (
        referral.returned_at and referral.returned_at > chase.returned_at
    ):
        chase.completed_at = now
        chase.save(update_fields=["completed_at"])
        return 0
    due = chase_due_times(chase, referral)
    done = 0
    reached = [n for n, at in enumerate(due["chases"], start=1) if at <= now]
    if reached and reached[-1] > chase.chases_sent:
        number = reached[-1]
        link = _site(reverse("referrals:task_list", args=[referral.public_id]))
        _notify(
            event="triage.chase.referrer",
            instance=f"chase:{chase.pk}:{number}",
            recipients=[referral.referrer_email],
            subject=f"Reminder: MARAC referral {referral.reference} needs more information",
            body=f"MARAC referral {referral.reference} is still incomplete (reminder {number} of "
            f"{len(due['chases'])}). The hub cannot process it until it is completed.\n\n"
            f"Verify your work e-mail address to complete it: {link}\n",
            obj=referral,
        )
        chase.chases_sent = number
        chase.last_chased_at = now
        audit_record(
            action="triage.chase",
            obj=referral,
            detail={"chase": chase.pk, "number": number},
        )
        done += 1
    if due["escalate"] is not None and due["escalate"] <= now and chase.escalated_at is None:
        agency = referral.referrer_agency
        recipients = [agency.escalation_email] if agency and agency.escalation_email else []
        _notify(
            event="triage.chase.escalated",
            instance=f"chase:{chase.pk}",
            recipients=[*recipients, referral.partnership.hub_email],
            subject=f"Escalation: MARAC referral {referral.reference} is still incomplete",
            body=f"MARAC referral {referral.reference} was returned to the referring agency as "
            "incomplete and has not been completed despite reminders. Please make sure it is "
            "completed: it will not be processed after the end of the third week.\n",
            obj=referral,
        )
        chase.escalated_at = now
        audit_record(
            action="triage.escalate",
            obj=referral,
            detail={"chase": chase.pk, "to_agency_lead": bool(recipients)},
        )
        done += 1
    if due["lapse"] is not None and due["lapse"] <= now:
        _lapse(referral, chase, now=now)
        done += 1
    chase.save()
    return done


def _lapse(referral: Referral, chase: IncompleteChase, *, now: datetime.datetime) -> None:
    decision = TriageDecision.objects.create(
        referral=referral,
        kind=DecisionKind.LAPSE,
        reason="Not completed by the end of the period allowed after it was returned as "
        "incomplete. Responsibility lies with the referring agency.",
        responsibility="referrer",
        decided_at=now,
    )
    referral.status = ReferralStatus.LAPSED
    referral.decided_at = now
    referral.save(update_fields=["status", "decided_at", "updated_at"])
    chase.lapsed_at = now
    audit_record(
        action="triage.lapse",
        obj=referral,
        detail={"chase": chase.pk, "decision": decision.pk, "responsibility": "referrer"},
    )
    assert referral.area is not None
    recipients = [referral.referrer_email, referral.partnership.hub_email]
    if referral.area.policy.notify_agency_rep_of_outcome:
        recipients += agency_rep_emails(referral.referrer_agency)
    _notify(
        event="triage.lapsed",
        instance=f"chase:{chase.pk}",
        recipients=recipients,
        subject=f"MARAC referral {referral.reference} will not be processed",
        body=f"MARAC referral {referral.reference} was returned as incomplete and was not "
        "completed in time, so it will not be processed. Responsibility for this lies with the "
        "referring agency. If the victim is still at high risk, make a new referral.\n",
        obj=referral,
    )


# Weekly updates (Lincolnshire 8.1).


@transaction.atomic
def weekly_update_submit(
    *,
    case: Case,
    actor: Any,
    kind: str,
    information: str,
    purpose: str,
    extend_flag: bool,
    request: Any = None,
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
    link = _site(reverse("triage:weekly_updates", args=[case.reference]))
    ask = (
        "\nAll agencies are asked to extend their 12-month MARAC flag for this case.\n"
        if extend_flag
        else ""
    )
    if case.restriction:
        recipients = _emails(User.objects.filter(case_grants__case=case, is_active=True))
    else:
        recipients = member_emails(case.area) + invited_emails(case)
    if actor.email:
        recipients = [e for e in recipients if e != actor.email]
    _notify(
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
