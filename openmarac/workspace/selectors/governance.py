"""The retention reviewers' home (the hub team and information governance)."""

from __future__ import annotations

from openmarac.accounts.models import User
from openmarac.core.decorators import reviews_retention
from openmarac.retention.selectors import QUEUE_VIEWS, retention_queue_for

from .work import Kind, WorkList


def governance_work(user: User) -> list[WorkList]:
    """Archived cases due for their retention review, as the retention queue's "due" view lists
    them. None for anyone who does not review retention."""
    if not reviews_retention(user):
        return []
    return [
        WorkList(
            slug="retention-due",
            title="Retention reviews due",
            kind=Kind.RETENTION,
            rows=retention_queue_for(user).filter(QUEUE_VIEWS["due"][1]),
            empty="No retention review is due.",
        )
    ]
