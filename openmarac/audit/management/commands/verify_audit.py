"""``manage.py verify_audit``: recompute the audit hash chain; exit 1 at the first broken link.

With ``--anchor`` (a digest, or the signed anchor from the daily anchor e-mail) it also checks
that the log still holds everything up to the anchored entry, which the chain alone cannot show.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openmarac.audit.anchor import AnchorError, anchor_parse
from openmarac.audit.verify import audit_chain_verify, audit_chain_verify_anchor


class Command(BaseCommand):
    help = (
        "Recompute the audit log's hash chain and report the first broken link; with --anchor, "
        "also check that nothing up to the anchored entry was removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--anchor",
            help="the chain head's digest, or the whole signed anchor line from an anchor e-mail",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["anchor"]:
            self._check_anchor(options["anchor"])
            return
        report = audit_chain_verify()
        if report.broken_at is not None:
            raise CommandError(
                f"Audit chain broken at event {report.broken_at}: {report.problem} "
                f"({report.checked} entries before it are intact)."
            )
        self.stdout.write(f"Audit chain intact: {report.checked} entries.")

    def _check_anchor(self, text: str) -> None:
        try:
            anchor = anchor_parse(text)
        except AnchorError as exc:
            raise CommandError(f"Anchor refused: {exc}") from exc
        report = audit_chain_verify_anchor(anchor=anchor)
        if not report.holds:
            raise CommandError(f"Audit log does not hold the anchor: {report.problem}.")
        since = report.chain.checked - report.anchored_count
        signed = (
            f", anchored at {anchor.at:%Y-%m-%d %H:%M:%S} UTC, signature valid" if anchor.at else ""
        )
        self.stdout.write(
            f"Audit chain intact: {report.chain.checked} entries. The anchor holds: event "
            f"{report.anchored_id} with {report.anchored_count} entries up to it{signed}; "
            f"{since} entries written since."
        )
