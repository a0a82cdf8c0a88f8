"""Changes the reports make: freezing a settled period's figures, and the hub's settings.

Each runs in one transaction with its audit event.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case
from openmarac.meetings.models import Meeting, MeetingStatus
from openmarac.partnerships.models import Area, Partnership

from . import periods
from .counting import Scope
from .facts import facts_refresh
from .figures import count_now, reporting_settings
from .models import AreaPopulation, FrozenFigures, ReportingSettings
from .selectors import meeting_scope


@transaction.atomic
def figures_freeze(
    *, scope: Scope, actor: User | None = None, request: HttpRequest | None = None
) -> FrozenFigures:
    """Keep ``scope``'s figures as they are counted now, for good. Freezing again is a no-op:
    frozen figures never change."""
    existing = FrozenFigures.objects.filter(scope_key=scope.key).first()
    if existing is not None:
        return existing
    facts_refresh()
    counted = count_now(scope, reporting_settings(scope.partnership_id))
    frozen = FrozenFigures.objects.create(
        partnership_id=scope.partnership_id,
        area_id=scope.area_ids[0] if len(scope.area_ids) == 1 and not scope.all_areas else None,
        meeting_id=scope.meeting_id,
        start=scope.period.start,
        end=scope.period.end,
        scope_key=scope.key,
        figures=counted.values,
        tables=counted.tables,
        frozen_at=timezone.now(),
        frozen_by=actor if getattr(actor, "pk", None) else None,
    )
    audit_record(
        action="reports.freeze",
        request=request,
        actor=actor,
        obj=frozen,
        detail={"scope": scope.key},
    )
    return frozen


def _partnership_scopes(partnership: Partnership, period: periods.Period) -> list[Scope]:
    areas = list(Area.objects.filter(partnership=partnership).order_by("pk"))
    every = Scope(
        partnership_id=partnership.pk,
        area_ids=tuple(area.pk for area in areas),
        all_areas=True,
        period=period,
        label="All areas",
        area_codes=tuple(area.code for area in areas),
    )
    return [
        every,
        *[
            Scope(
                partnership_id=partnership.pk,
                area_ids=(area.pk,),
                all_areas=False,
                period=period,
                label=area.name,
                area_codes=(area.code,),
            )
            for area in areas
        ],
    ]


def settled_periods(today: datetime.date, freeze_after_days: int) -> list[periods.Period]:
    """The quarters and years that ended at least ``freeze_after_days`` ago, the last two
    years' worth (older ones were frozen by earlier sweeps)."""
    cutoff = today - datetime.timedelta(days=freeze_after_days)
    found = [q for q in periods.recent_quarters(cutoff, 9) if q.end <= cutoff]
    found += [
        periods.year(cutoff.year - n) for n in (1, 2) if periods.year(cutoff.year - n).end <= cutoff
    ]
    return found


def settled_figures_freeze(*, now: datetime.datetime) -> int:
    """Freeze every settled quarter and year (each area and all areas) and every meeting held
    long enough ago, of every partnership, that is not frozen yet; periods that ended before the
    partnership was set up are left alone. Returns how many were frozen."""
    done = 0
    today = timezone.localdate(now)
    for partnership in Partnership.objects.all():
        settings = reporting_settings(partnership.pk)
        began = timezone.localdate(partnership.created_at)
        cutoff = today - datetime.timedelta(days=settings.freeze_after_days)
        scopes = [
            scope
            for period in settled_periods(today, settings.freeze_after_days)
            if period.end >= began
            for scope in _partnership_scopes(partnership, period)
        ]
        meetings = Meeting.objects.filter(
            area__partnership=partnership,
            status=MeetingStatus.HELD,
            starts_on__lte=cutoff,
            starts_on__gte=max(began, cutoff - datetime.timedelta(days=366)),
        ).select_related("area")
        scopes += [
            meeting_scope(meeting, periods.meeting_day(meeting.starts_on))
            for meeting in meetings.order_by("starts_on", "pk")
        ]
        frozen = set(
            FrozenFigures.objects.filter(scope_key__in=[scope.key for scope in scopes]).values_list(
                "scope_key", flat=True
            )
        )
        for scope in scopes:
            if scope.key not in frozen:
                figures_freeze(scope=scope)
                done += 1
    return done


def figures_keep_before_disposal(case: Case) -> None:
    """Registered with ``core.hooks`` to run inside a retention disposal, before the case's rows
    (and with them its referral and hearing facts) are deleted: every settled period not frozen
    yet is frozen now, so the figures that counted the case read the same afterwards. A case is
    disposed of six years or more after it closed, long after its periods settled."""
    settled_figures_freeze(now=timezone.now())


@transaction.atomic
def reporting_settings_update(
    *, partnership: Partnership, actor: User, request: HttpRequest | None = None, **values: object
) -> ReportingSettings:
    settings = reporting_settings(partnership.pk)
    allowed = {
        "suppression_threshold",
        "freeze_after_days",
        "timeliness_target_percent",
        "safelives_form_version",
        "safelives_categories",
    }
    for name, value in values.items():
        if name not in allowed:
            raise ValueError(f"not a reporting setting: {name}")
        setattr(settings, name, value)
    settings.save()
    audit_record(
        action="reports.settings_change",
        request=request,
        actor=actor,
        obj=settings,
        detail={"changed": sorted(values), "threshold": settings.suppression_threshold},
    )
    return settings


@transaction.atomic
def area_population_set(
    *,
    area: Area,
    actor: User,
    request: HttpRequest | None = None,
    women_16_plus: int | None,
    minoritised_percent: Decimal | None,
    disabled_percent: Decimal | None,
    lgbt_percent: Decimal | None,
    source: str,
) -> AreaPopulation:
    population, _created = AreaPopulation.objects.get_or_create(area=area)
    population.women_16_plus = women_16_plus
    population.minoritised_percent = minoritised_percent
    population.disabled_percent = disabled_percent
    population.lgbt_percent = lgbt_percent
    population.source = source.strip()
    population.updated_by = actor
    population.save()
    audit_record(action="reports.population_change", request=request, actor=actor, obj=area)
    return population
