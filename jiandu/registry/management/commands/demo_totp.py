"""`manage.py demo_totp USERNAME`: print the current two-factor code of a demo account.

Demo only: refused unless JIANDU_DEMO=1, outside production, and for a `demo_*` account of a
database built by `load_demo` that has two-factor login set up. It lets a newcomer without an
authenticator app log in as the demo administrators (README.md lists their keys)."""

import time

import pyotp
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jiandu.accounts import totp
from jiandu.accounts.models import User
from jiandu.core import crypto
from jiandu.registry.demo import DEMO_PREFIX


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (only with JIANDU_DEMO=1)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="a demo account, e.g. demo_sysadmin")

    def handle(self, *args, username, **options):
        if not settings.DEMO_MODE or getattr(settings, "PRODUCTION", False):
            raise CommandError("demo_totp works only in demo mode (JIANDU_DEMO=1, not in production).")
        if not username.startswith(DEMO_PREFIX):
            raise CommandError(f"{username} is not a demo account: only demo_* accounts have printable codes.")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account {username}; build the demo first (manage.py load_demo).")
        if not (user.totp_enabled and user.totp_secret):
            raise CommandError(f"{username} has no two-factor login set up.")
        try:
            seed = totp.unseal(user)
        except crypto.DecryptionError as exc:
            raise CommandError(f"The two-factor key of {username} cannot be read with this installation's keys.") from exc
        now = time.time()
        code = pyotp.TOTP(seed, digits=totp.DIGITS, interval=totp.INTERVAL).at(now)
        remaining = totp.INTERVAL - int(now) % totp.INTERVAL
        self.stdout.write(code)
        self.stderr.write(f"valid for {remaining} more seconds; each code is accepted once")
