"""Archiving closed cases, and bringing one back when the same people are referred again.

* A closed case is archived once its flag period has ended and the area's
  ``archive_after_days`` have passed since the later of its closure and that end
  (``cases_due_for_archive``, ``case_archive``). An archived case is read-only: it is out of
  ``cases_visible_to``, so of every list, page and form, and the hub finds it only through the
  archive search. The retention app's daily sweep archives cases and schedules their review.
* A new referral naming the same victim and perpetrator un-archives the case, which is then
  re-opened by the referral like any other (Lincolnshire 002 §22, ``case_unarchive``); a referral
  naming only one of them opens a new case linked to the archived one, which stays archived.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from openmarac.audit.services import audit_record

from .models import Case, CaseStatus

if TYPE_CHECKING:
    from django.http import HttpRequest

    from openmarac.accounts.models import User


def archive_on(case: Case) -> datetime.date | None:
    """The day ``case`` is due to be archived, or None while it is open."""
    if case.status != CaseStatus.CLOSED or case.closed_at is None:
        return None
    closed_on = timezone.localdate(case.closed_at)
    flags_end = case.open_until or closed_on
    return max(closed_on, flags_end) + datetime.timedelta(days=case.area.policy.archive_after_days)


def cases_due_for_archive(*, today: datetime.date) -> QuerySet[Case]:
    """Closed, unarchived cases that may be due today, read from the partial index
    ``case_to_archive_idx`` (only closed cases not yet archived are in it). The caller checks each
    against ``archive_on``: the area's delay is applied in Python, on these few rows."""
    return (
        Case.objects.filter(status=CaseStatus.CLOSED, archived_at__isnull=True)
        .filter(closed_at__lt=timezone.now())
        .filter(Q(open_until__isnull=True) | Q(open_until__lt=today))
        .select_related("area__policy")
        .order_by("closed_at", "pk")
    )


@transaction.atomic
def case_archive(*, case: Case, today: datetime.date) -> bool:
    """Archive ``case`` if it is closed and past its archive date. Idempotent; returns whether
    it archived the case. Called by the retention sweep, which schedules the review with it."""
    case = (
        Case.objects.select_for_update(of=("self",)).select_related("area__policy").get(pk=case.pk)
    )
    due = archive_on(case)
    if case.archived_at is not None or due is None or due > today:
        return False
    case.archived_at = timezone.now()
    case.save(update_fields=["archived_at"])
    audit_record(
        action="case.archive",
        actor_label="retention sweep",
        obj=case,
        detail={"archive_on": due.isoformat()},
    )
    return True


@transaction.atomic
def case_unarchive(
    *, case: Case, actor: User, reason: str, request: HttpRequest | None = None
) -> Case:
    """Bring an archived case back into scope, for a referral naming the same people (002 §22).

    The caller re-opens it (triage accepts the referral onto it). ``reason`` is a code for the
    audit log, e.g. ``"re_referral"``; it holds no personal data.
    """
    updated = Case.objects.filter(pk=case.pk, archived_at__isnull=False).update(archived_at=None)
    if updated:
        audit_record(
            action="case.unarchive",
            request=request,
            actor=actor,
            obj=case,
            detail={"reason": reason},
        )
    case.refresh_from_db(fields=["archived_at"])
    return case


def archived_same_people(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Of ``cases``, those archived, the most recently closed first."""
    return cases.filter(archived_at__isnull=False).order_by(F("closed_at").desc(nulls_last=True))
