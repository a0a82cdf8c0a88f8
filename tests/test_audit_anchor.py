"""The audit chain's head is anchored outside the database, so a log cut short is found.

The chain alone shows any entry changed or removed before the newest, but a log whose newest
entries were deleted is still a valid chain. The worker logs the head at every sweep and e-mails a
signed anchor once a day; ``verify_audit --anchor`` checks the log against one.
"""

from __future__ import annotations

import datetime
import logging
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.test import override_settings

from openmarac.audit.anchor import Anchor, anchor_parse, anchor_sign, chain_head
from openmarac.audit.models import AuditEvent
from openmarac.audit.services import GENESIS, audit_record, entry_digest
from openmarac.audit.sweeps import anchor_chain_head
from openmarac.jobs.services import run_sweep
from openmarac.notifications.models import Notice
from openmarac.partnerships.models import Partnership

from .test_audit_trust import _tamper

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# A summer evening: 23:30 UTC is already the next day in London (BST), which the anchor follows.
EVENING = datetime.datetime(2026, 7, 1, 21, 0, tzinfo=UTC)
SIGNED = re.compile(r"^audit-anchor-v1\.\S+$", re.MULTILINE)


def write_entries(count: int, *, start: int = 0) -> list[AuditEvent]:
    """Entries written by the test itself, each with an object reference and nothing personal."""
    return [
        audit_record(
            action="case.view",
            object_type="cases.case",
            object_id=str(4200 + start + index),
            detail={"case": 4200 + start + index},
        )
        for index in range(count)
    ]


def delete_newest(count: int) -> None:
    """Remove the newest entries as someone with database access would, past the trigger."""
    newest = list(AuditEvent.objects.order_by("-id").values_list("id", flat=True)[:count])
    _tamper("DELETE FROM audit_auditevent WHERE id >= %s", [min(newest)])


def partnerships() -> tuple[Partnership, Partnership]:
    with_contact = Partnership.objects.create(
        name="Kent and Medway",
        hub_email="hub@kent.example.org",
        security_contact_email="security@kent.example.org",
    )
    hub_only = Partnership.objects.create(name="Gwent", hub_email="hub@gwent.example.org")
    return with_contact, hub_only


def signed_anchor_now() -> str:
    head = chain_head()
    assert head is not None
    return anchor_sign(head)


@time_machine.travel(EVENING, tick=False)
def test_deleting_the_newest_entries_is_found_only_with_an_anchor(capsys):
    write_entries(10)
    signed = signed_anchor_now()
    digest = AuditEvent.objects.order_by("-id").first().entry_hash
    delete_newest(3)
    assert AuditEvent.objects.count() == 7

    # Without an anchor the shortened log is still a perfect chain.
    call_command("verify_audit")
    assert "Audit chain intact: 7 entries." in capsys.readouterr().out

    for anchor in (signed, digest):
        with pytest.raises(CommandError, match="no longer in the audit log: the log was cut short"):
            call_command("verify_audit", anchor=anchor)
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "verify_audit", "--anchor", signed]).execute()
    assert exit_info.value.code == 1


@time_machine.travel(EVENING, tick=False)
def test_deleting_the_anchored_entry_and_those_before_it_is_found():
    write_entries(6)
    anchored = chain_head()
    assert anchored is not None
    write_entries(4, start=6)
    # Everything up to and including the anchored entry goes; the later entries are re-linked
    # to the start of the chain, so the chain alone is intact again.
    _tamper("DELETE FROM audit_auditevent WHERE id <= %s", [anchored.event_id])
    survivors = list(AuditEvent.objects.order_by("id"))
    previous = GENESIS
    for event in survivors:
        event.previous_hash = previous
        event.entry_hash = entry_digest(event)
        _tamper(
            "UPDATE audit_auditevent SET previous_hash = %s, entry_hash = %s WHERE id = %s",
            [event.previous_hash, event.entry_hash, event.pk],
        )
        previous = event.entry_hash
    call_command("verify_audit")
    with pytest.raises(
        CommandError, match=rf"event {anchored.event_id} \(digest \w+…\) is no longer in"
    ):
        call_command("verify_audit", anchor=anchor_sign(anchored))


@time_machine.travel(EVENING, tick=False)
def test_a_valid_anchor_holds_and_later_entries_are_checked_by_the_chain(capsys):
    write_entries(5)
    signed = signed_anchor_now()
    write_entries(3, start=5)
    call_command("verify_audit", anchor=signed)
    out = capsys.readouterr().out
    assert "The anchor holds: event" in out
    assert "with 5 entries up to it, anchored at 2026-07-01 21:00:00 UTC, signature valid" in out
    assert "3 entries written since" in out

    later = AuditEvent.objects.order_by("-id").first()
    _tamper("UPDATE audit_auditevent SET outcome = %s WHERE id = %s", ["denied", later.pk])
    with pytest.raises(CommandError, match=f"chain is broken at event {later.pk}: its contents"):
        call_command("verify_audit", anchor=signed)


@time_machine.travel(EVENING, tick=False)
def test_a_forged_or_altered_anchor_is_refused():
    write_entries(5)
    head = chain_head()
    assert head is not None
    signed = anchor_sign(head)
    value, signature = signed.rsplit(":", 1)

    # The count changed, the signature kept.
    altered = value.replace(f".{head.count}.", f".{head.count - 2}.", 1) + ":" + signature
    # An anchor signed under another key, as someone without the installation's secret could.
    with override_settings(SECRET_KEY="someone-else's-key-" + "x" * 40):
        forged = anchor_sign(Anchor(digest="f" * 64, event_id=3, count=3, at=head.at))
    for refused in (altered, forged, value, value + ":"):
        with pytest.raises(CommandError, match="Anchor refused: The anchor's signature does not"):
            call_command("verify_audit", anchor=refused)
    with pytest.raises(CommandError, match="Anchor refused: Not an audit anchor"):
        call_command("verify_audit", anchor="not-an-anchor")
    assert anchor_parse(signed) == head


@time_machine.travel(EVENING, tick=False)
def test_an_anchor_whose_count_does_not_match_the_log_fails():
    write_entries(5)
    head = chain_head()
    assert head is not None
    assert head.count == 5
    wrong = Anchor(digest=head.digest, event_id=head.event_id, count=6, at=head.at)
    with pytest.raises(CommandError, match=r"5 entries up to event \d+, but the anchor recorded 6"):
        call_command("verify_audit", anchor=anchor_sign(wrong))


def test_each_sweep_logs_the_chain_head_without_personal_data(caplog):
    with time_machine.travel(EVENING, tick=False):
        write_entries(4)
        head = chain_head()
        assert head is not None
        with caplog.at_level(logging.INFO, logger="openmarac.audit.sweeps"):
            report = run_sweep()
        assert "audit.anchor" in report.counts
    logged = [r for r in caplog.records if r.name == "openmarac.audit.sweeps"]
    assert len(logged) == 1
    assert logged[0].getMessage() == (
        f"audit.chain_head event_id={head.event_id} count=4 digest={head.digest}"
    )
    assert logged[0].audit_chain_head == {
        "event_id": head.event_id,
        "count": 4,
        "digest": head.digest,
    }
    assert "case" not in logged[0].getMessage()


def test_one_signed_anchor_a_day_goes_to_each_partnerships_security_contact():
    kent, gwent = partnerships()
    with time_machine.travel(EVENING, tick=False):
        write_entries(3)
        # A first sweep records the notices but dies before delivering them.
        crashed = run_sweep(deliver=False)
        assert crashed.counts["audit.anchor"] == 2
        assert mail.outbox == []
    with time_machine.travel(EVENING + datetime.timedelta(minutes=1), tick=False):
        write_entries(2, start=3)
        # The next sweep, or a second worker, adds nothing and delivers what was recorded.
        again = run_sweep()
        assert again.counts["audit.anchor"] == 0
        second_worker = anchor_chain_head(EVENING + datetime.timedelta(minutes=1))
        assert second_worker == 0
    assert sorted(m.to[0] for m in mail.outbox) == [
        "hub@gwent.example.org",
        "security@kent.example.org",
    ]
    assert Notice.objects.filter(event="audit.anchor").count() == 2
    assert {n.instance for n in Notice.objects.filter(event="audit.anchor")} == {
        f"audit-anchor:{kent.pk}:2026-07-01",
        f"audit-anchor:{gwent.pk}:2026-07-01",
    }

    message = mail.outbox[0]
    assert message.subject == "OpenMARAC audit anchor for 1 July 2026"
    assert "Entries up to it: 3\n" in message.body
    assert "Anchored at: 2026-07-01 21:00:00 UTC" in message.body
    assert "manage.py verify_audit --anchor" in message.body
    for case_data in ("case.view", "cases.case", "4200", "4201"):
        assert case_data not in message.body
    signed = SIGNED.search(message.body)
    assert signed is not None
    call_command("verify_audit", anchor=signed.group(0))

    # 23:30 UTC is 00:30 on 2 July in London: a new local day, so one more anchor each.
    with time_machine.travel(datetime.datetime(2026, 7, 1, 23, 30, tzinfo=UTC), tick=False):
        assert run_sweep().counts["audit.anchor"] == 2
        assert run_sweep().counts["audit.anchor"] == 0
    days = Notice.objects.filter(event="audit.anchor").values_list("instance", flat=True)
    assert sorted(days) == sorted(
        f"audit-anchor:{p.pk}:{day}" for p in (kent, gwent) for day in ("2026-07-01", "2026-07-02")
    )
    assert len(mail.outbox) == 4


def test_an_empty_log_is_logged_and_anchors_nothing(caplog):
    partnerships()
    with (
        time_machine.travel(EVENING, tick=False),
        caplog.at_level(logging.INFO, logger="openmarac.audit.sweeps"),
    ):
        assert anchor_chain_head(EVENING) == 0
    assert not Notice.objects.exists()
    assert [r.getMessage() for r in caplog.records] == ["audit.chain_head empty"]
