"""Creating people and keeping their search keys in step with their encrypted details."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from openmarac.partnerships.models import Partnership

from .keys import key_for
from .models import Gender, Person, PersonAddress, PersonKey
from .normalise import normalise_name


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
    # Blocking keys are kept in step by the save signals (openmarac.people.signals).
    return person


def people_matching_exactly(
    *, partnership: Partnership, surname: str, dob: datetime.date
) -> list[int]:
    """Ids of people whose surname and date of birth match exactly, found through blind indexes."""
    key = key_for("sd", f"{normalise_name(surname)}|{dob.isoformat()}")
    return sorted(
        PersonKey.objects.filter(key=key, person__partnership=partnership).values_list(
            "person_id", flat=True
        )
    )
