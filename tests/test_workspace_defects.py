"""Defects found walking through the service (issue 16), each with the test that shows it."""

from __future__ import annotations

import datetime

from django.contrib.messages import get_messages

from .conftest import client_for
from .test_proceedings import Room

D = datetime.date


# The outcome banner.


def test_the_outcome_banner_names_the_outcome_just_recorded(cast):
    room = Room(cast)
    room.open()
    room.hear()
    hub = client_for(cast.coordinator)
    url = f"/meetings/{room.meeting.pk}/run/cases/{room.listing.pk}/outcome/"
    response = hub.post(url, {"outcome": "keep_open", "reason": ""})
    assert response.status_code == 302
    banners = [str(m) for m in get_messages(response.wsgi_request)]
    assert banners == ["Outcome recorded: Keep open for further actions"]
