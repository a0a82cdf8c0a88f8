"""Is a new referral a repeat of an earlier case, and which earlier cases give it context?

The rules (marac-domain.md "Repeats and related referrals"; 000 Appendix G, 002 §8, 003, 004
§4.2.3):

* **Repeat**: an earlier case of the same area with the same victim and any of the same
  perpetrators (an incident with any of several perpetrators counts), referred (or heard, by the
  area's ``repeat_from``) within the area's repeat window. It needs no high-risk threshold.
* **Not repeats**, new cases linked for context: same victim with a different perpetrator; same
  perpetrator with a different victim; the same pair beyond the window; the same pair heard by
  another area MARAC; an information-only mention (no further incident).
* **Gwent**: a repeat within ``repeat_idva_only_within_months`` of the meeting that last heard
  the case, with the victim engaged with the IDVA, goes to the IDVA service only.
* **Archived** (Lincolnshire 002 §22): the same pair beyond the window on an archived case of the
  area is not a new case: the referral re-opens the archived case (``reopens``), processed as a
  new referral. Naming only one of them links the new case to the archived one, which stays
  archived.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta

from openmarac.cases.models import Case, CaseLinkKind, ParticipantRole
from openmarac.partnerships.models import RepeatFrom
from openmarac.referrals.models import Referral


@dataclass
class RepeatAssessment:
    repeat_of: Case | None = None
    related: list[tuple[Case, str]] = field(default_factory=list)
    reopens: Case | None = None  # an archived case of the same pair, to un-archive and re-open

    @property
    def is_repeat(self) -> bool:
        return self.repeat_of is not None


def _anchor(case: Case, repeat_from: str) -> datetime.date | None:
    """The date the repeat window runs from: the last referral, or the last hearing."""
    referred = case.last_referred_at.date() if case.last_referred_at else case.created_at.date()
    if repeat_from == RepeatFrom.LAST_MEETING and case.last_heard_on is not None:
        return case.last_heard_on
    return referred


def within_window(case: Case, *, months: int, repeat_from: str, today: datetime.date) -> bool:
    anchor = _anchor(case, repeat_from)
    return anchor is not None and today <= anchor + relativedelta(months=months)


def repeat_assess(
    *, referral: Referral, today: datetime.date, information_only: bool = False
) -> RepeatAssessment:
    """Compare the referral's (linked) people with every earlier case of the partnership."""
    assert referral.area is not None
    policy = referral.area.policy
    roles: dict[str, set[int]] = {}
    for participant in referral.participants.all():
        roles.setdefault(participant.role, set()).add(participant.person_id)
    victims = roles.get(ParticipantRole.VICTIM, set())
    perpetrators = roles.get(ParticipantRole.PERPETRATOR, set())
    children = roles.get(ParticipantRole.CHILD, set())
    result = RepeatAssessment()
    candidates = (
        Case.objects.filter(
            partnership_id=referral.partnership_id,
            participants__person_id__in=victims | perpetrators | children,
        )
        .exclude(pk=referral.case_id or 0)
        .distinct()
        .select_related("area")
        .prefetch_related("participants")
    )
    repeats: list[Case] = []
    archived: list[Case] = []
    for case in candidates:
        case_roles: dict[str, set[int]] = {}
        for cp in case.participants.all():
            case_roles.setdefault(cp.role, set()).add(cp.person_id)
        same_victim = bool(victims & case_roles.get(ParticipantRole.VICTIM, set()))
        same_perpetrator = bool(perpetrators & case_roles.get(ParticipantRole.PERPETRATOR, set()))
        if same_victim and same_perpetrator:
            if case.area_id != referral.area_id:
                result.related.append((case, CaseLinkKind.HEARD_ELSEWHERE))
            elif not within_window(
                case,
                months=policy.repeat_window_months,
                repeat_from=policy.repeat_from,
                today=today,
            ):
                if case.archived_at is not None and not information_only:
                    archived.append(case)
                else:
                    result.related.append((case, CaseLinkKind.EARLIER_OUT_OF_WINDOW))
            elif information_only:
                result.related.append((case, CaseLinkKind.INFORMATION_ONLY))
            else:
                repeats.append(case)
        elif same_victim:
            result.related.append((case, CaseLinkKind.SAME_VICTIM_OTHER_PERPETRATOR))
        elif same_perpetrator:
            result.related.append((case, CaseLinkKind.SAME_PERPETRATOR_OTHER_VICTIM))
        elif children & case_roles.get(ParticipantRole.CHILD, set()):
            result.related.append((case, CaseLinkKind.CHILD_IN_COMMON))
    if repeats:
        repeats.sort(key=lambda c: (_anchor(c, policy.repeat_from) or datetime.date.min, c.pk))
        result.repeat_of = repeats[-1]
    if archived:
        archived.sort(key=lambda c: (_anchor(c, policy.repeat_from) or datetime.date.min, c.pk))
        if result.repeat_of is None:
            result.reopens = archived.pop()
        result.related.extend((case, CaseLinkKind.EARLIER_OUT_OF_WINDOW) for case in archived)
    return result


def idva_only(
    case: Case, *, months: int | None, victim_engaged: bool, today: datetime.date
) -> bool:
    """Gwent: a repeat soon after the last hearing, victim engaged, goes to the IDVA only."""
    if not months or not victim_engaged or case.last_heard_on is None:
        return False
    return today <= case.last_heard_on + relativedelta(months=months)
