from typing import Any

from django.core.management.base import BaseCommand

from openmarac.jobs.services import run_sweep


class Command(BaseCommand):
    help = "Run every sweep step once, then deliver unsent notices."

    def handle(self, *args: Any, **options: Any) -> None:
        report = run_sweep()
        for name, count in sorted(report.counts.items()):
            self.stdout.write(f"{name}={count}")
        for name in report.skipped:
            self.stdout.write(f"{name}=skipped (another worker is running it)")
        for name in report.failed:
            self.stderr.write(f"{name}=failed")
        self.stdout.write(f"notices_delivered={report.delivered}")
        if report.failed:
            raise SystemExit(1)
