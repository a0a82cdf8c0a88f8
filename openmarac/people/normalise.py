"""Normalising identifying values before they are hashed into blind indexes and blocking keys."""

from __future__ import annotations

import re
import unicodedata

import jellyfish

_NON_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


def name_tokens(value: str) -> list[str]:
    """Lower-case ASCII name parts: 'Smith-Jones' and "O'Brien" become ['smith', 'jones'], ['obrien']."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("'", "").replace("\u2019", "").replace("-", " ")
    folded = _NON_LETTERS.sub(" ", folded)
    return [token for token in _SPACES.split(folded) if token]


def normalise_name(value: str) -> str:
    return "".join(name_tokens(value))


def phonetic(value: str) -> str:
    token = normalise_name(value)
    return jellyfish.metaphone(token) if token else ""


def normalise_postcode(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", value.upper())
