"""The minutes after the meeting closes: the review of outstanding actions, approval by
the chair (and by any stand-in for the cases they chaired), publishing them, and sending
the agreed actions to the agencies that own them."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.audit.services import audit_record
from openmarac.meetings.models import Meeting

from ..actions_app import actions_available, actions_part
from ..models import AttendeeRole, Hearing, MeetingRecord, MinutesStatus, SectionApproval
from ..selectors import section_approvers, sections_waiting
from .guards import ProceedingsError, part_writable, record_for
from .notices import agency_reps, notify


@transaction.atomic
def outstanding_notes_save(
    *, meeting: Meeting, notes: str, actor: User, request: HttpRequest | None = None
) -> MeetingRecord:
    record = record_for(meeting)
    part_writable(record)
    record.outstanding_actions_notes = notes.strip()
    record.save(update_fields=["outstanding_actions_notes"])
    audit_record(action="minutes.outstanding_notes", request=request, actor=actor, obj=record)
    return record


@transaction.atomic
def minutes_approve(
    *, meeting: Meeting, actor: User, request: HttpRequest | None = None
) -> MeetingRecord:
    """The meeting's chair approves the minutes: all of them but the cases a stand-in chaired in
    the chair's place (``minutes_section_approve``). The minutes are approved once every part
    is."""
    record = MeetingRecord.objects.select_for_update().get(pk=record_for(meeting).pk)
    if not record.closed_at:
        raise ProceedingsError("Close the meeting before the minutes are approved")
    if record.minutes_status != MinutesStatus.DRAFT or record.approved_at is not None:
        raise ProceedingsError("The minutes are already approved")
    waiting = sections_waiting(meeting)
    record.approved_at = timezone.now()
    record.approved_by = actor
    if not waiting:
        record.minutes_status = MinutesStatus.APPROVED
    record.save(update_fields=["minutes_status", "approved_at", "approved_by"])
    audit_record(
        action="minutes.approve",
        request=request,
        actor=actor,
        obj=record,
        detail={"sections_waiting": len(waiting), "complete": not waiting},
    )
    return record


@transaction.atomic
def minutes_section_approve(
    *, hearing: Hearing, actor: User, request: HttpRequest | None = None
) -> SectionApproval:
    """The stand-in who chaired a case in place of a conflicted chair approves that case's
    minutes. The minutes are approved once the chair and every such stand-in have."""
    meeting = hearing.listing.meeting
    record = MeetingRecord.objects.select_for_update().get(pk=record_for(meeting).pk)
    if not record.closed_at:
        raise ProceedingsError("Close the meeting before the minutes are approved")
    approvers = section_approvers(meeting).get(hearing.pk)
    if approvers is None:
        raise ProceedingsError(
            "The meeting's chair approves this case with the rest of the minutes"
        )
    if getattr(actor, "pk", None) not in approvers:
        raise ProceedingsError("Only who chaired this case in the chair's place can approve it")
    if SectionApproval.objects.filter(hearing=hearing).exists():
        raise ProceedingsError("The minutes of this case are already approved")
    approval = SectionApproval.objects.create(
        hearing=hearing, approved_by=actor, approved_at=timezone.now()
    )
    complete = record.approved_at is not None and not sections_waiting(meeting)
    if complete:
        record.minutes_status = MinutesStatus.APPROVED
        record.save(update_fields=["minutes_status"])
    audit_record(
        action="minutes.section_approve",
        request=request,
        actor=actor,
        obj=approval,
        detail={"meeting": meeting.pk, "hearing": hearing.pk, "complete": complete},
    )
    return approval


def minutes_readers(meeting: Meeting) -> list[User]:
    """Who is told the minutes are published: attendees (not observers) with a licence, and
    the representatives of referring agencies that did not attend (for their own case)."""
    attendees = list(
        User.objects.filter(
            is_active=True,
            meeting_attendances__meeting=meeting,
        )
        .exclude(meeting_attendances__role=AttendeeRole.OBSERVER)
        .distinct()
    )
    attending_agencies = {u.agency_id for u in attendees}
    referring = {
        listing.referral.referrer_agency
        for listing in meeting.listings.filter(hearing__isnull=False).select_related(
            "referral__referrer_agency"
        )
        if listing.referral is not None and listing.referral.referrer_agency_id
    }
    absent = [a for a in referring if a is not None and a.pk not in attending_agencies]
    return attendees + agency_reps(absent)


@transaction.atomic
def minutes_publish(
    *, meeting: Meeting, actor: User, request: HttpRequest | None = None
) -> MeetingRecord:
    record = MeetingRecord.objects.select_for_update().get(pk=record_for(meeting).pk)
    if record.minutes_status == MinutesStatus.DRAFT:
        if record.approved_at is None:
            raise ProceedingsError("The chair must approve the minutes before they are published")
        raise ProceedingsError(
            f"{len(sections_waiting(meeting))} case(s) chaired by a stand-in are waiting for "
            "the stand-in to approve them"
        )
    if record.minutes_status == MinutesStatus.PUBLISHED:
        return record
    record.minutes_status = MinutesStatus.PUBLISHED
    record.published_at = timezone.now()
    record.published_by = actor
    record.save(update_fields=["minutes_status", "published_at", "published_by"])
    notify(
        minutes_readers(meeting),
        event="proceedings.minutes_published",
        instance=f"meeting:{meeting.pk}",
        subject="MARAC minutes are available",
        path=reverse("proceedings:minutes", args=[meeting.pk]),
    )
    audit_record(
        action="minutes.publish",
        request=request,
        actor=actor,
        obj=record,
        detail={
            "late": bool(record.minutes_due_at and record.published_at > record.minutes_due_at)
        },
    )
    return record


@transaction.atomic
def actions_publish(
    *, meeting: Meeting, actor: User, request: HttpRequest | None = None
) -> MeetingRecord:
    """Send the meeting's agreed actions to the agencies that own them."""
    record = MeetingRecord.objects.select_for_update().get(pk=record_for(meeting).pk)
    if not record.closed_at:
        raise ProceedingsError("Close the meeting before its actions are sent")
    if record.actions_published_at:
        return record
    record.actions_published_at = timezone.now()
    record.save(update_fields=["actions_published_at"])
    notify(
        agency_reps(action_owner_agencies(meeting)),
        event="proceedings.actions_published",
        instance=f"meeting:{meeting.pk}",
        subject="MARAC actions for your agency",
        path=reverse("proceedings:index"),
    )
    audit_record(action="minutes.actions_publish", request=request, actor=actor, obj=record)
    return record


def action_owner_agencies(meeting: Meeting) -> list[Agency]:
    if not actions_available():
        return []
    ids = (
        actions_part("models")
        .Action.objects.filter(meeting=meeting)
        .values_list("owner_agency_id", flat=True)
    )
    return list(Agency.objects.filter(pk__in=set(ids)))
