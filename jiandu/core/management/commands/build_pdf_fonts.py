"""`manage.py build_pdf_fonts`: prepare the fonts of PDF forms and letters ahead of the first
request (`make run` and `make install` call it).

Forms embed Noto Sans SC, whose Regular weight is instantiated once from the variable font into
JIANDU_VAR_DIR/fonts (tens of seconds on a slow machine): done here, the first PDF after a start
takes a fraction of a second. Official letters use Noto Serif CJK SC when it is installed
(Debian: apt-get install fonts-noto-cjk); this command says which face they will get."""

import time

from django.core.management.base import BaseCommand, CommandError

from jiandu.core import pdf


class Command(BaseCommand):
    help = "Build the PDF font instance (Noto Sans SC Regular) and report the serif face of official letters."

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            path = pdf.regular_font_path()
        except pdf.FontMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"build_pdf_fonts: forms use {path} ({time.monotonic() - started:.1f} s)")
        serif = pdf.serif_font_paths()
        if serif:
            self.stdout.write(f"build_pdf_fonts: official letters use {serif[0]} (Noto Serif CJK SC)")
        else:
            self.stdout.write(
                "build_pdf_fonts: no Noto Serif CJK found; official letters fall back to Noto Sans SC "
                "(apt-get install fonts-noto-cjk, or set JIANDU_PDF_SERIF_FONT)"
            )
