"""Blocking keys: how the matcher finds candidate people without reading encrypted columns.

Every person has a set of ``PersonKey`` rows, each an HMAC (``core.crypto.blind_index``) of one
normalised, typed value such as ``yn:1984|SM0`` (year of birth with the sound of a name).
A query computes its own keys the same way; people sharing keys with it are the candidates,
ranked by the summed weight of the keys they share. No key is ever stored in plain text, and the
index key never reaches the database.

Keys are built so that the variants real referrals contain still share at least one key with
the right person: forenames through their formal forms (Bob -> robert) and their sound, every
part of a double-barrelled surname, aliases (maiden and married names), names written the other
way round (unordered sound pairs), a date of birth with day and month swapped (unordered), one
digit wrong (year+month, month+day and year+day keys, each with the surname's sound), a married
surname with a date of birth a year out (month+day with the forename's sound), only a year of
birth, and postcodes written with or without spaces.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from openmarac.core.crypto import KeyRing, blind_index, keyring

from .matching.nicknames import forename_forms
from .normalise import (
    ADDRESS_NOISE,
    address_tokens,
    normalise_name,
    normalise_postcode,
    parse_name,
    phonetic,
    postcode_sector,
    spelling_forms,
    surname_parts,
)

PURPOSE = "person"

# How much sharing one key of each kind says, for ranking candidates before they are compared.
KEY_WEIGHTS = {
    "d": 6.0,  # date of birth, day and month in either order
    "sd": 6.0,  # surname and full date of birth
    "n": 4.0,  # formal forename and surname
    "np": 3.0,  # sounds of forename and surname, in either order
    "ym": 3.0,  # year and month of birth, surname sound
    "md": 3.0,  # month and day of birth, surname sound
    "mf": 3.0,  # month and day of birth, forename sound (a new surname and a year out)
    "yd": 3.0,  # year and day of birth, surname sound
    "yn": 2.0,  # year of birth, sound of any name
    "pn": 3.5,  # postcode, sound of any name
    "sfs": 2.5,  # postcode sector, forename and surname sounds
    "a": 2.0,  # house number and the start of the street name
}


@dataclass(frozen=True)
class KeySource:
    """The identifying details keys are made from, whether of a stored person or a query."""

    forenames: str = ""
    surname: str = ""
    aliases: tuple[str, ...] = ()
    date_of_birth: datetime.date | None = None
    birth_year: int | None = None
    postcodes: tuple[str, ...] = ()
    streets: tuple[str, ...] = ()  # from ``street_key`` of each address


def street_key(lines: str) -> str:
    """'Flat 3, 12a High St' -> '12a|hig': the first house number and the street's first letters.

    Empty when the address has no number or no street word.
    """
    tokens = address_tokens(lines)
    for position, token in enumerate(tokens):
        if any(ch.isdigit() for ch in token) and not (position and tokens[position - 1] == "flat"):
            words = [t for t in tokens[position + 1 :] if t.isalpha() and t not in ADDRESS_NOISE]
            return f"{token}|{words[0][:3]}" if words else ""
    return ""


def _names(source: KeySource) -> list[tuple[list[str], list[str]]]:
    """(forename tokens, surname spellings) for the name and every alias.

    An alias of one word is read both as a surname (a maiden name) and as a forename. Names are
    read as the matcher reads them (``parse_name``): the forename that identifies first (Lan of
    "Thi Lan", Imran of "Mohammed Imran"), the surname without "Jr" or "son of ...", and every
    usual spelling of a name written from another script.
    """
    pairs: list[tuple[str, str]] = [(source.forenames, source.surname)]
    for alias in source.aliases:
        words = alias.split()
        if len(words) >= 2:
            pairs.append((" ".join(words[:-1]), words[-1]))
        elif words:
            pairs.append((source.forenames, words[0]))
            pairs.append((words[0], source.surname))
    out = []
    for forenames, surname in pairs:
        parsed = parse_name(forenames, surname)
        whole = normalise_name(parsed.surname)  # family_name(surname)
        parts = surname_parts(parsed.surname)
        spellings = [whole, *parts]
        for name in (whole, *parts):
            spellings.extend(spelling_forms(name))
        given = [t for t in parsed.given if len(t) > 1][:2]
        out.append((given, list(dict.fromkeys(s for s in spellings if s))))
    return out


def key_values(source: KeySource) -> dict[str, str]:
    """Every typed key value (``kind:value``) for ``source``, mapped to its kind."""
    values: dict[str, str] = {}

    def add(kind: str, value: str) -> None:
        values[f"{kind}:{value}"] = kind

    dob = source.date_of_birth
    year = dob.year if dob else source.birth_year
    postcodes = [p for p in dict.fromkeys(normalise_postcode(p) for p in source.postcodes) if p]
    if dob:
        low, high = sorted((dob.day, dob.month))
        add("d", f"{dob.year}|{low}|{high}")
    name_sounds: set[str] = set()
    for forenames, spellings in _names(source):
        surname_sounds = {s: phonetic(s) for s in spellings}
        if dob and spellings:
            add("sd", f"{spellings[0]}|{dob.isoformat()}")
        for position, forename in enumerate(forenames):
            forms = forename_forms(forename)
            forename_sounds = {phonetic(form) for form in forms}
            for surname, surname_sound in surname_sounds.items():
                for form in forms:
                    add("n", f"{form}|{surname}")
                for sound in forename_sounds:
                    add("np", "|".join(sorted((sound, surname_sound))))
            if position:
                continue  # middle names join only the name keys
            for sound in forename_sounds:
                name_sounds.add(sound)
                if dob:
                    add("mf", f"{dob.month}|{dob.day}|{sound}")
                for postcode in postcodes:
                    for surname_sound in surname_sounds.values():
                        add("sfs", f"{postcode_sector(postcode)}|{sound}|{surname_sound}")
        for surname_sound in set(surname_sounds.values()):
            name_sounds.add(surname_sound)
            if dob:
                add("ym", f"{dob.year}|{dob.month}|{surname_sound}")
                add("md", f"{dob.month}|{dob.day}|{surname_sound}")
                add("yd", f"{dob.year}|{dob.day}|{surname_sound}")
    # Any name with the year or the postcode, whichever box it was written in.
    for sound in name_sounds - {""}:
        if year:
            add("yn", f"{year}|{sound}")
        for postcode in postcodes:
            add("pn", f"{postcode}|{sound}")
    for street in source.streets:
        add("a", street)
    return {value: kind for value, kind in values.items() if not value.endswith("|")}


def hashed(value: str, ring: KeyRing | None = None) -> str:
    return blind_index(value, purpose=PURPOSE, ring=ring)


def key_for(kind: str, value: str) -> str:
    """The blind index of one typed value, e.g. ``key_for("sd", "smith|1980-02-03")``."""
    return hashed(f"{kind}:{value}")


def keys_for(source: KeySource) -> set[str]:
    """The hashed keys to store for a person."""
    ring = keyring()
    return {hashed(value, ring) for value in key_values(source)}


def weighted_keys_for(source: KeySource) -> dict[str, float]:
    """The hashed keys a search looks up, each with its ranking weight."""
    ring = keyring()
    return {hashed(value, ring): KEY_WEIGHTS[kind] for value, kind in key_values(source).items()}


def source_for_person(
    person: object, postcodes: Iterable[str], lines: Iterable[str] = ()
) -> KeySource:
    """A person's key source from all their addresses, past and present (postcodes and lines)."""
    year = str(getattr(person, "birth_year", "") or "").strip()
    return KeySource(
        forenames=getattr(person, "forenames", "") or "",
        surname=getattr(person, "surname", "") or "",
        aliases=tuple(str(a) for a in (getattr(person, "aliases", None) or []) if str(a).strip()),
        date_of_birth=getattr(person, "date_of_birth", None),
        birth_year=int(year) if year.isdigit() and len(year) == 4 else None,
        postcodes=tuple(p for p in postcodes if p),
        streets=tuple(k for k in dict.fromkeys(street_key(a) for a in lines) if k),
    )


@transaction.atomic
def person_keys_rebuild(*, person_id: int) -> None:
    """Make a person's stored keys exactly those their current details give."""
    from .models import Person, PersonAddress, PersonKey

    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return
    addresses = list(
        PersonAddress.objects.filter(person_id=person_id).values_list("postcode", "lines")
    )
    wanted = keys_for(
        source_for_person(person, [p for p, _ in addresses], [lines for _, lines in addresses])
    )
    stored = set(PersonKey.objects.filter(person_id=person_id).values_list("key", flat=True))
    if stored - wanted:
        PersonKey.objects.filter(person_id=person_id, key__in=stored - wanted).delete()
    PersonKey.objects.bulk_create(
        [PersonKey(person_id=person_id, key=key) for key in sorted(wanted - stored)],
        ignore_conflicts=True,
    )


def person_keys_rebuild_all(
    *, batch_size: int = 500, person_model: Any = None, key_model: Any = None
) -> int:
    """Recompute every person's keys from their details; returns how many people were keyed.

    Takes the models as arguments so that a data migration can pass its historical ones.
    """
    from .models import Person, PersonKey

    person_model = person_model or Person
    key_model = key_model or PersonKey
    ids = list(person_model.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        people = person_model.objects.filter(pk__in=chunk).prefetch_related("addresses")
        rows: list[Any] = []
        for person in people:
            addresses = list(person.addresses.all())
            source = source_for_person(
                person, [a.postcode for a in addresses], [a.lines for a in addresses]
            )
            rows.extend(key_model(person_id=person.pk, key=key) for key in sorted(keys_for(source)))
        with transaction.atomic():
            key_model.objects.filter(person_id__in=chunk).delete()
            key_model.objects.bulk_create(rows, batch_size=2000)
    return len(ids)
