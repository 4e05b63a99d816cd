import getpass

from django.core.management.base import BaseCommand, CommandError

from jiandu.accounts.actions import bootstrap_administrator
from jiandu.accounts.models import Role
from jiandu.core.errors import ActionError


class Command(BaseCommand):
    help = "Create the first system, security or audit administrator of a fresh installation."

    def add_arguments(self, parser):
        parser.add_argument("role", choices=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
        parser.add_argument("username")
        parser.add_argument("--full-name", default="")

    def handle(self, *args, role, username, full_name, **options):
        password = getpass.getpass("password: ")
        try:
            bootstrap_administrator(username=username, full_name=full_name or username, password=password, role=role)
        except ActionError as exc:
            raise CommandError(str(exc.message))
        self.stdout.write(self.style.SUCCESS(f"{username} is now {role}"))
