"""What the figures are computed from, the settings that shape them, and figures kept for good.

The case data holds what a figure needs encrypted (a victim's ethnicity, a perpetrator's date of
birth) or spread over records that change (people are merged, cases move). So each referral that
reaches the hub, and each case heard at a meeting, gets one *fact*: a row of codes (sector, age
band, "yes"/"no"), never a name, a date of birth or free text, written by ``facts.py`` from the
record as it stood. Figures are aggregate queries over the facts and over the plain columns of
the workflow apps (decisions, attendance, actions), run by the database.

A period's figures are *frozen* (``FrozenFigures``) once it has settled: the counts themselves,
which identify no one, kept however long the case data is, so the same quarter gives the same
return after its records are disposed of under retention.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from openmarac.agencies.models import Agency, Sector
from openmarac.cases.models import Case
from openmarac.meetings.models import Listing, Meeting
from openmarac.partnerships.models import Area, Partnership
from openmarac.referrals.models import Referral

DEFAULT_SUPPRESSION_THRESHOLD = 5

# The referring-agency categories of the SafeLives MARAC data form, as the partnership maps its
# sectors to them. SafeLives changes its categories between versions of the form, so the mapping
# is a setting (``ReportingSettings.safelives_categories``); this is only the starting point.
DEFAULT_SAFELIVES_CATEGORIES: dict[str, str] = {
    Sector.POLICE: "Police",
    Sector.IDVA: "IDVA",
    Sector.CHILDRENS_SOCIAL_CARE: "Children's social care",
    Sector.ADULT_SOCIAL_CARE: "Adult social care",
    Sector.PRIMARY_CARE: "Primary care",
    Sector.ACUTE_HEALTH: "Secondary care",
    Sector.MATERNITY: "Secondary care",
    Sector.MENTAL_HEALTH: "Mental health",
    Sector.HEALTH: "Other",
    Sector.SUBSTANCE_USE: "Substance misuse",
    Sector.HOUSING: "Housing",
    Sector.PROBATION: "Probation",
    Sector.EDUCATION: "Education",
    Sector.VOLUNTARY: "Voluntary sector",
    Sector.OTHER: "Other",
}


def default_safelives_categories() -> dict[str, str]:
    return {str(sector): label for sector, label in DEFAULT_SAFELIVES_CATEGORIES.items()}


class ReportingSettings(models.Model):
    """The partnership's reporting rules. Made with its defaults the first time it is needed."""

    partnership = models.OneToOneField(
        Partnership, on_delete=models.CASCADE, related_name="reporting_settings"
    )
    suppression_threshold = models.PositiveSmallIntegerField(
        default=DEFAULT_SUPPRESSION_THRESHOLD,
        help_text=(
            'A count from 1 to one less than this in a breakdown is shown as "fewer than" it, '
            "wherever figures leave the case data."
        ),
    )
    freeze_after_days = models.PositiveSmallIntegerField(
        default=42,
        help_text="Days after a quarter, year or meeting ends before its figures are frozen.",
    )
    timeliness_target_percent = models.PositiveSmallIntegerField(
        default=90, help_text="The share done on time the steering group expects, for the charts."
    )
    safelives_form_version = models.CharField(
        max_length=40,
        default="SafeLives MARAC data form",
        help_text="The version of the SafeLives form the categories below follow.",
    )
    safelives_categories = models.JSONField(
        default=default_safelives_categories,
        help_text="Each sector's SafeLives referring-agency category.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reporting settings"

    def __str__(self) -> str:
        return f"Reporting settings of {self.partnership}"

    def category_of(self, sector: str) -> str:
        return str(self.safelives_categories.get(sector) or "Other")


class AreaPopulation(models.Model):
    """What the figures compare an area with: its population, with where the numbers came from."""

    area = models.OneToOneField(Area, on_delete=models.CASCADE, related_name="population")
    women_16_plus = models.PositiveIntegerField(
        null=True, blank=True, help_text="Women aged 16 and over living in the area."
    )
    minoritised_percent = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        help_text="Share of people aged 16+ who are Black, Asian or racially minoritised.",
    )
    disabled_percent = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, help_text="Share disabled."
    )
    lgbt_percent = models.DecimalField(
        max_digits=4, decimal_places=1, null=True, blank=True, help_text="Share LGBT+."
    )
    source = models.TextField(
        blank=True, help_text="Where the numbers come from, e.g. the census table and year."
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Population of {self.area}"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class ReferralFact(models.Model):
    """One referral that reached the hub, as codes. Rewritten while the referral changes (a
    returned referral completed again), never once its period is frozen."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="report_fact")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(help_text="When it first reached the hub.")
    received_on = models.DateField(help_text="The local date of ``received_at``.")
    triage_due_at = models.DateTimeField(help_text="The area's triage deadline for it.")
    source_updated_at = models.DateTimeField(help_text="The referral's last change, when read.")
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sector = models.CharField(max_length=20, choices=Sector.choices)
    visible_high_risk = models.BooleanField(default=False)
    potential_escalation = models.BooleanField(default=False)
    professional_judgement = models.BooleanField(default=False)
    repeat = models.BooleanField(default=False)
    transfer_in = models.BooleanField(default=False)
    dvds_disclosure = models.BooleanField(default=False)
    victimless = models.BooleanField(default=False)
    restricted = models.BooleanField(default=False)
    victim_sex = models.CharField(max_length=12)
    victim_age_band = models.CharField(max_length=12)
    victim_ethnicity = models.CharField(max_length=12)
    victim_lgbt = models.CharField(max_length=10, choices=Answer.choices)
    victim_disabled = models.CharField(max_length=10, choices=Answer.choices)
    children = models.PositiveSmallIntegerField(default=0)
    perpetrator_under_18 = models.BooleanField(default=False)
    relationship = models.CharField(max_length=12)

    class Meta:
        indexes = [
            models.Index(fields=["partnership", "received_on"], name="referral_fact_period"),
            models.Index(fields=["area", "received_on"], name="referral_fact_area_period"),
        ]

    def __str__(self) -> str:
        return f"Referral fact {self.pk}"


class HearingFact(models.Model):
    """One case heard at one meeting, with what its referral said (copied, so that a later
    referral, a merge or a move does not rewrite a past hearing)."""

    listing = models.OneToOneField(Listing, on_delete=models.CASCADE, related_name="report_fact")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    heard_on = models.DateField()
    heard_until = models.DateTimeField(help_text="The end of the day the case was heard.")
    follow_up_until = models.DateTimeField(help_text="Twelve months after the hearing.")
    is_repeat = models.BooleanField(default=False)
    emergency = models.BooleanField(default=False)
    restricted = models.BooleanField(default=False)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    victim_sex = models.CharField(max_length=12)
    victim_age_band = models.CharField(max_length=12)
    victim_ethnicity = models.CharField(max_length=12)
    victim_lgbt = models.CharField(max_length=10, choices=Answer.choices)
    victim_disabled = models.CharField(max_length=10, choices=Answer.choices)
    children = models.PositiveSmallIntegerField(default=0)
    perpetrator_under_18 = models.BooleanField(default=False)
    relationship = models.CharField(max_length=12)

    class Meta:
        indexes = [
            models.Index(fields=["partnership", "heard_on"], name="hearing_fact_period"),
            models.Index(fields=["area", "heard_on"], name="hearing_fact_area_period"),
            models.Index(fields=["case", "heard_on"], name="hearing_fact_case"),
        ]

    def __str__(self) -> str:
        return f"Hearing fact {self.pk}"


class FrozenFigures(models.Model):
    """A settled period's figures for one area (or every area, or one meeting), kept for good.

    ``figures`` holds the exact counts, keyed as in ``docs/reporting.md``; small numbers are
    suppressed when shown, with the threshold in force then.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    area = models.ForeignKey(
        Area, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    start = models.DateField()
    end = models.DateField()
    scope_key = models.CharField(max_length=80, unique=True)
    figures = models.JSONField(default=dict)
    tables = models.JSONField(default=dict)
    frozen_at = models.DateTimeField()
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-start", "pk"]
        verbose_name_plural = "frozen figures"

    def __str__(self) -> str:
        return f"Figures {self.scope_key}"
