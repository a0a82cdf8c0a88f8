"""A hub coordinator triages three referrals in a real browser: one accepted as a repeat after
linking its people to known ones, one returned as incomplete and completed by its referrer, one
declined. Every page is checked with axe."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.demo.partnership import load_demo
from openmarac.partnerships.models import Area
from openmarac.people.services import PersonDetails, person_create
from openmarac.referrals.models import Referral, ReferralStatus

from ..triage_helpers import submit_referral
from .conftest import navigate, open_url, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REFERRER = "triage-referrer@example.org"
VICTIM = ("Brwsvictim", "Triagetest")
PERPETRATOR = ("Brwsperp", "Triagetest")


def known_pair(area: Area) -> Case:
    """An earlier North Kent case of the same victim and perpetrator, referred a month ago."""
    people = [
        person_create(
            partnership=area.partnership,
            details=PersonDetails(
                forenames=forenames,
                surname=surname,
                birth_year="1992",
                address_lines="2 Example Road\nThistlebrook",
                postcode="ZZ9 9ZZ",
            ),
        )
        for forenames, surname in (VICTIM, PERPETRATOR)
    ]
    case = Case.objects.create(
        partnership=area.partnership,
        area=area,
        reference="NK-2026-B0001",
        last_referred_at=timezone.now() - datetime.timedelta(days=30),
    )
    CaseParticipant.objects.create(case=case, person=people[0], role=ParticipantRole.VICTIM)
    CaseParticipant.objects.create(case=case, person=people[1], role=ParticipantRole.PERPETRATOR)
    return case


def open_from_queue(page: Page, reference: str) -> None:
    menu = page.get_by_role("navigation", name="Main menu")
    navigate(page, menu.get_by_role("link", name="Triage queue").click)
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=reference, exact=True))
    expect(row).to_have_count(1)
    expect(row.locator("[data-sla]")).to_contain_text("working hour")
    navigate(page, row.get_by_role("link", name=reference, exact=True).click)
    expect(page.get_by_role("heading", name=f"Referral {reference}", level=1)).to_be_visible()


def test_a_coordinator_triages_three_referrals(live_server: Any, page: Page) -> None:
    load_demo()
    base = live_server.url
    north_kent = Area.objects.get(code="NK")
    earlier = known_pair(north_kent)
    repeat = submit_referral(north_kent, victim=VICTIM, perpetrators=(PERPETRATOR,), email=REFERRER)
    incomplete = submit_referral(north_kent, victim=("Brwsother", "Incompletetest"), email=REFERRER)
    declined = submit_referral(north_kent, victim=("Brwsthird", "Declinetest"), email=REFERRER)

    sign_in(page, base, "coordinator")

    # 1. Link both people to the known ones, then accept: a repeat of the earlier case.
    open_from_queue(page, repeat.reference)
    for forenames, surname in (VICTIM, PERPETRATOR):
        name = f"{forenames} {surname}"
        link = page.get_by_role("button", name=re.compile(rf"^Link {name} to {name}\b"))
        expect(link.first).to_be_visible()
        navigate(page, link.first.click)
        expect(page.get_by_text("Linked to the known person")).to_be_visible()
    expect(page.locator("#repeat-finding")).to_contain_text(earlier.reference)
    navigate(page, page.get_by_role("button", name="Accept", exact=True).click)
    expect(page.get_by_role("heading", name="Accept the referral", level=1)).to_be_visible()
    navigate(page, page.get_by_role("button", name="Accept referral").click)
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reason for accepting the referral"
    )
    page.get_by_label("Reason for accepting", exact=True).fill("Further incident of violence")
    navigate(page, page.get_by_role("button", name="Accept referral").click)
    expect(page.get_by_role("heading", name="Triage queue", level=1)).to_be_visible()
    expect(page.get_by_text(f"accepted as a repeat on case {earlier.reference}")).to_be_visible()
    repeat.refresh_from_db()
    assert repeat.status == ReferralStatus.ACCEPTED
    assert repeat.is_repeat
    assert repeat.case_id == earlier.pk

    # 2. Return the second as incomplete.
    open_from_queue(page, incomplete.reference)
    navigate(page, page.get_by_role("button", name="Return as incomplete").click)
    page.get_by_label("What is missing?", exact=True).fill("The safety plan needs more detail")
    sent_before = len(mail.outbox)
    navigate(page, page.get_by_role("button", name="Return referral").click)
    expect(
        page.get_by_text(f"Referral {incomplete.reference} returned to the referrer")
    ).to_be_visible()

    # 3. Decline the third.
    open_from_queue(page, declined.reference)
    navigate(page, page.get_by_role("button", name="Decline", exact=True).click)
    page.get_by_label("Out of area", exact=True).check()
    page.get_by_label("Explanation for the referrer", exact=True).fill(
        "The victim lives outside Kent and Medway: refer to the local MARAC."
    )
    navigate(page, page.get_by_role("button", name="Decline referral").click)
    expect(page.get_by_text(f"Referral {declined.reference} declined")).to_be_visible()
    navigate(page, page.get_by_role("button", name="Sign out").click)

    # The referrer follows the secure link, proves their address and completes the referral.
    returned_mail = [
        m
        for m in mail.outbox[sent_before:]
        if m.to == [REFERRER] and "more information" in m.subject
    ]
    assert len(returned_mail) == 1
    assert "safety plan" not in returned_mail[0].body
    link = re.search(r"https?://\S+", returned_mail[0].body).group(0)
    path = "/" + link.split("/", 3)[3]
    page.goto(f"{base}{path}", wait_until="load")
    expect(
        page.get_by_role("heading", name="Confirm your work email address", level=1)
    ).to_be_visible()
    page.get_by_label("Your work email address", exact=True).fill(REFERRER)
    before_code = len(mail.outbox)
    navigate(page, page.get_by_role("button", name="Send code").click)
    code = re.search(r"\b(\d{6})\b", mail.outbox[before_code].body).group(1)
    page.get_by_label("Enter the code", exact=True).fill(code)
    navigate(page, page.get_by_role("button", name="Continue").click)
    expect(page.get_by_role("heading", name="Returned by the MARAC hub")).to_be_visible()
    expect(page.get_by_text("The safety plan needs more detail")).to_be_visible()
    navigate(page, page.get_by_role("button", name="Check your answers").click)
    navigate(page, page.get_by_role("button", name="Send referral").click)
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text(incomplete.reference)
    incomplete.refresh_from_db()
    assert incomplete.status == ReferralStatus.SUBMITTED
    navigate(page, page.get_by_role("button", name="Sign out").click)

    # Back in the hub's queue; the declined referral's reason went to the referrer.
    sign_in(page, base, "coordinator")
    open_from_queue(page, incomplete.reference)
    open_url(page, f"{base}/hub/triage/")
    decided = page.locator("ul.govuk-list").filter(has_text=declined.reference)
    expect(decided).to_contain_text("Declined")
    assert Referral.objects.get(pk=declined.pk).status == ReferralStatus.DECLINED
    decline_mail = [m for m in mail.outbox if m.to == [REFERRER] and "declined" in m.subject]
    assert len(decline_mail) == 1
    assert "Out of area" in decline_mail[0].body
    assert "outside Kent" not in decline_mail[0].body
