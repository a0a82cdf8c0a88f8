"""Deadline work after a meeting: minutes and actions due, and cases kept open for review.

* Before the minutes are due (one working day before, or a quarter of the hours where the area
  counts hours) the hub coordinators are reminded, once.
* Minutes not published by their deadline, and actions not sent by theirs, are flagged late
  (``minutes_late_at``, ``actions_late_at``) and the hub coordinators are told, once.
* A case kept open for further actions is put to the hub for review when its period ends.

Every step records what it did (a timestamp, or a notice under its unique key), so running it
again does nothing new.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse

from openmarac.core.workdays import calendar_for, local_date
from openmarac.jobs.registry import sweep_step

from .models import Hearing, MeetingRecord, MinutesStatus, Outcome
from .services.notices import hub_recipients, notify


def reminder_lead_hours(record: MeetingRecord) -> float:
    hours = record.meeting.area.policy.minutes_due_hours
    return hours / 4 if hours else 24.0


@sweep_step("proceedings.minutes_deadlines")
def minutes_deadlines(now: datetime.datetime) -> int:
    done = 0
    records = MeetingRecord.objects.filter(closed_at__isnull=False).exclude(
        minutes_status=MinutesStatus.PUBLISHED, actions_published_at__isnull=False
    )
    for record in records.select_related("meeting__area__policy", "meeting__area__partnership"):
        meeting = record.meeting
        partnership = meeting.area.partnership
        calendar = calendar_for(partnership)
        hub = hub_recipients(partnership.pk)
        path = reverse("proceedings:minutes", args=[meeting.pk])
        with transaction.atomic():
            if record.minutes_status != MinutesStatus.PUBLISHED and record.minutes_due_at:
                left = calendar.working_hours_between(now, record.minutes_due_at)
                if 0 < left <= reminder_lead_hours(record):
                    notify(
                        hub,
                        event="proceedings.minutes_reminder",
                        instance=f"meeting:{meeting.pk}",
                        subject="MARAC minutes are due soon",
                        path=path,
                    )
                    done += 1
                if now >= record.minutes_due_at and record.minutes_late_at is None:
                    MeetingRecord.objects.filter(pk=record.pk).update(minutes_late_at=now)
                    notify(
                        hub,
                        event="proceedings.minutes_late",
                        instance=f"meeting:{meeting.pk}",
                        subject="MARAC minutes are late",
                        path=path,
                    )
                    done += 1
            if (
                record.actions_published_at is None
                and record.actions_due_at
                and now >= record.actions_due_at
                and record.actions_late_at is None
            ):
                MeetingRecord.objects.filter(pk=record.pk).update(actions_late_at=now)
                notify(
                    hub,
                    event="proceedings.actions_late",
                    instance=f"meeting:{meeting.pk}",
                    subject="MARAC actions have not been sent to their owners",
                    path=path,
                )
                done += 1
    return done


@sweep_step("proceedings.hub_review")
def hub_review(now: datetime.datetime) -> int:
    """Cases kept open for further actions whose period has ended go to the hub for review."""
    done = 0
    due = Hearing.objects.filter(
        outcome=Outcome.KEEP_OPEN,
        keep_open_until__lte=local_date(now),
        hub_review_notified_at__isnull=True,
    ).select_related("listing__meeting__area__partnership")
    for hearing in due:
        meeting = hearing.listing.meeting
        with transaction.atomic():
            updated = Hearing.objects.filter(
                pk=hearing.pk, hub_review_notified_at__isnull=True
            ).update(hub_review_notified_at=now)
            if updated:
                notify(
                    hub_recipients(meeting.area.partnership_id),
                    event="proceedings.hub_review",
                    instance=f"hearing:{hearing.pk}",
                    subject="A MARAC case is due for hub review",
                    path=reverse("proceedings:meeting", args=[meeting.pk]),
                )
                done += 1
    return done
