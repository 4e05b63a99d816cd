"""Recount closed ballots from their raw ballots and compare with the stored tally (journaled)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from jiandu.ballots import tally
from jiandu.ballots.actions.definitions import unit_of
from jiandu.ballots.models import Ballot
from jiandu.core import journal


class Command(BaseCommand):
    help = "Recount closed ballots from the raw ballots and check that the stored tally is equal."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="ballot ids (default: every closed ballot)")

    def handle(self, *args, ids, **options):
        ballots = Ballot.objects.filter(status=Ballot.Status.CLOSED).order_by("pk")
        if ids:
            ballots = ballots.filter(pk__in=ids)
            missing = set(ids) - set(ballots.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"no closed ballot with id {', '.join(map(str, sorted(missing)))}")
        failed = []
        for ballot in ballots:
            result = tally.recount(ballot)
            with transaction.atomic():
                journal.record(
                    "ballots.ballot.recounted",
                    target=ballot,
                    unit=unit_of(ballot),
                    data={"cells": result.cells, "ballots": result.ballots, "differences": len(result.differences)},
                    outcome="ok" if result.ok else "failed",
                )
            if result.ok:
                self.stdout.write(f"ballot {ballot.pk}: recount of {result.ballots} ballots ({result.cells} cells) is equal to the stored tally")
            else:
                failed.append(ballot.pk)
                self.stderr.write(f"ballot {ballot.pk}: recount differs from the stored tally")
                for line in result.differences[:50]:
                    self.stderr.write(f"  {line}")
        if failed:
            raise CommandError(f"recount differs for ballot(s) {', '.join(map(str, failed))}", returncode=1)
