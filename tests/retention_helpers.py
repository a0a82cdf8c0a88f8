"""A case with one row of nearly every kind that can belong to a case, for the retention tests.

Rows are made directly (not through each app's services) so that the disposal tests depend on the
models alone: what is tested is that disposal finds and destroys every one of them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.actions.models import Action, ActionEntry, EntryKind, PlanningStage
from openmarac.actions.models import ProfessionalsMeetingRequest as PMRequest
from openmarac.agencies.models import Agency
from openmarac.caseaccess.models import BreakGlass
from openmarac.caseaccess.models import ConflictDeclaration as HubConflict
from openmarac.cases.models import (
    Case,
    CaseAccessGrant,
    CaseDeath,
    CaseInvitation,
    CaseLink,
    CaseLinkKind,
    CaseParticipant,
    CaseStatus,
    ClosureReason,
    ParticipantRole,
)
from openmarac.licences.models import Licence
from openmarac.meetings.models import Listing, ListingMove, ListingReason, Meeting
from openmarac.partnerships.models import Area
from openmarac.people.models import Person
from openmarac.people.services import PersonDetails, person_create
from openmarac.proceedings.models import (
    Attendee,
    AttendeeRole,
    CaseAlert,
    Hearing,
    MinutesCorrection,
    SectionApproval,
    SharedInformation,
)
from openmarac.proceedings.models import ConflictDeclaration as MeetingConflict
from openmarac.referrals.models import LinkStatus, Referral, ReferralParticipant, ReferralStatus
from openmarac.referrals.selectors import email_index
from openmarac.research.models import ResearchEntry, ResearchEntryVersion, ResearchRequest
from openmarac.triage.models import (
    DecisionKind,
    IncompleteChase,
    TriageDecision,
    UpdateKind,
    WeeklyUpdate,
)


@dataclass
class RichCase:
    case: Case
    people: dict[str, Person]
    names: list[str] = field(default_factory=list)  # every name and phrase written for this case


def person(area: Area, forenames: str, surname: str, born: datetime.date | None) -> Person:
    return person_create(
        partnership=area.partnership,
        details=PersonDetails(
            forenames=forenames,
            surname=surname,
            date_of_birth=born,
            phone="07700 900123",
            address_lines=f"12 {surname} Lane",
            postcode="ZZ9 9ZZ",
        ),
    )


def closed_case(
    area: Area,
    reference: str,
    *,
    closed_at: datetime.datetime,
    people: dict[str, tuple[str, str, str, datetime.date | None]],
    referred_at: datetime.datetime | None = None,
    heard_on: datetime.date | None = None,
    existing: dict[str, Person] | None = None,
) -> tuple[Case, dict[str, Person]]:
    """A closed case whose flag period ended when it closed. ``people``: key -> (role,
    forenames, surname, date of birth); ``existing`` people are reused (a person on two cases)."""
    made = dict(existing or {})
    for key, (_role, forenames, surname, born) in people.items():
        if key not in made:
            made[key] = person(area, forenames, surname, born)
    case = Case.objects.create(
        partnership=area.partnership,
        area=area,
        reference=reference,
        status=CaseStatus.CLOSED,
        has_children=any(role == ParticipantRole.CHILD for role, *_ in people.values()),
        closed_at=closed_at,
        closure_reason=ClosureReason.PERIOD_ENDED,
        open_until=timezone.localdate(closed_at),
        last_referred_at=referred_at or closed_at - datetime.timedelta(days=400),
        last_heard_on=heard_on,
    )
    for key, (role, *_rest) in people.items():
        CaseParticipant.objects.create(case=case, person=made[key], role=role)
    return case, made


def fill(case: Case, *, users: dict[str, User], agency: Agency, other: Case) -> list[str]:
    """Give ``case`` a row of every kind the project keeps for a case; return the phrases
    written in its narrative (each must be gone after disposal)."""
    now = timezone.now()
    victim = case.participants.get(role=ParticipantRole.VICTIM)
    name = victim.person.display_name
    phrases = [f"{name} told the IDVA", f"{name} moved to a refuge"]
    coordinator, police = users["coordinator"], users["police"]
    referral = Referral.objects.create(
        partnership=case.partnership,
        area=case.area,
        reference=f"R-{case.reference}",
        status=ReferralStatus.ACCEPTED,
        referrer_email=f"referrer.{case.pk}@example.org",
        referrer_email_index=email_index(f"referrer.{case.pk}@example.org"),
        referrer_agency=agency,
        answers={"victim": {"forenames": name, "story": phrases[0]}},
        case=case,
    )
    for participant in case.participants.all():
        ReferralParticipant.objects.create(
            referral=referral,
            person=participant.person,
            link_status=LinkStatus.LINKED,
            role=participant.role,
        )
    returned = TriageDecision.objects.create(
        referral=referral, kind=DecisionKind.RETURN, missing=phrases[0], decided_at=now
    )
    IncompleteChase.objects.create(referral=referral, decision=returned, returned_at=now)
    TriageDecision.objects.create(
        referral=referral, kind=DecisionKind.ACCEPT, reason=phrases[1], case=case, decided_at=now
    )
    WeeklyUpdate.objects.create(
        case=case,
        kind=UpdateKind.NEW_ADDRESS,
        information=phrases[1],
        purpose=phrases[0],
        submitted_by=police,
        agency=agency,
        created_at=now,
    )
    day = timezone.localdate(now)
    meeting = Meeting.objects.create(
        area=case.area, starts_on=day, ends_on=day, start_time=datetime.time(10)
    )
    later = Meeting.objects.create(
        area=case.area, starts_on=day, ends_on=day, start_time=datetime.time(14)
    )
    listing = Listing.objects.create(
        meeting=meeting, case=case, referral=referral, reason=ListingReason.NEW, listed_at=now
    )
    ListingMove.objects.create(
        listing=listing, from_meeting=later, to_meeting=meeting, reason=phrases[0], moved_at=now
    )
    request = ResearchRequest.objects.create(
        listing=listing, agency=agency, requested_at=now, due_on=day
    )
    entry = ResearchEntry.objects.create(
        request=request,
        participant=victim,
        finding="information",
        information=phrases[0],
        updated_by=police,
        updated_at=now,
    )
    ResearchEntryVersion.objects.create(
        entry=entry,
        version=1,
        finding="information",
        information=phrases[0],
        recorded_by=police,
        recorded_at=now,
    )
    attendee = Attendee.objects.create(
        meeting=meeting,
        user=police,
        name="Pat Police",
        role=AttendeeRole.REPRESENTATIVE,
        recorded_at=now,
    )
    MeetingConflict.objects.create(
        meeting=meeting, listing=listing, case=case, attendee=attendee, declared_at=now
    )
    hearing = Hearing.objects.create(
        listing=listing,
        opened_at=now,
        risks=phrases[0],
        victim_voice=phrases[1],
        discussion=phrases[0],
        outcome_reason=phrases[1],
    )
    hearing.consensus_agencies.add(agency)
    SectionApproval.objects.create(hearing=hearing, approved_by=coordinator, approved_at=now)
    shared = SharedInformation.objects.create(
        hearing=hearing, agency=agency, text=phrases[1], recorded_at=now
    )
    MinutesCorrection.objects.create(
        information=shared,
        agency=agency,
        requested_by=police,
        requested_at=now,
        proposed_text=phrases[0],
        reason=phrases[1],
    )
    CaseAlert.objects.create(case=case, meeting=meeting, text=phrases[1], created_at=now)
    action = Action.objects.create(
        case=case,
        meeting=meeting,
        owner_agency=agency,
        what=phrases[0],
        addresses_participant=victim,
        due_on=day,
        rationale=phrases[1],
        proposed_by=police,
        proposed_at=now,
    )
    ActionEntry.objects.create(action=action, kind=EntryKind.COMMENT, text=phrases[1], at=now)
    PlanningStage.objects.create(case=case, opened_at=now, closes_on=day)
    PMRequest.objects.create(
        case=case, reason="complex", note=phrases[0], requested_by=police, requested_at=now
    )
    CaseInvitation.objects.create(case=case, agency=agency, invited_by=coordinator)
    CaseAccessGrant.objects.create(case=case, user=police, granted_by=coordinator)
    CaseDeath.objects.create(
        case=case,
        role="victim",
        participant=victim,
        notes=phrases[1],
        recorded_by=coordinator,
        recorded_at=now,
    )
    CaseLink.objects.create(
        case=other, related_case=case, kind=CaseLinkKind.SAME_VICTIM_OTHER_PERPETRATOR
    )
    HubConflict.objects.create(case=case, user=users["housing"])
    BreakGlass.objects.create(
        case=case, user=coordinator, reason=phrases[0], opened_at=now, expires_at=now
    )
    Licence.objects.get(user=police).cases.add(case)
    return phrases


def archived_due(area: Area, reference: str) -> Case:
    """An archived case of ``area``, due for retention review today (made directly, for the
    permission and IDOR matrices)."""
    from openmarac.retention.models import CaseRetention, RetentionState

    existing = Case.objects.filter(reference=reference).first()
    if existing is not None:
        return existing
    now = timezone.now()
    case, _people = closed_case(
        area,
        reference,
        closed_at=now - datetime.timedelta(days=4000),
        people={"victim": (ParticipantRole.VICTIM, "Matrixa", "Archivist", None)},
    )
    Case.objects.filter(pk=case.pk).update(archived_at=now - datetime.timedelta(days=3000))
    CaseRetention.objects.create(
        case=case,
        group_code="3",
        state=RetentionState.DUE,
        review_on=timezone.localdate(now),
        scheduled_at=now,
        due_at=now,
    )
    case.refresh_from_db()
    return case


def certificate_in(area: Area, reference: str) -> Any:
    from openmarac.retention.models import DisposalCertificate

    certificate, _ = DisposalCertificate.objects.get_or_create(
        case_reference=reference,
        defaults={
            "partnership": area.partnership,
            "area": area,
            "case_created_at": timezone.now() - datetime.timedelta(days=5000),
            "rule": "7 years after closure",
            "disposed_at": timezone.now(),
            "counts": {"cases": 1},
        },
    )
    return certificate
