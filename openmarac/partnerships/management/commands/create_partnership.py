from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from openmarac.checklists.services import checklists_load
from openmarac.partnerships.models import Partnership
from openmarac.partnerships.presets import PRESETS
from openmarac.partnerships.services import UnknownPreset, partnership_create_from_preset


class Command(BaseCommand):
    help = "Create this installation's partnership from one of the protocol presets."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--preset", required=True, choices=sorted(PRESETS))
        parser.add_argument("--name", help="The partnership's name; defaults to the preset's.")
        parser.add_argument(
            "--domain",
            action="append",
            required=True,
            help="An official e-mail domain (repeat for each).",
        )
        parser.add_argument("--hub-email", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if Partnership.objects.exists():
            raise CommandError("A partnership already exists; this installation holds only one")
        checklists_load()
        try:
            partnership = partnership_create_from_preset(
                preset=options["preset"],
                name=options["name"],
                official_email_domains=options["domain"],
                hub_email=options["hub_email"],
            )
        except UnknownPreset as exc:
            raise CommandError(str(exc)) from exc
        areas = ", ".join(a.name for a in partnership.areas.all())
        self.stdout.write(f"Created {partnership.name} with areas: {areas}")
