"""The demo partnership is built around the moment it is loaded, whatever the date.

``make run`` loads it on the real date; it must still look right then: Mid-Kent's meeting is
today, Medway's calendar and its listed case lie ahead, the overdue action is overdue and the
referrals arrived before now. These build it on awkward days: a leap day, a Sunday at a month's
end, Christmas Eve and the day the clocks go back.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from openmarac.actions.models import Action
from openmarac.agencies.models import AgreementSignature
from openmarac.cases.models import Case
from openmarac.core.workdays import local_date
from openmarac.demo.partnership import load_demo
from openmarac.meetings.models import Listing, Meeting, MeetingKind
from openmarac.referrals.models import Referral

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


@pytest.mark.parametrize(
    "now",
    [
        datetime.datetime(2028, 2, 29, 23, 30, tzinfo=UTC),
        datetime.datetime(2026, 5, 31, 22, 30, tzinfo=UTC),  # 23:30 in London (BST)
        datetime.datetime(2026, 12, 24, 16, 0, tzinfo=UTC),
        datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),  # 01:30 BST, before they go back
    ],
    ids=["leap-day", "sunday-month-end", "christmas-eve", "clocks-go-back"],
)
def test_the_demo_is_built_around_the_moment_it_is_loaded(now):
    today = local_date(now)
    with time_machine.travel(now, tick=False):
        partnership = load_demo(now=now)

    assert sorted(Case.objects.values_list("reference", flat=True)) == [
        f"MED-{today.year}-D0003",
        f"MK-{today.year}-D0005",
        f"MK-{today.year}-D0006",
        f"NK-{today.year}-D0001",
        f"WK-{today.year}-D0002",
    ]
    # Mid-Kent's meeting, ready to run, is today.
    extra = Meeting.objects.get(area__code="MK", kind=MeetingKind.EXTRA)
    assert (extra.starts_on, extra.agenda_published_at is not None) == (today, True)
    # Medway's calendar starts today, and its case waits on a meeting ahead.
    medway = Meeting.objects.filter(area__code="MED", kind=MeetingKind.REGULAR)
    assert medway.exists()
    assert all(m.starts_on >= today for m in medway)
    listed = Listing.objects.get(case__reference=f"MED-{today.year}-D0003")
    assert listed.meeting.starts_on >= today
    # The overdue action is overdue, agreed three weeks ago; the others are not yet due.
    overdue = Action.objects.get(intervention="address-marker")
    assert overdue.due_on < today
    assert overdue.agreed_at == now - datetime.timedelta(days=21)
    with time_machine.travel(now, tick=False):
        assert [a.intervention for a in Action.objects.all() if a.is_overdue_now] == [
            "address-marker"
        ]
    # Agreements were signed 200 days ago; every referral arrived before now.
    signed = AgreementSignature.objects.filter(agency__partnership=partnership)
    assert {s.signed_on for s in signed} == {today - datetime.timedelta(days=200)}
    submitted = list(Referral.objects.exclude(submitted_at=None))
    assert len(submitted) == 4
    assert all(r.submitted_at <= now for r in submitted)
    assessed = {r.answers["checklist-answers"]["assessed_on"] for r in submitted}
    assert assessed == {today.isoformat()}


def test_the_demo_is_built_around_the_clock_by_default():
    now = datetime.datetime(2027, 3, 28, 0, 45, tzinfo=UTC)  # the night the clocks go forward
    with time_machine.travel(now, tick=False):
        load_demo()
    assert Meeting.objects.get(area__code="MK", kind=MeetingKind.EXTRA).starts_on == now.date()
    assert Case.objects.filter(reference="NK-2027-D0001").exists()
