"""The retention steps of the daily sweep (see ``openmarac.jobs``).

Each runs in every sweep and finds from the data what is due. Re-applying disposals that a
restored backup undid runs in every sweep too, so the worker's first sweep after a restore puts
them back even if nobody ran ``manage.py retention_reapply`` (docs/retention.md).
"""

from __future__ import annotations

import datetime

from openmarac.drafts.services import form_drafts_purge
from openmarac.jobs.registry import sweep_step

from . import purge
from .decisions import disposals_reapply
from .services import retention_archive_due, retention_mark_due


@sweep_step("retention.reapply_disposals")
def reapply_disposals(now: datetime.datetime) -> int:
    return disposals_reapply(now=now)


@sweep_step("retention.archive")
def archive(now: datetime.datetime) -> int:
    return retention_archive_due(now=now)


@sweep_step("retention.mark_due")
def mark_due(now: datetime.datetime) -> int:
    return retention_mark_due(now=now)


@sweep_step("retention.purge")
def purge_expired(now: datetime.datetime) -> int:
    return (
        purge.drafts_purge(now=now)
        + purge.unverified_purge(now=now)
        + purge.notices_purge(now=now)
        + purge.sign_in_records_purge(now=now)
        + purge.sars_purge(now=now)
        + form_drafts_purge(now=now)
    )
