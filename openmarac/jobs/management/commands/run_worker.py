import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from openmarac.jobs.services import heartbeat, run_sweep
from openmarac.notifications.services import worker_name

logger = logging.getLogger("openmarac.jobs.worker")


class Command(BaseCommand):
    help = (
        "Run the deadline sweep every --interval seconds until stopped. Run one per host, or "
        "several against PostgreSQL (and optionally Redis): every step is idempotent."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=60.0, help="seconds between sweeps")
        parser.add_argument("--sweeps", type=int, default=0, help="stop after this many (0: never)")

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: Any) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        name = worker_name()
        started = timezone.now()
        done = 0
        logger.info("worker %s started", name)
        while not stopping:
            close_old_connections()
            try:
                report = run_sweep()
                heartbeat(name=name, started_at=started)
                logger.info(
                    "sweep done: %s steps, %s failed, %s notices sent",
                    len(report.counts),
                    len(report.failed),
                    report.delivered,
                )
            except Exception:  # the database may be briefly unavailable: try again next time
                logger.exception("sweep failed")
            done += 1
            if options["sweeps"] and done >= options["sweeps"]:
                break
            deadline = time.monotonic() + options["interval"]
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
        logger.info("worker %s stopped", name)
