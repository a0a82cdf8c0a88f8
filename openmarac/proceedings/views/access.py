"""Who may use the meeting's pages, and fetching the meeting in their scope (404 otherwise,
audited). Views stay thin: they fetch in scope, call a service, and render; a service's refusal
is shown to the user as it is worded."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.http import HttpRequest

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.core.access import get_in_scope_or_404
from openmarac.core.decorators import is_hub
from openmarac.meetings.models import Listing, Meeting

from ..models import Hearing
from ..selectors import meetings_run_by


def runs_meetings(user: User) -> bool:
    return bool(is_hub(user) or user.is_chair)


def acting_user(request: HttpRequest) -> User:
    return cast(User, request.user)


def meeting_run(request: HttpRequest, meeting_id: int) -> Meeting:
    return get_in_scope_or_404(
        request,
        meetings_run_by(acting_user(request)).select_related("area__policy", "area__partnership"),
        action="meeting_run.view",
        pk=meeting_id,
    )


def show_error(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, str(exc))


def partnership_id_of(user: User) -> int:
    return int(user.agency.partnership_id) if user.agency is not None else 0


def partnership_agencies(meeting: Meeting) -> list[Agency]:
    return list(Agency.objects.filter(partnership_id=meeting.area.partnership_id).order_by("name"))


def hearing_or_none(listing: Listing) -> Hearing | None:
    return Hearing.objects.filter(listing=listing).first()
