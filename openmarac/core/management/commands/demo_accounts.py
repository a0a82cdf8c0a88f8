from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from openmarac.core.demo import DEMO_DOMAIN, DEMO_PASSWORD, DEMO_USERS


class Command(BaseCommand):
    help = "Print the demo sign-in accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        port = options.get("port") or "8000"
        self.stdout.write(
            f"\nOpenMARAC demo: {settings.SITE_URL if settings.PRODUCTION else 'http://127.0.0.1:' + str(port)}/"
        )
        self.stdout.write(f"Sign in at /accounts/sign-in/ with password: {DEMO_PASSWORD}")
        for username, first, last, _agency, roles in DEMO_USERS:
            role = ", ".join(name.removeprefix("is_").replace("_", " ") for name in roles)
            self.stdout.write(f"  {username:<12} {first} {last} ({role})")
        self.stdout.write(
            f"Referrers need no account: start at /refer/ with any address @{DEMO_DOMAIN}; "
            "the code is printed in this terminal.\n"
        )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", default="8000")
