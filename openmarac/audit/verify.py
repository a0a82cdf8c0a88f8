"""Recomputing the audit chain to find the first entry that was changed, removed or inserted."""

from __future__ import annotations

from dataclasses import dataclass

from .models import AuditEvent
from .services import GENESIS, entry_digest


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # id of the first entry whose link or hash does not hold
    problem: str


def audit_chain_verify(*, chunk: int = 2000) -> ChainReport:
    """Walk the log in order: each entry must hash to its own hash and point at the one before."""
    previous = GENESIS
    checked = 0
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=chunk):
        if event.previous_hash != previous:
            return ChainReport(checked, event.pk, "does not link to the entry before it")
        if entry_digest(event) != event.entry_hash:
            return ChainReport(checked, event.pk, "its contents do not match its hash")
        previous = event.entry_hash
        checked += 1
    return ChainReport(checked, None, "")
