"""`manage.py verify_journal [--checkpoint FILE …] [--no-checkpoints]`: walk the journal's hash chain
and hold it against signed checkpoints: by default the installation's checkpoint log, or the
files given (a checkpoint downloaded by the audit administrator, a copy of the log, syslog lines).
Exit status 0 only when the chain is intact and reaches every checkpoint."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jiandu.core import journal


class Command(BaseCommand):
    help = "Verify the journal's hash chain against its signed checkpoints and report the first broken link."

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint", action="append", type=Path, default=[], help="a file of signed checkpoints to verify against (instead of the checkpoint log)"
        )
        parser.add_argument("--no-checkpoints", action="store_true", help="verify the chain alone, without any checkpoint")

    def handle(self, *args, checkpoint, no_checkpoints, **options):
        checkpoints = None  # the checkpoint log
        if no_checkpoints:
            checkpoints = []
        elif checkpoint:
            checkpoints = []
            for path in checkpoint:
                try:
                    text = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError) as exc:
                    raise CommandError(f"cannot read the checkpoint file {path}: {exc}") from exc
                try:
                    found = journal.parse_checkpoints(text)
                except journal.CheckpointError as exc:
                    raise CommandError(f"checkpoint rejected ({path}): {exc}") from exc
                if not found:
                    raise CommandError(f"no checkpoint in {path}")
                checkpoints += found
        result = journal.verify(checkpoints=checkpoints)
        if result.ok:
            if result.checkpoints:
                self.stdout.write(f"the chain reaches and matches {result.checkpoints} signed checkpoint(s)")
            else:
                self.stdout.write("no signed checkpoint: a truncated tail with its head rolled back would not be detected")
            self.stdout.write(self.style.SUCCESS(f"journal ok: {result.checked} entries verified"))
            return
        if result.first_broken_seq is None:
            raise CommandError(f"journal not verified: {result.reason}")
        raise CommandError(f"journal broken at #{result.first_broken_seq} after {result.checked} good entries: {result.reason}")
