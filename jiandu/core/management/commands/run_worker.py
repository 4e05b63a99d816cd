import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from jiandu.core import jobs


class Command(BaseCommand):
    help = (
        "Run background jobs (reminders, scans, event consumers) until stopped. Interval jobs run in "
        "every worker; jobs at a wall-clock time run once per occurrence across all workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every job once and exit")
        parser.add_argument("--tick", type=float, default=5.0)

    def handle(self, *args, once=False, tick=5.0, **options):
        last_run: dict[str, float] = {}
        holder = jobs.worker_name()
        if once:
            ran = jobs.run_due(last_run, holder=holder)
            self.stdout.write("ran: " + ", ".join(ran))
            return
        stopping = {"now": False}
        signal.signal(signal.SIGTERM, lambda *a: stopping.update(now=True))
        self.stdout.write(f"worker started with {len(jobs.jobs())} job(s)")
        while not stopping["now"]:
            close_old_connections()
            jobs.run_due(last_run, holder=holder)
            time.sleep(tick)
