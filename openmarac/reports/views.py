"""The reports' pages. Figures only, never a case: partnership leads, chairs and the hub read
them; the hub alone downloads the lists that carry case references, and changes the settings.
Every page view and download is audited; downloads need a recent second factor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from openmarac.accounts.stepup import recent_mfa_required
from openmarac.audit.services import audit_record
from openmarac.core.access import get_in_scope_or_404, signed_in_user
from openmarac.core.decorators import is_hub, role_required
from openmarac.partnerships.models import Area

from . import dashboard, documents, exports, periods, services
from .catalogue import FIGURES, SECTIONS, TABLES
from .counting import Scope, meetings_in
from .figures import Figures, figures_for, reporting_settings
from .forms import ExportQuery, PopulationForm, ReportingSettingsForm, ReportQuery
from .models import AreaPopulation
from .selectors import meeting_scope, report_areas_for, report_meetings_for, scope_for, sees_reports
from .suppression import Cell, shown, threshold_of

RETURN_SECTIONS = ["cases", "referring", "victims", "outcomes"]


def _viewed(request: HttpRequest, page: str, scope: Scope | None = None, **detail: Any) -> None:
    if scope is not None:
        detail |= {
            "areas": list(scope.area_codes),
            "from": str(scope.period.start),
            "to": str(scope.period.end),
        }
    audit_record(action="report.view", request=request, detail={"page": page, **detail})


def _last_complete_quarter() -> periods.Period:
    return periods.previous(periods.quarter_of(timezone.localdate()))


def _query(request: HttpRequest, default: periods.Period, *, exports: bool = False) -> ReportQuery:
    areas = list(report_areas_for(signed_in_user(request)).order_by("name"))
    if exports:
        return ExportQuery(request.GET, areas=areas, default_period=default)
    return ReportQuery(request.GET, areas=areas, default_period=default)


def _figures(request: HttpRequest, form: ReportQuery) -> tuple[Figures, dict[str, Cell]]:
    scope = scope_for(signed_in_user(request), area=form.chosen_area(), period=form.chosen_period())
    figures = figures_for(scope)
    return figures, shown(figures)


def _dashboard(request: HttpRequest, *, printable: bool) -> HttpResponse:
    default = _last_complete_quarter() if printable else periods.quarter_of(timezone.localdate())
    form = _query(request, default)
    figures, cells = _figures(request, form)
    settings = figures.settings or reporting_settings(figures.scope.partnership_id)
    _viewed(request, "steering" if printable else "dashboard", figures.scope)
    return render(
        request,
        "reports/steering.html" if printable else "reports/dashboard.html",
        {
            "form": form,
            "figures": figures,
            "frozen_at": figures.frozen_at,
            "freeze_days": settings.freeze_after_days,
            "scope": figures.scope,
            "sections": dashboard.sections(cells),
            "panels": dashboard.panels(
                figures, cells, threshold_of(figures), settings.timeliness_target_percent
            ),
            "agency_tables": dashboard.agency_tables(figures),
            "threshold": threshold_of(figures),
            "query": form.query_string(),
            "can_export": is_hub(signed_in_user(request)),
        },
    )


@role_required(sees_reports)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    return _dashboard(request, printable=False)


@role_required(sees_reports)
def steering(request: HttpRequest) -> HttpResponse:
    return _dashboard(request, printable=True)


@role_required(sees_reports)
def safelives_return(request: HttpRequest) -> HttpResponse:
    form = _query(request, _last_complete_quarter())
    figures, cells = _figures(request, form)
    scope = figures.scope
    meetings = meetings_in(scope).select_related("area").order_by("starts_on", "pk")
    _viewed(request, "return", scope)
    return render(
        request,
        "reports/return.html",
        {
            "form": form,
            "figures": figures,
            "frozen_at": figures.frozen_at,
            "freeze_days": reporting_settings(scope.partnership_id).freeze_after_days,
            "scope": scope,
            "sections": dashboard.sections(cells, RETURN_SECTIONS),
            "threshold": threshold_of(figures),
            "meetings": meetings,
            "query": form.query_string(),
            "form_version": reporting_settings(scope.partnership_id).safelives_form_version,
        },
    )


def _download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


def _file_stem(name: str, scope: Scope) -> str:
    areas = "all" if scope.all_areas else "-".join(scope.area_codes).lower()
    when = scope.period.code or f"{scope.period.start}-{scope.period.end}"
    return f"{name}-{areas}-{when}"


@role_required(sees_reports)
@recent_mfa_required
def return_download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("Page not found")
    form = _query(request, _last_complete_quarter())
    figures, cells = _figures(request, form)
    content = exports.render(documents.return_sheets(figures, cells), fmt)
    audit_record(
        action="report_return.download",
        request=request,
        detail={
            "format": fmt,
            "areas": list(figures.scope.area_codes),
            "from": str(figures.scope.period.start),
            "to": str(figures.scope.period.end),
        },
    )
    return _download(content, fmt, _file_stem("safelives-return", figures.scope))


@role_required(sees_reports)
def meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    found = get_in_scope_or_404(
        request,
        report_meetings_for(signed_in_user(request)).select_related("area"),
        action="report_meeting.view",
        pk=meeting_id,
    )
    scope = meeting_scope(found, periods.meeting_day(found.starts_on))
    figures = figures_for(scope)
    cells = shown(figures)
    _viewed(request, "meeting", scope, meeting=found.pk)
    return render(
        request,
        "reports/meeting.html",
        {
            "meeting": found,
            "figures": figures,
            "frozen_at": figures.frozen_at,
            "freeze_days": reporting_settings(scope.partnership_id).freeze_after_days,
            "scope": scope,
            "sections": dashboard.sections(cells),
            "threshold": threshold_of(figures),
        },
    )


@role_required(sees_reports)
def definitions(request: HttpRequest) -> HttpResponse:
    _viewed(request, "definitions")
    grouped = [
        (title, [figure for figure in FIGURES if figure.section == key]) for key, title in SECTIONS
    ]
    settings = reporting_settings(request.user.agency.partnership_id)  # type: ignore[union-attr]
    return render(
        request,
        "reports/definitions.html",
        {"grouped": grouped, "tables": TABLES, "threshold": settings.suppression_threshold},
    )


# The hub's settings.


@role_required(is_hub)
def settings_page(request: HttpRequest) -> HttpResponse:
    partnership = request.user.agency.partnership  # type: ignore[union-attr]
    current = reporting_settings(partnership.pk)
    initial = {
        "suppression_threshold": current.suppression_threshold,
        "freeze_after_days": current.freeze_after_days,
        "timeliness_target_percent": current.timeliness_target_percent,
        "safelives_form_version": current.safelives_form_version,
        **{
            f"category_{sector}": current.category_of(sector)
            for sector in current.safelives_categories
        },
    }
    form = ReportingSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.reporting_settings_update(
            partnership=partnership,
            actor=signed_in_user(request),
            request=request,
            suppression_threshold=data["suppression_threshold"],
            freeze_after_days=data["freeze_after_days"],
            timeliness_target_percent=data["timeliness_target_percent"],
            safelives_form_version=data["safelives_form_version"].strip(),
            safelives_categories=form.categories(),
        )
        messages.success(request, "Reporting settings saved")
        return redirect("reports:settings")
    if request.method == "GET":
        _viewed(request, "settings")
    areas = report_areas_for(signed_in_user(request)).order_by("name")
    populations = {p.area_id: p for p in AreaPopulation.objects.filter(area__in=areas)}
    return render(
        request,
        "reports/settings.html",
        {"form": form, "areas": [(area, populations.get(area.pk)) for area in areas]},
    )


@role_required(is_hub)
def population(request: HttpRequest, area_id: int) -> HttpResponse:
    area: Area = get_in_scope_or_404(
        request,
        report_areas_for(signed_in_user(request)),
        action="report_population.view",
        pk=area_id,
    )
    current = AreaPopulation.objects.filter(area=area).first()
    initial = (
        {
            "women_16_plus": current.women_16_plus,
            "minoritised_percent": current.minoritised_percent,
            "disabled_percent": current.disabled_percent,
            "lgbt_percent": current.lgbt_percent,
            "source": current.source,
        }
        if current
        else {}
    )
    form = PopulationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.area_population_set(
            area=area, actor=signed_in_user(request), request=request, **form.cleaned_data
        )
        messages.success(request, f"Population of {area.name} saved")
        return redirect("reports:settings")
    if request.method == "GET":
        _viewed(request, "population", area=area.code)
    return render(request, "reports/population.html", {"form": form, "area": area})


# The hub's lists.


@role_required(is_hub)
def exports_page(request: HttpRequest) -> HttpResponse:
    form = _query(request, _last_complete_quarter(), exports=True)
    _viewed(request, "exports")
    return render(
        request,
        "reports/exports.html",
        {"form": form, "exports": documents.EXPORTS, "query": form.query_string()},
    )


@role_required(is_hub)
@recent_mfa_required
def export(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in documents.EXPORTS or fmt not in exports.FORMATS:
        raise Http404("Page not found")
    form = _query(request, _last_complete_quarter(), exports=True)
    scope = scope_for(signed_in_user(request), area=form.chosen_area(), period=form.chosen_period())
    sheet = documents.export_sheet(kind, signed_in_user(request), scope)
    content = exports.render([sheet], fmt)
    audit_record(
        action="report_export.download",
        request=request,
        detail={
            "export": kind,
            "format": fmt,
            "rows": len(sheet.rows),
            "areas": list(scope.area_codes),
            "from": str(scope.period.start),
            "to": str(scope.period.end),
        },
    )
    return _download(content, fmt, _file_stem(documents.EXPORTS[kind][1], scope))
