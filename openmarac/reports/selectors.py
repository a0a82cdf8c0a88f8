"""Who reports on what: the areas a user may see figures of, and the scopes built from them.

Partnership leads see the figures of every area of their partnership; chairs and the hub those
of the areas they follow (their licence's areas; a chair's agency a standing member there). No
one else sees any. Figures never name anyone, so a lead needs no case access at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from openmarac.cases.selectors import areas_followed_by
from openmarac.core.decorators import holds_live_licence, is_hub
from openmarac.meetings.models import Meeting
from openmarac.partnerships.models import Area

from .counting import Scope
from .periods import Period

if TYPE_CHECKING:
    from openmarac.accounts.models import User


def is_lead(user: User) -> bool:
    return bool(
        user.is_active
        and user.is_partnership_lead
        and user.agency is not None
        and user.agency.withdrawn_on is None
        and holds_live_licence(user)
    )


def sees_reports(user: User) -> bool:
    """Partnership leads, chairs and the hub."""
    return bool(
        is_lead(user) or is_hub(user) or (user.is_chair and areas_followed_by(user).exists())
    )


def report_areas_for(user: User) -> QuerySet[Area]:
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        return Area.objects.none()
    if is_lead(user):
        assert user.agency is not None  # a lead has an agency
        return Area.objects.filter(partnership_id=user.agency.partnership_id)
    if is_hub(user) or user.is_chair:
        return areas_followed_by(user)
    return Area.objects.none()


def scope_for(user: User, *, area: Area | None, period: Period) -> Scope:
    """The scope of one area, or of every area ``user`` reports on (``area`` None)."""
    assert user.agency is not None, "only a user of an agency reports"
    partnership_id = user.agency.partnership_id
    if area is not None:
        return Scope(
            partnership_id=partnership_id,
            area_ids=(area.pk,),
            all_areas=False,
            period=period,
            label=area.name,
            area_codes=(area.code,),
        )
    mine = list(report_areas_for(user).order_by("pk").values_list("pk", "code"))
    every = Area.objects.filter(partnership_id=partnership_id).count()
    return Scope(
        partnership_id=partnership_id,
        area_ids=tuple(pk for pk, _code in mine),
        all_areas=len(mine) == every,
        period=period,
        label="All areas" if len(mine) == every else "All your areas",
        area_codes=tuple(code for _pk, code in mine),
    )


def meeting_scope(meeting: Meeting, period: Period) -> Scope:
    return Scope(
        partnership_id=meeting.area.partnership_id,
        area_ids=(meeting.area_id,),
        all_areas=False,
        period=period,
        label=f"{meeting.area.name}, meeting of {meeting.starts_on:%-d %B %Y}",
        meeting_id=meeting.pk,
        area_codes=(meeting.area.code,),
    )


def report_meetings_for(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(area__in=report_areas_for(user).values("pk"))
