"""The library of common interventions (000 §3.6, 001 interventions list, marac-domain step 6).

Choosing one pre-fills the action form; the text is always edited by the person proposing it and
never replaces free text. A partnership's hub can keep its own library (``Intervention`` rows);
until it does, this built-in list is used.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from openmarac.agencies.models import Sector
from openmarac.partnerships.models import Partnership


@dataclass(frozen=True)
class LibraryEntry:
    slug: str
    title: str
    what: str
    sector: str = ""


BUILT_IN: tuple[LibraryEntry, ...] = (
    LibraryEntry(
        "address-marker",
        "Police address marker",
        "Place a marker on the victim's address so that calls get an urgent response.",
        Sector.POLICE,
    ),
    LibraryEntry(
        "panic-alarm",
        "Panic alarm",
        "Arrange and fit a panic alarm at the victim's home and check it works.",
        Sector.POLICE,
    ),
    LibraryEntry(
        "sanctuary",
        "Sanctuary scheme / target hardening",
        "Refer the victim's home to the sanctuary scheme for target hardening.",
        Sector.HOUSING,
    ),
    LibraryEntry(
        "welfare-check",
        "Welfare check",
        "Carry out a welfare check on the victim and record the outcome.",
        Sector.POLICE,
    ),
    LibraryEntry(
        "dvds",
        "DVDS (Clare's Law) disclosure",
        "Consider a Domestic Violence Disclosure Scheme right-to-know disclosure.",
        Sector.POLICE,
    ),
    LibraryEntry(
        "dvpo-bail",
        "DVPO / bail conditions review",
        "Review bail conditions or apply for a domestic violence protection order.",
        Sector.POLICE,
    ),
    LibraryEntry(
        "child-family-assessment",
        "Child and family assessment",
        "Complete a child and family assessment for the children in the household.",
        Sector.CHILDRENS_SOCIAL_CARE,
    ),
    LibraryEntry(
        "housing-letter",
        "Housing support letter",
        "Send a housing support letter to the housing provider (to the agency, not the victim).",
        Sector.IDVA,
    ),
    LibraryEntry(
        "mappa-referral",
        "MAPPA / MASIP / MATAC / IOM referral",
        "Refer the perpetrator to MAPPA, MASIP, MATAC or IOM and share the outcome with MARAC.",
        Sector.PROBATION,
    ),
    LibraryEntry(
        "marac-transfer",
        "MARAC-to-MARAC transfer",
        "Transfer the case to the MARAC of the area the victim has moved to, with the minutes.",
        "",
    ),
    LibraryEntry(
        "lado-pipot",
        "LADO / PiPoT referral",
        "Refer to the LADO or the PiPoT lead, as the person works with children or adults at risk.",
        "",
    ),
    LibraryEntry(
        "rspca",
        "RSPCA referral",
        "Refer to the RSPCA about animals at risk in the household.",
        "",
    ),
    LibraryEntry(
        "victim-feedback",
        "Feedback to the victim",
        "Feed back to the victim what MARAC agreed, where it is safe to do so.",
        Sector.IDVA,
    ),
)


def library_for(partnership: Partnership) -> list[LibraryEntry]:
    """The partnership's active interventions, or the built-in list if it keeps none."""
    from .models import Intervention

    rows: QuerySet[Intervention] = Intervention.objects.filter(partnership=partnership)
    if not rows.exists():
        return list(BUILT_IN)
    return [
        LibraryEntry(slug=row.slug, title=row.title, what=row.what, sector=row.sector)
        for row in rows.filter(active=True)
    ]


def library_entry(partnership: Partnership, slug: str) -> LibraryEntry | None:
    return next((entry for entry in library_for(partnership) if entry.slug == slug), None)
