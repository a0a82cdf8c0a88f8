"""Finding what the MARAC holds about a person (for a subject access request) or in a case (for a
court order), as pieces of text with who supplied each. Read-only: the services copy them.

A person is followed through their merges: the record chosen, the record it was merged into,
and every record merged into that one, so that nothing held under another spelling is missed.
Their case roles and referral roles (the links triage made) lead to the cases and referrals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from openmarac.actions.models import Action
from openmarac.agencies.models import Agency
from openmarac.cases.models import Case, CaseParticipant, ParticipantRole
from openmarac.people.models import Person
from openmarac.proceedings.models import CaseAlert, Hearing, SharedInformation
from openmarac.referrals.models import Referral, ReferralParticipant
from openmarac.research.models import ResearchEntry
from openmarac.triage.models import WeeklyUpdate

from .models import ItemKind


@dataclass(frozen=True)
class Found:
    key: str
    kind: str
    label: str
    text: str
    case: Case | None = None
    supplied_by: Agency | None = None


def same_person(subject: Person) -> set[int]:
    """The records of one person: up to the record kept, then every record merged into it."""
    top = Person.objects.get(pk=subject.pk)  # as stored now: a merge may have moved it
    seen: set[int] = set()
    while top.merged_into_id is not None and top.pk not in seen:
        seen.add(top.pk)
        top = Person.objects.get(pk=top.merged_into_id)
    found = {top.pk}
    frontier = {top.pk}
    while frontier:
        frontier = (
            set(Person.objects.filter(merged_into_id__in=frontier).values_list("pk", flat=True))
            - found
        )
        found |= frontier
    return found


def is_alleged_perpetrator(people: set[int]) -> bool:
    """Named as a perpetrator on any case or referral of the partnership."""
    return (
        CaseParticipant.objects.filter(
            person_id__in=people, role=ParticipantRole.PERPETRATOR
        ).exists()
        or ReferralParticipant.objects.filter(
            Q(person_id__in=people) | Q(submitted_person_id__in=people),
            role=ParticipantRole.PERPETRATOR,
        ).exists()
    )


def _lines(pairs: Iterable[tuple[str, Any]]) -> str:
    return "\n".join(f"{label}: {value}" for label, value in pairs if value not in (None, "", []))


def _flatten(answers: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """A referral's answers as (question, answer) lines, in the order given."""
    out: list[tuple[str, Any]] = []
    if isinstance(answers, dict):
        for key, value in answers.items():
            name = f"{prefix}{key}".replace("_", " ").replace("-", " ")
            out.extend(
                _flatten(value, f"{name}, ") if isinstance(value, dict | list) else [(name, value)]
            )
    elif isinstance(answers, list):
        for index, value in enumerate(answers, start=1):
            out.extend(_flatten(value, f"{prefix}{index}, "))
    return out


def _details(person: Person) -> list[Found]:
    found = [
        Found(
            key=f"person:{person.pk}",
            kind=ItemKind.DETAILS,
            label="Name and personal details",
            text=_lines(
                [
                    ("Name", person.display_name),
                    ("Other names", ", ".join(str(a) for a in person.aliases or [])),
                    (
                        "Date of birth",
                        person.date_of_birth.strftime("%-d %B %Y")
                        if person.date_of_birth
                        else person.birth_year,
                    ),
                    ("Gender", person.get_gender_display()),
                    ("Phone", person.phone),
                    ("E-mail", person.email),
                ]
            ),
        )
    ]
    for address in person.addresses.all():
        found.append(
            Found(
                key=f"address:{address.pk}",
                kind=ItemKind.ADDRESS,
                label="Address held",
                text=_lines([("Address", address.lines), ("Postcode", address.postcode)]),
            )
        )
    return found


def _hearing_text(hearing: Hearing) -> str:
    return _lines(
        [
            ("Meeting", hearing.listing.meeting.starts_on.strftime("%-d %B %Y")),
            ("Risks", hearing.risks),
            ("The victim's voice", hearing.victim_voice),
            ("Discussion", hearing.discussion),
            ("Outcome", hearing.get_outcome_display() if hearing.outcome else ""),
            ("Reason", hearing.outcome_reason),
        ]
    )


def case_record(case: Case, *, people: set[int] | None = None) -> list[Found]:
    """What the MARAC holds in ``case``: its minutes and alerts (the MARAC's own record) and what
    agencies supplied (referrals, research, information shared, actions, updates). With
    ``people``, research and actions only where they are about one of them."""
    found: list[Found] = []
    for referral in (
        Referral.objects.filter(case=case).select_related("referrer_agency").order_by("pk")
    ):
        if (
            people is not None
            and not referral.participants.filter(
                Q(person_id__in=people) | Q(submitted_person_id__in=people)
            ).exists()
        ):
            continue
        found.append(
            Found(
                key=f"referral:{referral.pk}",
                kind=ItemKind.REFERRAL,
                label=f"Referral {referral.reference or ''}".strip(),
                text=_lines(_flatten(referral.answers)),
                case=case,
                supplied_by=referral.referrer_agency,
            )
        )
    entries = ResearchEntry.objects.filter(request__listing__case=case).select_related(
        "request__agency", "request__listing__meeting", "participant"
    )
    if people is not None:
        entries = entries.filter(participant__person_id__in=people)
    for entry in entries.order_by("pk"):
        found.append(
            Found(
                key=f"research:{entry.pk}",
                kind=ItemKind.RESEARCH,
                label=f"Research by {entry.request.agency.name} for the meeting of "
                f"{entry.request.listing.meeting.starts_on:%-d %B %Y}",
                text=_lines(
                    [
                        ("About", entry.participant.get_role_display()),
                        ("Finding", entry.get_finding_display()),
                        ("Information", entry.information),
                    ]
                ),
                case=case,
                supplied_by=entry.request.agency,
            )
        )
    for hearing in (
        Hearing.objects.filter(listing__case=case)
        .select_related("listing__meeting")
        .order_by("opened_at", "pk")
    ):
        found.append(
            Found(
                key=f"hearing:{hearing.pk}",
                kind=ItemKind.MINUTES,
                label=f"Minutes of the meeting of {hearing.listing.meeting.starts_on:%-d %B %Y}",
                text=_hearing_text(hearing),
                case=case,
            )
        )
        for shared in (
            SharedInformation.objects.filter(hearing=hearing)
            .select_related("agency")
            .order_by("pk")
        ):
            found.append(
                Found(
                    key=f"shared:{shared.pk}",
                    kind=ItemKind.SHARED,
                    label=f"Shared by {shared.agency.name} at the meeting of "
                    f"{hearing.listing.meeting.starts_on:%-d %B %Y}",
                    text=shared.text,
                    case=case,
                    supplied_by=shared.agency,
                )
            )
    actions = Action.objects.filter(case=case).select_related("owner_agency")
    if people is not None:
        actions = actions.filter(addresses_participant__person_id__in=people)
    for action in actions.order_by("pk"):
        found.append(
            Found(
                key=f"action:{action.pk}",
                kind=ItemKind.ACTION,
                label=f"Action for {action.owner_agency.name}, due {action.due_on:%-d %B %Y}",
                text=_lines(
                    [
                        ("Action", action.what),
                        ("Status", action.get_status_display()),
                        ("Outcome", action.outcome),
                    ]
                ),
                case=case,
                supplied_by=action.owner_agency,
            )
        )
    for update in WeeklyUpdate.objects.filter(case=case).select_related("agency").order_by("pk"):
        found.append(
            Found(
                key=f"update:{update.pk}",
                kind=ItemKind.UPDATE,
                label=f"Update from {update.agency.name} on {update.created_at:%-d %B %Y}",
                text=_lines([("Information", update.information), ("Purpose", update.purpose)]),
                case=case,
                supplied_by=update.agency,
            )
        )
    for alert in CaseAlert.objects.filter(case=case).order_by("pk"):
        found.append(
            Found(
                key=f"alert:{alert.pk}",
                kind=ItemKind.ALERT,
                label=f"Alert recorded on {alert.created_at:%-d %B %Y}",
                text=alert.text,
                case=case,
            )
        )
    return found


def held_about(people: set[int]) -> list[Found]:
    """Everything held about one person (``same_person``): their details, each case that names
    them, and in each, the record as it concerns them."""
    found: list[Found] = []
    for person in Person.objects.filter(pk__in=people).prefetch_related("addresses").order_by("pk"):
        found.extend(_details(person))
    roles = (
        CaseParticipant.objects.filter(person_id__in=people)
        .select_related("case__area")
        .order_by("case__created_at", "pk")
    )
    cases: dict[int, Case] = {}
    for role in roles:
        case = role.case
        cases.setdefault(case.pk, case)
        found.append(
            Found(
                key=f"role:{role.pk}",
                kind=ItemKind.CASE_ROLE,
                label=f"Named on MARAC case {case.reference}",
                text=_lines(
                    [
                        ("Case", case.reference),
                        ("Area", case.area.name),
                        ("Named as", role.get_role_display()),
                        ("Opened", case.created_at.strftime("%-d %B %Y")),
                        (
                            "Last heard",
                            case.last_heard_on.strftime("%-d %B %Y") if case.last_heard_on else "",
                        ),
                        ("Status", case.get_status_display()),
                    ]
                ),
                case=case,
            )
        )
    for case in cases.values():
        found.extend(case_record(case, people=people))
    # Referrals that never became (or are not yet) a case: declined, lapsed, waiting.
    loose = (
        Referral.objects.filter(case__isnull=True)
        .filter(
            Q(participants__person_id__in=people) | Q(participants__submitted_person_id__in=people)
        )
        .exclude(reference__isnull=True)
        .select_related("referrer_agency")
        .distinct()
        .order_by("pk")
    )
    for referral in loose:
        found.append(
            Found(
                key=f"referral:{referral.pk}",
                kind=ItemKind.REFERRAL,
                label=f"Referral {referral.reference} ({referral.get_status_display().lower()})",
                text=_lines(_flatten(referral.answers)),
                supplied_by=referral.referrer_agency,
            )
        )
    return found
