from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openmarac.demo.partnership import load_demo
from openmarac.partnerships.models import Partnership


class Command(BaseCommand):
    help = "Load the fictional demo partnership (never in production)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing if a partnership exists."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Partnership.objects.exists():
            if options["if_empty"]:
                self.stdout.write("A partnership already exists: demo not loaded")
                return
            raise CommandError("A partnership already exists; this installation holds only one")
        try:
            partnership = load_demo()
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Loaded the demo partnership: {partnership.name}")
