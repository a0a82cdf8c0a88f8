"""Model fields that keep their values encrypted in the database (see ``core.crypto``)."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """A text value stored as an AES-GCM ciphertext; blank is stored as blank.

    Encrypted fields cannot be filtered or ordered on: search goes through blind indexes.
    """

    _pyi_private_set_type: str
    _pyi_private_get_type: str

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def to_python(self, value: Any) -> Any:
        return value


class EncryptedDateField(models.TextField):
    """A date stored encrypted as its ISO form; Python sees a ``datetime.date`` or ``None``."""

    _pyi_private_set_type: datetime.date | None  # type: ignore[assignment]
    _pyi_private_get_type: datetime.date | None  # type: ignore[assignment]

    def get_prep_value(self, value: Any) -> Any:
        if value is None or value == "":
            return ""
        if isinstance(value, datetime.date):
            value = value.isoformat()
        return crypto.encrypt(str(value))

    def from_db_value(
        self, value: str | None, expression: Any, connection: Any
    ) -> datetime.date | None:
        if not value:
            return None
        return datetime.date.fromisoformat(crypto.decrypt(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value:
            return datetime.date.fromisoformat(value)
        return value or None


class EncryptedJSONField(models.TextField):
    """A JSON document (dict or list) stored encrypted; used for drafts and structured answers."""

    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            value = {}
        return crypto.encrypt(json.dumps(value, cls=DjangoJSONEncoder, sort_keys=True))

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if not value:
            return {}
        return json.loads(crypto.decrypt(value))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            return json.loads(value) if value else {}
        return value
