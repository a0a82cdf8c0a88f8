"""Publishing agendas, asking agencies for research, recording it, and chasing it.

Who may call what:

* ``agenda_publish`` — the sweep at the area's lead time, or a hub coordinator earlier.
* ``research_requests_ensure`` — ``agenda_publish`` and the sweep: a case added to a published
  agenda (an explicit, audited coordinator change) gets its requests on the next run.
* ``research_entry_save``, ``research_submit`` — a representative of the requested agency only.
* ``research_remind``, ``research_chase_late`` — the sweep.

E-mails say only that there is something to do, with a link; never a name or case detail.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from openmarac.agencies.models import Agency
from openmarac.audit.services import audit_record
from openmarac.cases.lifecycle import CaseFrozen, case_agencies, case_agency_users, case_is_frozen
from openmarac.cases.models import CaseParticipant, ParticipantRole
from openmarac.core.workdays import calendar_for, local_date
from openmarac.meetings.models import Listing, ListingStatus, Meeting, MeetingStatus
from openmarac.notifications.services import notice_record

from .models import Basis, Finding, ResearchEntry, ResearchEntryVersion, ResearchRequest

if TYPE_CHECKING:
    from openmarac.accounts.models import User

RESEARCHED_ROLES = (ParticipantRole.VICTIM, ParticipantRole.PERPETRATOR, ParticipantRole.CHILD)


class ResearchError(Exception):
    """A change the rules do not allow; the message is safe to show to the user."""


def _site(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


# Dates.


def agenda_publish_on(meeting: Meeting) -> datetime.date:
    """The day the sweep publishes ``meeting``'s agenda: the area's lead time before it.

    Working days (Lincolnshire: 8) count back over weekends and bank holidays; calendar days
    (Cambridgeshire 7, Gwent 5, old Kent 10) that land on a non-working day move back to the
    working day before, so agencies never get less time than the protocol gives.
    """
    policy = meeting.area.policy
    calendar = calendar_for(meeting.area.partnership)
    if policy.agenda_lead_working_days:
        return calendar.add_working_days(meeting.starts_on, -policy.agenda_lead_days)
    day = meeting.starts_on - datetime.timedelta(days=policy.agenda_lead_days)
    return calendar.previous_working_day(day, include_today=True)


def research_due_on(*, listing: Listing, published_on: datetime.date) -> datetime.date:
    """Research is due the area's working days (Kent: 5) after the case was listed or the agenda
    published, whichever is later, and never later than the working day before the meeting."""
    meeting = listing.meeting
    calendar = calendar_for(meeting.area.partnership)
    start = max(local_date(listing.listed_at), published_on)
    due = calendar.add_working_days(start, meeting.area.policy.research_due_working_days)
    latest = calendar.previous_working_day(meeting.starts_on)
    return max(min(due, latest), start)


def research_people(listing: Listing) -> list[CaseParticipant]:
    """The people every agency researches on a case: the victim, each perpetrator, each child."""
    order = {role: index for index, role in enumerate(RESEARCHED_ROLES)}
    people = list(
        CaseParticipant.objects.filter(case_id=listing.case_id, role__in=RESEARCHED_ROLES)
        .select_related("person")
        .order_by("pk")
    )
    return sorted(people, key=lambda p: (order[ParticipantRole(p.role)], p.pk))


# Publication and requests.


def _agency_notice(*, meeting: Meeting, agency: Agency, listing: Listing, occasion: str) -> int:
    sent = 0
    link = _site(reverse("research:mine"))
    for user in case_agency_users(listing.case, agency):
        notice = notice_record(
            event="research.requested",
            instance=f"meeting:{meeting.pk}:agency:{agency.pk}:{occasion}",
            recipient_email=user.email,
            recipient_user=user,
            subject=f"MARAC agenda published: research for the {meeting.area.name} meeting",
            body=(
                f"The agenda for the {meeting.area.name} MARAC meeting on "
                f"{meeting.starts_on:%d %B %Y} is published. Your agency has research to "
                f"complete.\n\nSign in to see it: {link}\n"
            ),
            obj=meeting,
        )
        sent += notice is not None
    return sent


@transaction.atomic
def research_requests_ensure(
    *, meeting: Meeting, actor: User | None = None, request: HttpRequest | None = None
) -> list[ResearchRequest]:
    """Give every agency of every listed case on a published agenda its research request.

    Idempotent. An agency hears once when the agenda is published, and once more for each case
    added to the agenda afterwards.
    """
    if meeting.agenda_published_at is None:
        return []
    published_on = local_date(meeting.agenda_published_at)
    created: list[ResearchRequest] = []
    listings = (
        meeting.listings.filter(status=ListingStatus.LISTED)
        .select_related("case__area__policy", "meeting__area__partnership")
        .order_by("pk")
    )
    for listing in listings:
        late_addition = listing.listed_at > meeting.agenda_published_at
        for agency in case_agencies(listing.case):
            research, new = ResearchRequest.objects.get_or_create(
                listing=listing,
                agency=agency,
                defaults={
                    "requested_at": timezone.now(),
                    "due_on": research_due_on(listing=listing, published_on=published_on),
                },
            )
            if not new:
                continue
            created.append(research)
            audit_record(
                action="research.request",
                request=request,
                actor=actor,
                actor_label="" if actor else "deadline sweep",
                obj=research,
                detail={"listing": listing.pk, "agency": agency.pk},
            )
            _agency_notice(
                meeting=meeting,
                agency=agency,
                listing=listing,
                occasion=f"listing:{listing.pk}" if late_addition else "agenda",
            )
    return created


@transaction.atomic
def agenda_publish(
    *, meeting: Meeting, actor: User | None = None, request: HttpRequest | None = None
) -> Meeting:
    """Publish ``meeting``'s agenda: its case list is frozen for research and requests go out.

    After publication no case is allocated to the meeting automatically; a coordinator may still
    list or move a case to it, which is audited and sends that case's requests.
    """
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("area__policy")
        .get(pk=meeting.pk)
    )
    if meeting.status != MeetingStatus.SCHEDULED:
        raise ResearchError("Only a scheduled meeting's agenda can be published")
    if meeting.agenda_published_at is None:
        meeting.agenda_published_at = timezone.now()
        meeting.save(update_fields=["agenda_published_at"])
        audit_record(
            action="agenda.publish",
            request=request,
            actor=actor,
            actor_label="" if actor else "deadline sweep",
            obj=meeting,
            detail={"cases": meeting.listings.filter(status=ListingStatus.LISTED).count()},
        )
    research_requests_ensure(meeting=meeting, actor=actor, request=request)
    return meeting


def agendas_publish_due(*, now: datetime.datetime) -> int:
    """Publish every agenda whose lead time has come (the sweep step). Returns how many."""
    today = local_date(now)
    published = 0
    candidates = Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED,
        agenda_published_at__isnull=True,
        starts_on__gte=today,
        starts_on__lte=today + datetime.timedelta(days=60),
    ).select_related("area__policy", "area__partnership")
    for meeting in candidates:
        if agenda_publish_on(meeting) <= today:
            agenda_publish(meeting=meeting)
            published += 1
    # Cases a coordinator added to an agenda already published get their requests too.
    for meeting in Meeting.objects.filter(
        status=MeetingStatus.SCHEDULED, agenda_published_at__isnull=False, starts_on__gte=today
    ):
        research_requests_ensure(meeting=meeting)
    return published


# Recording research.


def _require_supplier(research: ResearchRequest, user: User) -> None:
    if not (
        getattr(user, "is_active", False)
        and user.is_agency_rep
        and user.agency_id == research.agency_id
    ):
        raise ResearchError("Only the agency asked for this research can change it")
    if case_is_frozen(research.listing.case):
        raise CaseFrozen()


@transaction.atomic
def research_entry_save(
    *,
    research: ResearchRequest,
    participant: CaseParticipant,
    user: User,
    finding: str,
    information: str = "",
    period_from: datetime.date | None = None,
    period_to: datetime.date | None = None,
    basis: str = "",
    request: HttpRequest | None = None,
) -> ResearchEntry:
    """Record or change the agency's research on one person; every change is a new version."""
    research = (
        ResearchRequest.objects.select_for_update(of=("self",))
        .select_related("listing__case")
        .get(pk=research.pk)
    )
    _require_supplier(research, user)
    if participant.case_id != research.listing.case_id or participant.role not in RESEARCHED_ROLES:
        raise ResearchError("Choose a person on this case")
    if finding not in Finding.values:
        raise ResearchError("Choose what your agency knows")
    information = information.strip()
    if finding == Finding.INFORMATION:
        if not information:
            raise ResearchError("Enter the information your agency is sharing")
        if basis not in Basis.values:
            raise ResearchError("Say whether the information is fact or professional opinion")
        if period_from and period_to and period_from > period_to:
            raise ResearchError("The start of the period must be before its end")
    else:
        information, period_from, period_to, basis = "", None, None, ""
    now = timezone.now()
    entry = ResearchEntry.objects.filter(request=research, participant=participant).first()
    if entry is None:
        entry = ResearchEntry.objects.create(
            request=research,
            participant=participant,
            finding=finding,
            information=information,
            period_from=period_from,
            period_to=period_to,
            basis=basis,
            version=1,
            updated_by=user,
            updated_at=now,
        )
    else:
        entry.finding, entry.information, entry.basis = finding, information, basis
        entry.period_from, entry.period_to = period_from, period_to
        entry.version += 1
        entry.updated_by, entry.updated_at = user, now
        entry.save()
    ResearchEntryVersion.objects.create(
        entry=entry,
        version=entry.version,
        finding=finding,
        information=information,
        period_from=period_from,
        period_to=period_to,
        basis=basis,
        recorded_by=user,
        recorded_at=now,
    )
    audit_record(
        action="research.save",
        request=request,
        actor=user,
        obj=entry,
        detail={"request": research.pk, "version": entry.version, "finding": finding},
    )
    return entry


def research_missing_people(research: ResearchRequest) -> list[CaseParticipant]:
    done = set(research.entries.values_list("participant_id", flat=True))
    return [p for p in research_people(research.listing) if p.pk not in done]


@transaction.atomic
def research_submit(
    *,
    research: ResearchRequest,
    user: User,
    written_submission: bool,
    request: HttpRequest | None = None,
) -> ResearchRequest:
    """Mark the agency's research on the case complete (every person answered).

    ``written_submission``: the agency will not attend and the chair reads its research out.
    """
    research = (
        ResearchRequest.objects.select_for_update(of=("self",))
        .select_related("listing__case")
        .get(pk=research.pk)
    )
    _require_supplier(research, user)
    if research_missing_people(research):
        raise ResearchError("Record your research on every person before marking it complete")
    first = research.completed_at is None
    if first:
        research.completed_at = timezone.now()
        research.completed_by = user
    research.written_submission = written_submission
    research.save(update_fields=["completed_at", "completed_by", "written_submission"])
    audit_record(
        action="research.complete" if first else "research.update",
        request=request,
        actor=user,
        obj=research,
        detail={"written_submission": written_submission},
    )
    return research


# Chasing.


def research_remind(*, now: datetime.datetime) -> int:
    """Remind agencies with research outstanding, the area's working days before it is due.

    One notice per agency and meeting, whatever the number of its cases; sent once.
    """
    today = local_date(now)
    sent = 0
    outstanding = (
        ResearchRequest.objects.filter(
            completed_at__isnull=True,
            due_on__gte=today,
            listing__status=ListingStatus.LISTED,
            listing__meeting__status=MeetingStatus.SCHEDULED,
        )
        .select_related("listing__meeting__area__policy", "listing__case", "agency")
        .order_by("pk")
    )
    for research in outstanding:
        meeting = research.listing.meeting
        policy = meeting.area.policy
        if not policy.research_reminder_working_days:
            continue
        calendar = calendar_for(meeting.area.partnership)
        remind_on = calendar.add_working_days(
            research.due_on, -policy.research_reminder_working_days
        )
        if today < remind_on:
            continue
        for user in case_agency_users(research.listing.case, research.agency):
            notice = notice_record(
                event="research.reminder",
                instance=f"meeting:{meeting.pk}:agency:{research.agency_id}:due:{research.due_on}",
                recipient_email=user.email,
                recipient_user=user,
                subject=f"Reminder: MARAC research due {research.due_on:%d %B %Y}",
                body=(
                    f"Your agency has MARAC research for the {meeting.area.name} meeting on "
                    f"{meeting.starts_on:%d %B %Y} still to complete. It is due on "
                    f"{research.due_on:%d %B %Y}.\n\n"
                    f"Sign in to complete it: {_site(reverse('research:mine'))}\n"
                ),
                obj=meeting,
            )
            sent += notice is not None
    return sent


def research_late(*, today: datetime.date) -> list[ResearchRequest]:
    return list(
        ResearchRequest.objects.filter(
            completed_at__isnull=True,
            due_on__lt=today,
            listing__status=ListingStatus.LISTED,
            listing__meeting__status=MeetingStatus.SCHEDULED,
            listing__meeting__starts_on__gte=today,
        ).select_related("listing__meeting__area__partnership", "agency")
    )


def research_chase_late(*, now: datetime.datetime) -> int:
    """Tell the hub once per meeting that research is late, so the coordinator can chase it."""
    sent = 0
    for research in research_late(today=local_date(now)):
        meeting = research.listing.meeting
        notice = notice_record(
            event="research.late",
            instance=f"meeting:{meeting.pk}",
            recipient_email=meeting.area.partnership.hub_email,
            subject=f"MARAC research late for the {meeting.area.name} meeting",
            body=(
                f"Some agencies have not completed their research for the {meeting.area.name} "
                f"meeting on {meeting.starts_on:%d %B %Y}.\n\nSee the research board: "
                f"{_site(reverse('research:board', args=[meeting.pk]))}\n"
            ),
            obj=meeting,
        )
        sent += notice is not None
    return sent
