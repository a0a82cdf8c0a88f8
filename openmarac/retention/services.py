"""The retention sweep: archiving closed cases, scheduling their review and marking them due.
Reviewers' decisions, disposal and its re-application after a restore are in ``decisions.py``.

Every step is idempotent (the sweep's contract, ``openmarac.jobs``) and reads only the rows that
are due through partial indexes: ``case_to_archive_idx`` (closed cases not yet archived) and
``retention_review_idx`` (scheduled reviews by date).
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.cases.archive import case_archive, cases_due_for_archive
from openmarac.cases.models import Case
from openmarac.core.workdays import local_date
from openmarac.notifications.services import notice_record
from openmarac.partnerships.models import Partnership, RetentionReviewer

from .models import CaseRetention, DecisionKind, DisposalCertificate, RetentionDecision
from .models import RetentionState as State
from .register import register_append
from .rules import group_for, plan_for


def case_schedule(
    *, case: Case, today: datetime.date, actor: User | None = None, group_code: str = ""
) -> CaseRetention:
    """Work out ``case``'s next review under its group (``group_code``, else the one it had,
    else the area's default) and record it. A legal hold stays; a recommendation does not."""
    retention = CaseRetention.objects.filter(case=case).first()
    group = group_for(case, group_code or (retention.group_code if retention else ""))
    plan = plan_for(case, group, after=today)
    now = timezone.now()
    fields = {
        "group_code": group.code,
        "state": State.DUE if plan.review_on <= today else State.SCHEDULED,
        "review_on": plan.review_on,
        "ends_on": plan.ends_on if plan.store_end else None,
        "scheduled_at": now,
        "due_at": now if plan.review_on <= today else None,
        "recommended_by": None,
        "recommended_at": None,
    }
    if retention is None:
        retention = CaseRetention.objects.create(case=case, **fields)
    else:
        for name, value in fields.items():
            setattr(retention, name, value)
        retention.save()
    RetentionDecision.objects.create(
        case=case,
        kind=DecisionKind.SCHEDULED,
        group_code=group.code,
        until=plan.review_on,
        by=actor,
        at=now,
    )
    return retention


# The sweep commits its work in batches: one transaction (and one disk sync) per batch rather
# than per case, while a failure still leaves every earlier batch done.
BATCH = 200


def _batches(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + BATCH] for start in range(0, len(ids), BATCH)]


def retention_archive_due(*, now: datetime.datetime) -> int:
    """Archive every closed case past its flag period and archive delay, and schedule its
    retention review (the sweep step). Returns how many cases were archived."""
    today = local_date(now)
    archived = 0
    ids = list(cases_due_for_archive(today=today).values_list("pk", flat=True))
    for batch in _batches(ids):
        with transaction.atomic():
            for case in Case.objects.filter(pk__in=batch).select_related("area__policy"):
                if case_archive(case=case, today=today):
                    case.refresh_from_db(fields=["archived_at"])
                    case_schedule(case=case, today=today)
                    archived += 1
    return archived


def retention_mark_due(*, now: datetime.datetime) -> int:
    """Mark every scheduled review that has come (not on hold, case still archived) as due, and
    tell each partnership's reviewers how many cases are waiting. Reads ``retention_review_idx``."""
    today = local_date(now)
    ids = list(
        CaseRetention.objects.filter(
            state=State.SCHEDULED, held_at__isnull=True, review_on__lte=today
        )
        .filter(case__archived_at__isnull=False)
        .order_by("review_on", "pk")
        .values_list("pk", flat=True)
    )
    per_partnership: Counter[int] = Counter()
    marked = 0
    for batch in _batches(ids):
        with transaction.atomic():
            rows = (
                CaseRetention.objects.select_for_update(of=("self",))
                .filter(pk__in=batch, state=State.SCHEDULED, held_at__isnull=True)
                .select_related("case")
                .order_by("pk")
            )
            for retention in rows:
                retention.state = State.DUE
                retention.due_at = timezone.now()
                retention.save(update_fields=["state", "due_at"])
                RetentionDecision.objects.create(
                    case_id=retention.case_id, kind=DecisionKind.DUE, at=timezone.now()
                )
                audit_record(
                    action="retention.due",
                    actor_label="retention sweep",
                    obj=retention.case,
                    detail={"review_on": retention.review_on.isoformat()},
                )
                per_partnership[retention.case.partnership_id] += 1
                marked += 1
    for partnership in Partnership.objects.filter(pk__in=list(per_partnership)):
        _tell_reviewers(partnership=partnership, count=per_partnership[partnership.pk], on=today)
    return marked


def reviewers_of(partnership: Partnership) -> list[User]:
    """The information governance role's active holders in the partnership."""
    return list(
        User.objects.filter(
            is_active=True, is_information_governance=True, agency__partnership=partnership
        ).order_by("pk")
    )


def _tell_reviewers(*, partnership: Partnership, count: int, on: datetime.date) -> None:
    """One notice a day to the hub (and the information governance role, where an area names it
    as reviewer): how many cases fell due, never which."""
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('retention:queue')}"
    subject = "MARAC retention: cases are due for review"
    body = (
        f"{count} archived {'case is' if count == 1 else 'cases are'} now due for retention "
        f"review.\n\nSign in to see the retention queue: {link}\n"
    )
    instance = f"retention:{partnership.pk}:{on.isoformat()}"
    notice_record(
        event="retention.due",
        instance=instance,
        recipient_email=partnership.hub_email,
        subject=subject,
        body=body,
    )
    if partnership.areas.filter(
        policy__retention_reviewer=RetentionReviewer.INFORMATION_GOVERNANCE
    ).exists():
        for user in reviewers_of(partnership):
            notice_record(
                event="retention.due",
                instance=instance,
                recipient_email=user.email,
                recipient_user=user,
                subject=subject,
                body=body,
            )


def certificate_entry(certificate: DisposalCertificate) -> dict[str, object]:
    """A certificate as one register line: references, dates, the rule and counts only."""

    def day(value: datetime.date | None) -> str | None:
        return value.isoformat() if value else None

    def moment(value: datetime.datetime | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "case_reference": certificate.case_reference,
        "case_created_at": moment(certificate.case_created_at),
        "partnership": certificate.partnership_id,
        "area": certificate.area_id,
        "case_opened_on": day(certificate.case_opened_on),
        "case_closed_on": day(certificate.case_closed_on),
        "last_referred_on": day(certificate.last_referred_on),
        "archived_on": day(certificate.archived_on),
        "had_children": certificate.had_children,
        "restriction": certificate.restriction,
        "group_code": certificate.group_code,
        "rule": certificate.rule,
        "retention_ended_on": day(certificate.retention_ended_on),
        "recommended_by": certificate.recommended_by_id,
        "recommended_at": moment(certificate.recommended_at),
        "approved_by": certificate.approved_by_id,
        "approved_at": moment(certificate.approved_at),
        "disposed_at": moment(certificate.disposed_at),
        "counts": certificate.counts,
    }


def register_write(certificate: DisposalCertificate) -> None:
    register_append(certificate_entry(certificate))


def disposal_key(reference: str, created_at: datetime.datetime) -> str:
    """What names one disposed case in the register: its reference and creation time."""
    return f"{reference}|{created_at.isoformat()}"
