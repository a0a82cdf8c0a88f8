"""Agencies hold licences only while signatories; withdrawal ends them and leaves agendas."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from openmarac.agencies.models import Agreement, AgreementSignature
from openmarac.agencies.selectors import agencies_active_in, agency_is_signatory
from openmarac.agencies.services import agency_withdraw, signature_record
from openmarac.audit.models import AuditEvent
from openmarac.cases.models import CaseInvitation
from openmarac.cases.selectors import cases_visible_to
from openmarac.licences.models import EndReason, Licence, LicenceStatus
from openmarac.licences.services import licence_resume

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_agency_is_a_signatory_only_with_both_agreements(cast):
    police = cast.police_rep.agency
    assert agency_is_signatory(police)
    AgreementSignature.objects.filter(agency=police, agreement=Agreement.OPERATING_PROTOCOL).update(
        withdrawn_on=datetime.date(2026, 1, 1)
    )
    assert not agency_is_signatory(police)


def test_the_hub_records_a_signature_with_its_date_and_signatory(cast):
    police = cast.police_rep.agency
    response = client_for(cast.coordinator).post(
        reverse("agencies:detail", kwargs={"agency_id": police.pk}),
        {
            "agreement": "isa",
            "signed_on_day": "3",
            "signed_on_month": "11",
            "signed_on_year": "2026",
            "signed_by": "Chief Constable (fictional)",
        },
    )
    assert response.status_code == 302
    current = AgreementSignature.objects.get(
        agency=police, agreement="isa", withdrawn_on__isnull=True
    )
    assert current.signed_on == datetime.date(2026, 11, 3)
    assert current.signed_by == "Chief Constable (fictional)"
    assert current.recorded_by == cast.coordinator
    assert AuditEvent.objects.filter(action="agency.signature_record", actor=cast.coordinator)


def test_a_signature_form_with_errors_keeps_what_was_typed(cast):
    response = client_for(cast.coordinator).post(
        reverse("agencies:detail", kwargs={"agency_id": cast.police_rep.agency_id}),
        {
            "agreement": "isa",
            "signed_on_day": "31",
            "signed_on_month": "2",
            "signed_on_year": "2026",
            "signed_by": "Typed Name",
        },
    )
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Typed Name" in response.content


def test_withdrawal_ends_every_licence_and_leaves_future_agendas(cast):
    police = cast.police_rep.agency
    client = client_for(cast.police_rep)
    case_url = reverse("caserecord:record", kwargs={"reference": cast.case_a.reference})
    assert client.get(case_url).status_code == 200
    assert police in agencies_active_in(cast.area_a)
    invitations_before = CaseInvitation.objects.count()
    response = client_for(cast.coordinator).post(
        reverse("agencies:withdraw", kwargs={"agency_id": police.pk}),
        {
            "withdrawn_on_day": "20",
            "withdrawn_on_month": "11",
            "withdrawn_on_year": "2026",
            "reason": "Letter of 20 November: reorganisation.",
        },
    )
    assert response.status_code == 302
    police.refresh_from_db()
    assert police.withdrawn_on == datetime.date(2026, 11, 20)
    assert police not in agencies_active_in(cast.area_a)
    assert not Licence.objects.filter(agency=police).exclude(status=LicenceStatus.DEACTIVATED)
    assert set(
        Licence.objects.filter(agency=police, user=cast.police_rep).values_list(
            "end_reason", flat=True
        )
    ) == {EndReason.WITHDRAWN}
    assert client.get(case_url).status_code == 302  # sessions ended at once
    cast.police_rep.refresh_from_db()
    assert cases_visible_to(cast.police_rep).count() == 0
    # What it shared stays: nothing of the agency or its records is removed.
    assert CaseInvitation.objects.count() == invitations_before
    assert AuditEvent.objects.filter(action="agency.withdraw", object_id=str(police.pk)).exists()
    with pytest.raises(ValidationError):
        signature_record(
            agency=police, agreement="isa", signed_on=datetime.date(2026, 11, 21), signed_by="X"
        )
    licence = Licence.objects.get(user=cast.chair)
    with pytest.raises(ValidationError):
        licence_resume(licence=licence, actor=cast.coordinator)


def test_the_hub_cannot_withdraw(cast):
    hub = cast.coordinator.agency
    with pytest.raises(ValidationError):
        agency_withdraw(
            agency=hub, withdrawn_on=datetime.date(2026, 11, 1), reason="x", actor=cast.coordinator
        )
