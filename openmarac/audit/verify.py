"""Recomputing the audit chain to find the first entry that was changed, removed or inserted,
and checking the log against an anchor of its head kept outside the database."""

from __future__ import annotations

from dataclasses import dataclass

from .anchor import Anchor
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


@dataclass(frozen=True)
class AnchorReport:
    chain: ChainReport
    problem: str  # empty when the log holds the anchor
    anchored_id: int | None = None
    anchored_count: int = 0  # entries up to and including the anchored one, as found now

    @property
    def holds(self) -> bool:
        return not self.problem


def audit_chain_verify_anchor(*, anchor: Anchor, chunk: int = 2000) -> AnchorReport:
    """Check the log against an anchor taken earlier (see ``anchor.py``).

    The anchored entry must still be there with the anchored digest (and id, if the anchor has
    one), the whole chain must verify, and the number of entries up to the anchored one must be
    the anchor's count. Entries written after the anchor are checked by the chain alone.
    """
    anchored = AuditEvent.objects.filter(entry_hash=anchor.digest).values_list("id", flat=True)
    anchored_id = anchored.first()
    chain = audit_chain_verify(chunk=chunk)
    label = f"event {anchor.event_id}" if anchor.event_id is not None else "the anchored entry"
    if anchored_id is None:
        return AnchorReport(
            chain,
            f"{label} (digest {anchor.digest[:16]}…) is no longer in the audit log: the log was "
            "cut short or rewritten at or before the anchor",
        )
    if anchor.event_id is not None and anchored_id != anchor.event_id:
        return AnchorReport(
            chain,
            f"the anchored digest now belongs to event {anchored_id}, not {anchor.event_id}: "
            "the log was rewritten",
            anchored_id,
        )
    if chain.broken_at is not None:
        return AnchorReport(
            chain,
            f"the chain is broken at event {chain.broken_at}: {chain.problem}",
            anchored_id,
        )
    count = AuditEvent.objects.filter(id__lte=anchored_id).count()
    if anchor.count is not None and count != anchor.count:
        return AnchorReport(
            chain,
            f"{count} entries up to event {anchored_id}, but the anchor recorded {anchor.count}: "
            "entries at or before the anchor were removed or added",
            anchored_id,
            count,
        )
    return AnchorReport(chain, "", anchored_id, count)
