"""Compile every .po catalogue to .mo with polib, so `make run` needs no system gettext."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogues():
    roots = [Path(settings.BASE_DIR) / "locale", *sorted((Path(settings.BASE_DIR) / "jiandu").glob("*/locale"))]
    for root in roots:
        yield from sorted(root.glob("*/LC_MESSAGES/*.po"))


class Command(BaseCommand):
    help = "Compile translation catalogues (.po → .mo) without GNU gettext."

    def handle(self, *args, **options):
        count = 0
        for po_path in catalogues():
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
            count += 1
        self.stdout.write(f"compiled {count} catalogue(s)")
