"""Running the sweep: every registered step, then delivery of unsent notices."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from openmarac.notifications.services import notices_deliver

from .locks import step_lock
from .models import SweepStepState, WorkerHeartbeat
from .registry import registered_steps

logger = logging.getLogger(__name__)


@dataclass
class SweepReport:
    counts: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    delivered: int = 0


def run_sweep(*, now: datetime.datetime | None = None, deliver: bool = True) -> SweepReport:
    """Run every step once for ``now`` (default: the current time), then send due notices.

    A step that fails is logged (its exception type, never data) and recorded; the others still
    run, and the next sweep tries it again.
    """
    report = SweepReport()
    for step in registered_steps():
        at = now or timezone.now()
        with step_lock(step.name) as acquired:
            if not acquired:
                report.skipped.append(step.name)
                continue
            state, _ = SweepStepState.objects.get_or_create(name=step.name)
            SweepStepState.objects.filter(pk=state.pk).update(last_started_at=timezone.now())
            try:
                count = int(step.function(at) or 0)
            except Exception as exc:
                logger.exception("sweep step %s failed", step.name)
                SweepStepState.objects.filter(pk=state.pk).update(
                    last_error=type(exc).__name__[:200],
                    failures=F("failures") + 1,
                    runs=F("runs") + 1,
                    last_finished_at=timezone.now(),
                )
                report.failed.append(step.name)
                continue
            SweepStepState.objects.filter(pk=state.pk).update(
                last_count=count,
                last_error="",
                runs=F("runs") + 1,
                last_finished_at=timezone.now(),
            )
            report.counts[step.name] = count
    if deliver:
        report.delivered = notices_deliver()
    return report


def heartbeat(*, name: str, started_at: datetime.datetime) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(name=name).update(
        last_seen_at=now, sweeps=F("sweeps") + 1
    )
    if not updated:
        WorkerHeartbeat.objects.create(name=name, started_at=started_at, last_seen_at=now, sweeps=1)
