"""The disposal register: one line of JSON per disposal, appended to a file outside the database.

A database backup taken before a disposal still holds the case. Restoring it would bring the case
back, and with it everything that was destroyed, so the register keeps every disposal
certificate (references, dates, the rule and counts; no personal data) where a restore does not
reach, and the sweep disposes again of any case it names (``services.disposals_reapply``).
Each line is written and synced to disk inside the disposal's transaction, so a disposal that
commits is always in the register.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings


def register_path() -> Path:
    return Path(settings.DISPOSAL_REGISTER)


def register_append(entry: dict[str, Any]) -> None:
    """Append one certificate and sync it to disk; an error here stops the disposal."""
    path = register_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry, sort_keys=True, separators=(",", ":")) + "\n"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line)
        handle.flush()
        os.fsync(handle.fileno())


_cache: dict[str, Any] = {}


def register_entries() -> list[dict[str, Any]]:
    """Every certificate in the register, oldest first, one per disposed case (reference and
    creation time: a later case could be given a disposed case's reference after a restore).

    The sweep reads it every run, so the parsed file is kept until the file changes."""
    path = register_path()
    if not path.exists():
        return []
    stat = path.stat()
    stamp = (str(path), stat.st_mtime_ns, stat.st_size)
    if _cache.get("stamp") == stamp:
        return list(_cache["entries"])
    entries: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if not line:
                continue
            entry = json.loads(line)
            entries[f"{entry['case_reference']}|{entry['case_created_at']}"] = entry
    _cache["stamp"] = stamp
    _cache["entries"] = list(entries.values())
    return list(entries.values())
