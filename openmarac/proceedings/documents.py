"""Assembling the agenda and the minutes (SafeLives template headings) for one reader.

Everything here is read for a given user and what ``selectors.minutes_access`` allows them:
cases they may not see are left out, and an agency reading only its own case gets that case's
section alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.cases.models import Case
from openmarac.cases.selectors import case_labels_for, cases_visible_to
from openmarac.core.pdf import Block
from openmarac.core.workdays import local_date
from openmarac.meetings.models import ListingStatus, Meeting

from .actions_app import actions_available, actions_part
from .models import (
    Apology,
    Attendee,
    ConflictDeclaration,
    Hearing,
    MeetingRecord,
    MinutesCorrection,
)
from .selectors import MinutesAccess, hearings_for
from .services.conduct import timetable
from .services.guards import record_for


def _actions() -> Any:
    return actions_part("models")


def case_actions(meeting: Meeting, case: Case) -> list[Any]:
    """The actions on ``case`` proposed for or agreed at ``meeting``, and proposals made
    beforehand that are waiting to be agreed."""
    if not actions_available():
        return []
    models = _actions()
    return list(
        models.Action.objects.filter(case=case)
        .filter(Q(meeting=meeting) | Q(meeting__isnull=True, status=models.ActionStatus.PROPOSED))
        .select_related("owner_agency")
        .order_by("proposed_at", "pk")
    )


def outstanding_actions(meeting: Meeting, user: User) -> list[dict[str, Any]]:
    """Incomplete actions from earlier meetings on the cases listed at this one, reviewed
    first: the cases on the meeting's list, never every open action of the area."""
    if not actions_available():
        return []
    models = _actions()
    today = local_date(timezone.now())
    on_the_list = meeting.listings.exclude(status=ListingStatus.WITHDRAWN).values("case_id")
    actions = list(
        models.Action.objects.filter(
            case__area_id=meeting.area_id,
            case__in=on_the_list,
            status=models.ActionStatus.AGREED,
        )
        .filter(case__in=cases_visible_to(user))
        .exclude(meeting=meeting)
        .filter(agreed_at__date__lt=meeting.starts_on)
        .select_related("owner_agency", "case")
        .order_by("due_on", "pk")
    )
    labels = case_labels_for(user, [action.case for action in actions])
    return [
        {
            "action": action,
            "label": labels[action.case_id].text,
            "overdue": action.due_on < today,
        }
        for action in actions
    ]


@dataclass
class CaseMinute:
    listing: Any
    label: str
    hearing: Hearing
    information: list[Any]
    corrections: dict[int, list[MinutesCorrection]]
    actions: list[Any]
    conflicts: list[Any]


@dataclass
class MinutesDocument:
    meeting: Meeting
    record: MeetingRecord
    full: bool
    attendees: list[Attendee] = field(default_factory=list)
    apologies: list[Apology] = field(default_factory=list)
    outstanding: list[dict[str, Any]] = field(default_factory=list)
    cases: list[CaseMinute] = field(default_factory=list)


def minutes_document(meeting: Meeting, user: User, access: MinutesAccess) -> MinutesDocument:
    record = access.record or record_for(meeting)
    document = MinutesDocument(meeting=meeting, record=record, full=access.full)
    if access.full:
        document.attendees = list(meeting.attendees.select_related("agency"))
        document.apologies = list(meeting.apologies.select_related("agency"))
        document.outstanding = outstanding_actions(meeting, user)
    hearings = list(hearings_for(meeting, access.listing_ids))
    labels = case_labels_for(user, [hearing.listing.case for hearing in hearings])
    # Each part of a section read once for the whole meeting, not once a case.
    corrections: dict[int, list[MinutesCorrection]] = {}
    for correction in MinutesCorrection.objects.filter(
        information__hearing__in=[hearing.pk for hearing in hearings]
    ).select_related("agency"):
        corrections.setdefault(correction.information_id, []).append(correction)
    actions: dict[int, list[Any]] = {}
    if actions_available():
        for action in (
            _actions()
            .Action.objects.filter(
                meeting=meeting, case_id__in=[hearing.listing.case_id for hearing in hearings]
            )
            .select_related("owner_agency")
            .order_by("proposed_at", "pk")
        ):
            actions.setdefault(action.case_id, []).append(action)
    conflicts: dict[int, list[ConflictDeclaration]] = {}
    for conflict in (
        ConflictDeclaration.objects.filter(listing_id__in=[h.listing_id for h in hearings])
        .select_related("attendee", "stand_in")
        .order_by("pk")
    ):
        conflicts.setdefault(conflict.listing_id, []).append(conflict)
    for hearing in hearings:
        listing = hearing.listing
        information = list(hearing.information.all())
        document.cases.append(
            CaseMinute(
                listing=listing,
                label=labels[listing.case_id].text,
                hearing=hearing,
                information=information,
                corrections={
                    info.pk: corrections[info.pk] for info in information if info.pk in corrections
                },
                actions=actions.get(listing.case_id, []),
                conflicts=conflicts.get(listing.pk, []),
            )
        )
    return document


def minutes_blocks(document: MinutesDocument) -> list[Block]:
    meeting = document.meeting
    record = document.record
    blocks: list[Block] = [
        (
            "p",
            f"Meeting of {meeting.starts_on:%-d %B %Y} at {meeting.start_time:%H:%M}. "
            f"Minutes: {record.get_minutes_status_display()}.",
        )
    ]
    if document.full:
        blocks.append(("h2", "Attendance"))
        blocks.append(
            (
                "table",
                [["Name", "Agency", "Role", "Confidentiality confirmed"]]
                + [
                    [
                        a.name,
                        a.agency.name if a.agency else "",
                        a.get_role_display(),
                        "Yes" if a.confidentiality_confirmed_at else "No",
                    ]
                    for a in document.attendees
                ],
            )
        )
        blocks.append(("h2", "Apologies and information sent"))
        if document.apologies:
            blocks.append(
                (
                    "table",
                    [["Agency", "Information sent in writing"]]
                    + [
                        [a.agency.name, "Yes" if a.information_in_writing else "No"]
                        for a in document.apologies
                    ],
                )
            )
        else:
            blocks.append(("p", "None."))
        blocks.append(("h2", "Outstanding actions reviewed"))
        if record.outstanding_actions_notes:
            blocks.append(("p", record.outstanding_actions_notes))
        if document.outstanding:
            blocks.append(
                (
                    "table",
                    [["Case", "Agency", "Action", "Due"]]
                    + [
                        [
                            item["label"],
                            item["action"].owner_agency.name,
                            item["action"].what,
                            f"{item['action'].due_on:%-d %b %Y}"
                            + (" (overdue)" if item["overdue"] else ""),
                        ]
                        for item in document.outstanding
                    ],
                )
            )
        elif not record.outstanding_actions_notes:
            blocks.append(("p", "None."))
    blocks.append(("h2", "Cases discussed and actions"))
    for case in document.cases:
        hearing = case.hearing
        blocks.append(("h2", f"Case {case.label}"))
        for conflict in case.conflicts:
            stand_in = f"; {conflict.stand_in.name} took over" if conflict.stand_in else ""
            blocks.append(("p", f"Conflict of interest: {conflict.attendee.name}{stand_in}."))
        if case.information:
            blocks.append(
                (
                    "table",
                    [["Agency", "Information shared"]]
                    + [
                        [
                            info.agency.name + (" (in writing)" if info.in_writing else ""),
                            info.text,
                        ]
                        for info in case.information
                    ],
                )
            )
        for title, text in (
            ("Risks identified", hearing.risks),
            ("The victim's voice", hearing.victim_voice),
            ("Discussion", hearing.discussion),
        ):
            if text:
                blocks.append(("p", f"{title}: {text}"))
        if case.actions:
            blocks.append(
                (
                    "table",
                    [["Agency", "Action", "Due", "Status"]]
                    + [
                        [
                            a.owner_agency.name,
                            a.what,
                            f"{a.due_on:%-d %b %Y}",
                            a.get_status_display(),
                        ]
                        for a in case.actions
                    ],
                )
            )
        feedback = hearing.feedback_agency.name if hearing.feedback_agency else "Not agreed"
        blocks.append(("p", f"Feedback to the victim: {feedback}. {hearing.feedback_what}".strip()))
        outcome = hearing.get_outcome_display() or "Not decided"
        if hearing.outcome_reason:
            outcome += f": {hearing.outcome_reason}"
        blocks.append(("p", f"Outcome: {outcome}"))
    if not document.cases:
        blocks.append(("p", "No cases."))
    return blocks


def agenda_blocks(meeting: Meeting, user: User) -> list[Block]:
    """The SafeLives agenda with the running timetable of the cases the reader may know of."""
    policy = meeting.area.policy
    # "Time" is the time the case is given; "Minutes" would read as the meeting's minutes.
    rows = [["Start", "Case", "Reason", "Children", "Time"]]
    slots = timetable(meeting)
    labels = case_labels_for(user, [slot.listing.case for slot in slots])
    for slot in slots:
        label = labels[slot.listing.case_id]
        if not label.shown:
            continue
        rows.append(
            [
                f"{timezone.localtime(slot.starts_at):%H:%M}",
                label.text,
                slot.listing.get_reason_display(),
                "Yes" if slot.listing.case.has_children else "No",
                f"{slot.minutes} min",
            ]
        )
    return [
        ("p", f"{meeting.area.name}, {meeting.starts_on:%-d %B %Y} at {meeting.start_time:%H:%M}."),
        ("h2", "Agenda"),
        (
            "p",
            "1. Introduction of all attendees\n"
            "2. The chair reads the confidentiality statement\n"
            "3. Every attendee confirms the confidentiality statement\n"
            "4. Incomplete actions from earlier meetings\n"
            "5. Cases, in the order below\n"
            "6. Information from agencies not represented, read out by the chair\n"
            "7. The chair summarises the actions after each case\n"
            "8. Close",
        ),
        ("h2", "Confidentiality statement"),
        ("p", policy.confidentiality_statement),
        ("h2", "Cases"),
        ("table", rows) if len(rows) > 1 else ("p", "No cases are listed."),
    ]
