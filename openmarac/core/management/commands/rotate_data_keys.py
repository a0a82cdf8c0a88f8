from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from openmarac.core import crypto
from openmarac.core.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField

ENCRYPTED = (EncryptedTextField, EncryptedDateField, EncryptedJSONField)


def _raw_values(model: Any, columns: list[str], pk: Any) -> tuple[Any, ...] | None:
    """The stored ciphertexts, read around the fields so that nothing is decrypted."""
    quote = connection.ops.quote_name
    # Identifiers come from model meta and are quoted; the value is a bound parameter.
    sql = "SELECT {} FROM {} WHERE {} = %s".format(  # noqa: S608  # nosec B608
        ", ".join(quote(c) for c in columns),
        quote(model._meta.db_table),
        quote(model._meta.pk.column),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value under the first key in OPENMARAC_DATA_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        ring = crypto.keyring()
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, ENCRYPTED)]
            if not fields:
                continue
            names = [str(f.attname) for f in fields]
            for pk in model._base_manager.values_list("pk", flat=True).iterator():
                with transaction.atomic():
                    raw = _raw_values(model, [str(f.column) for f in fields], pk)
                    if raw is None:
                        continue
                    stale = any(v and crypto.key_id_of(v) != ring.primary_id for v in raw)
                    if not stale:
                        continue
                    obj = model._base_manager.select_for_update().get(pk=pk)
                    obj.save(update_fields=names)
                    total += 1
        self.stdout.write(f"{total} rows re-encrypted under key {ring.primary_id}")
