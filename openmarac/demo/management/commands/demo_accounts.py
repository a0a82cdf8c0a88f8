from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from openmarac.demo.accounts import demo_totp_secret
from openmarac.demo.partnership import DEMO_PASSWORD, DEMO_USERS
from openmarac.demo.referral_answers import DEMO_DOMAIN


class Command(BaseCommand):
    help = "Print the demo sign-in accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        port = options.get("port") or "8000"
        self.stdout.write(
            f"\nOpenMARAC demo: {settings.SITE_URL if settings.PRODUCTION else 'http://127.0.0.1:' + str(port)}/"
        )
        self.stdout.write(f"Sign in at /accounts/sign-in/ with password: {DEMO_PASSWORD}")
        self.stdout.write(
            "Then give a second factor: a code from an authenticator app set up with the user's "
            "key below (or its otpauth link as a QR code), or choose 'E-mail me a code': the "
            "code is printed in this terminal."
        )
        for username, first, last, _agency, roles in DEMO_USERS:
            role = ", ".join(name.removeprefix("is_").replace("_", " ") for name in roles)
            self.stdout.write(f"  {username:<12} {first} {last} ({role})")
            self.stdout.write(f"  {'':<12} authenticator key: {demo_totp_secret(username)}")
            self.stdout.write(
                f"  {'':<12} otpauth://totp/OpenMARAC:{username}?secret="
                f"{demo_totp_secret(username)}&issuer=OpenMARAC"
            )
        self.stdout.write(
            f"Referrers need no account: start at /refer/ with any address @{DEMO_DOMAIN}; "
            "the code is printed in this terminal.\n"
        )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", default="8000")
