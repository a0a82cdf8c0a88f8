"""Each section of the case record, read for one user from what they may see.

The caller has fetched the case through ``cases_visible_to`` (so restricted cases and conflicts
behave as everywhere else) and audited the view. Each section is then scoped by the rule of the
page it summarises:

* people, referrals (checklist score and criteria met, never the answers), weekly updates and
  related cases: anyone who may see the case, as on the case and weekly updates pages;
* hearings: the hub sees every listing; others those on a published agenda, as on the meeting
  page; a link to the case's minutes section only where ``minutes_sections_readable`` allows;
* research: as on the research page: the hub, or anyone once the agenda is published;
* actions: ``actions_for_case``, as on the case page;
* court orders: the hub (``court_orders_for_hub``) or the chair asked about them
  (``court_orders_for_chair``); letters: the hub, as on the letters page.

Every section is read in a fixed number of queries, however many rows the case has.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.actions.models import Action
from openmarac.actions.selectors import actions_for_case
from openmarac.cases.lifecycle import case_is_frozen
from openmarac.cases.models import Case, CaseLink, CaseParticipant, ParticipantRole
from openmarac.cases.selectors import CaseLabel, case_label_for, cases_visible_to
from openmarac.core.decorators import is_hub
from openmarac.core.workdays import local_date
from openmarac.disclosure.models import CourtOrder
from openmarac.disclosure.selectors import court_orders_for_chair, court_orders_for_hub
from openmarac.letters.models import Letter
from openmarac.meetings.models import Listing, ListingStatus
from openmarac.proceedings.models import Hearing
from openmarac.proceedings.selectors import minutes_sections_readable
from openmarac.referrals.models import Referral, ReferralStatus
from openmarac.research.models import ResearchEntry, ResearchRequest
from openmarac.triage.models import WeeklyUpdate
from openmarac.triage.selectors import is_complex_case_candidate, weekly_updates_for

from .timeline import TimelineEvent, audit_events_for, timeline_of

# The criteria a referral can meet (``referrals.criteria``), by the slug kept on the referral.
CRITERIA = {
    "visible_high_risk": "Visible high risk",
    "potential_escalation": "Potential escalation",
    "professional_judgement": "Professional judgement",
    "repeat": "Repeat referral",
    "transfer_in": "Transfer from another MARAC",
    "dvds_disclosure": "DVDS disclosure",
}
RESEARCHED_ROLES = (ParticipantRole.VICTIM, ParticipantRole.PERPETRATOR, ParticipantRole.CHILD)


@dataclass(frozen=True)
class ReferralSummary:
    referral: Referral
    criteria: list[str]


@dataclass(frozen=True)
class HearingSummary:
    listing: Listing
    hearing: Hearing | None
    minutes_readable: bool


@dataclass(frozen=True)
class PersonFinding:
    participant: CaseParticipant
    entry: ResearchEntry | None


@dataclass(frozen=True)
class AgencyResearch:
    research: ResearchRequest
    findings: list[PersonFinding]
    late: bool


@dataclass(frozen=True)
class RelatedCase:
    label: CaseLabel
    kind: str


@dataclass
class CaseRecord:
    """Everything of one case one user may see, section by section."""

    case: Case
    hub: bool
    frozen: bool
    complex_candidate: bool
    repeat_count: int
    participants: list[CaseParticipant]
    referrals: list[ReferralSummary]
    hearings: list[HearingSummary]
    research: list[AgencyResearch]
    actions: list[Action]
    weekly_updates: list[WeeklyUpdate]
    related: list[RelatedCase]
    shows_disclosure: bool
    court_orders: list[CourtOrder]
    shows_letters: bool
    letters: list[Letter]
    timeline: list[TimelineEvent]


def _referrals(case: Case) -> list[ReferralSummary]:
    referrals = (
        Referral.objects.filter(case=case)
        .exclude(status=ReferralStatus.DRAFT)
        .select_related("referrer_agency", "checklist")
        .order_by("submitted_at", "pk")
    )
    return [
        ReferralSummary(
            referral=referral,
            criteria=[
                CRITERIA.get(slug, slug.replace("_", " ").capitalize())
                for slug in referral.criteria_met or []
            ],
        )
        for referral in referrals
    ]


def _hearings(user: User, case: Case, *, hub: bool) -> list[HearingSummary]:
    listings = (
        Listing.objects.filter(case=case)
        .exclude(status=ListingStatus.WITHDRAWN)
        .select_related("meeting__area", "meeting__record", "referral__referrer_agency", "hearing")
        .order_by("meeting__starts_on", "pk")
    )
    if not hub:
        listings = listings.filter(meeting__agenda_published_at__isnull=False)
    rows = list(listings)
    readable = minutes_sections_readable(user, rows)
    return [
        HearingSummary(
            listing=listing,
            hearing=getattr(listing, "hearing", None),
            minutes_readable=listing.pk in readable,
        )
        for listing in rows
    ]


def _research(
    case: Case, participants: list[CaseParticipant], *, hub: bool, today: datetime.date
) -> list[AgencyResearch]:
    requests = ResearchRequest.objects.filter(listing__case=case).select_related(
        "agency", "listing__meeting"
    )
    if not hub:
        requests = requests.filter(listing__meeting__agenda_published_at__isnull=False)
    found = list(requests.order_by("listing__meeting__starts_on", "agency__name", "pk"))
    entries = {
        (entry.request_id, entry.participant_id): entry
        for entry in ResearchEntry.objects.filter(request__in=[r.pk for r in found])
    }
    order = {role: index for index, role in enumerate(RESEARCHED_ROLES)}
    people = sorted(
        (p for p in participants if p.role in order),
        key=lambda p: (order[ParticipantRole(p.role)], p.pk),
    )
    return [
        AgencyResearch(
            research=research,
            findings=[
                PersonFinding(participant=p, entry=entries.get((research.pk, p.pk))) for p in people
            ],
            late=research.completed_at is None and research.due_on < today,
        )
        for research in found
    ]


def _related(user: User, case: Case) -> list[RelatedCase]:
    links = list(
        CaseLink.objects.filter(Q(case=case) | Q(related_case=case))
        .select_related("case", "related_case")
        .order_by("created_at", "pk")
    )
    others = [link.related_case if link.case_id == case.pk else link.case for link in links]
    visible = set(
        cases_visible_to(user).filter(pk__in=[c.pk for c in others]).values_list("pk", flat=True)
    )
    related = []
    for link, other in zip(links, others, strict=True):
        if other.pk in visible:
            label = CaseLabel(shown=True, text=other.reference, opens=True)
        else:
            label = case_label_for(user, other)  # named if conflicted, masked if HBA, or hidden
        if label.shown:
            related.append(RelatedCase(label=label, kind=link.get_kind_display()))
    return related


def _court_orders(user: User, case: Case, *, hub: bool) -> tuple[bool, list[CourtOrder]]:
    if hub:
        return True, list(court_orders_for_hub(user).filter(case=case))
    if user.is_chair:
        orders = list(court_orders_for_chair(user).filter(case=case))
        return bool(orders), orders
    return False, []


def case_record_for(*, user: User, case: Case) -> CaseRecord:
    """The case record of ``case`` as ``user`` may see it. ``case`` must come from
    ``cases_visible_to(user)`` with its area selected."""
    hub = is_hub(user)
    today = local_date(timezone.now())
    roles = {role: index for index, role in enumerate(ParticipantRole)}
    participants = sorted(
        case.participants.select_related("person").prefetch_related("person__addresses"),
        key=lambda p: (roles[ParticipantRole(p.role)], p.pk),
    )
    referrals = _referrals(case)
    hearings = _hearings(user, case, hub=hub)
    research = _research(case, participants, hub=hub, today=today)
    actions = list(actions_for_case(user, case))
    weekly_updates = list(weekly_updates_for(case).order_by("created_at", "pk"))
    shows_disclosure, court_orders = _court_orders(user, case, hub=hub)
    letters = list(case.letters.select_related("written_by", "recipient_agency")) if hub else []
    timeline = timeline_of(
        case=case,
        referrals=[summary.referral for summary in referrals],
        hearings=[(h.listing, h.hearing) for h in hearings],
        research=[r.research for r in research],
        actions=actions,
        weekly_updates=weekly_updates,
        audit=audit_events_for(case),
    )
    return CaseRecord(
        case=case,
        hub=hub,
        frozen=case_is_frozen(case),
        complex_candidate=is_complex_case_candidate(case, today=today),
        repeat_count=sum(1 for s in referrals if s.referral.is_repeat),
        participants=participants,
        referrals=referrals,
        hearings=hearings,
        research=research,
        actions=actions,
        weekly_updates=weekly_updates,
        related=_related(user, case),
        shows_disclosure=shows_disclosure,
        court_orders=court_orders,
        shows_letters=hub,
        letters=letters,
        timeline=timeline,
    )
