"""MARAC meetings of each area, and the cases listed at them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.cases.models import Case
from openmarac.core.fields import EncryptedTextField
from openmarac.partnerships.models import Area


class MeetingKind(models.TextChoices):
    REGULAR = "regular", "Regular meeting"
    EXTRA = "extra", "Additional meeting"
    EMERGENCY = "emergency", "Emergency MARAC"
    PROFESSIONALS = "professionals", "Professionals' meeting"
    RESTRICTED = "restricted", "Restricted meeting (closed or HBA)"


# Kinds a newly accepted case can be allocated to without a coordinator choosing.
ALLOCATABLE_KINDS = (MeetingKind.REGULAR, MeetingKind.EXTRA)


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    """One meeting of an area MARAC. A meeting over two days (Lincolnshire) is one meeting.

    Regular meetings are generated from the area's cadence: ``slot_date`` is the date the cadence
    gave (before any bank-holiday adjustment or coordinator move) and is unique per area, so
    generating again never duplicates a meeting, and a moved or cancelled meeting is not
    recreated. Meetings added by hand have no slot.
    """

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(max_length=15, choices=MeetingKind.choices, default=MeetingKind.REGULAR)
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    slot_date = models.DateField(null=True, blank=True)
    starts_on = models.DateField(db_index=True)
    ends_on = models.DateField()
    start_time = models.TimeField()
    agenda_published_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "start_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "slot_date"],
                condition=models.Q(slot_date__isnull=False),
                name="meeting_slot_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="meeting_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["area", "status", "starts_on"], name="meeting_next_idx")]

    def __str__(self) -> str:
        return f"{self.area.code} {self.get_kind_display()} {self.starts_on:%Y-%m-%d}"

    @property
    def is_open_for_listing(self) -> bool:
        return self.status == MeetingStatus.SCHEDULED and self.agenda_published_at is None


class ListingReason(models.TextChoices):
    NEW = "new", "New referral"
    REPEAT = "repeat", "Repeat referral"
    TRANSFER_IN = "transfer_in", "Transfer from another MARAC"
    REVIEW = "review", "Review of incomplete actions"
    EMERGENCY = "emergency", "Emergency"


class ListingStatus(models.TextChoices):
    LISTED = "listed", "Listed"
    HEARD = "heard", "Heard"
    DEFERRED = "deferred", "Deferred"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Listing(models.Model):
    """A case on a meeting's agenda. One listing per case per meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="listings")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="listings")
    referral = models.ForeignKey(
        "referrals.Referral",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="listings",
    )
    reason = models.CharField(max_length=12, choices=ListingReason.choices)
    status = models.CharField(
        max_length=10, choices=ListingStatus.choices, default=ListingStatus.LISTED
    )
    position = models.PositiveSmallIntegerField(null=True, blank=True)
    listed_at = models.DateTimeField()
    listed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting__starts_on", "position", "listed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="listing_unique"),
        ]

    def __str__(self) -> str:
        return f"Listing {self.pk}"


class ListingMove(models.Model):
    """A coordinator moved a case from one meeting to another, with their reason."""

    listing = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="moves")
    from_meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    to_meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField()
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    moved_at = models.DateTimeField()

    class Meta:
        ordering = ["moved_at", "pk"]

    def __str__(self) -> str:
        return f"Move {self.pk}"
