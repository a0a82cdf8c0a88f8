"""Recompute every person's blocking keys with the matcher's key scheme."""

from django.db import migrations


def rebuild(apps, schema_editor):
    from openmarac.people.keys import person_keys_rebuild_all

    person_keys_rebuild_all(
        person_model=apps.get_model("people", "Person"),
        key_model=apps.get_model("people", "PersonKey"),
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0002_person_key_lookup_index")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
