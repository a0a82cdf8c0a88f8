"""Who is at the meeting: attendees, apologies, confirmations of the confidentiality
statement, and whether those present make the meeting quorate."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency, Sector
from openmarac.audit.services import audit_record
from openmarac.meetings.models import ListingStatus, Meeting
from openmarac.partnerships.models import AreaPolicy

from ..models import Apology, Attendee, AttendeeRole
from .guards import ProceedingsError, record_for


@transaction.atomic
def attendee_add(
    *,
    meeting: Meeting,
    role: str,
    actor: User,
    user: User | None = None,
    name: str = "",
    agency: Agency | None = None,
    request: HttpRequest | None = None,
) -> Attendee:
    """Record one person at the meeting: a licence holder (``user``) or someone named."""
    record = record_for(meeting)
    if record.closed_at:
        raise ProceedingsError("The meeting has closed")
    if role not in AttendeeRole.values:
        raise ProceedingsError("Choose the person's role at the meeting")
    partnership_id = meeting.area.partnership_id
    if user is not None:
        if (
            not user.is_active
            or user.agency is None
            or user.agency.partnership_id != partnership_id
        ):
            raise ProceedingsError("That person does not hold a licence in this partnership")
        if Attendee.objects.filter(meeting=meeting, user=user).exists():
            raise ProceedingsError("That person is already recorded as attending")
        name = user.get_full_name() or user.username
        agency = user.agency
    name = name.strip()
    if not name:
        raise ProceedingsError("Enter the person's name")
    if agency is not None and agency.partnership_id != partnership_id:
        raise ProceedingsError("Choose an agency of this partnership")
    if role != AttendeeRole.OBSERVER and agency is None:
        raise ProceedingsError("Choose the agency the person represents")
    attendee = Attendee.objects.create(
        meeting=meeting,
        user=user,
        name=name[:200],
        agency=agency,
        role=role,
        recorded_by=actor,
        recorded_at=timezone.now(),
    )
    if agency is not None and role != AttendeeRole.OBSERVER:
        Apology.objects.filter(meeting=meeting, agency=agency).delete()
    audit_record(
        action="meeting.attendee_add",
        request=request,
        actor=actor,
        obj=attendee,
        detail={"meeting": meeting.pk, "role": role},
    )
    return attendee


@transaction.atomic
def apology_record(
    *,
    meeting: Meeting,
    agency: Agency,
    information_in_writing: bool,
    actor: User,
    request: HttpRequest | None = None,
) -> Apology:
    if agency.partnership_id != meeting.area.partnership_id:
        raise ProceedingsError("Choose an agency of this partnership")
    if (
        Attendee.objects.filter(meeting=meeting, agency=agency)
        .exclude(role=AttendeeRole.OBSERVER)
        .exists()
    ):
        raise ProceedingsError(f"{agency.name} is recorded as attending")
    apology, _ = Apology.objects.update_or_create(
        meeting=meeting,
        agency=agency,
        defaults={
            "information_in_writing": information_in_writing,
            "recorded_by": actor,
            "recorded_at": timezone.now(),
        },
    )
    audit_record(
        action="meeting.apology",
        request=request,
        actor=actor,
        obj=apology,
        detail={"meeting": meeting.pk, "in_writing": information_in_writing},
    )
    return apology


@transaction.atomic
def attendee_confirm(
    *, attendee: Attendee, actor: User, request: HttpRequest | None = None
) -> Attendee:
    """Record that the attendee confirmed the area's confidentiality statement."""
    attendee = Attendee.objects.select_for_update().get(pk=attendee.pk)
    if attendee.confidentiality_confirmed_at is None:
        attendee.confidentiality_confirmed_at = timezone.now()
        attendee.save(update_fields=["confidentiality_confirmed_at"])
        audit_record(
            action="meeting.confidentiality_confirm",
            request=request,
            actor=actor,
            obj=attendee,
            detail={"meeting": attendee.meeting_id},
        )
    return attendee


def unconfirmed(meeting: Meeting) -> list[Attendee]:
    return list(meeting.attendees.filter(confidentiality_confirmed_at__isnull=True))


# Quorum.


SECTOR_LABELS = dict(Sector.choices)


@dataclass(frozen=True)
class Quorum:
    met: bool
    problems: list[str]
    statutory_present: int
    statutory_needed: int


def _counts_as_statutory(agency: Agency, policy: AreaPolicy) -> bool:
    # The protocol counts the named sectors (the DA/IDVA service among them) in its five.
    return agency.statutory or agency.sector in (policy.quorum_required_sectors or [])


def quorum_check(meeting: Meeting) -> Quorum:
    """Whether the people recorded as present make the meeting quorate under the area's rule."""
    policy = meeting.area.policy
    present = list(meeting.attendees.exclude(role=AttendeeRole.OBSERVER).select_related("agency"))
    roles = {a.role for a in present}
    agencies = {a.agency for a in present if a.agency is not None and not a.agency.is_hub}
    problems: list[str] = []
    if policy.quorum_requires_chair and AttendeeRole.CHAIR not in roles:
        problems.append("No chair is recorded")
    if policy.quorum_requires_administrator and AttendeeRole.MINUTE_TAKER not in roles:
        problems.append("No MARAC administrator (minute taker) is recorded")
    statutory = sum(1 for a in agencies if _counts_as_statutory(a, policy))
    if statutory < policy.quorum_min_statutory_agencies:
        problems.append(
            f"{statutory} of the {policy.quorum_min_statutory_agencies} statutory agencies "
            "needed are present"
        )
    sectors = {a.sector for a in agencies}
    needed = list(policy.quorum_required_sectors or [])
    if (
        policy.quorum_childrens_when_children
        and meeting.listings.filter(case__has_children=True)
        .exclude(status=ListingStatus.WITHDRAWN)
        .exists()
    ):
        needed.append(Sector.CHILDRENS_SOCIAL_CARE)
    for sector in needed:
        if sector not in sectors:
            label = SECTOR_LABELS.get(sector, sector)
            problems.append(f"{label} is not represented")
    return Quorum(
        met=not problems,
        problems=problems,
        statutory_present=statutory,
        statutory_needed=policy.quorum_min_statutory_agencies,
    )
