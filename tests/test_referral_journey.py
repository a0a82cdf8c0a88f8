"""The online referral, from e-mail verification to the hub's queue."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core import mail

from openmarac.audit.models import AuditEvent
from openmarac.partnerships.models import Area
from openmarac.partnerships.services import partnership_create_from_preset
from openmarac.referrals.models import Referral, ReferralParticipant, ReferralStatus

from .conftest import client_for, delivered_mail, make_user
from .referral_helpers import complete_referral, start_referral, verified_referrer

pytestmark = pytest.mark.django_db


def test_a_personal_email_address_is_refused_with_a_clear_message(cast):
    response = client_for(None).post("/refer/email/", {"email": "someone@gmail.com"})
    assert response.status_code == 200
    assert "You cannot use a personal email address" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert mail.outbox == []


def test_an_address_outside_the_official_domains_is_refused(cast):
    response = client_for(None).post("/refer/email/", {"email": "someone@unknown-council.example"})
    assert "not from an organisation in this MARAC partnership" in response.content.decode()
    assert mail.outbox == []


def test_a_subdomain_of_an_official_domain_is_accepted(cast):
    response = client_for(None).post("/refer/email/", {"email": "someone@team.example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


def test_the_code_email_holds_only_the_code(cast):
    client_for(None).post("/refer/email/", {"email": "worker@example.org"})
    body = mail.outbox[0].body
    assert re.search(r"\b\d{6}\b", body)
    assert "worker" not in body


def test_a_code_works_once_only(cast):
    client = client_for(None)
    client.post("/refer/email/", {"email": "worker@example.org"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert client.post("/refer/email/code/", {"code": code}).status_code == 302
    other = client_for(None)
    session = other.session
    session["pending_referrer_email"] = "worker@example.org"
    session.save()
    response = other.post("/refer/email/code/", {"code": code})
    assert "expired or has already been used" in response.content.decode()


def test_a_code_expires_after_fifteen_minutes(cast):
    client = client_for(None)
    with time_machine.travel("2026-11-23 10:00:00+00:00", tick=False):
        client.post("/refer/email/", {"email": "worker@example.org"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    with time_machine.travel("2026-11-23 10:15:01+00:00", tick=False):
        response = client.post("/refer/email/code/", {"code": code})
    assert "expired" in response.content.decode()
    assert "referrer_email" not in client.session


def test_five_wrong_codes_burn_the_code(cast):
    client = client_for(None)
    client.post("/refer/email/", {"email": "worker@example.org"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        client.post("/refer/email/code/", {"code": wrong})
    response = client.post("/refer/email/code/", {"code": code})
    assert response.status_code == 200
    assert "referrer_email" not in client.session


def test_codes_are_rate_limited_per_address(cast):
    client = client_for(None)
    for _ in range(5):
        assert client.post("/refer/email/", {"email": "worker@example.org"}).status_code == 302
    response = client.post("/refer/email/", {"email": "worker@example.org"})
    assert "too many codes" in response.content.decode()
    assert len(mail.outbox) == 5
    assert AuditEvent.objects.filter(action="referrer.code_requested", outcome="denied").exists()


def test_the_journey_needs_a_verified_address(cast):
    response = client_for(None).get("/refer/referrals/")
    assert response.status_code == 302
    assert response["Location"] == "/refer/email/"


def test_a_complete_referral_reaches_the_hub_queue_without_personal_details_in_email(cast):
    client = verified_referrer()
    base = start_referral(client)
    area = Area.objects.get(code="EK")
    complete_referral(client, base, area)
    check = client.get(f"{base}check/")
    assert "Visible high risk" in check.content.decode()
    mail.outbox.clear()
    response = client.post(f"{base}check/")
    assert response.status_code == 302
    referral = Referral.objects.get(public_id=base.split("/")[3])
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.reference.startswith("EK-")
    assert referral.checklist_score == 15
    assert "visible_high_risk" in referral.criteria_met
    roles = sorted(
        ReferralParticipant.objects.filter(referral=referral).values_list("role", flat=True)
    )
    assert roles == ["perpetrator", "victim"]
    sent = delivered_mail()
    recipients = sorted(addr for m in sent for addr in m.to)
    assert recipients == ["marac-hub@example.org", "worker@example.org"]
    for message in sent:
        assert referral.reference in message.body
        for secret in (
            "Testvictim",
            "Testfirst",
            "Perpsurname",
            "Testperp",
            "5 Example Close",
            "ZZ1",
        ):
            assert secret not in message.body
            assert secret not in message.subject
    queue = client_for(cast.coordinator).get("/hub/triage/")
    assert referral.reference in queue.content.decode()
    detail = client_for(cast.coordinator).get(f"/hub/triage/{referral.public_id}/")
    assert "Testvictim" in detail.content.decode()
    assert AuditEvent.objects.filter(action="referral.view", object_id=str(referral.pk)).exists()


def test_a_draft_is_saved_and_listed_for_return(cast):
    client = verified_referrer()
    base = start_referral(client)
    client.post(f"{base}s/area/", {"area": str(cast.area_a.pk)})
    # Come back later in a new session.
    again = verified_referrer()
    listing = again.get("/refer/referrals/").content.decode()
    assert base.rstrip("/").split("/")[-1] in listing
    task_list = again.get(base).content.decode()
    assert "You have completed 1 of" in task_list


def test_another_referrer_cannot_open_a_draft(cast):
    client = verified_referrer("first@example.org")
    base = start_referral(client)
    intruder = verified_referrer("second@example.org")
    assert intruder.get(base).status_code == 404
    assert intruder.post(f"{base}s/area/", {"area": str(cast.area_a.pk)}).status_code == 404
    assert AuditEvent.objects.filter(action="referral.view.denied", outcome="denied").exists()


def test_a_referral_meeting_no_criterion_cannot_be_sent_and_shows_signposting(cast):
    client = verified_referrer()
    base = start_referral(client)
    complete_referral(client, base, cast.area_a, yes_count=5)
    page = client.get(f"{base}check/").content.decode()
    assert "does not meet the MARAC criteria" in page
    assert "safeguarding lead" in page  # the Kent and Medway signposting text
    response = client.post(f"{base}check/")
    assert response.status_code == 400
    referral = Referral.objects.get(public_id=base.split("/")[3])
    assert referral.status == ReferralStatus.DRAFT


def test_professional_judgement_with_a_rationale_meets_the_criteria(cast):
    client = verified_referrer()
    base = start_referral(client)
    complete_referral(client, base, cast.area_a, yes_count=5, judgement="yes")
    assert client.post(f"{base}check/").status_code == 302
    referral = Referral.objects.get(public_id=base.split("/")[3])
    assert referral.criteria_met == ["professional_judgement"]


def test_professional_judgement_needs_a_rationale(cast):
    client = verified_referrer()
    base = start_referral(client)
    client.post(f"{base}s/area/", {"area": str(cast.area_a.pk)})
    response = client.post(f"{base}s/reasons/", {"professional_judgement": "yes", "repeat": "no"})
    assert response.status_code == 200
    assert "Enter why you believe the victim is at high risk" in response.content.decode()


def test_an_incomplete_referral_cannot_be_sent(cast):
    client = verified_referrer()
    base = start_referral(client)
    client.post(f"{base}s/area/", {"area": str(cast.area_a.pk)})
    response = client.post(f"{base}check/")
    assert response.status_code == 400
    assert "Complete every section" in response.content.decode()


def test_a_sent_referral_can_no_longer_be_changed(cast):
    client = verified_referrer()
    base = start_referral(client)
    complete_referral(client, base, cast.area_a)
    client.post(f"{base}check/")
    response = client.post(f"{base}s/victim/", {"forenames": "Changed"})
    assert response.status_code == 302
    assert response["Location"].endswith("/sent/")


@pytest.fixture
def lincolnshire(db):
    from openmarac.accounts.models import User
    from openmarac.agencies.models import Agency, AreaMembership, Sector
    from openmarac.checklists.services import checklists_load

    checklists_load()
    partnership = partnership_create_from_preset(
        preset="lincolnshire", official_email_domains=["example.org"], hub_email="hub@example.org"
    )
    hub = Agency.objects.create(
        partnership=partnership, name="Hub", sector=Sector.OTHER, is_hub=True
    )
    police = Agency.objects.create(
        partnership=partnership, name="Police", sector=Sector.POLICE, statutory=True
    )
    AreaMembership.objects.create(area=partnership.areas.get(), agency=police, kind="standing")
    approver = User.objects.create(
        username="dmr",
        agency=police,
        is_agency_rep=True,
        is_referral_approver=True,
        email="dmr@example.org",
    )
    # A working coordinator: the hub's queue shows the areas an active licence covers.
    coordinator = make_user("hub", agency=hub, is_hub_coordinator=True)
    return partnership, police, approver, coordinator


def test_lincolnshire_referrals_go_to_the_agency_approver_first(lincolnshire):
    partnership, police, approver, coordinator = lincolnshire
    client = verified_referrer()
    base = start_referral(client)
    complete_referral(client, base, partnership.areas.get(), agency_pk=police.pk)
    mail.outbox.clear()
    assert client.post(f"{base}check/").status_code == 302
    referral = Referral.objects.get(public_id=base.split("/")[3])
    assert referral.status == ReferralStatus.AWAITING_APPROVAL
    assert sorted(a for m in delivered_mail() for a in m.to) == [
        "dmr@example.org",
        "worker@example.org",
    ]
    # Not yet in the hub's queue.
    assert referral.reference not in client_for(coordinator).get("/hub/triage/").content.decode()
    approval = client_for(approver)
    assert referral.reference in approval.get("/approvals/").content.decode()
    response = approval.post(
        f"/approvals/{referral.public_id}/", {"decision": "approve", "note": ""}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SUBMITTED
    assert referral.approved_by == approver
    assert referral.reference in client_for(coordinator).get("/hub/triage/").content.decode()


def test_an_approver_can_return_a_referral_with_reasons_and_the_referrer_can_resend(lincolnshire):
    partnership, police, approver, _coordinator = lincolnshire
    client = verified_referrer()
    base = start_referral(client)
    complete_referral(client, base, partnership.areas.get(), agency_pk=police.pk)
    client.post(f"{base}check/")
    referral = Referral.objects.get(public_id=base.split("/")[3])
    response = client_for(approver).post(
        f"/approvals/{referral.public_id}/", {"decision": "return", "note": ""}
    )
    assert "Enter what the referrer needs to change" in response.content.decode()
    client_for(approver).post(
        f"/approvals/{referral.public_id}/",
        {"decision": "return", "note": "Add the children's school"},
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.RETURNED_BY_APPROVER
    assert "Add the children" in client.get(base).content.decode()
    assert client.post(f"{base}check/").status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_APPROVAL


def test_an_approver_of_another_agency_cannot_see_the_referral(lincolnshire):
    from openmarac.accounts.models import User
    from openmarac.agencies.models import Agency

    partnership, police, _approver, _coordinator = lincolnshire
    health = Agency.objects.create(partnership=partnership, name="Health", sector="health")
    other = User.objects.create(username="other", agency=health, is_referral_approver=True)
    client = verified_referrer()
    base = start_referral(client)
    complete_referral(client, base, partnership.areas.get(), agency_pk=police.pk)
    client.post(f"{base}check/")
    referral = Referral.objects.get(public_id=base.split("/")[3])
    assert client_for(other).get(f"/approvals/{referral.public_id}/").status_code == 404
    assert (
        client_for(other)
        .post(f"/approvals/{referral.public_id}/", {"decision": "approve"})
        .status_code
        == 404
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.AWAITING_APPROVAL


def test_the_incident_questions_name_the_areas_escalation_window(cast):
    client = verified_referrer()
    base = start_referral(client)
    client.post(f"{base}s/area/", {"area": str(cast.area_a.pk)})
    page = client.get(f"{base}s/incidents/").content.decode()
    assert "Number of domestic abuse incidents in the last 6 months" in page  # Kent: 6 months
