"""Loading checklist definitions from their files."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import ChecklistDefinition, ChecklistKind

REQUIRED = {"slug", "version", "title", "short_title", "attribution", "kind", "questions"}


class ChecklistFileError(ValueError):
    pass


def _validate(data: dict[str, object], path: Path) -> None:
    missing = REQUIRED - data.keys()
    if missing:
        raise ChecklistFileError(f"{path.name}: missing {', '.join(sorted(missing))}")
    if data["kind"] not in ChecklistKind.values:
        raise ChecklistFileError(f"{path.name}: kind must be one of {ChecklistKind.values}")
    questions = data["questions"]
    if not isinstance(questions, list):
        raise ChecklistFileError(f"{path.name}: questions must be a list")
    ids = [q.get("id") for q in questions if isinstance(q, dict)]
    if len(ids) != len(questions) or len(set(ids)) != len(ids):
        raise ChecklistFileError(f"{path.name}: every question needs a unique id")
    if data["kind"] == ChecklistKind.LEVEL and not data.get("levels"):
        raise ChecklistFileError(f"{path.name}: a level checklist needs levels")


@transaction.atomic
def checklists_load(*, directory: Path | None = None) -> list[ChecklistDefinition]:
    """Load every ``*.json`` definition; a changed file under an existing version is refused.

    A definition already answered on referrals must never change under them, so new wording
    needs a new version, which then becomes the current one for its slug.
    """
    directory = directory or Path(settings.CHECKLIST_DIR)
    loaded = []
    for path in sorted(directory.glob("*.json")):
        raw = path.read_bytes()
        data = json.loads(raw)
        _validate(data, path)
        checksum = hashlib.sha256(raw).hexdigest()
        existing = ChecklistDefinition.objects.filter(
            slug=data["slug"], version=data["version"]
        ).first()
        if existing is not None:
            if existing.checksum != checksum:
                raise ChecklistFileError(
                    f"{path.name}: {data['slug']} {data['version']} is already loaded with "
                    "different content; give the new wording a new version"
                )
            loaded.append(existing)
            continue
        ChecklistDefinition.objects.filter(slug=data["slug"]).update(is_current=False)
        loaded.append(
            ChecklistDefinition.objects.create(
                slug=data["slug"],
                version=data["version"],
                title=data["title"],
                short_title=data["short_title"],
                attribution=data["attribution"],
                kind=data["kind"],
                supplementary=bool(data.get("supplementary", False)),
                definition=data,
                checksum=checksum,
                is_current=True,
            )
        )
    return loaded


def current_checklist(slug: str) -> ChecklistDefinition | None:
    return ChecklistDefinition.objects.filter(slug=slug, is_current=True).first()
