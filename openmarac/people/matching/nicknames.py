"""Forenames that are the same name: short forms, pet forms and other spellings.

The table is ``data/forenames.txt``: one formal name a line with the forms people go by. A name
may sit on several lines (Alex: Alexander, Alexandra, Alexis), so a name stands for the set of
formal names whose line it is on; two names are the same forename when their sets meet.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from openmarac.people.normalise import normalise_name, spelling_forms

TABLE = Path(__file__).with_name("data") / "forenames.txt"


@lru_cache(maxsize=1)
def _table() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for raw in TABLE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        formal_raw, _, variants = line.partition(":")
        formal = normalise_name(formal_raw)
        names = {formal, *(normalise_name(v) for v in variants.split(","))}
        for name in names:
            if name:
                groups.setdefault(name, set()).add(formal)
    return {name: frozenset(formals) for name, formals in groups.items()}


@lru_cache(maxsize=16384)
def forename_forms(name: str) -> frozenset[str]:
    """The formal names ``name`` may stand for; an unlisted name stands for itself.

    A name written from another script is first read as its usual spelling (Muhammad as
    Mohammed, see ``data/spellings.txt``), so every spelling has the same forms.
    """
    token = normalise_name(name)
    if not token:
        return frozenset()
    table = _table()
    forms: set[str] = set()
    for spelled in spelling_forms(token):
        forms |= table.get(spelled, frozenset({spelled}))
    return frozenset(forms)


def same_forename(a: str, b: str) -> bool:
    """Whether two different spellings are forms of one forename (Bob and Robert)."""
    forms_a, forms_b = forename_forms(a), forename_forms(b)
    return bool(forms_a and forms_b and forms_a & forms_b)


def formal_name(a: str, b: str) -> str:
    """Of two forms of one forename, the formal one they share: one of them if it is formal."""
    shared = forename_forms(a) & forename_forms(b)
    for name in (normalise_name(b), normalise_name(a)):
        if name in shared:
            return name
    return sorted(shared)[0] if shared else ""


def table_size() -> int:
    """How many distinct names the table knows."""
    return len(_table())
