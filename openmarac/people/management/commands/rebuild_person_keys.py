"""Recompute every person's blocking keys: after changing the key scheme or the index key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from openmarac.people.keys import person_keys_rebuild_all


class Command(BaseCommand):
    help = "Recompute every person's blocking keys (blind indexes) from their details."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        count = person_keys_rebuild_all(batch_size=options["batch_size"])
        self.stdout.write(f"Rebuilt the keys of {count} people.")
