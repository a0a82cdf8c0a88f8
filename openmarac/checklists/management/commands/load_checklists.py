from typing import Any

from django.core.management.base import BaseCommand

from openmarac.checklists.services import checklists_load


class Command(BaseCommand):
    help = "Load the risk checklist definitions from CHECKLIST_DIR (new versions only)."

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = checklists_load()
        self.stdout.write(f"{len(loaded)} checklist definitions current")
