"""What reviewers decide on a case in the retention queue, and disposal itself.

Who may do what (the views check scope; these check roles and state):

* the hub team and the information governance role (``reviews_retention``) keep a case until a
  later review with a reason, place or lift a legal hold, move it to another retention group, or
  turn down a recommendation;
* only the area's named reviewer role (``AreaPolicy.retention_reviewer``) recommends disposal,
  and only once the retention period has ended and no hold is in place;
* a second person, never the one who recommended it, approves: the case is destroyed there and
  then, in one transaction with its certificate, its audit event and its line in the register.

Reasons and notes are encrypted; audit events hold identifiers and codes only.
"""

from __future__ import annotations

import datetime
from typing import TypedDict

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.audit.services import audit_record
from openmarac.cases.models import Case
from openmarac.core.decorators import is_hub, is_information_governance, reviews_retention
from openmarac.core.hooks import run_before_disposal
from openmarac.core.workdays import local_date
from openmarac.partnerships.models import RetentionEvent, RetentionGroup, RetentionReviewer

from .disposal import case_destroy
from .models import (
    CaseRetention,
    DecisionKind,
    DisposalCertificate,
    ReasonCategory,
    RetentionDecision,
)
from .models import RetentionState as State
from .register import register_entries
from .rules import disposal_allowed, group_for, period_end
from .services import case_schedule, certificate_entry, disposal_key, register_write


class RetentionError(Exception):
    """A decision the rules do not allow; the message is safe to show."""


def _today() -> datetime.date:
    return local_date(timezone.now())


def _lock(retention: CaseRetention) -> CaseRetention:
    locked = (
        CaseRetention.objects.select_for_update(of=("self",))
        .select_related("case__area__policy")
        .filter(pk=retention.pk)
        .first()
    )
    if locked is None or locked.case.archived_at is None:
        raise RetentionError("This case is no longer in the retention queue")
    return locked


def _reviewer(actor: User) -> None:
    if not reviews_retention(actor):
        raise RetentionError("Only the hub team or information governance can review retention")


def _record(
    retention: CaseRetention,
    *,
    kind: str,
    actor: User,
    request: HttpRequest | None,
    reason: str = "",
    detail: str = "",
    until: datetime.date | None = None,
    group_code: str = "",
) -> None:
    RetentionDecision.objects.create(
        case=retention.case,
        kind=kind,
        reason=reason,
        detail=detail.strip(),
        until=until,
        group_code=group_code,
        by=actor,
        at=timezone.now(),
    )
    audit_record(
        action=f"retention.{kind}",
        request=request,
        actor=actor,
        obj=retention.case,
        detail={
            key: value
            for key, value in {
                "reason": reason,
                "until": until.isoformat() if until else "",
                "group": group_code,
            }.items()
            if value
        },
    )


def _reason(reason: str) -> str:
    if reason not in ReasonCategory.values:
        raise RetentionError("Choose a reason")
    return reason


@transaction.atomic
def retention_extend(
    *,
    retention: CaseRetention,
    actor: User,
    until: datetime.date,
    reason: str,
    detail: str = "",
    request: HttpRequest | None = None,
) -> CaseRetention:
    """Keep the case until a later review on ``until`` (e.g. a live court case, a DARDR)."""
    _reviewer(actor)
    retention = _lock(retention)
    if until <= _today():
        raise RetentionError("The next review must be after today")
    retention.state = State.SCHEDULED
    retention.review_on = until
    retention.due_at = None
    retention.recommended_by = None
    retention.recommended_at = None
    retention.save()
    _record(
        retention,
        kind=DecisionKind.EXTEND,
        actor=actor,
        request=request,
        reason=_reason(reason),
        detail=detail,
        until=until,
    )
    return retention


@transaction.atomic
def retention_hold(
    *,
    retention: CaseRetention,
    actor: User,
    reason: str,
    detail: str = "",
    request: HttpRequest | None = None,
) -> CaseRetention:
    """Place a legal hold: the case is not reviewed or disposed of until the hold is lifted. A
    recommendation waiting for approval is withdrawn."""
    _reviewer(actor)
    retention = _lock(retention)
    if retention.is_held:
        raise RetentionError("The case is already on hold")
    retention.held_at = timezone.now()
    retention.held_by = actor
    retention.hold_reason = _reason(reason)
    if retention.state == State.RECOMMENDED:
        retention.state = State.DUE
        retention.recommended_by = None
        retention.recommended_at = None
    retention.save()
    _record(
        retention,
        kind=DecisionKind.HOLD,
        actor=actor,
        request=request,
        reason=reason,
        detail=detail,
    )
    return retention


@transaction.atomic
def retention_lift_hold(
    *, retention: CaseRetention, actor: User, detail: str, request: HttpRequest | None = None
) -> CaseRetention:
    """Lift a legal hold; a review date that passed meanwhile makes the case due at once."""
    _reviewer(actor)
    retention = _lock(retention)
    if not retention.is_held:
        raise RetentionError("The case is not on hold")
    if not detail.strip():
        raise RetentionError("Say why the hold can be lifted")
    retention.held_at = None
    retention.held_by = None
    retention.hold_reason = ""
    if retention.state == State.SCHEDULED and retention.review_on <= _today():
        retention.state = State.DUE
        retention.due_at = timezone.now()
    retention.save()
    _record(retention, kind=DecisionKind.LIFT, actor=actor, request=request, detail=detail)
    return retention


@transaction.atomic
def retention_change_group(
    *,
    retention: CaseRetention,
    actor: User,
    group_code: str,
    detail: str,
    request: HttpRequest | None = None,
) -> CaseRetention:
    """Move the case to another of its area's retention groups and schedule it under that."""
    _reviewer(actor)
    retention = _lock(retention)
    case = retention.case
    if not RetentionGroup.objects.filter(area_id=case.area_id, code=group_code).exists():
        raise RetentionError("Choose one of the area's retention groups")
    if group_code == retention.group_code:
        raise RetentionError("The case is already in that group")
    if not detail.strip():
        raise RetentionError("Say why the case belongs in that group")
    held = (retention.held_at, retention.held_by, retention.hold_reason)
    retention = case_schedule(case=case, today=_today(), actor=actor, group_code=group_code)
    retention.held_at, retention.held_by, retention.hold_reason = held
    retention.save()
    _record(
        retention,
        kind=DecisionKind.GROUP,
        actor=actor,
        request=request,
        detail=detail,
        group_code=group_code,
    )
    return retention


def holds_reviewer_role(actor: User, case: Case) -> bool:
    """Whether ``actor`` holds the role the case's area names to review and recommend."""
    if case.area.policy.retention_reviewer == RetentionReviewer.INFORMATION_GOVERNANCE:
        return is_information_governance(actor)
    return is_hub(actor)


@transaction.atomic
def retention_recommend(
    *, retention: CaseRetention, actor: User, detail: str = "", request: HttpRequest | None = None
) -> CaseRetention:
    """The first person: the period has ended and the case should be destroyed."""
    retention = _lock(retention)
    case = retention.case
    if not holds_reviewer_role(actor, case):
        raise RetentionError(
            f"Disposal in this area is recommended by {case.area.policy.get_retention_reviewer_display().lower()}"
        )
    if retention.is_held:
        raise RetentionError("The case is on hold: lift the hold first")
    if retention.state != State.DUE:
        raise RetentionError("Only a case due for review can be recommended for disposal")
    group = group_for(case, retention.group_code)
    if not disposal_allowed(case, group, today=_today()):
        raise RetentionError(
            "The retention period has not ended: keep the case until its next review"
        )
    retention.state = State.RECOMMENDED
    retention.recommended_by = actor
    retention.recommended_at = timezone.now()
    retention.save()
    _record(
        retention,
        kind=DecisionKind.RECOMMEND,
        actor=actor,
        request=request,
        reason=ReasonCategory.PERIOD_ENDED,
        detail=detail,
    )
    return retention


@transaction.atomic
def retention_reject(
    *, retention: CaseRetention, actor: User, detail: str, request: HttpRequest | None = None
) -> CaseRetention:
    """Turn down (or withdraw) a recommendation: the case is due for review again."""
    _reviewer(actor)
    retention = _lock(retention)
    if retention.state != State.RECOMMENDED:
        raise RetentionError("No disposal is waiting for approval")
    if not detail.strip():
        raise RetentionError("Say why the case should not be disposed of")
    retention.state = State.DUE
    retention.recommended_by = None
    retention.recommended_at = None
    retention.save()
    _record(retention, kind=DecisionKind.REJECT, actor=actor, request=request, detail=detail)
    return retention


def _rule_text(group: RetentionGroup) -> str:
    return f"{group.label} ({group.summary})"[:400]


class CertificateFields(TypedDict):
    """What a disposal certificate keeps of a case: dates, codes and counts, never a person."""

    partnership_id: int
    area_id: int
    case_reference: str
    case_created_at: datetime.datetime
    case_opened_on: datetime.date
    case_closed_on: datetime.date | None
    last_referred_on: datetime.date | None
    archived_on: datetime.date | None
    had_children: bool
    restriction: str
    group_code: str
    rule: str
    retention_ended_on: datetime.date | None


def _certificate_fields(case: Case, group: RetentionGroup) -> CertificateFields:
    ended = period_end(case, group)
    return {
        "partnership_id": case.partnership_id,
        "area_id": case.area_id,
        "case_reference": case.reference,
        "case_created_at": case.created_at,
        "case_opened_on": timezone.localdate(case.created_at),
        "case_closed_on": timezone.localdate(case.closed_at) if case.closed_at else None,
        "last_referred_on": timezone.localdate(case.last_referred_at)
        if case.last_referred_at
        else None,
        "archived_on": timezone.localdate(case.archived_at) if case.archived_at else None,
        "had_children": case.has_children,
        "restriction": case.restriction,
        "group_code": group.code,
        "rule": _rule_text(group),
        # A period that runs from a date of birth would give the birth date away: not kept.
        "retention_ended_on": ended if group.runs_from != RetentionEvent.DATE_OF_BIRTH else None,
    }


@transaction.atomic
def case_dispose(
    *, retention: CaseRetention, actor: User, request: HttpRequest | None = None
) -> DisposalCertificate:
    """The second person approves: destroy the case now and leave its certificate.

    In one transaction: the before-disposal hooks (``core.hooks``) run while every row is still
    there; the case and everything that belongs to it are deleted, with the people nobody else
    needs (``disposal.case_destroy``); the certificate is written, audited and appended to the
    register. Any failure rolls all of it back.
    """
    _reviewer(actor)
    retention = _lock(retention)
    case = Case.objects.select_for_update(of=("self",)).get(pk=retention.case_id)
    if retention.state != State.RECOMMENDED or retention.recommended_by_id is None:
        raise RetentionError("Disposal needs a recommendation first")
    if retention.recommended_by_id == actor.pk:
        raise RetentionError("A second person must approve: you recommended this disposal yourself")
    if retention.is_held:
        raise RetentionError("The case is on hold: it cannot be disposed of")
    group = group_for(case, retention.group_code)
    if not disposal_allowed(case, group, today=_today()):
        raise RetentionError("The retention period has not ended")
    fields = _certificate_fields(case, group)
    recommended = (retention.recommended_by, retention.recommended_at)
    case_pk = case.pk
    run_before_disposal(case=case)
    counts = case_destroy(case)
    now = timezone.now()
    certificate = DisposalCertificate.objects.create(
        **fields,
        recommended_by=recommended[0],
        recommended_at=recommended[1],
        approved_by=actor,
        approved_at=now,
        disposed_at=now,
        counts=counts,
    )
    audit_record(
        action="retention.dispose",
        request=request,
        actor=actor,
        object_type="cases.case",
        object_id=case_pk,
        detail={"certificate": certificate.pk, "rows": certificate.total_destroyed},
    )
    register_write(certificate)
    return certificate


def _date(value: object) -> datetime.date | None:
    return datetime.date.fromisoformat(str(value)) if value else None


def _user_id(value: object) -> int | None:
    return int(str(value)) if value else None


def _moment(value: object) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(str(value)) if value else None


@transaction.atomic
def case_dispose_again(
    *, case: Case, entry: dict[str, object] | None, now: datetime.datetime
) -> DisposalCertificate:
    """A disposed case is back (a restored backup): destroy it again, as the system, and mark its
    certificate as re-applied (re-creating it from the register where the restore lost it)."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    retention = CaseRetention.objects.filter(case=case).first()
    group = group_for(case, retention.group_code if retention else "")
    fields = _certificate_fields(case, group)
    case_pk = case.pk
    run_before_disposal(case=case)
    counts = case_destroy(case)
    certificate = DisposalCertificate.objects.filter(
        case_reference=fields["case_reference"], case_created_at=fields["case_created_at"]
    ).first()
    if certificate is None:
        original = entry or {}
        certificate = DisposalCertificate.objects.create(
            **{
                **fields,
                "case_opened_on": _date(original.get("case_opened_on")) or fields["case_opened_on"],
                "case_closed_on": _date(original.get("case_closed_on")) or fields["case_closed_on"],
                "rule": original.get("rule") or fields["rule"],
                "group_code": original.get("group_code") or fields["group_code"],
            },
            recommended_by_id=_user_id(original.get("recommended_by")),
            recommended_at=_moment(original.get("recommended_at")),
            approved_by_id=_user_id(original.get("approved_by")),
            approved_at=_moment(original.get("approved_at")),
            disposed_at=_moment(original.get("disposed_at")) or now,
            counts=original.get("counts") or counts,
            reapplied_at=now,
        )
    else:
        certificate.reapplied_at = now
        certificate.save(update_fields=["reapplied_at"])
    audit_record(
        action="retention.dispose_again",
        actor_label="retention sweep",
        object_type="cases.case",
        object_id=case_pk,
        detail={"certificate": certificate.pk, "rows": sum(counts.values())},
    )
    return certificate


def disposals_reapply(*, now: datetime.datetime) -> int:
    """Dispose again of every case the register or a certificate names that is back in the
    database (a restored backup), and add to the register any certificate it lacks.

    A case is named by its reference and creation time, so a later case given the same
    reference (the reference counter went back with the restore) is never touched. Runs in
    every sweep, so the worker's first sweep after a restore puts the disposals back;
    ``manage.py retention_reapply`` does the same before the service is opened to users.
    """
    entries = {
        f"{entry['case_reference']}|{entry['case_created_at']}": entry
        for entry in register_entries()
    }
    certificates = {
        disposal_key(reference, created): pk
        for pk, reference, created in DisposalCertificate.objects.values_list(
            "pk", "case_reference", "case_created_at"
        )
    }
    missing = sorted(pk for key, pk in certificates.items() if key not in entries)
    for start in range(0, len(missing), 500):
        for certificate in DisposalCertificate.objects.filter(
            pk__in=missing[start : start + 500]
        ).order_by("pk"):
            register_write(certificate)
            entry = certificate_entry(certificate)
            entries[f"{entry['case_reference']}|{entry['case_created_at']}"] = entry
    if set(certificates) == set(entries):
        # Every disposal in the register has its certificate here: nothing was restored over it.
        return 0
    references = sorted({key.rsplit("|", 1)[0] for key in set(entries) | set(certificates)})
    redisposed = 0
    for start in range(0, len(references), 500):
        chunk = references[start : start + 500]
        for case in Case.objects.filter(reference__in=chunk).order_by("pk"):
            key = disposal_key(case.reference, case.created_at)
            if key in entries or key in certificates:
                case_dispose_again(case=case, entry=entries.get(key), now=now)
                redisposed += 1
    return redisposed
