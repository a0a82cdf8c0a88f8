"""Letter templates and the letters written from them. The hub calls these.

A template is plain text with placeholders in braces, e.g. ``{case_reference}``. Only the names
in ``PLACEHOLDERS`` are filled in, by plain substitution: a template can never reach anything
else of the system, and saving one with an unknown placeholder is refused.

* A **legal aid letter** confirms that a victim was referred to and heard at MARAC (002 §7.19):
  it can only be written for a case a meeting has heard, and is sent to the safe contact
  details the request gives.
* A **housing support letter** goes to an agency of the partnership, never to the victim.
"""

from __future__ import annotations

import datetime
import re

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case, ParticipantRole
from openmarac.meetings.models import Listing, ListingStatus
from openmarac.partnerships.models import Partnership
from openmarac.proceedings.models import Hearing

from .models import Letter, LetterKind, LetterTemplate

PLACEHOLDERS = {
    "case_reference": "The MARAC case reference",
    "victim_name": "The victim's name",
    "perpetrator_names": "The alleged perpetrators' names",
    "first_heard_on": "The date the MARAC first heard the case",
    "last_heard_on": "The date the MARAC last heard the case",
    "area": "The area MARAC",
    "partnership": "The partnership",
    "recipient": "Who the letter is addressed to",
    "date": "Today's date",
}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")

DEFAULT_TEMPLATES = {
    LetterKind.LEGAL_AID: (
        "{date}\n\n"
        "{recipient}\n\n"
        "Our reference: {case_reference}\n\n"
        "Dear Sir or Madam\n\n"
        "Confirmation of a referral to a multi-agency risk assessment conference (MARAC)\n\n"
        "I confirm that {victim_name} was referred to the {area} MARAC, which considers cases "
        "of domestic abuse assessed as at high risk of serious harm, and that the case was heard "
        "at the MARAC meeting on {first_heard_on} (most recently on {last_heard_on}).\n\n"
        "This letter is provided at the request of {victim_name} for the purposes of an "
        "application for civil legal aid. It confirms the referral only: the MARAC's "
        "information and minutes are confidential and are not disclosed with it.\n\n"
        "Yours faithfully\n\n"
        "MARAC administration team\n{partnership}"
    ),
    LetterKind.HOUSING_SUPPORT: (
        "{date}\n\n"
        "{recipient}\n\n"
        "Our reference: {case_reference}\n\n"
        "Dear colleague\n\n"
        "Support for a victim of domestic abuse heard at MARAC\n\n"
        "{victim_name} has been assessed as at high risk of serious harm from domestic abuse "
        "and the case was considered by the {area} MARAC on {last_heard_on}. The MARAC asks "
        "your agency to take this into account in its housing decisions and to give the case "
        "priority in line with your allocation and homelessness policies.\n\n"
        "Please do not send this letter, or any copy of it, to the victim's address, and do "
        "not discuss it with the alleged perpetrator. Contact the MARAC administration team "
        "through the usual secure route, quoting the reference above.\n\n"
        "Yours faithfully\n\n"
        "MARAC administration team\n{partnership}"
    ),
}


class LetterError(Exception):
    """A letter the rules do not allow; the message is safe to show."""


def unknown_placeholders(body: str) -> list[str]:
    return sorted({name for name in _PLACEHOLDER.findall(body) if name not in PLACEHOLDERS})


def template_for(partnership: Partnership, kind: str) -> LetterTemplate:
    """The partnership's template of ``kind``, the built-in wording until the hub edits it."""
    found = LetterTemplate.objects.filter(partnership=partnership, kind=kind).first()
    return found or LetterTemplate(
        partnership=partnership, kind=kind, body=DEFAULT_TEMPLATES[LetterKind(kind)]
    )


@transaction.atomic
def template_save(
    *,
    partnership: Partnership,
    kind: str,
    body: str,
    actor: User,
    request: HttpRequest | None = None,
) -> LetterTemplate:
    unknown = unknown_placeholders(body)
    if unknown:
        raise LetterError(f"Unknown placeholder: {{{unknown[0]}}}. Use only those listed")
    template, _ = LetterTemplate.objects.update_or_create(
        partnership=partnership,
        kind=kind,
        defaults={"body": body.strip(), "updated_by": actor, "updated_at": timezone.now()},
    )
    audit_record(action="letter_template.save", request=request, actor=actor, obj=template)
    return template


def heard_on(case: Case) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last days a meeting heard the case, or (None, None)."""
    days = sorted(
        Listing.objects.filter(case=case)
        .filter(pk__in=Hearing.objects.filter(listing__case=case).values("listing_id"))
        .values_list("meeting__starts_on", flat=True)
    ) or sorted(
        Listing.objects.filter(case=case, status=ListingStatus.HEARD).values_list(
            "meeting__starts_on", flat=True
        )
    )
    if not days and case.last_heard_on:
        days = [case.last_heard_on]
    return (days[0], days[-1]) if days else (None, None)


def _fill(body: str, values: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), body)


@transaction.atomic
def letter_write(
    *,
    case: Case,
    kind: str,
    recipient: str,
    actor: User,
    agency: Agency | None = None,
    request: HttpRequest | None = None,
) -> Letter:
    """Write a letter from the partnership's template and keep it against the case."""
    if kind not in LetterKind.values:
        raise LetterError("Choose a kind of letter")
    first, last = heard_on(case)
    if kind == LetterKind.LEGAL_AID and first is None:
        raise LetterError("A legal aid letter is only for a victim whose case was heard at MARAC")
    if kind == LetterKind.HOUSING_SUPPORT:
        if agency is None or agency.partnership_id != case.partnership_id or agency.is_hub:
            raise LetterError("Choose the agency the letter goes to: never the victim")
        if first is None:
            raise LetterError("A housing support letter is for a case heard at MARAC")
    if not recipient.strip():
        raise LetterError("Enter who the letter is addressed to, and where")
    victims = case.participants.filter(role=ParticipantRole.VICTIM).select_related("person")
    perpetrators = case.participants.filter(role=ParticipantRole.PERPETRATOR).select_related(
        "person"
    )
    addressee = recipient.strip()
    if agency is not None:
        addressee = f"{addressee}\n{agency.name}"
    body = _fill(
        template_for(case.partnership, kind).body,
        {
            "case_reference": case.reference,
            "victim_name": ", ".join(p.person.display_name for p in victims) or "the victim",
            "perpetrator_names": ", ".join(p.person.display_name for p in perpetrators),
            "first_heard_on": f"{first:%-d %B %Y}" if first else "",
            "last_heard_on": f"{last:%-d %B %Y}" if last else "",
            "area": case.area.name,
            "partnership": case.partnership.name,
            "recipient": addressee,
            "date": f"{timezone.localdate():%-d %B %Y}",
        },
    )
    letter = Letter.objects.create(
        case=case,
        kind=kind,
        recipient_agency=agency,
        recipient=addressee,
        body=body,
        written_by=actor,
        written_at=timezone.now(),
    )
    audit_record(
        action="letter.write",
        request=request,
        actor=actor,
        obj=case,
        detail={"letter": letter.pk, "kind": kind, "agency": agency.pk if agency else None},
    )
    return letter
