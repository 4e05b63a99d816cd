"""`manage.py load_demo [--if-empty] [--small] [--seed N]`: build the fictional district 示范区.

The district itself (accounts, units, cadres, tenures) is built by `jiandu.registry.demo.Builder`
through the actions; then every other app's `jiandu/<app>/demo.py` gets `load(ctx)`, in
INSTALLED_APPS order (see `jiandu.registry.demo.DemoContext`). The whole load is one transaction.
The shell drives the apps here, so no app of the base has to know the pillars (layering.toml)."""

import importlib
import importlib.util
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jiandu.core import events, journal
from jiandu.core.errors import ActionError
from jiandu.registry.demo import ACCOUNTS, CLUE_OFFICERS, DEMO_PASSWORD, DEMO_PREFIX, DEMO_TOTP_SEEDS, SCOPES, SEED, Builder, display_width
from jiandu.registry.models import Cadre, Position, Relative, Tenure, Unit

BUILDER_APP = "jiandu.registry"


def pillar_demo_modules() -> list:
    """`jiandu.<app>.demo` modules, in INSTALLED_APPS order (lower apps first)."""
    modules = []
    for app in settings.INSTALLED_APPS:
        if not app.startswith("jiandu.") or app == BUILDER_APP:
            continue
        name = f"{app}.demo"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


class Command(BaseCommand):
    help = "Build the fictional demo district 示范区 (units, cadres, five years of tenures, one account per role)."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when the database already has units (make run).")
        parser.add_argument("--small", action="store_true", help="A reduced district (a few units, about fifty cadres) for tests.")
        parser.add_argument("--seed", type=int, default=SEED, help="Seed of the random generator (default %(default)s).")

    def handle(self, *args, if_empty=False, small=False, seed=SEED, **options):
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("load_demo: the database already has units; nothing to do.")
                return
            raise CommandError("The database already has units: the demo district is only loaded into an empty database.")
        started = time.monotonic()
        builder = Builder(rng=random.Random(seed), small=small, log=self.stdout.write)
        try:
            with transaction.atomic():
                builder.build()
                handled = events.process_pending()
                ctx = builder.context()
                for module in pillar_demo_modules():
                    self.stdout.write(f"load_demo: {module.__name__}.load()")
                    module.load(ctx)
        except ActionError as exc:
            raise CommandError(f"The demo district could not be built: {exc.message}")
        elapsed = time.monotonic() - started
        self.report(builder, handled, elapsed)

    def report(self, builder: Builder, handled: int, elapsed: float):
        out = self.stdout.write
        verified = journal.verify()
        out(
            f"示范区 built in {elapsed:.1f} s: {Unit.objects.count()} units, {Cadre.objects.count()} cadres, "
            f"{Position.objects.count()} positions, {Tenure.objects.count()} tenures ({Tenure.objects.filter(ended_on__isnull=False).count()} ended), "
            f"{len(builder.departures)} departures, {Relative.objects.count()} relatives; {handled} events handled; "
            f"journal {'verifies' if verified.ok else 'BROKEN'} ({verified.checked} entries)."
        )
        out("")
        out(f"Demo accounts (password for all: {DEMO_PASSWORD}; JIANDU_DEMO=1 skips the forced password change):")
        rows = [("username", "role", "scope", "name")]
        for username, role, _unit_key, _full_name in ACCOUNTS:
            user = builder.users[username.removeprefix(DEMO_PREFIX)]
            rows.append((username, str(role), SCOPES.get(username, "system" if username in DEMO_TOTP_SEEDS else "whole district"), user.full_name))
        widths = [max(display_width(r[i]) for r in rows) for i in range(3)]
        for row in rows:
            out("  " + "  ".join(cell + " " * (width - display_width(cell)) for cell, width in zip(row[:3], widths, strict=True)) + "  " + row[3])
        appointed = [f"{DEMO_PREFIX}{key} → {unit_key}" for key, unit_key in CLUE_OFFICERS if unit_key in builder.units]
        out(f"Clue officers (线索联络员, one department each): {', '.join(appointed)}")
        out("")
        out("The three administrators log in with a two-factor code as well; they come enrolled (keys in README.md).")
        out("Print the current code with: JIANDU_DEMO=1 .venv/bin/python manage.py demo_totp demo_sysadmin")
