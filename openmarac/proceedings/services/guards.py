"""The meeting's record, and the checks every change to the meeting or its minutes makes first.

The minutes are approved in parts (see ``selectors.section_approvers``): once a part is approved
it no longer changes, and a case frozen after a death was recorded no longer changes at all.
"""

from __future__ import annotations

from openmarac.cases import lifecycle
from openmarac.cases.models import Case
from openmarac.meetings.models import Meeting

from ..models import Hearing, MeetingRecord, MinutesStatus, SectionApproval
from ..selectors import section_approvers


class ProceedingsError(Exception):
    """A change the rules do not allow; the message is safe to show to the user."""


def record_for(meeting: Meeting) -> MeetingRecord:
    record, _ = MeetingRecord.objects.get_or_create(meeting=meeting)
    return record


def _writable(record: MeetingRecord) -> None:
    if record.minutes_status != MinutesStatus.DRAFT:
        raise ProceedingsError("The minutes are approved: ask for a correction instead")


def part_writable(record: MeetingRecord, hearing: Hearing | None = None) -> None:
    """Refuse changes to a part of the minutes once whoever approves that part has: a case a
    stand-in chaired once the stand-in approved it, anything else once the chair approved."""
    _writable(record)
    if hearing is not None and hearing.pk in section_approvers(record.meeting):
        if SectionApproval.objects.filter(hearing=hearing).exists():
            raise ProceedingsError("The minutes of this case are approved")
    elif record.approved_at is not None:
        raise ProceedingsError("The chair has approved this part of the minutes")


def minutes_part_open(record: MeetingRecord, hearing: Hearing | None = None) -> bool:
    """Whether that part of the minutes can still be changed (see ``part_writable``)."""
    try:
        part_writable(record, hearing)
    except ProceedingsError:
        return False
    return True


def case_writable(case: Case) -> None:
    if lifecycle.case_is_frozen(case):
        raise ProceedingsError(
            "This case's record is frozen after a death was recorded: ask the hub team"
        )


def hearing_writable(hearing: Hearing) -> None:
    """Refuse changes to a case's record once its minutes are approved or its case is frozen."""
    part_writable(record_for(hearing.listing.meeting), hearing)
    case_writable(hearing.listing.case)
