"""``manage.py verify_audit``: recompute the audit hash chain; exit 1 at the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from openmarac.audit.verify import audit_chain_verify


class Command(BaseCommand):
    help = "Recompute the audit log's hash chain and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        report = audit_chain_verify()
        if report.broken_at is not None:
            raise CommandError(
                f"Audit chain broken at event {report.broken_at}: {report.problem} "
                f"({report.checked} entries before it are intact)."
            )
        self.stdout.write(f"Audit chain intact: {report.checked} entries.")
