"""``manage.py reporting_definitions``: write docs/reporting.md from the figures' one definition
(``openmarac/reports/catalogue.py``). A test fails when the two differ."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openmarac.reports.definitions_doc import reporting_markdown


class Command(BaseCommand):
    help = "Write docs/reporting.md from the reports' catalogue of figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", default="docs/reporting.md")

    def handle(self, *args: Any, **options: Any) -> None:
        Path(options["output"]).write_text(reporting_markdown(), encoding="utf-8")
        self.stdout.write(f"Wrote {options['output']}")
