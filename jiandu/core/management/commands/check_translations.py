"""Fail when a zh-Hans catalogue has untranslated, fuzzy, twice-defined or placeholder-mismatched entries."""

import re

import polib
from django.core.management.base import BaseCommand, CommandError

from .compile_translations import catalogues

PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|\{\w*\}|%[sd]")


class Command(BaseCommand):
    help = "Check that every zh_Hans entry is translated, not fuzzy, and keeps its placeholders."

    def handle(self, *args, **options):
        problems = []
        total = 0
        for po_path in catalogues():
            if "zh_Hans" not in po_path.parts:
                continue
            seen = set()
            for entry in polib.pofile(str(po_path)):
                if entry.obsolete:
                    continue
                total += 1
                where = f"{po_path}:{entry.linenum}"
                if (entry.msgctxt, entry.msgid) in seen:
                    problems.append(f"{where} defined twice: {entry.msgid!r}")  # msgfmt refuses the file
                seen.add((entry.msgctxt, entry.msgid))
                if "fuzzy" in entry.flags:
                    problems.append(f"{where} fuzzy: {entry.msgid!r}")
                elif not entry.translated():
                    problems.append(f"{where} untranslated: {entry.msgid!r}")
                else:
                    translations = [entry.msgstr] if entry.msgstr else list(entry.msgstr_plural.values())
                    for text in translations:
                        if sorted(PLACEHOLDER.findall(entry.msgid)) != sorted(PLACEHOLDER.findall(text)) and not entry.msgid_plural:
                            problems.append(f"{where} placeholders differ: {entry.msgid!r}")
        if problems:
            raise CommandError(f"{len(problems)} translation problem(s) in {total} entries:\n" + "\n".join(problems))
        self.stdout.write(f"translations complete: {total} entries")
