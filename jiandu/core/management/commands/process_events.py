from django.core.management.base import BaseCommand

from jiandu.core.events import process_pending


class Command(BaseCommand):
    help = "Hand pending domain events (e.g. departures) to their consumers once."

    def handle(self, *args, **options):
        self.stdout.write(f"handled {process_pending()} event(s)")
