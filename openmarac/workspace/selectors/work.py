"""What a work list is: a named, scoped set of rows waiting for someone to act on them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Model, QuerySet


class Kind:
    """What a work list's rows are, so the page knows how to show each one and where it opens."""

    REFERRAL = "referral"
    MEETING = "meeting"
    MINUTES = "minutes"
    SECTION = "section"
    RESEARCH = "research"
    ACTION = "action"
    LICENCE = "licence"
    RETENTION = "retention"
    CASE = "case"
    EMERGENCY = "emergency"


@dataclass(frozen=True)
class WorkList:
    """One item of a home page. ``rows`` is the list the item opens, in the order it is shown;
    its count is the item's number. ``by_agency`` lists are shown with a count per agency."""

    slug: str
    title: str
    kind: str
    rows: QuerySet[Model]
    empty: str
    by_agency: str = ""  # the rows' path to the agency's name, for a count per agency
