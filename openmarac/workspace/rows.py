"""How each kind of work list row is shown: where it opens, and the few facts that say why it
is on the list. Case references only; never a name, a date of birth or an address."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from openmarac.actions.models import Action
from openmarac.cases.models import Case
from openmarac.core.workdays import WorkingCalendar, local_date
from openmarac.emergencies.models import EmergencyRequest
from openmarac.licences.models import Licence
from openmarac.meetings.models import Meeting
from openmarac.proceedings.models import Hearing
from openmarac.referrals.models import Referral, ReferralStatus
from openmarac.research.models import ResearchRequest
from openmarac.retention.models import CaseRetention
from openmarac.triage.sla import sla_clock

from .selectors import Kind


@dataclass(frozen=True)
class Row:
    href: str
    text: str
    cells: list[str]


HEADINGS = {
    Kind.REFERRAL: ["Referral", "Area", "Received", "Triage clock"],
    Kind.MEETING: ["Meeting", "Area", "Kind", "When"],
    Kind.MINUTES: ["Meeting", "Area", "Minutes", "Due"],
    Kind.SECTION: ["Case", "Area", "Meeting"],
    Kind.RESEARCH: ["Case", "Agency", "Meeting", "Research due"],
    Kind.ACTION: ["Action", "Agency", "Case", "Due"],
    Kind.LICENCE: ["Licence holder", "Agency", "Kind", "Requested", "Ends"],
    Kind.RETENTION: ["Case", "Area", "Review due"],
    Kind.CASE: ["Case", "Area", "Hearings in 12 months"],
    Kind.EMERGENCY: ["Case", "Area", "Asked for", "Waiting"],
}


def _day(day: datetime.date | None) -> str:
    return date_format(day, "j M Y") if day else ""


def due_in_words(due: datetime.date, *, today: datetime.date, calendar: WorkingCalendar) -> str:
    """A due date with how far it is, in working days."""
    if due < today:
        late = calendar.working_days_between(due, today)
        return f"{_day(due)} ({late} working day{'' if late == 1 else 's'} overdue)"
    if due == today:
        return f"{_day(due)} (today)"
    left = calendar.working_days_between(today, due)
    return f"{_day(due)} (in {left} working day{'' if left == 1 else 's'})"


def rows_for(
    kind: str, objects: Sequence[Model], *, calendar: WorkingCalendar, now: datetime.datetime
) -> list[Row]:
    today = local_date(now)

    def referral(r: Referral) -> Row:
        if r.status == ReferralStatus.SUBMITTED:
            clock = sla_clock(r, now=now)
            state = clock.label if clock else ""
        else:
            state = f"Returned {_day(local_date(r.returned_at))}" if r.returned_at else "Returned"
        received = _day(local_date(r.submitted_at)) if r.submitted_at else ""
        return Row(
            reverse("triage:referral", args=[r.public_id]),
            r.reference or f"Referral received {received}",
            [r.area.name if r.area else "", received, state],
        )

    def meeting(m: Meeting) -> Row:
        return Row(
            reverse("meetings:detail", args=[m.pk]),
            f"{_day(m.starts_on)} at {m.start_time:%H:%M}",
            [
                m.area.name,
                m.get_kind_display(),
                due_in_words(m.starts_on, today=today, calendar=calendar),
            ],
        )

    def minutes(m: Meeting) -> Row:
        record = m.record
        due = local_date(record.minutes_due_at) if record.minutes_due_at else None
        return Row(
            reverse("proceedings:minutes", args=[m.pk]),
            f"{_day(m.starts_on)} at {m.start_time:%H:%M}",
            [
                m.area.name,
                record.get_minutes_status_display(),
                due_in_words(due, today=today, calendar=calendar) if due else "",
            ],
        )

    def section(h: Hearing) -> Row:
        listing = h.listing
        return Row(
            reverse("proceedings:minutes_section", args=[listing.meeting_id, listing.pk]),
            listing.case.reference,
            [listing.meeting.area.name, _day(listing.meeting.starts_on)],
        )

    def research(r: ResearchRequest) -> Row:
        listing = r.listing
        return Row(
            reverse("research:case", args=[listing.pk]),
            listing.case.reference,
            [
                r.agency.name,
                f"{listing.meeting.area.name}, {_day(listing.meeting.starts_on)}",
                due_in_words(r.due_on, today=today, calendar=calendar),
            ],
        )

    def action(a: Action) -> Row:
        return Row(
            reverse("actions:detail", args=[a.public_id]),
            f"Action on {a.case.reference}",
            [
                a.owner_agency.name,
                a.case.reference,
                due_in_words(a.due_on, today=today, calendar=calendar),
            ],
        )

    def licence(lc: Licence) -> Row:
        return Row(
            reverse("licences:hub_detail", args=[lc.public_id]),
            lc.user.get_full_name() or lc.user.username,
            [
                lc.agency.name,
                lc.get_kind_display().split(":")[0],
                _day(local_date(lc.requested_at)),
                due_in_words(lc.expires_on, today=today, calendar=calendar)
                if lc.expires_on
                else "",
            ],
        )

    def retention(cr: CaseRetention) -> Row:
        return Row(
            reverse("retention:case", args=[cr.case.reference]),
            cr.case.reference,
            [cr.case.area.name, due_in_words(cr.review_on, today=today, calendar=calendar)],
        )

    def case(c: Case) -> Row:
        return Row(
            reverse("caserecord:record", args=[c.reference]),
            c.reference,
            [c.area.name, str(getattr(c, "hearings", ""))],
        )

    def emergency(e: EmergencyRequest) -> Row:
        hours = int((now - e.requested_at).total_seconds() // 3600)
        return Row(
            reverse("emergencies:detail", args=[e.public_id]),
            e.case.reference,
            [
                e.case.area.name,
                date_format(timezone.localtime(e.requested_at), "j M Y H:i"),
                f"{hours} hour{'s' if hours != 1 else ''}",
            ],
        )

    builders: dict[str, Callable[[Model], Row]] = {
        Kind.REFERRAL: referral,  # type: ignore[dict-item]
        Kind.MEETING: meeting,  # type: ignore[dict-item]
        Kind.MINUTES: minutes,  # type: ignore[dict-item]
        Kind.SECTION: section,  # type: ignore[dict-item]
        Kind.RESEARCH: research,  # type: ignore[dict-item]
        Kind.ACTION: action,  # type: ignore[dict-item]
        Kind.LICENCE: licence,  # type: ignore[dict-item]
        Kind.RETENTION: retention,  # type: ignore[dict-item]
        Kind.CASE: case,  # type: ignore[dict-item]
        Kind.EMERGENCY: emergency,  # type: ignore[dict-item]
    }
    return [builders[kind](each) for each in objects]
