"""How long a case is kept, from the area's retention groups (``partnerships.RetentionGroup``).

A case's period is the group's years (the children's figure when the case involves children)
from the group's event: the case's closure, its last referral, the last meeting that heard it,
or the youngest subject's date of birth (MoPI group 1: until the subject is 100). Periodic
reviews, where the group has them, fall every ``review_every_years`` after the closure.

A date of birth is encrypted, so nothing derived from one is stored in clear: a case whose rule
runs from a date of birth is scheduled on its periodic reviews only (or on 1 January after the
period ends, when the group has none), and the end of its period is worked out again from the
people's encrypted details each time it is reviewed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from openmarac.cases.models import Case
from openmarac.partnerships.models import RetentionEvent, RetentionGroup

# An area without retention groups (made by hand, not from a preset) keeps cases for 7 years
# after closure, the common default the presets use where a protocol is silent.
FALLBACK = RetentionGroup(
    code="standard",
    label="Default: 7 years after closure",
    runs_from=RetentionEvent.CLOSURE,
    years_adult=7,
    years_child=7,
    review_every_years=None,
    is_default=True,
)


@dataclass(frozen=True)
class Plan:
    group: RetentionGroup
    ends_on: datetime.date | None  # None: the event date is not recorded (no date of birth)
    review_on: datetime.date
    store_end: bool  # whether ``ends_on`` may be stored in clear (not derived from a birth date)


def groups_of(case: Case) -> list[RetentionGroup]:
    return list(RetentionGroup.objects.filter(area_id=case.area_id))


def group_for(case: Case, code: str = "") -> RetentionGroup:
    """The case's group by ``code``; the area's default when there is no such group."""
    groups = groups_of(case)
    for group in groups:
        if code and group.code == code:
            return group
    for group in groups:
        if group.is_default:
            return group
    return groups[0] if groups else FALLBACK


def _closed_on(case: Case) -> datetime.date:
    moment = case.closed_at or case.created_at
    return timezone.localdate(moment)


def youngest_birth_date(case: Case) -> datetime.date | None:
    """The latest date of birth among the case's people (decrypted here, never stored). A
    person known only by year counts as born on 31 December of it, the later (safer) end."""
    latest: datetime.date | None = None
    for participant in case.participants.select_related("person"):
        person = participant.person
        born: datetime.date | None = person.date_of_birth
        if born is None and str(person.birth_year or "").strip().isdigit():
            born = datetime.date(int(str(person.birth_year).strip()), 12, 31)
        if born is not None and (latest is None or born > latest):
            latest = born
    return latest


def event_date(case: Case, group: RetentionGroup) -> datetime.date | None:
    event = RetentionEvent(group.runs_from)
    if event == RetentionEvent.CLOSURE:
        return _closed_on(case)
    if event == RetentionEvent.LAST_REFERRAL:
        moment = case.last_referred_at or case.created_at
        return timezone.localdate(moment)
    if event == RetentionEvent.LAST_HEARING:
        return case.last_heard_on or _closed_on(case)
    return youngest_birth_date(case)


def period_end(case: Case, group: RetentionGroup) -> datetime.date | None:
    """The day the case's retention period ends (it may be disposed of from then on)."""
    start = event_date(case, group)
    if start is None:
        return None
    years = group.years_child if case.has_children else group.years_adult
    return start + relativedelta(years=years)


def next_periodic_review(
    case: Case, group: RetentionGroup, after: datetime.date
) -> datetime.date | None:
    """The first periodic review strictly after ``after``, counted from the closure."""
    if not group.review_every_years:
        return None
    closed = _closed_on(case)
    step = 1
    while True:
        candidate = closed + relativedelta(years=group.review_every_years * step)
        if candidate > after:
            return candidate
        step += 1


def plan_for(case: Case, group: RetentionGroup, *, after: datetime.date) -> Plan:
    """When ``case`` (in ``group``) must next be reviewed, looking from the day ``after``."""
    from_birth = group.runs_from == RetentionEvent.DATE_OF_BIRTH
    ends_on = period_end(case, group)
    periodic = next_periodic_review(case, group, after)
    if ends_on is not None and ends_on <= after:
        review_on = after  # already past its period: due at once
    elif from_birth:
        if periodic is not None:
            review_on = periodic
        elif ends_on is not None:
            review_on = datetime.date(ends_on.year + 1, 1, 1)
        else:
            # No date of birth recorded and no periodic review: the adults' figure from the
            # closure, then a reviewer decides.
            review_on = _closed_on(case) + relativedelta(years=group.years_adult)
    else:
        assert ends_on is not None
        review_on = min(ends_on, periodic) if periodic else ends_on
    return Plan(group=group, ends_on=ends_on, review_on=review_on, store_end=not from_birth)


def disposal_allowed(case: Case, group: RetentionGroup, *, today: datetime.date) -> bool:
    """Whether the retention period has ended (or cannot be known: no date of birth recorded,
    when the reviewers judge it) so that disposal may be recommended."""
    ends_on = period_end(case, group)
    return ends_on is None or ends_on <= today
