"""The audit reports' query strings: the period, the user and the threshold a report is run for."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from openmarac.core.forms import GovukNumberInput, IdField, IsoDateField, ReferenceQuery
from openmarac.core.pagination import PageQuery

DEFAULT_DAYS = 92  # a quarter
DEFAULT_MANY = 25
MOST_MANY = 100_000
DATE_HINT = "Use the format YYYY-MM-DD, like 2025-03-27"


def _default_start() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=DEFAULT_DAYS)


class PeriodQuery(PageQuery):
    """``?from=`` and ``?to=``: the last quarter unless given. A period given backwards is
    turned round rather than refused."""

    query_names = {"start": "from", "end": "to"}

    start = IsoDateField(label="From", required=False, initial=_default_start, help_text=DATE_HINT)
    end = IsoDateField(label="To", required=False, initial=timezone.localdate, help_text=DATE_HINT)

    def period(self) -> tuple[datetime.date, datetime.date]:
        """The first and last day of the period: the defaults for any date that was not valid."""
        start, end = self.value("start"), self.value("end")
        return (end, start) if end < start else (start, end)


class UserPeriodQuery(PeriodQuery):
    """The user report: ``?user=`` names the user, whose id the page carries as it is re-run."""

    user = IdField()


class PatternQuery(PeriodQuery):
    """The out-of-pattern report: ``?many=`` is how many cases opened makes a user stand out."""

    many = forms.IntegerField(
        label="Flag users who opened more than this many cases",
        required=False,
        initial=DEFAULT_MANY,
        min_value=1,
        max_value=MOST_MANY,
        widget=GovukNumberInput({"class": "govuk-input govuk-input--width-5"}),
        error_messages={
            "invalid": "Number of cases must be a whole number, like 25",
            "min_value": "Number of cases must be 1 or more",
            "max_value": f"Number of cases must be {MOST_MANY:,} or fewer",
        },
    )


class CaseReportQuery(ReferenceQuery, PageQuery):
    """The case report: ``?reference=`` finds the case, ``?page=`` pages its events."""
