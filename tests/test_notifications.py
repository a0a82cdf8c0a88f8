"""The notice outbox: each notice recorded once, delivered once, and never lost."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from openmarac.notifications.models import Notice
from openmarac.notifications.services import notice_record, notices_deliver

pytestmark = pytest.mark.django_db


def record(recipient: str = "rep@example.org", instance: str = "case:1") -> Notice | None:
    return notice_record(
        event="test.event",
        instance=instance,
        recipient_email=recipient,
        subject="MARAC case NK-2026-000001",
        body="Reference: NK-2026-000001",
    )


def test_the_same_notice_for_the_same_recipient_is_recorded_once():
    assert record() is not None
    assert record() is None
    assert record(recipient="  REP@example.org ") is None  # the same address, written differently
    assert Notice.objects.count() == 1


def test_other_recipients_and_other_occasions_get_their_own_notice():
    record()
    record(recipient="other@example.org")
    record(instance="case:2")
    assert Notice.objects.count() == 3


def test_a_notice_without_an_address_is_not_recorded():
    assert record(recipient="") is None
    assert Notice.objects.count() == 0


def test_delivering_twice_sends_each_notice_once():
    record()
    record(recipient="other@example.org")
    assert notices_deliver() == 2
    assert notices_deliver() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["other@example.org", "rep@example.org"]
    assert Notice.objects.filter(sent_at__isnull=True).count() == 0


def test_each_message_carries_a_message_id_made_from_its_notice():
    notice = record()
    notices_deliver()
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<notice-{notice.key}@openmarac.invalid>"


def test_the_recipient_address_is_encrypted_and_the_key_reveals_nothing():
    from django.db import connection

    notice = record()
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient_email, key FROM notifications_notice")
        stored_address, key = cursor.fetchone()
    assert "rep@example.org" not in stored_address
    assert "rep" not in key
    assert notice.recipient_email == "rep@example.org"


@override_settings(EMAIL_BACKEND="tests.support.failing_backend.FailingBackend")
def test_a_failed_send_keeps_the_notice_and_retries_it_later():
    notice = record()
    with time_machine.travel(datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC), tick=False):
        assert notices_deliver() == 0
    notice.refresh_from_db()
    assert notice.sent_at is None
    assert notice.last_error == "ConnectionRefusedError"
    assert notice.attempts == 1
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        # Not before its back-off has passed…
        with time_machine.travel(
            datetime.datetime(2026, 11, 23, 9, 0, 30, tzinfo=datetime.UTC), tick=False
        ):
            assert notices_deliver() == 0
        # …then once.
        with time_machine.travel(
            datetime.datetime(2026, 11, 23, 9, 2, tzinfo=datetime.UTC), tick=False
        ):
            assert notices_deliver() == 1
            assert notices_deliver() == 0
    assert len(mail.outbox) == 1


def test_a_notice_claimed_by_a_live_sender_is_left_alone_until_its_claim_expires():
    notice = record()
    start = datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC)
    Notice.objects.filter(pk=notice.pk).update(
        claimed_until=start + datetime.timedelta(minutes=5), claimed_by="other-worker"
    )
    with time_machine.travel(start, tick=False):
        assert notices_deliver() == 0
    with time_machine.travel(start + datetime.timedelta(minutes=6), tick=False):
        assert notices_deliver() == 1
    assert len(mail.outbox) == 1
