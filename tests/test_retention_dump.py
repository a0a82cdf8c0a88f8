"""After a disposal, nothing of the case's people is left: not in any table (read in clear and
decrypted), and on SQLite not in the database file's bytes either. What another case needs stays.

Run on both databases: with ``DATABASE_URL`` set this reads PostgreSQL's tables; on SQLite it
also reads the file, where ``secure_delete`` must have overwritten the deleted rows.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models

from openmarac.accounts.models import User
from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.core.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField
from openmarac.people.models import Person, PersonAddress, PersonKey
from openmarac.retention import decisions
from openmarac.retention.disposal import _Walk
from openmarac.retention.models import CaseRetention, DisposalCertificate
from openmarac.retention.services import retention_archive_due, retention_mark_due

from .conftest import TEST_NOW
from .retention_helpers import closed_case, fill
from .test_database_dump import dump_every_table

D = datetime.date
ENCRYPTED = (EncryptedTextField, EncryptedJSONField, EncryptedDateField)

DISPOSED = {
    "victim": (ParticipantRole.VICTIM, "Ottoline", "Gravesham", D(1991, 2, 14)),
    "child": (ParticipantRole.CHILD, "Perpetua", "Gravesham", D(2016, 8, 1)),
    "perpetrator": (ParticipantRole.PERPETRATOR, "Crispin", "Halloway", D(1987, 12, 12)),
}
DISPOSED_NAMES = ["Ottoline", "Gravesham", "Perpetua"]
SURVIVOR_NAMES = ["Crispin", "Halloway"]  # the perpetrator is on another, live case


def _raw_values(model: type[models.Model], pks: set[Any]) -> set[str]:
    """Every text value of ``model``'s rows ``pks`` as stored (ciphertexts, blind indexes),
    read with SQL so that nothing is decrypted: what a copy of the database would hold."""
    if not pks:
        return set()
    table = connection.ops.quote_name(model._meta.db_table)
    pk = connection.ops.quote_name(model._meta.pk.column)
    found: set[str] = set()
    with connection.cursor() as cursor:
        ids = list(pks)
        for start in range(0, len(ids), 200):
            chunk = ids[start : start + 200]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT * FROM {table} WHERE {pk} IN ({marks})", chunk)
            for row in cursor.fetchall():
                found.update(v for v in row if isinstance(v, str) and len(v) >= 24)
    return found


def _markers_of(case: Case, people: list[Person]) -> set[str]:
    """The stored text of every row the disposal will destroy."""
    walk = _Walk(dry_run=True)
    walk.run(Case, Case.objects.filter(pk=case.pk), (Case,))
    markers: set[str] = set()
    for model, pks in walk.seen.items():
        markers |= _raw_values(model, pks)
    ids = {p.pk for p in people}
    markers |= _raw_values(Person, ids)
    markers |= _raw_values(
        PersonAddress,
        set(PersonAddress.objects.filter(person_id__in=ids).values_list("pk", flat=True)),
    )
    markers |= _raw_values(
        PersonKey, set(PersonKey.objects.filter(person_id__in=ids).values_list("pk", flat=True))
    )
    return markers


def _decrypted_everything() -> str:
    """Every encrypted value of every row of every table, decrypted: what the application knows."""
    chunks: list[str] = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, ENCRYPTED)]
        if fields:
            for row in model._base_manager.values_list(*fields):
                chunks.extend(str(value) for value in row if value)
    return "\n".join(chunks)


def _database_file() -> bytes:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    path = Path(connection.settings_dict["NAME"])
    data = path.read_bytes()
    for extra in (Path(f"{path}-wal"), Path(f"{path}-journal")):
        if extra.exists():
            data += extra.read_bytes()
    return data


@pytest.mark.django_db(transaction=True)
def test_a_disposed_case_leaves_nothing_of_its_people_in_any_table_or_file(cast):
    users = {u.username: u for u in User.objects.all()}
    closed = datetime.datetime(2015, 1, 10, 12, tzinfo=datetime.UTC)
    case, people = closed_case(cast.area_a, "NK-2015-DUMP1", closed_at=closed, people=DISPOSED)
    live, _ = closed_case(
        cast.area_b,
        "WK-2026-LIVE1",
        closed_at=TEST_NOW,
        people={"perpetrator": DISPOSED["perpetrator"]},
        existing={"perpetrator": people["perpetrator"]},
    )
    Case.objects.filter(pk=live.pk).update(status="open", closed_at=None)
    phrases = fill(case, users=users, agency=cast.police_rep.agency, other=cast.case_a)
    # MoPI group 3 (six years from the last referral): long over.
    CaseRetention.objects.all().delete()
    from openmarac.partnerships.models import RetentionGroup

    RetentionGroup.objects.filter(area=cast.area_a).update(is_default=False)
    RetentionGroup.objects.filter(area=cast.area_a, code="3").update(is_default=True)
    retention_archive_due(now=TEST_NOW)
    retention_mark_due(now=TEST_NOW)

    going = [people["victim"], people["child"]]
    markers = _markers_of(case, going)
    staying = _raw_values(Person, {people["perpetrator"].pk}) | _raw_values(
        PersonKey,
        set(PersonKey.objects.filter(person=people["perpetrator"]).values_list("pk", flat=True)),
    )
    assert len(markers) > 40  # ciphertexts of names, narrative, addresses; blind indexes
    before = dump_every_table()
    assert all(marker in before for marker in markers)  # the check below can see them
    assert any(p in _decrypted_everything() for p in phrases)

    retention = decisions.retention_recommend(
        retention=CaseRetention.objects.get(case=case), actor=users["coordinator"]
    )
    certificate = decisions.case_dispose(retention=retention, actor=users["manager"])

    after = dump_every_table()
    left = [marker for marker in markers if marker in after]
    assert not left, f"{len(left)} stored values of the disposed case are still in the tables"
    decrypted = _decrypted_everything()
    for text in [*DISPOSED_NAMES, *phrases, "Gravesham Lane"]:
        assert text not in decrypted, f"{text!r} is still held"
    # What remains: the certificate, and the perpetrator whom a live case needs.
    assert all(marker in after for marker in staying)
    for name in SURVIVOR_NAMES:
        assert name in decrypted
    assert CaseParticipant.objects.filter(case=live, person=people["perpetrator"]).exists()
    assert certificate.counts["people"] == 2
    assert certificate.counts["research entries"] == 1
    assert certificate.counts["hearings"] == 1
    assert certificate.counts["shared informations"] == 1
    assert DisposalCertificate.objects.filter(case_reference="NK-2015-DUMP1").exists()
    assert not Case.objects.filter(reference="NK-2015-DUMP1").exists()

    if connection.vendor == "sqlite":
        raw = _database_file()
        found = [m for m in markers if m.encode() in raw]
        assert not found, f"{len(found)} stored values of the disposed case are in the file"
        assert all(m.encode() in raw for m in staying)
