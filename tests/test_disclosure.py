"""Subject access requests (clock, identity, gathering through merges, redaction, the perpetrator
rule, the pack) and court orders (the chair's objection, other agencies' information, the bundle)."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from openmarac.accounts.models import User
from openmarac.audit.models import AuditEvent
from openmarac.cases.models import Case, ParticipantRole
from openmarac.disclosure import court, subject_access
from openmarac.disclosure.errors import DisclosureError
from openmarac.disclosure.models import (
    CourtOrderStatus,
    Decision,
    ItemKind,
    Reason,
    SarItem,
    SubjectAccessRequest,
)
from openmarac.notifications.models import Notice
from openmarac.people.models import Person
from openmarac.people.services import person_merge
from openmarac.retention import decisions
from openmarac.retention.models import CaseRetention
from openmarac.retention.services import retention_archive_due, retention_mark_due

from .conftest import TEST_NOW, client_for
from .retention_helpers import closed_case, fill

pytestmark = pytest.mark.django_db

D = datetime.date
PEOPLE = {
    "victim": (ParticipantRole.VICTIM, "Marisol", "Quennell", D(1989, 5, 17)),
    "perpetrator": (ParticipantRole.PERPETRATOR, "Lucan", "Threlkeld", D(1986, 1, 9)),
}


@pytest.fixture
def held(cast):
    """A North Kent case with a row of every kind, naming Marisol (victim) and Lucan."""
    users = {u.username: u for u in User.objects.all()}
    case, people = closed_case(
        cast.area_a,
        "NK-2025-SAR01",
        closed_at=datetime.datetime(2026, 6, 1, 12, tzinfo=datetime.UTC),
        people=PEOPLE,
    )
    Case.objects.filter(pk=case.pk).update(status="open", closed_at=None)
    phrases = fill(case, users=users, agency=cast.police_rep.agency, other=cast.case_b)
    case.refresh_from_db()
    case.people = people
    case.phrases = phrases
    return case


def logged(cast, **kwargs) -> SubjectAccessRequest:
    sar = subject_access.sar_log(
        partnership=cast.partnership,
        requester_name=kwargs.get("name", "Marisol Quennell"),
        reply_to="c/o Example IDVA Service",
        made_by="subject",
        received_on=kwargs.get("received_on", D(2026, 11, 20)),
        actor=cast.coordinator,
    )
    return sar


def checked(cast, sar) -> SubjectAccessRequest:
    return subject_access.sar_identity_check(
        sar=sar, method="documents", note="Passport and council tax bill", actor=cast.coordinator
    )


def text_of(pdf: bytes) -> str:
    """The PDF's words, with the line breaks of wrapped table cells made spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


# --- The clock and the identity check ----------------------------------------------------------


def test_a_request_is_due_in_a_month_and_extendable_once_to_three(cast):
    sar = logged(cast, received_on=D(2026, 10, 31))
    assert sar.due_on == D(2026, 11, 30)  # a month from the 31st ends on the month's last day
    assert sar.reference.startswith("SAR-2026-")
    with pytest.raises(DisclosureError, match="at the latest"):
        subject_access.sar_extend(
            sar=sar, to=D(2027, 2, 1), reason="Complex", actor=cast.coordinator
        )
    with pytest.raises(DisclosureError, match="why"):
        subject_access.sar_extend(sar=sar, to=D(2027, 1, 31), reason=" ", actor=cast.coordinator)
    sar = subject_access.sar_extend(
        sar=sar, to=D(2027, 1, 31), reason="Several agencies to consult", actor=cast.coordinator
    )
    assert sar.deadline == D(2027, 1, 31)
    event = AuditEvent.objects.get(action="sar.extend")
    assert event.detail == {"to": "2027-01-31"}


def test_nothing_is_gathered_before_the_requesters_identity_is_checked(cast, held):
    sar = logged(cast)
    with pytest.raises(DisclosureError, match="identity"):
        subject_access.sar_gather(sar=sar, subject=held.people["victim"], actor=cast.coordinator)
    assert not SarItem.objects.exists()


def test_the_clock_is_shown_and_turns_overdue(cast):
    sar = logged(cast, received_on=D(2026, 10, 1))
    hub = client_for(cast.coordinator)
    page = hub.get(reverse("disclosure:sar", args=[sar.public_id])).content.decode()
    assert "Overdue" in page
    assert "1 November 2026, 22 days ago" in page
    with time_machine.travel(datetime.datetime(2026, 10, 20, 12, tzinfo=datetime.UTC)):
        page = hub.get(reverse("disclosure:sar", args=[sar.public_id])).content.decode()
    assert "12 days left" in page


# --- Gathering -------------------------------------------------------------------------------


def test_gathering_finds_everything_about_the_victim_through_merges(cast, held):
    victim = held.people["victim"]
    spelt_otherwise = Person.objects.create(
        partnership=cast.partnership, forenames="Marisole", surname="Quenell"
    )
    person_merge(kept=victim, merged=spelt_otherwise, actor=cast.coordinator, reason="Same")
    sar = subject_access.sar_gather(
        sar=checked(cast, logged(cast)), subject=spelt_otherwise, actor=cast.coordinator
    )
    items = {item.kind: item for item in sar.items.all()}
    assert sar.subject == spelt_otherwise
    assert not sar.subject_is_alleged_perpetrator
    names = [i.text for i in sar.items.filter(kind=ItemKind.DETAILS)]
    assert any("Marisole Quenell" in t for t in names)  # the merged record is gathered too
    assert any("Marisol Quennell" in t for t in names)
    expected = {
        ItemKind.DETAILS: Decision.DISCLOSE,
        ItemKind.ADDRESS: Decision.DISCLOSE,
        ItemKind.CASE_ROLE: Decision.DISCLOSE,
        ItemKind.REFERRAL: Decision.REFER,
        ItemKind.RESEARCH: Decision.REFER,
        ItemKind.MINUTES: Decision.REDACT,
        ItemKind.SHARED: Decision.REFER,
        ItemKind.ACTION: Decision.REFER,
        ItemKind.UPDATE: Decision.REFER,
        ItemKind.ALERT: Decision.REDACT,
    }
    assert {kind: item.decision for kind, item in items.items()} == expected
    assert items[ItemKind.RESEARCH].supplied_by == cast.police_rep.agency
    assert held.phrases[0] in items[ItemKind.MINUTES].text
    # Gathering again keeps decisions and adds nothing twice.
    subject_access.sar_item_decide(
        item=items[ItemKind.ACTION], decision="withhold", reason="crime", actor=cast.coordinator
    )
    count = sar.items.count()
    subject_access.sar_gather(sar=sar, subject=victim, actor=cast.coordinator)
    assert sar.items.count() == count
    assert sar.items.get(kind=ItemKind.ACTION).decision == Decision.WITHHOLD


def test_an_alleged_perpetrator_is_given_nothing_that_identifies_the_referral(cast, held):
    sar = subject_access.sar_gather(
        sar=checked(cast, logged(cast, name="Lucan Threlkeld")),
        subject=held.people["perpetrator"],
        actor=cast.coordinator,
    )
    assert sar.subject_is_alleged_perpetrator
    others = sar.items.exclude(kind=ItemKind.DETAILS)
    assert others.exists()
    assert set(others.values_list("decision", "reason", "locked")) == {
        (Decision.WITHHOLD, Reason.PERPETRATOR, True)
    }
    referral = sar.items.get(kind=ItemKind.REFERRAL)
    with pytest.raises(DisclosureError, match="alleged perpetrator"):
        subject_access.sar_item_decide(
            item=referral, decision="disclose", reason="", actor=cast.coordinator
        )
    # Their own identity details may be disclosed, at the hub's choice.
    details = sar.items.get(kind=ItemKind.DETAILS)
    subject_access.sar_item_decide(
        item=details, decision="disclose", reason="", actor=cast.coordinator
    )
    pdf = client_for(cast.coordinator).get(reverse("disclosure:sar_pack", args=[sar.public_id]))
    text = text_of(pdf.content)
    assert "Lucan Threlkeld" in text
    for secret in ("Marisol", "Quennell", "refuge", "Referral R-", "Lane", held.reference):
        assert secret not in text
    assert "Information withheld to protect the safety of others" in text


def test_the_pack_holds_what_was_disclosed_and_a_log_of_the_rest(cast, held):
    sar = subject_access.sar_gather(
        sar=checked(cast, logged(cast)), subject=held.people["victim"], actor=cast.coordinator
    )
    minutes = sar.items.get(kind=ItemKind.MINUTES)
    subject_access.sar_item_decide(
        item=minutes,
        decision="redact",
        reason="third_party",
        disclosed_text="The meeting discussed your safety. [Other people's information removed]",
        actor=cast.coordinator,
    )
    with pytest.raises(DisclosureError, match="text to disclose"):
        subject_access.sar_item_decide(
            item=sar.items.get(kind=ItemKind.ALERT),
            decision="redact",
            reason="third_party",
            actor=cast.coordinator,
        )
    response = client_for(cast.coordinator).get(
        reverse("disclosure:sar_pack", args=[sar.public_id])
    )
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = text_of(response.content)
    assert "Marisol Quennell" in text
    assert "The meeting discussed your safety" in text
    assert held.phrases[1] not in text  # the minutes' own words were redacted
    assert "Referred to Example Constabulary" in text
    assert "OFFICIAL-SENSITIVE" in text
    event = AuditEvent.objects.get(action="sar.pack_download")
    assert event.detail["disclosed"] >= 4


def test_the_pack_needs_a_fresh_second_factor(cast, held):
    from openmarac.accounts.services import MFA_AT

    sar = subject_access.sar_gather(
        sar=checked(cast, logged(cast)), subject=held.people["victim"], actor=cast.coordinator
    )
    hub = client_for(cast.coordinator)
    session = hub.session
    session[MFA_AT] = 0
    session.save()
    response = hub.get(reverse("disclosure:sar_pack", args=[sar.public_id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:confirm"))


# --- Court orders ----------------------------------------------------------------------------


def recorded(cast, held):
    return court.court_order_record(
        case=held,
        court="Family Court at Exampleton",
        court_case_number="EX26F00123",
        ordered="The MARAC minutes about the child arrangements",
        deadline=D(2026, 12, 18),
        received_on=D(2026, 11, 23),
        chair=cast.chair,
        actor=cast.coordinator,
    )


def test_a_court_order_asks_the_chair_who_has_five_working_days_to_object(cast, held):
    order = recorded(cast, held)
    assert order.objection_due_on == D(2026, 11, 30)
    notice = Notice.objects.get(event="court_order.chair")
    assert held.reference in notice.subject
    assert "Marisol" not in notice.body
    with pytest.raises(DisclosureError, match="until 30 November"):
        court.court_order_proceed(order=order, actor=cast.coordinator, note="Time passed")
    with pytest.raises(DisclosureError, match="chair asked"):
        court.court_order_respond(order=order, actor=cast.coordinator, objects=False, reason="")
    order = court.court_order_respond(
        order=order, actor=cast.chair, objects=True, reason="It would reveal the refuge"
    )
    assert order.status == CourtOrderStatus.OBJECTED
    order = court.court_order_proceed(
        order=order, actor=cast.coordinator, note="The court ordered disclosure on 2 December"
    )
    assert order.status == CourtOrderStatus.PREPARING


def test_the_chairs_silence_lets_the_bundle_be_prepared_after_the_deadline(cast, held):
    order = recorded(cast, held)
    with time_machine.travel(datetime.datetime(2026, 12, 1, 10, tzinfo=datetime.UTC)):
        order = court.court_order_proceed(
            order=order, actor=cast.coordinator, note="No objection received in time"
        )
    assert order.status == CourtOrderStatus.PREPARING


def test_other_agencies_information_is_referred_to_them_unless_they_consented(cast, held):
    order = recorded(cast, held)
    minutes = order.items.get(kind=ItemKind.MINUTES)
    shared = order.items.get(kind=ItemKind.SHARED)
    assert (minutes.decision, minutes.supplied_by) == (Decision.DISCLOSE, None)
    assert (shared.decision, shared.supplied_by) == (Decision.REFER, cast.police_rep.agency)
    with pytest.raises(DisclosureError, match="consented"):
        court.court_item_decide(item=shared, decision="disclose", reason="", actor=cast.coordinator)
    research = order.items.get(kind=ItemKind.RESEARCH)
    court.court_item_decide(
        item=research,
        decision="disclose",
        reason="consent",
        note="Police consented by e-mail",
        actor=cast.coordinator,
    )
    court.court_order_respond(order=order, actor=cast.chair, objects=False, reason="")
    response = client_for(cast.coordinator).get(
        reverse("disclosure:court_bundle", args=[order.public_id])
    )
    text = text_of(response.content)
    assert "Disclosed to Family Court at Exampleton in case EX26F00123" in text
    assert held.phrases[0] in text  # the minutes and the research consented to
    assert "Referred to Example Constabulary" in text
    assert "may be neither full nor entirely reliable" in text
    assert "Disclosed under court order EX26F00123" in text
    order.refresh_from_db()
    assert order.status == CourtOrderStatus.DISCLOSED
    event = AuditEvent.objects.get(action="court_order.bundle")
    assert event.detail["first"] is True
    assert event.detail["referred"] >= 1


def test_no_bundle_while_the_chair_may_still_object(cast, held):
    order = recorded(cast, held)
    response = client_for(cast.coordinator).get(
        reverse("disclosure:court_bundle", args=[order.public_id])
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == CourtOrderStatus.AWAITING_CHAIR


# --- Disposal reaches disclosure's copies ---------------------------------------------------


def test_disposal_destroys_the_copies_and_unlinks_the_request(cast, held):
    sar = subject_access.sar_gather(
        sar=checked(cast, logged(cast)), subject=held.people["victim"], actor=cast.coordinator
    )
    recorded(cast, held)
    from openmarac.partnerships.models import RetentionGroup

    RetentionGroup.objects.filter(area=cast.area_a).update(is_default=False)
    RetentionGroup.objects.filter(area=cast.area_a, code="3").update(is_default=True)
    Case.objects.filter(pk=held.pk).update(
        status="closed",
        closed_at=datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC),
        open_until=D(2015, 1, 1),
        last_referred_at=datetime.datetime(2014, 1, 1, tzinfo=datetime.UTC),
    )
    retention_archive_due(now=TEST_NOW)
    retention_mark_due(now=TEST_NOW)
    retention = decisions.retention_recommend(
        retention=CaseRetention.objects.get(case=held), actor=cast.coordinator
    )
    certificate = decisions.case_dispose(
        retention=retention, actor=User.objects.get(username="manager")
    )
    sar.refresh_from_db()
    assert sar.subject is None  # the request stays, no longer pointing at a destroyed person
    assert not SarItem.objects.filter(request=sar, case__isnull=False).exists()
    assert certificate.counts["court orders"] == 1
    assert certificate.counts["court items"] >= 5


def test_an_answered_request_is_purged_after_two_years_and_an_open_one_never(cast, held):
    from openmarac.retention.purge import sars_purge

    answered = subject_access.sar_gather(
        sar=checked(cast, logged(cast)), subject=held.people["victim"], actor=cast.coordinator
    )
    subject_access.sar_complete(sar=answered, actor=cast.coordinator)
    still_open = logged(cast)
    later = TEST_NOW + datetime.timedelta(days=731)
    assert sars_purge(now=TEST_NOW + datetime.timedelta(days=700)) == 0
    assert sars_purge(now=later) == 1
    assert list(SubjectAccessRequest.objects.all()) == [still_open]
    assert not SarItem.objects.exists()
