"""Search for staff: cases and referrals by their exact reference, people by name.

Every read starts from the scoping layer (``cases_visible_to``, ``people_visible_to``,
``referrals_visible_to``) as a subquery, so a restricted case the user was not granted, a case
they declared a conflict in and a case of an area their agency is not in add nothing: what the
user may not see is indistinguishable from what does not exist.

People are found through their blocking keys (``people.keys``), never their encrypted names: the
typed name is turned into the same keys a stored person has (formal forenames such as Robert
for Bob, and the sounds of forename and surname in either order), and only the page of people
shown is decrypted. A date of birth narrows to the people whose keys hold that date.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.urls import reverse

from openmarac.cases.models import CaseParticipant, ParticipantRole
from openmarac.cases.selectors import cases_visible_to
from openmarac.core.decorators import is_hub
from openmarac.people import keys as person_keys
from openmarac.people.models import Person, PersonKey
from openmarac.people.selectors import people_visible_to
from openmarac.referrals.models import Referral, ReferralStatus
from openmarac.referrals.selectors import HUB_STATUSES, referrals_visible_to

if TYPE_CHECKING:
    from openmarac.accounts.models import User
    from openmarac.cases.models import Case

PAGE_SIZE = 50

# What was searched for, as the audit trail records it: never the terms themselves.
KIND_REFERENCE = "reference"
KIND_NAME = "name"
KIND_NAME_AND_DATE_OF_BIRTH = "name_and_date_of_birth"

# The blocking keys that identify a name, and those that pin a date of birth's day and month.
_NAME_KINDS = frozenset({"n", "np"})
_FORMAL_NAME_KIND = "n"
_DAY_AND_MONTH_KINDS = frozenset({"md", "mf"})


@dataclass(frozen=True)
class SearchTerms:
    """What the user typed: a reference or a name, and an optional date of birth."""

    text: str
    date_of_birth: datetime.date | None = None

    @property
    def is_name(self) -> bool:
        """A name has a forename and a surname ("Robert Smith" or "Smith, Robert"); a single
        word is read as a reference."""
        forenames, surname = split_name(self.text)
        return bool(forenames and surname)

    @property
    def kind(self) -> str:
        if not self.is_name:
            return KIND_REFERENCE
        return KIND_NAME_AND_DATE_OF_BIRTH if self.date_of_birth else KIND_NAME


def split_name(text: str) -> tuple[str, str]:
    """'Robert Smith' -> ('Robert', 'Smith'); 'Smith, Robert' -> ('Robert', 'Smith')."""
    if "," in text:
        surname, _, forenames = text.partition(",")
        return " ".join(forenames.split()), " ".join(surname.split())
    *given, surname = text.split() or [""]
    return " ".join(given), surname


@dataclass(frozen=True)
class ReferenceResult:
    """A case or referral whose reference is the one typed."""

    kind: str  # "Case" or "Referral"
    reference: str
    area: str
    status: str
    url: str


@dataclass(frozen=True)
class CaseRole:
    reference: str
    role: str


@dataclass(frozen=True)
class PersonResult:
    """A person the user may see, with the cases the user may see them on."""

    name: str
    date_of_birth: datetime.date | None
    birth_year: str
    cases: tuple[CaseRole, ...]


@dataclass(frozen=True)
class SearchResults:
    kind: str
    total: int
    references: tuple[ReferenceResult, ...]
    people: tuple[PersonResult, ...]
    page: Page[Person] | None  # the page of people shown, when the search is by name


def _hashed(values: dict[str, str], kinds: frozenset[str]) -> list[str]:
    return sorted({person_keys.hashed(value) for value, kind in values.items() if kind in kinds})


def people_named(
    user: User, *, forenames: str, surname: str, date_of_birth: datetime.date | None = None
) -> QuerySet[Person]:
    """The people ``user`` may see whose name sounds like, or formally is, the one given.

    Exact formal names (Bob and Robert are one) come first. With ``date_of_birth``, only the
    people whose blocking keys hold that date (year, and day and month in that order).
    """
    named = person_keys.key_values(person_keys.KeySource(forenames=forenames, surname=surname))
    name_keys = _hashed(named, _NAME_KINDS)
    if not name_keys:
        return Person.objects.none()
    people = people_visible_to(user).filter(
        pk__in=PersonKey.objects.filter(key__in=name_keys).values("person_id")
    )
    if date_of_birth is not None:
        dated = person_keys.key_values(
            person_keys.KeySource(forenames=forenames, surname=surname, date_of_birth=date_of_birth)
        )
        # The date in either day-month order, and then its day and month in this order with
        # the sound of the forename or of the surname.
        for kinds in (frozenset({"d"}), _DAY_AND_MONTH_KINDS):
            people = people.filter(
                pk__in=PersonKey.objects.filter(key__in=_hashed(dated, kinds)).values("person_id")
            )
    formal = PersonKey.objects.filter(
        person_id=OuterRef("pk"), key__in=_hashed(named, frozenset({_FORMAL_NAME_KIND}))
    )
    return (
        people.annotate(_formal=Exists(formal))
        .order_by("-_formal", "pk")
        .only("pk", "forenames", "surname", "date_of_birth", "birth_year")
    )


def cases_with_reference(user: User, reference: str) -> QuerySet[Case]:
    return cases_visible_to(user).filter(reference=reference).select_related("area")


def referrals_with_reference(user: User, reference: str) -> QuerySet[Referral]:
    visible_case = cases_visible_to(user).filter(pk=OuterRef("case_id"))
    return (
        referrals_visible_to(user)
        .filter(reference=reference)
        .select_related("area", "case")
        .annotate(_case_visible=Exists(visible_case))
    )


def _referral_url(user: User, referral: Referral) -> str:
    """Where the user acts on a referral: its case, the hub's triage page or the approval page."""
    if referral.case is not None and getattr(referral, "_case_visible", False):
        return reverse("caserecord:record", kwargs={"reference": referral.case.reference})
    if is_hub(user) and referral.status in HUB_STATUSES:
        return reverse("triage:referral", kwargs={"public_id": referral.public_id})
    return reverse("referrals:approval_detail", kwargs={"public_id": referral.public_id})


def _references(user: User, text: str) -> tuple[ReferenceResult, ...]:
    reference = text.strip().upper()
    found = [
        ReferenceResult(
            kind="Case",
            reference=case.reference,
            area=case.area.name,
            status=case.get_status_display(),
            url=reverse("caserecord:record", kwargs={"reference": case.reference}),
        )
        for case in cases_with_reference(user, reference)
    ]
    found += [
        ReferenceResult(
            kind="Referral",
            reference=referral.reference or "",
            area=referral.area.name if referral.area is not None else "",
            status=ReferralStatus(referral.status).label,
            url=_referral_url(user, referral),
        )
        for referral in referrals_with_reference(user, reference)
    ]
    return tuple(found)


def _people_page(user: User, people: Sequence[Person]) -> list[PersonResult]:
    """The people of one page with the cases ``user`` may see them on: one query for the roles."""
    roles: dict[int, list[CaseRole]] = {person.pk: [] for person in people}
    for person_id, reference, role in (
        CaseParticipant.objects.filter(
            person_id__in=list(roles), case__in=cases_visible_to(user).values("pk")
        )
        .order_by("case__reference", "role")
        .values_list("person_id", "case__reference", "role")
    ):
        roles[person_id].append(CaseRole(reference=reference, role=ParticipantRole(role).label))
    return [
        PersonResult(
            name=person.display_name,
            date_of_birth=person.date_of_birth,
            birth_year=str(person.birth_year or ""),
            cases=tuple(roles[person.pk]),
        )
        for person in people
    ]


def search_run(user: User, *, terms: SearchTerms, page_number: int = 1) -> SearchResults:
    """The results of one search, page ``page_number`` of the people found (50 a page).

    A search by reference looks up cases and referrals with exactly that reference; a search by
    name finds people. Either way, only what ``user`` may see, with a constant number of queries
    however many results there are.
    """
    if not terms.is_name:
        references = _references(user, terms.text)
        return SearchResults(
            kind=terms.kind, total=len(references), references=references, people=(), page=None
        )
    forenames, surname = split_name(terms.text)
    people = people_named(
        user, forenames=forenames, surname=surname, date_of_birth=terms.date_of_birth
    )
    page = Paginator(people, PAGE_SIZE).get_page(page_number)
    return SearchResults(
        kind=terms.kind,
        total=page.paginator.count,
        references=(),
        people=tuple(_people_page(user, list(page.object_list))),
        page=page,
    )
