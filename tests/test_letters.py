"""Legal aid and housing support letters from templates the hub edits, each kept against its
case and produced as a PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from openmarac.agencies.models import Agency
from openmarac.audit.models import AuditEvent
from openmarac.letters import services
from openmarac.letters.models import Letter

from .conftest import client_for
from .letters_helpers import heard

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_a_legal_aid_letter_is_only_for_a_victim_heard_at_marac(cast):
    with pytest.raises(services.LetterError, match="heard at MARAC"):
        services.letter_write(
            case=cast.case_a,
            kind="legal_aid",
            recipient="Example Solicitors",
            actor=cast.coordinator,
        )
    heard(cast.case_a)
    letter = services.letter_write(
        case=cast.case_a,
        kind="legal_aid",
        recipient="Example Solicitors\n1 Law Street",
        actor=cast.coordinator,
    )
    assert "Demoname Victimone was referred to the North Kent MARAC" in letter.body
    assert "heard at the MARAC meeting on 14 October 2026" in letter.body
    assert f"Our reference: {cast.case_a.reference}" in letter.body
    assert "Example Solicitors" in letter.body
    event = AuditEvent.objects.get(action="letter.write")
    assert event.detail == {"letter": letter.pk, "kind": "legal_aid", "agency": None}


def test_a_housing_support_letter_goes_to_an_agency_never_the_victim(cast):
    heard(cast.case_a)
    with pytest.raises(services.LetterError, match="never the victim"):
        services.letter_write(
            case=cast.case_a, kind="housing_support", recipient="The victim", actor=cast.coordinator
        )
    housing = Agency.objects.get(name="Example Housing (West)")
    letter = services.letter_write(
        case=cast.case_a,
        kind="housing_support",
        recipient="Allocations manager",
        agency=housing,
        actor=cast.coordinator,
    )
    assert letter.recipient_agency == housing
    assert "Allocations manager\nExample Housing (West)" in letter.body
    assert "do not send this letter" in letter.body.lower()
    # The form offers agencies only: there is nothing to choose that is the victim.
    page = (
        client_for(cast.coordinator)
        .get(reverse("letters:new", args=[cast.case_a.reference, "housing_support"]))
        .content.decode()
    )
    assert "Example Housing (West)" in page
    assert "Victimone" not in page
    hub = Agency.objects.get(is_hub=True, partnership=cast.partnership)
    with pytest.raises(services.LetterError):
        services.letter_write(
            case=cast.case_a,
            kind="housing_support",
            recipient="x",
            agency=hub,
            actor=cast.coordinator,
        )


def test_the_hub_edits_the_template_and_placeholders_are_only_substituted(cast):
    hub = client_for(cast.coordinator)
    url = reverse("letters:template_edit", args=["legal_aid"])
    refused = hub.post(url, {"body": "Dear {victim_name}, see {secret_key}"})
    assert refused.status_code == 400
    assert "Unknown placeholder: {secret_key}" in refused.content.decode()
    body = "Case {case_reference} for {victim_name}. {case_reference.__class__} {{victim_name}}"
    assert hub.post(url, {"body": body}).status_code == 302
    heard(cast.case_a)
    letter = services.letter_write(
        case=cast.case_a, kind="legal_aid", recipient="Solicitor", actor=cast.coordinator
    )
    assert letter.body.startswith(f"Case {cast.case_a.reference} for Demoname Victimone.")
    assert "{case_reference.__class__}" in letter.body  # never evaluated
    assert "Letter templates" in hub.get(reverse("workspace:home")).content.decode()


def test_every_letter_is_logged_against_its_case_and_downloaded_as_a_marked_pdf(cast):
    heard(cast.case_a)
    hub = client_for(cast.coordinator)
    response = hub.post(
        reverse("letters:new", args=[cast.case_a.reference, "legal_aid"]),
        {"recipient": "Example Solicitors\n1 Law Street"},
    )
    assert response.status_code == 302
    letter = Letter.objects.get(case=cast.case_a)
    listing = hub.get(reverse("letters:case", args=[cast.case_a.reference])).content.decode()
    assert "Legal aid letter" in listing
    pdf = hub.get(reverse("letters:pdf", args=[letter.public_id]))
    assert pdf["Content-Type"] == "application/pdf"
    text = text_of(pdf.content)
    assert "Demoname Victimone" in text
    assert f"Letter on MARAC case {cast.case_a.reference}" in text
    assert AuditEvent.objects.filter(action="letter.pdf_download").count() == 1
    # Other members of the area cannot reach the letters.
    assert (
        client_for(cast.police_rep).get(reverse("letters:pdf", args=[letter.public_id])).status_code
        == 404
    )
