from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from openmarac.retention.decisions import disposals_reapply


class Command(BaseCommand):
    help = (
        "Dispose again of every case the disposal register names that a restored backup brought "
        "back. Run it after every restore, before the service is opened (docs/retention.md)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = disposals_reapply(now=timezone.now())
        self.stdout.write(f"disposals_reapplied={count}")
