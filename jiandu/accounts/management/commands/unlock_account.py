"""Break-glass unlock (security issue #8): the server's operator lifts an account's login delay,
for example when the only security administrator is kept out. Journaled with the reason."""

from django.core.management.base import BaseCommand, CommandError

from jiandu.accounts.actions import unlock_from_console
from jiandu.core.errors import ActionError


class Command(BaseCommand):
    help = "Lift the login delay of an account and clear its failed logins (journaled)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reason", default="break-glass unlock from the console", help="why (kept in the journal)")

    def handle(self, *args, username, reason, **options):
        try:
            user = unlock_from_console(username=username, reason=reason)
        except ActionError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(self.style.SUCCESS(f"{user.username}: unlocked, failed logins cleared"))
