"""Reports: figures for partnership leads, chairs and the hub; the hub's lists and settings."""

from __future__ import annotations

from typing import Any

from openmarac.meetings.models import Meeting
from openmarac.meetings.services import meetings_generate

from .common import NO_ARGS, SIGN_IN, everyone, hub_only

# Figures only: never a case, so the partnership lead reads them; representatives do not.
READERS = {
    **everyone(404),
    "coordinator": 200,
    "chair": 200,
    "lead": 200,
    "revoked": SIGN_IN,
    "anonymous": SIGN_IN,
}


def _meeting(cast: Any) -> dict[str, Any]:
    meetings_generate(area=cast.area_a)
    return {"meeting_id": Meeting.objects.filter(area=cast.area_a).order_by("starts_on").first().pk}


ROWS = {
    "reports:dashboard": (NO_ARGS, READERS),
    "reports:steering": (NO_ARGS, READERS),
    "reports:safelives_return": (NO_ARGS, READERS),
    "reports:return_download": (lambda c: {"fmt": "xlsx"}, READERS),
    "reports:meeting": (_meeting, READERS),
    "reports:definitions": (NO_ARGS, READERS),
    "reports:settings": (NO_ARGS, hub_only()),
    "reports:population": (lambda c: {"area_id": c.area_a.pk}, hub_only()),
    "reports:exports": (NO_ARGS, hub_only()),
    "reports:export": (lambda c: {"kind": "referrals", "fmt": "csv"}, hub_only()),
}
