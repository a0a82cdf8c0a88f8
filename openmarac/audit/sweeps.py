"""Anchoring the audit chain's head outside the database (see ``anchor.py``).

* ``audit.anchor`` — at every sweep, write the chain head (newest entry's id and digest, number
  of entries) to the application log; and once a local calendar day, record a signed anchor
  notice for each partnership's security contact (the hub's address if it has none). The
  notice's instance names the partnership and the day, so a re-run, a second worker or a sweep
  after a crash records nothing new that day; the outbox delivers it after commit, or at the next
  sweep if delivery failed.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction

from openmarac.core.workdays import local_date
from openmarac.jobs.registry import sweep_step
from openmarac.notifications.models import Notice
from openmarac.notifications.services import notice_key, notice_record
from openmarac.partnerships.models import Partnership

from .anchor import Anchor, anchor_sign, chain_head

logger = logging.getLogger(__name__)

EVENT = "audit.anchor"


def anchor_instance(partnership: Partnership, day: datetime.date) -> str:
    return f"audit-anchor:{partnership.pk}:{day.isoformat()}"


def anchor_email_body(head: Anchor, signed: str) -> str:
    """The daily anchor e-mail: the head, its time and signature, and how to check. No case data."""
    assert head.at is not None
    return (
        "This is the daily anchor of the MARAC service's audit log: a copy of its newest entry, "
        "sent outside the database so that removing the newest entries can be found later. It "
        "holds no case data.\n\n"
        "Keep this e-mail where the service's database and server administrators cannot change "
        "or delete it.\n\n"
        f"Newest entry: {head.event_id}\n"
        f"Entries up to it: {head.count}\n"
        f"Its digest (SHA-256): {head.digest}\n"
        f"Anchored at: {head.at:%Y-%m-%d %H:%M:%S} UTC\n\n"
        "Signed anchor (HMAC-SHA256 under a key derived from the service's secret key):\n"
        f"{signed}\n\n"
        "To check the audit log against it, a service administrator runs on the server:\n\n"
        f"    manage.py verify_audit --anchor {signed}\n\n"
        "The check fails if the anchored entry, or any entry before it, was removed or changed. "
        "Entries written after it are checked by the chain as usual.\n"
    )


@sweep_step("audit.anchor")
def anchor_chain_head(now: datetime.datetime) -> int:
    """Log the chain head; record today's signed anchor notice for each partnership once."""
    head = chain_head(now=now)
    if head is None:
        logger.info("audit.chain_head empty", extra={"audit_chain_head": None})
        return 0
    # Identifiers and a digest only: nothing here says who did what.
    logger.info(
        "audit.chain_head event_id=%s count=%s digest=%s",
        head.event_id,
        head.count,
        head.digest,
        extra={
            "audit_chain_head": {
                "event_id": head.event_id,
                "count": head.count,
                "digest": head.digest,
            }
        },
    )
    day = local_date(now)
    signed = ""
    recorded = 0
    for partnership in Partnership.objects.order_by("pk"):
        contact = partnership.security_contact_email or partnership.hub_email
        instance = anchor_instance(partnership, day)
        # The outbox's unique key already makes this once a day; looking first spares the
        # database a refused insert at every sweep.
        if not contact or Notice.objects.filter(key=notice_key(EVENT, instance, contact)).exists():
            continue
        signed = signed or anchor_sign(head)
        with transaction.atomic():
            recorded += bool(
                notice_record(
                    event=EVENT,
                    instance=instance,
                    recipient_email=contact,
                    subject=f"OpenMARAC audit anchor for {day.day} {day:%B %Y}",
                    body=anchor_email_body(head, signed),
                    obj=partnership,
                )
            )
    return recorded
