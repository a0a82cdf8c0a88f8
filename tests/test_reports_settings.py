"""The hub's reporting settings and each area's population: saved, audited, and used."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from openmarac.audit.models import AuditEvent
from openmarac.reports.figures import reporting_settings
from openmarac.reports.models import AreaPopulation
from tests.conftest import client_for


def _settings_form(**changes: str) -> dict[str, str]:
    from openmarac.agencies.models import Sector
    from openmarac.reports.models import DEFAULT_SAFELIVES_CATEGORIES

    data = {
        "suppression_threshold": "10",
        "freeze_after_days": "30",
        "timeliness_target_percent": "95",
        "safelives_form_version": "SafeLives MARAC data form, 2026",
        **{f"category_{s}": DEFAULT_SAFELIVES_CATEGORIES[s] for s in Sector.values},
    }
    data.update(changes)
    return data


def test_the_hub_sets_the_threshold_and_the_safelives_categories(cast):
    url = reverse("reports:settings")
    response = client_for(cast.coordinator).post(
        url, _settings_form(category_housing="Housing and homelessness")
    )
    assert response.status_code == 302
    saved = reporting_settings(cast.partnership.pk)
    assert (saved.suppression_threshold, saved.freeze_after_days) == (10, 30)
    assert saved.category_of("housing") == "Housing and homelessness"
    event = AuditEvent.objects.get(action="reports.settings_change")
    assert event.actor == cast.coordinator
    assert event.detail["threshold"] == 10


def test_a_threshold_below_two_is_refused_with_a_message(cast):
    response = client_for(cast.coordinator).post(
        reverse("reports:settings"), _settings_form(suppression_threshold="1")
    )
    assert response.status_code == 200
    assert "The suppression threshold must be 2 or more" in response.content.decode()
    assert reporting_settings(cast.partnership.pk).suppression_threshold == 5


def test_the_hub_records_an_areas_population_with_its_source(cast):
    url = reverse("reports:population", kwargs={"area_id": cast.area_a.pk})
    response = client_for(cast.coordinator).post(
        url,
        {
            "women_16_plus": "120000",
            "minoritised_percent": "8.5",
            "disabled_percent": "",
            "lgbt_percent": "3.2",
            "source": "Census 2021, tables TS001 and TS021",
        },
    )
    assert response.status_code == 302
    population = AreaPopulation.objects.get(area=cast.area_a)
    assert population.women_16_plus == 120000
    assert population.minoritised_percent == Decimal("8.5")
    assert population.disabled_percent is None
    assert population.updated_by == cast.coordinator
    assert AuditEvent.objects.filter(
        action="reports.population_change", object_id=str(cast.area_a.pk)
    ).exists()
    page = client_for(cast.coordinator).get(reverse("reports:settings")).content.decode()
    assert "Census 2021, tables TS001 and TS021" in page


def test_a_population_needs_its_source(cast):
    url = reverse("reports:population", kwargs={"area_id": cast.area_a.pk})
    response = client_for(cast.coordinator).post(url, {"women_16_plus": "1000", "source": ""})
    assert response.status_code == 200
    assert "Enter where the numbers come from" in response.content.decode()
    assert not AreaPopulation.objects.exists()
