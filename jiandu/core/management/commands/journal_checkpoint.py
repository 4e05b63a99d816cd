"""`manage.py journal_checkpoint [--force]`: on demand, what the worker's periodic job does: verify
the journal since the newest checkpoint and append a signed checkpoint of its head to the
checkpoint log (and the "jiandu.journal.checkpoint" logger). The checkpoint is printed: keep a
copy elsewhere and verify against it later with `verify_journal --checkpoint FILE`."""

from django.core.management.base import BaseCommand, CommandError

from jiandu.core import journal


class Command(BaseCommand):
    help = "Append a signed checkpoint of the journal's head to the checkpoint log and print it."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="write a checkpoint even when no entry was added since the newest one")

    def handle(self, *args, force, **options):
        try:
            checkpoint = journal.write_checkpoint(force=force)
        except journal.CheckpointError as exc:
            raise CommandError(f"no checkpoint written: {exc}") from exc
        except OSError as exc:
            raise CommandError(f"cannot write the checkpoint log {journal.checkpoint_log_path()}: {exc}") from exc
        if checkpoint is None:
            self.stdout.write("no new journal entry since the newest checkpoint (or the journal is empty): nothing written")
            return
        self.stdout.write(checkpoint.line())
        self.stderr.write(f"checkpoint of #{checkpoint.seq} appended to {journal.checkpoint_log_path()}")
