"""`manage.py load_scale [--scale 1.0] [--seed N] [--force]`: a province-size data set (issue 17):
~2,000 units, 100,000 cadres with relatives and resumes, 500,000 tenures, 200,000 oversight
records, 50 appraisal cycles with 2 million counted ballots and 10 million journal entries at
scale 1.0, through the bulk paths (jiandu.web.scale)."""

import time

from django.core.management.base import BaseCommand, CommandError

from jiandu.core import journal
from jiandu.core.errors import ActionError
from jiandu.web.scale.generator import Generator, business_data_exists


class Command(BaseCommand):
    help = "Generate a province-size data set (units, cadres, tenures, oversight records, appraisal cycles and ballots, journal) for measuring pages at scale."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Fraction of the full size (1.0: 100,000 cadres; CI: 0.001).")
        parser.add_argument("--seed", type=int, default=17, help="Seed of the random generator (default %(default)s).")
        parser.add_argument("--force", action="store_true", help="Add the data set even though the database already has units or cadres.")
        parser.add_argument("--no-verify", action="store_true", help="Skip verifying the journal afterwards.")

    def handle(self, *args, scale=1.0, seed=17, force=False, no_verify=False, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be above 0 and at most 10.")
        if business_data_exists() and not force:
            raise CommandError("The database already has units or cadres: load_scale only fills an empty database (use --force to add to it).")
        started = time.monotonic()
        # A new database's biggest tables are filled without their indexes, rebuilt at the end;
        # with --force the database may be in use, so its indexes stay.
        generator = Generator(scale=scale, seed=seed, log=self.stdout.write, defer_indexes=not force)
        try:
            generator.run()
        except ActionError as exc:
            raise CommandError(f"The data set could not be generated: {exc.message}")
        elapsed = time.monotonic() - started
        out = self.stdout.write
        out(f"load_scale: done in {elapsed:.1f} s (rows/s per table; a table's time excludes journaling its rows):")
        for line in generator.stats.lines():
            out(line)
        for username, password in generator.passwords.items():
            out(f"Account {username} created; initial password (must be changed at first login): {password}")
        if not no_verify:
            verify_started = time.monotonic()
            result = journal.verify()
            seconds = time.monotonic() - verify_started
            out(f"journal {'verifies' if result.ok else 'BROKEN'}: {result.checked:,} entries in {seconds:.1f} s")
            if not result.ok:
                raise CommandError("The journal does not verify.")
