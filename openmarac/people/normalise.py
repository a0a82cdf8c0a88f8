"""Normalising identifying values before they are compared, or hashed into blind indexes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish

_NON_LETTERS = re.compile(r"[^a-z ]+")
_NON_ALNUM = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_UK_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")

# Words that are part of a surname but say nothing on their own ("van der Berg", "de la Cruz").
SURNAME_PARTICLES = frozenset(
    {"al", "ap", "bin", "bint", "da", "de", "del", "della", "der", "di", "du", "el", "la", "le"}
    | {"st", "ter", "van", "von", "y"}
)

# Address abbreviations and their long forms, so "12 High St" and "12 High Street" agree.
ADDRESS_WORDS = {
    "apartment": "flat",
    "apt": "flat",
    "av": "avenue",
    "ave": "avenue",
    "bldg": "building",
    "cct": "circuit",
    "cir": "circuit",
    "cl": "close",
    "cnr": "corner",
    "cres": "crescent",
    "crt": "court",
    "ct": "court",
    "dr": "drive",
    "drv": "drive",
    "est": "estate",
    "fl": "flat",
    "flt": "flat",
    "gdn": "gardens",
    "gdns": "gardens",
    "gr": "grove",
    "gro": "grove",
    "ho": "house",
    "hse": "house",
    "hwy": "highway",
    "ln": "lane",
    "mt": "mount",
    "pde": "parade",
    "pk": "park",
    "pl": "place",
    "rd": "road",
    "sq": "square",
    "st": "street",
    "str": "street",
    "tce": "terrace",
    "ter": "terrace",
    "terr": "terrace",
    "wk": "walk",
}
# Words that describe the kind of dwelling rather than where it is.
ADDRESS_NOISE = frozenset({"flat", "house", "no", "number", "unit", "the", "of", "and"})


def fold(value: str) -> str:
    """Lower-case ASCII: accents dropped, apostrophes removed."""
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    return folded.replace("'", "").replace("\u2019", "")


def name_tokens(value: str) -> list[str]:
    """Lower-case ASCII name parts: 'Smith-Jones' and "O'Brien" become ['smith', 'jones'], ['obrien']."""
    return list(_name_tokens(value))


@lru_cache(maxsize=65536)
def _name_tokens(value: str) -> tuple[str, ...]:
    folded = fold(value).replace("-", " ")
    folded = _NON_LETTERS.sub(" ", folded)
    return tuple(token for token in _SPACES.split(folded) if token)


def normalise_name(value: str) -> str:
    return "".join(name_tokens(value))


def surname_parts(value: str) -> list[str]:
    """The parts of a hyphenated or double-barrelled surname that can stand alone."""
    tokens = name_tokens(value)
    if len(tokens) < 2:
        return []
    return [token for token in tokens if token not in SURNAME_PARTICLES and len(token) > 1]


@lru_cache(maxsize=65536)
def phonetic(value: str) -> str:
    token = normalise_name(value)
    return jellyfish.metaphone(token) if token else ""


def normalise_postcode(value: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", value.upper())


def postcode_sector(value: str) -> str:
    """'ZZ1 1ZZ' -> 'ZZ11' (outward code and the first inward digit); other forms lose a character."""
    postcode = normalise_postcode(value)
    if _UK_POSTCODE.match(postcode):
        return postcode[:-2]
    return postcode[:-1] if len(postcode) >= 3 else ""


def postcode_district(value: str) -> str:
    """'ZZ1 1ZZ' -> 'ZZ1' (the outward code); other forms lose two characters."""
    postcode = normalise_postcode(value)
    if _UK_POSTCODE.match(postcode):
        return postcode[:-3]
    return postcode[:-2] if len(postcode) >= 4 else ""


def address_tokens(value: str) -> list[str]:
    """Address words in long form, and numbers: 'Flat 3, 12a High St' -> flat 3 12a high street."""
    return list(_address_tokens(value))


@lru_cache(maxsize=16384)
def _address_tokens(value: str) -> tuple[str, ...]:
    folded = _NON_ALNUM.sub(" ", fold(value).replace("/", " "))
    return tuple(ADDRESS_WORDS.get(token, token) for token in _SPACES.split(folded) if token)
