"""The daily purge of what is kept only for a while (settings ``PURGE_*_DAYS``).

* Referral drafts (and drafts an approver returned) not touched for ``PURGE_DRAFT_DAYS``: a
  referrer who never sent one has left it, and it holds a victim's details.
* Referrers' e-mail codes after ``PURGE_UNVERIFIED_DAYS``, and expired sessions at once (a
  referrer's session holds the address they were verifying).
* Notices sent (or never sent) ``PURGE_NOTICE_DAYS`` ago.
* Sign-in records: ended sessions and second-factor codes after ``PURGE_SIGN_IN_DAYS``.
* Subject access requests answered or withdrawn ``PURGE_SAR_DAYS`` ago, with their copies.
* Form drafts (text kept when a session ended under a long form) after
  ``PURGE_FORM_DRAFT_HOURS``: ``drafts.services.form_drafts_purge``, run by the same sweep step.

Each purge deletes rows (with whatever belongs to them, as a disposal does) and writes one audit
event with counts only. The audit log itself is never purged: it is hash-chained, and holds no
personal data.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q

from openmarac.accounts.models import EmailCode, UserSession
from openmarac.audit.services import audit_record
from openmarac.disclosure.models import SarStatus, SubjectAccessRequest
from openmarac.notifications.models import Notice
from openmarac.referrals.models import EmailVerification, Referral, ReferralStatus

from .disposal import _Walk

DRAFT_STATUSES = (ReferralStatus.DRAFT, ReferralStatus.RETURNED_BY_APPROVER)


def _days(days: int) -> datetime.timedelta:
    return datetime.timedelta(days=days)


@transaction.atomic
def drafts_purge(*, now: datetime.datetime) -> int:
    """Delete referral drafts untouched for ``PURGE_DRAFT_DAYS``, with anything they hold."""
    stale = Referral.objects.filter(
        status__in=DRAFT_STATUSES, updated_at__lt=now - _days(settings.PURGE_DRAFT_DAYS)
    )
    count = stale.count()
    if not count:
        return 0
    walk = _Walk()
    walk.run(Referral, stale, (Referral,))
    audit_record(
        action="retention.purge_drafts",
        actor_label="retention sweep",
        detail={"drafts": count, "older_than_days": settings.PURGE_DRAFT_DAYS},
    )
    return count


@transaction.atomic
def unverified_purge(*, now: datetime.datetime) -> int:
    """Delete referrers' e-mail codes after ``PURGE_UNVERIFIED_DAYS`` and expired sessions."""
    codes = EmailVerification.objects.filter(
        created_at__lt=now - _days(settings.PURGE_UNVERIFIED_DAYS)
    ).delete()[0]
    sessions = Session.objects.filter(expire_date__lt=now).delete()[0]
    if codes or sessions:
        audit_record(
            action="retention.purge_unverified",
            actor_label="retention sweep",
            detail={"codes": codes, "sessions": sessions},
        )
    return codes + sessions


@transaction.atomic
def notices_purge(*, now: datetime.datetime) -> int:
    """Delete notices sent, or recorded and never sent, ``PURGE_NOTICE_DAYS`` ago."""
    cutoff = now - _days(settings.PURGE_NOTICE_DAYS)
    deleted = Notice.objects.filter(
        Q(sent_at__lt=cutoff) | Q(sent_at__isnull=True, created_at__lt=cutoff)
    ).delete()[0]
    if deleted:
        audit_record(
            action="retention.purge_notices",
            actor_label="retention sweep",
            detail={"notices": deleted},
        )
    return deleted


@transaction.atomic
def sign_in_records_purge(*, now: datetime.datetime) -> int:
    """Delete ended sessions and expired second-factor codes after ``PURGE_SIGN_IN_DAYS``."""
    cutoff = now - _days(settings.PURGE_SIGN_IN_DAYS)
    sessions = UserSession.objects.filter(ended_at__lt=cutoff).delete()[0]
    codes = EmailCode.objects.filter(expires_at__lt=cutoff).delete()[0]
    if sessions or codes:
        audit_record(
            action="retention.purge_sign_in_records",
            actor_label="retention sweep",
            detail={"sessions": sessions, "codes": codes},
        )
    return sessions + codes


@transaction.atomic
def sars_purge(*, now: datetime.datetime) -> int:
    """Delete subject access requests closed ``PURGE_SAR_DAYS`` ago, with what they gathered."""
    cutoff = now - _days(settings.PURGE_SAR_DAYS)
    closed = SubjectAccessRequest.objects.exclude(status=SarStatus.OPEN).filter(
        Q(completed_at__lt=cutoff) | Q(completed_at__isnull=True, created_at__lt=cutoff)
    )
    count = closed.count()
    if count:
        closed.delete()
        audit_record(
            action="retention.purge_subject_access",
            actor_label="retention sweep",
            detail={"requests": count},
        )
    return count
