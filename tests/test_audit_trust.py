"""The audit log is tamper-evident, append-only on PostgreSQL, and reported to the hub only."""

from __future__ import annotations

import threading

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from openmarac.audit.models import AuditEvent
from openmarac.audit.services import GENESIS, audit_record
from openmarac.audit.verify import audit_chain_verify
from openmarac.caseaccess.services import case_restrict
from openmarac.cases.models import Case
from openmarac.cases.selectors import cases_visible_to

from .conftest import client_for, make_user, other_partnership_coordinator

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the append-only trigger exists only on PostgreSQL"
)


def _tamper(sql: str, params: list) -> None:
    """Change a row behind the application's back, as someone with database access might."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # A database superuser can switch ordinary triggers off for their session.
            cursor.execute("SET session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = origin")
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_an_intact_chain_verifies(cast, capsys):
    client_for(cast.police_rep).get(reverse("cases:list"))
    report = audit_chain_verify()
    assert report.broken_at is None
    assert report.checked == AuditEvent.objects.count() > 5
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out
    first = AuditEvent.objects.order_by("id").first()
    assert first.previous_hash == GENESIS


def test_an_edited_row_is_found_by_verify_audit(cast):
    events = list(AuditEvent.objects.order_by("id"))
    victim = events[len(events) // 2]
    _tamper("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["case.nothing", victim.pk])
    with pytest.raises(CommandError, match=f"broken at event {victim.pk}: its contents"):
        call_command("verify_audit")


def test_a_deleted_row_is_found_by_verify_audit(cast):
    events = list(AuditEvent.objects.order_by("id"))
    gone, following = events[3], events[4]
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [gone.pk])
    report = audit_chain_verify()
    assert report.broken_at == following.pk
    assert "link" in report.problem


def test_verify_audit_exits_non_zero_when_broken(cast):
    event = AuditEvent.objects.order_by("id").last()
    _tamper("UPDATE audit_auditevent SET outcome = %s WHERE id = %s", ["denied", event.pk])
    # Run through manage.py's own entry point, which turns the error into exit status 1.
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "verify_audit"]).execute()
    assert exit_info.value.code == 1


@on_postgresql
def test_postgresql_refuses_update_and_delete_of_audit_rows(cast):
    event = AuditEvent.objects.order_by("id").first()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditevent SET detail = '{}' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == event.action


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself (IMMEDIATE transactions); see settings")
    errors: list[BaseException] = []

    def append(n: int) -> None:
        try:
            for i in range(15):
                audit_record(action="test.concurrent", detail={"writer": n, "i": i})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AuditEvent.objects.filter(action="test.concurrent").count() == 60
    assert audit_chain_verify().broken_at is None


def test_the_hub_reports_who_touched_a_case(cast):
    client_for(cast.police_rep).get(
        reverse("caserecord:record", kwargs={"reference": cast.case_a.reference})
    )
    client_for(cast.housing_rep).get(
        reverse("caserecord:record", kwargs={"reference": cast.case_a.reference})
    )
    case_restrict(case=cast.case_a, restriction="closed", actor=cast.coordinator)
    response = client_for(cast.coordinator).get(
        reverse("audit:case") + f"?reference={cast.case_a.reference}"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pat Police" in body
    assert "case.view" in body
    assert "case.restrict" in body
    # The refused attempt by housing is recorded against the reference it tried.
    assert AuditEvent.objects.filter(actor=cast.housing_rep, action="case.view.denied").exists()
    viewed = AuditEvent.objects.filter(action="audit_report.view", actor=cast.coordinator).last()
    assert viewed.detail == {"report": "case", "case": cast.case_a.pk}


def test_the_hub_reports_everything_a_user_did(cast):
    client_for(cast.police_rep).get(reverse("cases:list"))
    response = client_for(cast.coordinator).get(
        reverse("audit:user") + f"?user={cast.police_rep.pk}"
    )
    assert b"case_list.view" in response.content
    other = client_for(cast.coordinator).get(reverse("audit:user") + "?user=999999")
    assert other.status_code == 404
    assert AuditEvent.objects.filter(action="audit_report.user.denied").exists()


def test_downloads_and_exports_are_reported(cast):
    audit_record(action="minutes.export", actor=cast.chair, detail={"format": "pdf"})
    audit_record(action="case.view", actor=cast.chair)
    body = client_for(cast.coordinator).get(reverse("audit:downloads")).content.decode()
    assert "minutes.export" in body
    assert "case.view<" not in body


def test_the_downloads_report_shows_only_the_partnerships_own_downloads(cast):
    stranger = other_partnership_coordinator()
    audit_record(action="minutes_pdf.download", actor=cast.chair)
    audit_record(action="agenda_pdf.download", actor=stranger)

    theirs = client_for(stranger).get(reverse("audit:downloads")).content.decode()
    ours = client_for(cast.coordinator).get(reverse("audit:downloads")).content.decode()

    assert "agenda_pdf.download" in theirs
    assert "minutes_pdf.download" not in theirs
    assert cast.chair.get_full_name() not in theirs
    assert "minutes_pdf.download" in ours
    assert "agenda_pdf.download" not in ours


def test_out_of_pattern_access_is_flagged(cast):
    watcher = make_user("watcher", agency=cast.police_rep.agency, is_agency_rep=True)
    client = client_for(watcher)
    opened = cases_visible_to(watcher).count()
    assert opened >= 2
    for case in Case.objects.all():
        client.get(reverse("caserecord:record", kwargs={"reference": case.reference}))
    for _ in range(3):
        client.get(reverse("caserecord:record", kwargs={"reference": "NK-0000-NOPE"}))
    invited = client_for(cast.invited_rep)
    invited.get(reverse("caserecord:record", kwargs={"reference": cast.case_a.reference}))
    body = client_for(cast.coordinator).get(reverse("audit:pattern") + "?many=1").content.decode()
    assert "Watcher Example" in body
    assert f"opened {opened} different cases" in body
    assert "refused 3 times" in body
    quiet = client_for(cast.coordinator).get(reverse("audit:pattern")).content.decode()
    assert "Watcher Example" in quiet  # refusals alone stand out
    assert f"opened {opened} different cases" not in quiet


def test_reports_are_for_the_hub_only_and_refusals_are_audited(cast):
    for name in ("audit:index", "audit:case", "audit:user", "audit:downloads", "audit:pattern"):
        for user in (cast.police_rep, cast.chair, cast.lead):
            assert client_for(user).get(reverse(name)).status_code == 404
    assert AuditEvent.objects.filter(action="page.denied", actor=cast.lead).count() == 5
