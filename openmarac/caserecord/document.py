"""The case record as PDF blocks (``core.pdf``): the same sections, from the same scoped read,
as the page."""

from __future__ import annotations

import datetime

from django.utils import timezone

from openmarac.cases.models import CaseParticipant
from openmarac.core.pdf import Block

from .selectors import CaseRecord


def _date(value: datetime.date | None, fmt: str = "%-d %B %Y") -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return format(value, fmt) if value is not None else ""


def _born(participant: CaseParticipant) -> str:
    person = participant.person
    if person.date_of_birth:
        return _date(person.date_of_birth, "%-d %b %Y")
    return str(person.birth_year or "Not known")


def _summary(record: CaseRecord) -> list[Block]:
    case = record.case
    status = case.get_status_display()
    if case.closure_reason:
        status += f": {case.get_closure_reason_display().lower()}"
    rows = [
        ["Detail", ""],
        ["Status", status],
        ["Area MARAC", case.area.name],
        ["Restriction", case.get_restriction_display() if case.restriction else "None"],
        ["Open to MARAC and flagged until", _date(case.open_until) or "Not set"],
        ["Last heard", _date(case.last_heard_on) or "Not yet heard"],
        ["Repeat referrals", str(record.repeat_count)],
    ]
    return [("h2", "Summary"), ("table", rows)]


def _people(record: CaseRecord) -> list[Block]:
    rows = [["Role", "Name", "Date of birth", "Address"]]
    for p in record.participants:
        addresses = "; ".join(f"{a.lines} {a.postcode}".strip() for a in p.person.addresses.all())
        rows.append(
            [p.get_role_display(), p.person.display_name, _born(p), addresses or "Not known"]
        )
    return [("h2", "People"), ("table", rows)]


def _referrals(record: CaseRecord) -> list[Block]:
    rows = [["Referral", "From", "Submitted", "Checklist", "Criteria met", "Status"]]
    for summary in record.referrals:
        r = summary.referral
        score = r.checklist_level or ("" if r.checklist_score is None else str(r.checklist_score))
        checklist = f"{r.checklist.short_title}: {score}" if r.checklist else score
        rows.append(
            [
                r.reference or "",
                r.referrer_agency.name if r.referrer_agency else "",
                _date(r.submitted_at),
                checklist or "Not given",
                ", ".join(summary.criteria) or "None",
                r.get_status_display() + (" (repeat)" if r.is_repeat else ""),
            ]
        )
    return [("h2", "Referrals"), ("table", rows) if len(rows) > 1 else ("p", "No referrals.")]


def _hearings(record: CaseRecord) -> list[Block]:
    rows = [["Meeting", "Listed as", "Status", "Outcome"]]
    for h in record.hearings:
        meeting = h.listing.meeting
        outcome = h.hearing.get_outcome_display() if h.hearing and h.hearing.outcome else ""
        rows.append(
            [
                f"{meeting.area.name}, {_date(meeting.starts_on)}",
                h.listing.get_reason_display(),
                h.listing.get_status_display(),
                outcome or "Not recorded",
            ]
        )
    return [("h2", "Hearings"), ("table", rows) if len(rows) > 1 else ("p", "Not listed yet.")]


def _research(record: CaseRecord) -> list[Block]:
    blocks: list[Block] = [("h2", "Research")]
    if not record.research:
        return [*blocks, ("p", "No agency has been asked for research.")]
    for item in record.research:
        research = item.research
        state = "complete" if research.completed_at else ("late" if item.late else "outstanding")
        blocks.append(
            (
                "p",
                f"{research.agency.name}, for the meeting of "
                f"{_date(research.listing.meeting.starts_on)}: {state}",
            )
        )
        rows = [["Person", "Finding", "Information"]]
        for finding in item.findings:
            entry = finding.entry
            rows.append(
                [
                    f"{finding.participant.get_role_display()}: "
                    f"{finding.participant.person.display_name}",
                    entry.get_finding_display() if entry else "Not yet provided",
                    entry.information if entry else "",
                ]
            )
        blocks.append(("table", rows))
    return blocks


def _actions(record: CaseRecord) -> list[Block]:
    rows = [["Action", "Owner", "Addresses", "Due", "Status"]]
    for action in record.actions:
        rows.append(
            [
                action.what,
                action.owner_agency.name,
                action.addresses_label,
                _date(action.due_on),
                action.get_status_display(),
            ]
        )
    return [("h2", "Actions"), ("table", rows) if len(rows) > 1 else ("p", "No actions yet.")]


def _updates_and_links(record: CaseRecord) -> list[Block]:
    blocks: list[Block] = [("h2", "Weekly updates")]
    rows = [["Date", "From", "Kind", "Information", "Purpose"]]
    for u in record.weekly_updates:
        rows.append(
            [
                _date(u.created_at, "%-d %b %Y %H:%M"),
                u.agency.name,
                u.get_kind_display(),
                u.information,
                u.purpose,
            ]
        )
    blocks.append(("table", rows) if len(rows) > 1 else ("p", "No weekly updates."))
    blocks.append(("h2", "Related and linked cases"))
    related = [[r.label.text, r.kind] for r in record.related]
    blocks.append(("table", [["Case", "Link"], *related]) if related else ("p", "None."))
    return blocks


def _disclosure(record: CaseRecord) -> list[Block]:
    blocks: list[Block] = []
    if record.shows_disclosure:
        rows = [["Court", "Received", "Deadline", "Status"]]
        for order in record.court_orders:
            rows.append(
                [
                    order.court,
                    _date(order.received_on),
                    _date(order.deadline),
                    order.get_status_display(),
                ]
            )
        blocks += [("h2", "Court orders")]
        blocks.append(("table", rows) if len(rows) > 1 else ("p", "No court orders."))
    if record.shows_letters:
        rows = [["Letter", "To agency", "Written"]]
        for letter in record.letters:
            rows.append(
                [
                    letter.get_kind_display(),
                    letter.recipient_agency.name if letter.recipient_agency else "",
                    _date(letter.written_at),
                ]
            )
        blocks += [("h2", "Letters")]
        blocks.append(("table", rows) if len(rows) > 1 else ("p", "No letters."))
    return blocks


def record_blocks(record: CaseRecord) -> list[Block]:
    """Every section of ``record``, in the page's order."""
    timeline = [["When", "What happened"]]
    timeline += [[_date(e.at, "%-d %b %Y %H:%M"), e.text] for e in record.timeline]
    return [
        *_summary(record),
        *_people(record),
        *_referrals(record),
        *_hearings(record),
        *_research(record),
        *_actions(record),
        *_updates_and_links(record),
        *_disclosure(record),
        ("h2", "Timeline"),
        ("table", timeline),
    ]
