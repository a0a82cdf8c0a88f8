"""A dump of the database must not contain any demo person's name."""

from pathlib import Path

import pytest
from django.db import connection

from openmarac.demo.partnership import demo_names


def dump_every_table() -> str:
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            for row in cursor.fetchall():
                chunks.append(" ".join("" if v is None else str(v) for v in row))
    return "\n".join(chunks)


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_contains_none_of_the_demo_peoples_names(cast):
    dump = dump_every_table().lower()
    assert len(dump) > 10_000  # the dump really holds the demo data
    for name in demo_names():
        assert name.lower() not in dump, f"{name} found in clear in the database"
    if connection.vendor == "sqlite":
        raw = Path(connection.settings_dict["NAME"]).read_bytes().lower()
        for name in demo_names():
            assert name.lower().encode() not in raw


@pytest.mark.django_db
def test_the_demo_names_are_readable_through_the_application(cast):
    from openmarac.people.models import Person

    surnames = {p.surname for p in Person.objects.all()}
    assert "Victimone" in surnames
