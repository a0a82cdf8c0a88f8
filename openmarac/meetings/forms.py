"""Coordinators' forms for the meeting calendar."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from openmarac.core.forms import (
    GovukDateField,
    GovukForm,
    GovukRadios,
    GovukTextarea,
    GovukTimeField,
    IdField,
    QueryForm,
)

from .models import Meeting, MeetingKind


class CalendarQuery(QueryForm):
    """``?area=`` narrows the calendar to one area; any value that is not an area id is ignored."""

    area = IdField()


ADDABLE_KINDS = [
    (MeetingKind.EXTRA.value, MeetingKind.EXTRA.label),
    (MeetingKind.EMERGENCY.value, MeetingKind.EMERGENCY.label),
    (MeetingKind.PROFESSIONALS.value, MeetingKind.PROFESSIONALS.label),
    (MeetingKind.RESTRICTED.value, MeetingKind.RESTRICTED.label),
]


class MeetingAddForm(GovukForm):
    kind = forms.ChoiceField(
        label="What kind of meeting?",
        choices=ADDABLE_KINDS,
        widget=GovukRadios(),
        error_messages={"required": "Select what kind of meeting it is"},
    )
    starts_on = GovukDateField(
        label="Date of the meeting",
        earliest=timezone.localdate,
        error_messages={"required": "Enter the date of the meeting"},
        help_text="For example, 27 3 2027",
    )
    start_time = GovukTimeField(
        label="Start time", required=False, help_text="Leave blank for the area's usual time"
    )


class MeetingMoveForm(GovukForm):
    starts_on = GovukDateField(
        label="New date",
        earliest=timezone.localdate,
        help_text="For example, 27 3 2027",
        error_messages={"required": "Enter the new date"},
    )
    start_time = GovukTimeField(
        label="New start time", required=False, help_text="Leave blank to keep the same time"
    )


class MeetingCancelForm(GovukForm):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        max_length=200,
        widget=GovukTextarea(),
        help_text="Do not include any personal details. Its cases move to the next meeting.",
        error_messages={"required": "Enter why the meeting is cancelled"},
    )


class ListingMoveForm(GovukForm):
    to_meeting = forms.ChoiceField(
        label="Move the case to",
        widget=GovukRadios(),
        error_messages={"required": "Select the meeting to move the case to"},
    )
    reason = forms.CharField(
        label="Why is the case moving?",
        max_length=1000,
        widget=GovukTextarea(),
        help_text="This is kept with the case's record of meetings.",
        error_messages={"required": "Enter why the case is moving to another meeting"},
    )

    def __init__(self, *args: Any, meetings: list[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.meetings = {str(m.pk): m for m in meetings}
        cast("forms.ChoiceField", self.fields["to_meeting"]).choices = [
            (
                key,
                f"{m.starts_on:%A %-d %B %Y} ({m.get_kind_display().lower()})"
                + (", agenda already published" if m.agenda_published_at else ""),
            )
            for key, m in self.meetings.items()
        ]

    def meeting(self) -> Meeting:
        return self.meetings[self.cleaned_data["to_meeting"]]
