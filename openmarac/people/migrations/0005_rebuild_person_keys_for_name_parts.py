"""Recompute every person's blocking keys now that names are read into their parts.

Keys now come from the forename that identifies (Lan of "Thi Lan"), the surname without a
generational suffix ("Smith Jr"), every usual spelling of a name written from another script
(Muhammad as Mohammed) and letters such as Ł spelt in English.
"""

from django.db import migrations


def rebuild(apps, schema_editor):
    from openmarac.people.keys import person_keys_rebuild_all

    person_keys_rebuild_all(
        person_model=apps.get_model("people", "Person"),
        key_model=apps.get_model("people", "PersonKey"),
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0004_personmerge")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
