"""Conflicts of interest declared in a case at the meeting, and so the agencies present
for each case."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.audit.services import audit_record
from openmarac.meetings.models import Listing

from ..models import Attendee, AttendeeRole, ConflictDeclaration, Hearing
from .guards import ProceedingsError


@transaction.atomic
def conflict_declare(
    *,
    listing: Listing,
    attendee: Attendee,
    actor: User,
    stand_in: Attendee | None = None,
    request: HttpRequest | None = None,
) -> ConflictDeclaration:
    """An attendee declares a conflict of interest in a case before it is heard.

    From then on the case is out of their scope. A conflicted chair or minute taker must name
    another attendee to take over for that case.
    """
    meeting = listing.meeting
    if attendee.meeting_id != meeting.pk:
        raise ProceedingsError("That person is not recorded at this meeting")
    if Hearing.objects.filter(listing=listing).exists():
        raise ProceedingsError("Declare a conflict before the case is opened")
    if attendee.role in (AttendeeRole.CHAIR, AttendeeRole.MINUTE_TAKER):
        if stand_in is None:
            raise ProceedingsError(
                f"Name who will act as {attendee.get_role_display().lower()} for this case"
            )
        if stand_in.meeting_id != meeting.pk or stand_in.pk == attendee.pk:
            raise ProceedingsError("Choose another person at this meeting to take over")
        if stand_in.role == AttendeeRole.OBSERVER:
            raise ProceedingsError("An observer cannot take over")
        if attendee.role == AttendeeRole.CHAIR and stand_in.user_id is None:
            # The stand-in approves the case's minutes in the chair's place.
            raise ProceedingsError("Choose someone who holds a licence to chair this case")
        if ConflictDeclaration.objects.filter(listing=listing, attendee=stand_in).exists():
            raise ProceedingsError("That person has also declared a conflict in this case")
    else:
        stand_in = None
    declaration, created = ConflictDeclaration.objects.get_or_create(
        listing=listing,
        attendee=attendee,
        defaults={
            "meeting": meeting,
            "case": listing.case,
            "user": attendee.user,
            "stand_in": stand_in,
            "declared_at": timezone.now(),
            "recorded_by": actor,
        },
    )
    if created:
        audit_record(
            action="meeting.conflict_declare",
            request=request,
            actor=actor,
            obj=declaration,
            detail={"meeting": meeting.pk, "listing": listing.pk, "stand_in": bool(stand_in)},
        )
    return declaration


def conflicted_attendee_ids(listing: Listing) -> set[int]:
    return set(
        ConflictDeclaration.objects.filter(listing=listing).values_list("attendee_id", flat=True)
    )


def present_agencies(listing: Listing) -> list[Agency]:
    """Agencies present for this case: represented by an attendee who is not an observer, is
    not the hub team, and has not declared a conflict in the case."""
    conflicted = conflicted_attendee_ids(listing)
    agencies = {
        a.agency
        for a in listing.meeting.attendees.exclude(role=AttendeeRole.OBSERVER).select_related(
            "agency"
        )
        if a.agency is not None and not a.agency.is_hub and a.pk not in conflicted
    }
    return sorted(agencies, key=lambda a: a.name)
