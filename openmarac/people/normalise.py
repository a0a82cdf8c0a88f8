"""Normalising identifying values before they are compared, or hashed into blind indexes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jellyfish

DATA = Path(__file__).with_name("matching") / "data"

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


# Letters that carry no accent to drop, so decomposing them would lose them (Łukasz -> ukasz).
_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "\u0131": "i"}
    | {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "TH", "ħ": "h"}
)


def fold(value: str) -> str:
    """Lower-case ASCII: accents dropped, other letters spelt in English, apostrophes removed."""
    value = value.translate(_LETTERS)
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


# -- the parts of a name (data/name_parts.txt, data/spellings.txt) ------------------------------


def _entries(filename: str) -> list[tuple[str, list[str]]]:
    """The "head: word, word" lines of a data file, words folded like names (a word may be two)."""
    out = []
    for raw in (DATA / filename).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or ":" not in line:
            continue
        head, _, words = line.partition(":")
        folded = [" ".join(_name_tokens(w)) for w in words.split(",")]
        out.append((" ".join(_name_tokens(head)), [w for w in folded if w]))
    return out


@lru_cache(maxsize=1)
def name_parts() -> dict[str, frozenset[str]]:
    """Each kind of name part (given-particle, devotional, patronymic-son, ...) and its words."""
    kinds: dict[str, set[str]] = {}
    for kind, words in _entries("name_parts.txt"):
        kinds.setdefault(kind.replace(" ", "-"), set()).update(words)
    return {kind: frozenset(words) for kind, words in kinds.items()}


@lru_cache(maxsize=1)
def _spellings() -> dict[str, frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for usual, others in _entries("spellings.txt"):
        for name in (usual, *others):
            groups.setdefault(name.replace(" ", ""), set()).add(usual.replace(" ", ""))
    return {name: frozenset(usuals) for name, usuals in groups.items()}


@lru_cache(maxsize=16384)
def spelling_forms(token: str) -> frozenset[str]:
    """The usual spellings a name may be (Muhammad -> mohammed); an unlisted name is itself."""
    name = normalise_name(token)
    if not name:
        return frozenset()
    return _spellings().get(name, frozenset({name}))


def same_spelling(a: str, b: str) -> bool:
    """Whether two different spellings are one name written from another script."""
    forms_a, forms_b = spelling_forms(a), spelling_forms(b)
    return bool(forms_a & forms_b)


def is_devotional(token: str) -> bool:
    """A first name people often do not go by (Mohammed, in any spelling; Syed)."""
    words = name_parts().get("devotional", frozenset())
    return token in words or bool(spelling_forms(token) & words)


def is_weak(token: str) -> bool:
    """A part of a forename that does not tell people apart on its own (Thị, Văn, Mohammed)."""
    return token in name_parts().get("given-particle", frozenset()) or is_devotional(token)


_ABD = re.compile(r"^abd[uaeo]?(.*)$")
_ARTICLE = frozenset({"al", "el", "ul", "ur", "us", "ar", "as", "ad", "an", "at", "az"})


def _compound(tokens: list[str]) -> list[str]:
    """'abdul rahman', 'abd al rahman', 'abdur-rahman' and 'abdulrahman' all become 'abdulrahman'."""
    prefixes = name_parts().get("compound-prefix", frozenset())
    out: list[str] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        position += 1
        if token in prefixes:
            while position < len(tokens) and tokens[position] in _ARTICLE:
                position += 1
            if position < len(tokens):
                token += tokens[position]
                position += 1
        match = _ABD.match(token) if token.startswith("abd") else None
        if match and len(match.group(1)) >= 4:
            rest = match.group(1)
            if rest[0] == "l" or (rest[0] == rest[1] and rest[0] in "rstdnz"):
                rest = rest[1:]
            token = "abdul" + rest
        out.append(token)
    return out


@dataclass(frozen=True)
class ParsedName:
    """A name as written, read into what identifies the person and what says who they are to others.

    ``given`` are the forenames, those that identify first (Thị and Mohammed last); ``surname``
    is the family name without suffix or patronymic; ``suffix`` is ``junior``, ``senior`` or a
    number (``ii``); ``parent`` is the given name of a parent named with "son of" or "bin".
    """

    given: tuple[str, ...]
    surname: str
    suffix: str = ""
    parent: str = ""

    @property
    def primary(self) -> str:
        return self.given[0] if self.given else ""

    @property
    def strong(self) -> tuple[str, ...]:
        """The forenames that tell people apart (not Thị, not Mohammed)."""
        return tuple(t for t in self.given if not is_weak(t))


def _suffix(tokens: list[str]) -> tuple[list[str], str]:
    """The tokens without a trailing generational suffix, and the suffix's kind."""
    parts = name_parts()
    if len(tokens) < 2:
        return tokens, ""
    last = tokens[-1]
    for kind in ("junior", "senior"):
        if last in parts.get(f"suffix-{kind}", frozenset()):
            return tokens[:-1], kind
    if last in parts.get("suffix-number", frozenset()):
        return tokens[:-1], last
    return tokens, ""


def _patronymic(tokens: list[str], *, leading_is_name: bool) -> tuple[list[str], str]:
    """The tokens before "son of"/"bin"/"d/o", and the parent's first name after it.

    A surname that starts with "bin" (bin Laden) is a family name, not a patronymic: pass
    ``leading_is_name`` for surnames.
    """
    parts = name_parts()
    markers = parts.get("patronymic-son", frozenset()) | parts.get(
        "patronymic-daughter", frozenset()
    )
    text = " ".join(tokens)
    for marker in sorted(markers, key=len, reverse=True):
        padded = f" {text} "
        at = padded.find(f" {marker} ")
        if at < 0 or (leading_is_name and at == 0):
            continue
        before = padded[:at].split()
        after = padded[at + len(marker) + 2 :].split()
        return before, (after[0] if after else "")
    return tokens, ""


@lru_cache(maxsize=65536)
def parse_name(forenames: str, surname: str) -> ParsedName:
    """Read a name: forenames in the order that identifies, the family name, suffix and parent."""
    given = _compound(name_tokens(forenames))
    family = _compound(name_tokens(surname))
    given, parent = _patronymic(given, leading_is_name=False)
    family, family_parent = _patronymic(family, leading_is_name=True)
    family, suffix = _suffix(family)
    if not suffix:
        given, suffix = _suffix(given)
    # Thị or Văn written in the surname box after the family name (Nguyen Thi) is not part of it.
    particles = name_parts().get("given-particle", frozenset())
    if len(family) > 1:
        family = [family[0]] + [t for t in family[1:] if t not in particles]
    # Forenames that identify first: a particle or a devotional name goes after the others.
    strong = [t for t in given if not is_weak(t)]
    weak = [t for t in given if is_weak(t)]
    return ParsedName(
        given=tuple(strong + weak),
        surname=" ".join(family),
        suffix=suffix,
        parent=parent or family_parent,
    )


def family_name(surname: str) -> str:
    """The surname as blocking keys hold it: 'Smith Jr' and 'Nguyen Thi' -> smith, nguyen."""
    return normalise_name(parse_name("", surname).surname)
