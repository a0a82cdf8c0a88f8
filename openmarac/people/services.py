"""Creating people and keeping their search keys in step with their encrypted details."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from openmarac.core.crypto import blind_index
from openmarac.partnerships.models import Partnership

from .models import Gender, Person, PersonAddress, PersonKey
from .normalise import name_tokens, normalise_name, normalise_postcode, phonetic


@dataclass
class PersonDetails:
    forenames: str = ""
    surname: str = ""
    aliases: list[str] = field(default_factory=list)
    date_of_birth: datetime.date | None = None
    birth_year: str = ""
    gender: str = Gender.NOT_KNOWN
    phone: str = ""
    email: str = ""
    contact_safety_notes: str = ""
    address_lines: str = ""
    postcode: str = ""
    equality: dict[str, str] = field(default_factory=dict)


def search_keys(details: PersonDetails) -> set[str]:
    """Every blind index and blocking key for a person's details.

    Keys are typed (``kind:value``) before hashing so that, say, a surname and a forename that
    happen to be spelt alike never collide.
    """
    values: set[str] = set()
    names = [(details.forenames, details.surname)]
    for alias in details.aliases:
        tokens = name_tokens(alias)
        if tokens:
            names.append((" ".join(tokens[:-1]), tokens[-1]))
    for forenames, surname in names:
        surname_parts = name_tokens(surname)
        for part in [*surname_parts, normalise_name(surname)]:
            if part:
                values.add(f"surname:{part}")
                values.add(f"surname_sound:{phonetic(part)}")
        forename_parts = name_tokens(forenames)
        if forename_parts:
            values.add(f"forename:{forename_parts[0]}")
            values.add(f"forename_sound:{phonetic(forename_parts[0])}")
    if details.date_of_birth:
        values.add(f"dob:{details.date_of_birth.isoformat()}")
        values.add(f"birth_year:{details.date_of_birth.year}")
    elif details.birth_year:
        values.add(f"birth_year:{details.birth_year}")
    if details.postcode:
        values.add(f"postcode:{normalise_postcode(details.postcode)}")
    return {blind_index(value, purpose="person") for value in values if not value.endswith(":")}


def key_for(kind: str, value: str) -> str:
    """The blind index a search must look up for one normalised value."""
    return blind_index(f"{kind}:{value}", purpose="person")


@transaction.atomic
def person_create(*, partnership: Partnership, details: PersonDetails) -> Person:
    """Create a person with their current address and search keys, all encrypted or hashed."""
    person = Person.objects.create(
        partnership=partnership,
        forenames=details.forenames,
        surname=details.surname,
        aliases=details.aliases,
        date_of_birth=details.date_of_birth,
        birth_year=details.birth_year,
        gender=details.gender,
        phone=details.phone,
        email=details.email,
        contact_safety_notes=details.contact_safety_notes,
        equality=details.equality,
    )
    if details.address_lines or details.postcode:
        PersonAddress.objects.create(
            person=person, lines=details.address_lines, postcode=details.postcode
        )
    PersonKey.objects.bulk_create(
        [PersonKey(person=person, key=key) for key in sorted(search_keys(details))]
    )
    return person


def people_matching_exactly(
    *, partnership: Partnership, surname: str, dob: datetime.date
) -> list[int]:
    """Ids of people whose surname and date of birth match exactly, found through blind indexes."""
    surname_key = key_for("surname", normalise_name(surname))
    dob_key = key_for("dob", dob.isoformat())
    with_surname = set(
        PersonKey.objects.filter(key=surname_key, person__partnership=partnership).values_list(
            "person_id", flat=True
        )
    )
    with_dob = set(
        PersonKey.objects.filter(key=dob_key, person_id__in=with_surname).values_list(
            "person_id", flat=True
        )
    )
    return sorted(with_dob)
