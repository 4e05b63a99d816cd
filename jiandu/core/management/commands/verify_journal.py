from django.core.management.base import BaseCommand, CommandError

from jiandu.core import journal


class Command(BaseCommand):
    help = "Verify the journal's hash chain and report the first broken link."

    def handle(self, *args, **options):
        result = journal.verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"journal ok: {result.checked} entries verified"))
            return
        raise CommandError(f"journal broken at #{result.first_broken_seq} after {result.checked} good entries: {result.reason}")
