"""Professionals' meetings: a member asks for one on a complex or urgent case, and the hub
schedules it as a meeting of the professionals' kind with the case listed at it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case
from openmarac.meetings.models import ListingReason, MeetingKind
from openmarac.meetings.services import MeetingError, case_list, meeting_add
from openmarac.notifications.services import notice_record

from ..models import ProfessionalsMeetingReason, ProfessionalsMeetingRequest
from ..selectors import agencies_involved
from .rules import MAX_TEXT, ActionError, area_members, require_not_frozen, require_sees


@transaction.atomic
def professionals_meeting_request(
    *, case: Case, by: User, reason: str, note: str, request: HttpRequest | None
) -> ProfessionalsMeetingRequest:
    """Any member who may see the case asks for a professionals' meeting (complex or urgent).
    The hub is told; the request records how many agencies were involved at the time."""
    require_not_frozen(case)
    require_sees(by, case)
    if reason not in ProfessionalsMeetingReason.values:
        raise ActionError("Choose why a professionals' meeting is needed")
    if ProfessionalsMeetingRequest.objects.filter(case=case, meeting__isnull=True).exists():
        raise ActionError("A professionals' meeting has already been asked for on this case")
    asked = ProfessionalsMeetingRequest.objects.create(
        case=case,
        reason=reason,
        note=(note or "").strip()[:MAX_TEXT],
        requested_by=by,
        requested_at=timezone.now(),
        agencies_involved=agencies_involved(case),
    )
    audit_record(
        action="professionals_meeting.request",
        request=request,
        actor=by,
        obj=asked,
        detail={"case": case.pk, "reason": reason},
    )
    notice_record(
        event="professionals_meeting.request",
        instance=f"pmr:{asked.pk}",
        recipient_email=case.partnership.hub_email,
        subject="A professionals' meeting has been asked for",
        body=(
            "A member has asked for a professionals' meeting on a MARAC case.\n\n"
            f"Sign in to schedule it: {settings.SITE_URL.rstrip('/')}"
            f"{reverse('actions:professionals_list')}\n"
        ),
        obj=asked,
    )
    return asked


@transaction.atomic
def professionals_meeting_schedule(
    *,
    asked: ProfessionalsMeetingRequest,
    starts_on: datetime.date,
    start_time: datetime.time | None,
    actor: User,
    request: HttpRequest | None,
) -> ProfessionalsMeetingRequest:
    """The hub schedules the requested professionals' meeting: a meeting of the professionals'
    kind in the case's area, with the case listed at it, minuted like any meeting."""
    asked = ProfessionalsMeetingRequest.objects.select_for_update().get(pk=asked.pk)
    case = asked.case
    require_not_frozen(case)
    if not getattr(actor, "is_hub_coordinator", False):
        raise ActionError("Only the hub can schedule a professionals' meeting")
    require_sees(actor, case)
    if asked.meeting_id is not None:
        raise ActionError("This professionals' meeting has already been scheduled")
    try:
        meeting = meeting_add(
            area=case.area,
            starts_on=starts_on,
            start_time=start_time,
            kind=MeetingKind.PROFESSIONALS,
            actor=actor,
            request=request,
        )
        case_list(
            case=case,
            actor=actor,
            reason=ListingReason.REVIEW,
            meeting=meeting,
            request=request,
        )
    except MeetingError as exc:
        raise ActionError(str(exc)) from exc
    asked.meeting = meeting
    asked.scheduled_by = actor
    asked.scheduled_at = timezone.now()
    asked.save(update_fields=["meeting", "scheduled_by", "scheduled_at"])
    audit_record(
        action="professionals_meeting.schedule",
        request=request,
        actor=actor,
        obj=asked,
        detail={"meeting": meeting.pk},
    )
    for user in area_members(case):
        notice_record(
            event="professionals_meeting.scheduled",
            instance=f"pmr:{asked.pk}",
            recipient_email=user.email,
            recipient_user=user,
            subject="A professionals' meeting has been arranged",
            body=(
                "A professionals' meeting has been arranged on a MARAC case in your area.\n\n"
                "Sign in to see the date and the case.\n"
            ),
            obj=asked,
        )
    return asked
