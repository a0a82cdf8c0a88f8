"""Archiving closed cases, finding them in the hub's archive, re-opening one when the same people
are referred again (Lincolnshire 002 §22), and the daily purge of drafts, codes and records."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.test import override_settings
from django.urls import reverse

from openmarac.accounts.models import EmailCode, UserSession
from openmarac.audit.models import AuditEvent
from openmarac.cases.models import Case, CaseLink, CaseStatus, ParticipantRole
from openmarac.cases.selectors import cases_visible_to
from openmarac.meetings.models import Listing, ListingReason
from openmarac.notifications.models import Notice
from openmarac.notifications.services import notice_record
from openmarac.referrals.models import EmailVerification, Referral, ReferralStatus
from openmarac.referrals.selectors import email_index
from openmarac.retention import purge
from openmarac.retention.models import CaseRetention
from openmarac.retention.services import retention_archive_due
from openmarac.triage.services.acceptance import referral_accept

from .conftest import TEST_NOW, client_for
from .retention_helpers import closed_case
from .triage_helpers import person, resolve, submit_referral

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _pair_case(cast, reference="NK-2023-ARC01", closed=at(D(2024, 3, 1))):
    victim = person(cast.area_a, "Archivevictim", "Pairtest")
    perp = person(cast.area_a, "Archiveperp", "Pairtest")
    case, _ = closed_case(
        cast.area_a,
        reference,
        closed_at=closed,
        people={
            "victim": (ParticipantRole.VICTIM, "", "", None),
            "perpetrator": (ParticipantRole.PERPETRATOR, "", "", None),
        },
        existing={"victim": victim, "perpetrator": perp},
    )
    return case, victim, perp


def test_a_closed_case_is_archived_after_its_flag_period_and_the_areas_delay(cast):
    case, *_ = _pair_case(cast, closed=at(D(2026, 11, 1)))
    Case.objects.filter(pk=case.pk).update(open_until=D(2026, 11, 10))
    cast.area_a.policy.archive_after_days = 14
    cast.area_a.policy.save()
    with time_machine.travel(at(D(2026, 11, 23)), tick=False):
        assert retention_archive_due(now=at(D(2026, 11, 23))) == 0  # flags ended 13 days ago
    with time_machine.travel(at(D(2026, 11, 24)), tick=False):
        assert retention_archive_due(now=at(D(2026, 11, 24))) == 1
        assert retention_archive_due(now=at(D(2026, 11, 24))) == 0  # idempotent
    case.refresh_from_db()
    assert case.archived_at is not None
    assert CaseRetention.objects.filter(case=case).exists()
    assert AuditEvent.objects.filter(action="case.archive", object_id=str(case.pk)).count() == 1


def test_an_archived_case_is_out_of_every_list_and_found_only_in_the_hubs_archive(cast):
    case, *_ = _pair_case(cast)
    retention_archive_due(now=TEST_NOW)
    case.refresh_from_db()
    assert case.archived_at is not None
    hub = client_for(cast.coordinator)
    assert case.reference not in hub.get(reverse("cases:list")).content.decode()
    assert hub.get(reverse("caserecord:record", args=[case.reference])).status_code == 404
    for user in (cast.coordinator, cast.chair, cast.police_rep):
        assert not cases_visible_to(user).filter(pk=case.pk).exists()

    found = hub.get(reverse("retention:archive"), {"q": case.reference.lower()})
    assert case.reference in found.content.decode()
    by_name = hub.get(reverse("retention:archive"), {"q": "Archivevictim Pairtest"})
    assert case.reference in by_name.content.decode()
    assert "Archivevictim" not in str(
        AuditEvent.objects.filter(action="retention.archive_search").values()
    )
    page = hub.get(reverse("retention:archived_case", args=[case.reference])).content.decode()
    assert "Archivevictim Pairtest" in page  # the hub reads it, read-only
    assert "<form" not in page.split('id="main-content"')[1].split("</main>")[0]
    # The chair follows the area's business but not the archive.
    assert client_for(cast.chair).get(reverse("retention:archive")).status_code == 404


def _accept(cast, referral, victim, perp):
    links = {(ParticipantRole.VICTIM, 0): victim}
    if perp is not None:
        links[(ParticipantRole.PERPETRATOR, 0)] = perp
    resolve(referral, cast.coordinator, links)
    return referral_accept(referral=referral, actor=cast.coordinator, reason="Criteria met")


def test_a_referral_naming_the_same_pair_reopens_the_archived_case(cast):
    case, victim, perp = _pair_case(cast)
    retention_archive_due(now=TEST_NOW)
    referral = submit_referral(cast.area_a)
    links = {(ParticipantRole.VICTIM, 0): victim, (ParticipantRole.PERPETRATOR, 0): perp}
    resolve(referral, cast.coordinator, links)
    page = client_for(cast.coordinator).get(reverse("triage:accept", args=[referral.public_id]))
    assert f"archived case {case.reference}" in page.content.decode()
    result = referral_accept(referral=referral, actor=cast.coordinator, reason="Criteria met")
    case.refresh_from_db()
    assert result.case == case
    assert case.archived_at is None
    assert case.status == CaseStatus.OPEN
    assert not result.assessment.is_repeat  # processed as a new referral (002 §22)
    assert Listing.objects.get(case=case).reason == ListingReason.NEW
    assert cases_visible_to(cast.coordinator).filter(pk=case.pk).exists()
    assert not CaseLink.objects.exists()
    assert AuditEvent.objects.filter(action="case.unarchive", object_id=str(case.pk)).exists()
    # Closed and archived again later, it is scheduled afresh.
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSED, closed_at=at(D(2027, 1, 1)), open_until=D(2027, 1, 1)
    )
    with time_machine.travel(at(D(2027, 3, 1)), tick=False):
        assert retention_archive_due(now=at(D(2027, 3, 1))) == 1


def test_a_referral_naming_only_one_of_them_opens_a_new_case_linked_to_the_archived_one(cast):
    case, victim, _perp = _pair_case(cast)
    retention_archive_due(now=TEST_NOW)
    referral = submit_referral(cast.area_a, perpetrators=(("Someone", "Else"),))
    result = _accept(cast, referral, victim, None)
    case.refresh_from_db()
    assert result.case != case
    assert case.archived_at is not None  # left archived
    (link,) = CaseLink.objects.all()
    assert (link.case, link.related_case, link.kind) == (result.case, case, "victim")


# --- The daily purge ---------------------------------------------------------------------------


def _draft(cast, touched: datetime.datetime, status=ReferralStatus.DRAFT) -> Referral:
    referral = Referral.objects.create(
        partnership=cast.partnership,
        area=cast.area_a,
        status=status,
        referrer_email="drafter@example.org",
        referrer_email_index=email_index("drafter@example.org"),
        answers={"victim": {"forenames": "Draftina", "surname": "Unsent"}},
    )
    Referral.objects.filter(pk=referral.pk).update(updated_at=touched)
    return referral


def test_drafts_untouched_for_30_days_are_purged_and_newer_ones_kept(cast):
    old = _draft(cast, TEST_NOW - datetime.timedelta(days=31))
    returned = _draft(
        cast, TEST_NOW - datetime.timedelta(days=45), status=ReferralStatus.RETURNED_BY_APPROVER
    )
    recent = _draft(cast, TEST_NOW - datetime.timedelta(days=29))
    submitted = Referral.objects.filter(status=ReferralStatus.SUBMITTED).first()
    Referral.objects.filter(pk=submitted.pk).update(
        updated_at=TEST_NOW - datetime.timedelta(days=90)
    )
    assert purge.drafts_purge(now=TEST_NOW) == 2
    assert not Referral.objects.filter(pk__in=[old.pk, returned.pk]).exists()
    assert Referral.objects.filter(pk__in=[recent.pk, submitted.pk]).count() == 2
    event = AuditEvent.objects.get(action="retention.purge_drafts")
    assert event.detail == {"drafts": 2, "older_than_days": 30}


@override_settings(PURGE_DRAFT_DAYS=7)
def test_the_draft_period_is_a_setting(cast):
    _draft(cast, TEST_NOW - datetime.timedelta(days=8))
    assert purge.drafts_purge(now=TEST_NOW) == 1


def test_codes_sessions_notices_and_sign_in_records_go_after_their_own_settings(cast):
    EmailVerification.objects.create(
        email_index="x",
        code_hash="y",
        created_at=TEST_NOW - datetime.timedelta(days=31),
        expires_at=TEST_NOW - datetime.timedelta(days=31),
    )
    kept_code = EmailVerification.objects.create(
        email_index="x", code_hash="z", created_at=TEST_NOW, expires_at=TEST_NOW
    )
    store = SessionStore()
    store["pending_referrer_email"] = "someone@example.org"
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=TEST_NOW - datetime.timedelta(minutes=1)
    )
    assert purge.unverified_purge(now=TEST_NOW) == 2
    assert list(EmailVerification.objects.all()) == [kept_code]
    assert not Session.objects.filter(session_key=store.session_key).exists()

    sent = notice_record(
        event="x", instance="old", recipient_email="a@example.org", subject="s", body="b"
    )
    Notice.objects.filter(pk=sent.pk).update(sent_at=TEST_NOW - datetime.timedelta(days=181))
    fresh = notice_record(
        event="x", instance="new", recipient_email="a@example.org", subject="s", body="b"
    )
    Notice.objects.filter(pk=fresh.pk).update(sent_at=TEST_NOW - datetime.timedelta(days=10))
    assert purge.notices_purge(now=TEST_NOW) == 1
    assert list(Notice.objects.filter(pk__in=[sent.pk, fresh.pk])) == [fresh]

    ended = UserSession.objects.create(
        user=cast.police_rep,
        session_key="old-session",
        ended_at=TEST_NOW - datetime.timedelta(days=366),
    )
    live = UserSession.objects.create(user=cast.police_rep, session_key="live-session")
    EmailCode.objects.create(
        user=cast.police_rep, code_hash="h", expires_at=TEST_NOW - datetime.timedelta(days=400)
    )
    assert purge.sign_in_records_purge(now=TEST_NOW) == 2
    assert not UserSession.objects.filter(pk=ended.pk).exists()
    assert UserSession.objects.filter(pk=live.pk).exists()
