"""Demo referrals for the triage queue: a likely repeat, one past its deadline, one due soon.

Called from ``openmarac.demo.partnership.load_demo``; every name is fictional (see ``demo_names``).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpRequest
from django.test import RequestFactory

from openmarac.agencies.models import Agency
from openmarac.core.workdays import WorkingCalendar, calendar_for, local_date
from openmarac.partnerships.models import Area, Partnership

DEMO_TRIAGE_NAMES = ["Placeholda", "Sampleton", "Examplina", "Mockwood"]


def load_triage_demo(
    partnership: Partnership,
    areas: dict[str, Area],
    agencies: dict[str, Agency],
    *,
    now: datetime.datetime,
) -> None:
    from openmarac.demo.referral_answers import (
        COMPLETE_SECTIONS,
        DEMO_DOMAIN,
        demo_referral_answers,
    )
    from openmarac.referrals.models import Referral
    from openmarac.referrals.selectors import email_index
    from openmarac.referrals.services import referral_submit

    agencies["police"].escalation_email = f"police-da-lead@{DEMO_DOMAIN}"
    agencies["police"].save(update_fields=["escalation_email"])
    request: HttpRequest = RequestFactory().post("/")
    request.session = SessionStore()
    request.user = AnonymousUser()
    calendar = calendar_for(partnership)
    email = f"referrer@{DEMO_DOMAIN}"
    # (area, victim, perpetrator, working hours since it arrived)
    plan = [
        # The same names as the North Kent demo case: link them and it is a repeat.
        ("NK", ("Demoname", "Victimone"), ("Demoname", "Perpone"), 2),
        ("WK", ("Placeholda", "Sampleton"), ("Examplina", "Mockwood"), 30),
        ("MK", ("Examplina", "Sampleton"), ("Placeholda", "Mockwood"), 20),
    ]
    for code, victim, perpetrator, hours_ago in plan:
        area = areas[code]
        referral = Referral.objects.create(
            partnership=partnership,
            area=area,
            referrer_email=email,
            referrer_email_index=email_index(email),
            referrer_agency=agencies["police"],
            answers=demo_referral_answers(
                area,
                agencies["police"],
                victim=victim,
                perpetrator=perpetrator,
                assessed_on=local_date(now),
            ),
            completed_sections=COMPLETE_SECTIONS,
        )
        referral_submit(referral=referral, request=request)
        arrived = _working_hours_before(calendar, now, hours_ago)
        Referral.objects.filter(pk=referral.pk).update(submitted_at=arrived)


def _working_hours_before(
    calendar: WorkingCalendar, moment: datetime.datetime, hours: int
) -> datetime.datetime:
    """The instant ``hours`` working hours before ``moment`` (searching back hour by hour)."""
    candidate = moment
    while calendar.working_hours_between(candidate, moment) < hours:
        candidate -= datetime.timedelta(hours=1)
    return candidate
