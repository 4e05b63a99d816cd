"""The appraisal half of the scale data set: annual appraisal cycles organised by the cities, each
with its democratic-evaluation ballots voted and closed, the scores computed, grades proposed and,
for the earlier years, confirmed.

The cycles, their units and cadres and the ballots' definitions go through the actions
(appraisals' create_cycle / add_unit / add_cadre / open_evaluation, which creates and opens one
ballot per assessed unit through the ballots app); so do the computations after the vote
(close_evaluation, propose_grades, confirm_grades). Only the voting itself takes the bulk path:
for each ballot the rows the ballot engine holds once it has closed — the voting codes (hashes,
used or not) with their batch, the counted ballots (CastBallot with a random id, no time, no
order) and their answers, the receipts, the stored tally (TallyCount, GroupTally) — and the ballot
closed with its key destroyed, journaled as generate_codes and close_ballot journal. The tally is
counted from the answers written, so `tally.recount` agrees."""

import itertools
import uuid
from collections import Counter

from django.db import transaction
from django.utils import timezone

from jiandu.appraisals import actions as appraisal_actions
from jiandu.appraisals.models import AppraisalCycle
from jiandu.ballots import codes, structure
from jiandu.ballots.actions.definitions import unit_of
from jiandu.ballots.models import Answer, Ballot, CastBallot, CodeBatch, GroupTally, Receipt, TallyCount, VotingCode
from jiandu.core.bulk import insert_rows
from jiandu.core.practice import get_setting
from jiandu.registry.models import Cadre, Position, Tenure, Unit

UNITS_PER_CYCLE = 40
CADRES_PER_UNIT = 2  # the principal and the deputy with financial authority
LEADERS_SHARE = 0.05  # of a unit's voters, the leaders in charge (the rest: staff)
ANSWER_FLUSH = 100_000
# Answer weights by the option's position on its scale (best first; the last is 不了解 on most
# scales): mostly good, a few dissatisfied, so grades spread and now and then a yellow card.
WEIGHTS = (0.62, 0.27, 0.06, 0.03, 0.02)
CUMULATIVE = tuple(itertools.accumulate(WEIGHTS))


class Appraisals:
    def __init__(self, gen, people):
        self.gen = gen
        self.rng = gen.rng
        self.actor = gen.actor
        self.people = people
        self.head = None

    def build(self) -> None:
        plan = self.gen.plan
        cities = self.people.cities
        if not cities or plan.cycles <= 0:
            return
        cycles = [(cities[c % len(cities)], self.gen.today.year - 1 - c // len(cities)) for c in range(plan.cycles)]
        units_of = {city.pk: self._units_of(city) for city in {c for c, _y in cycles}}
        total_units = sum(len(units_of[city.pk]) for city, _y in cycles)
        per_ballot = max(2, round(plan.ballots / max(1, total_units)))
        latest = max(year for _c, year in cycles)
        for city, year in cycles:
            started = self.gen.stats.start()
            cycle, ballots = self._cycle(city, year, units_of[city.pk], per_ballot)
            self.gen.stats.timed("ballots_castballot", ballots, started)
            started = self.gen.stats.start()
            with transaction.atomic():
                appraisal_actions.close_evaluation(actor=self.actor, cycle=cycle)
                appraisal_actions.propose_grades(actor=self.actor, cycle=cycle)
                if year < latest:  # the latest year's grades wait for the head's confirmation
                    appraisal_actions.confirm_grades(actor=self._head(), cycle=cycle)
            self.gen.stats.timed("appraisals_assessedcadre", cycle.cadres.count(), started)

    def _head(self):
        if self.head is None:
            self.head = self.gen.ensure_head()
        return self.head

    def _units_of(self, city: Unit) -> list[tuple[Unit, list[tuple[Cadre, str]]]]:
        """The city's counties, then their departments, at most UNITS_PER_CYCLE, each with the
        current holders of its principal post and first deputy post."""
        units = list(Unit.objects.filter(path__startswith=city.path, depth__gt=city.depth, is_active=True).order_by("depth", "pk")[:UNITS_PER_CYCLE])
        holders: dict[int, list[tuple[Cadre, str]]] = {}
        tenures = (
            Tenure.objects.filter(ended_on__isnull=True, position__unit__in=units, position__kind=Position.Kind.LEADING, position__order__lt=CADRES_PER_UNIT)
            .select_related("cadre", "position")
            .order_by("position__order", "pk")
        )
        for tenure in tenures:
            holders.setdefault(tenure.position.unit_id, []).append((tenure.cadre, tenure.position.title))
        return [(unit, holders.get(unit.pk, [])) for unit in units]

    def _cycle(self, city: Unit, year: int, units, per_ballot: int) -> tuple[AppraisalCycle, int]:
        actor = self.actor
        with transaction.atomic():
            cycle = appraisal_actions.create_cycle(actor=actor, unit=city, year=year, uses_target_scores=False)
            headcounts = {}
            for unit, cadres in units:
                assessed = appraisal_actions.add_unit(actor=actor, cycle=cycle, unit=unit, include_team=False)
                for cadre, post in cadres:
                    appraisal_actions.add_cadre(actor=actor, assessed_unit=assessed, cadre=cadre, post=post)
                voters = max(2, round(per_ballot * self.rng.uniform(0.8, 1.2) / 0.95))
                leaders = max(1, round(voters * LEADERS_SHARE))
                headcounts[assessed.pk] = {"staff": max(1, voters - leaders), "leaders": leaders}
            appraisal_actions.open_evaluation(actor=actor, cycle=cycle, headcounts=headcounts)
        cast = 0
        for assessed in cycle.units.order_by("pk"):
            with transaction.atomic():
                cast += self._vote_and_close(Ballot.objects.get(pk=assessed.ballot_id))
        cycle.refresh_from_db()
        return cycle, cast

    def _vote_and_close(self, ballot: Ballot) -> int:
        """What voting and close_ballot leave behind, written in bulk; returns the ballots cast."""
        rng = self.rng
        shape = structure.load(ballot)
        counts: Counter = Counter()
        group_cast: dict[int, int] = {}
        answers: list[dict] = []
        casts: list[dict] = []
        entries = []
        for number, group in enumerate(shape.groups, start=1):
            batch = CodeBatch.objects.create(ballot=ballot, group=group, number=number, size=group.headcount, created_by_id=self.actor.pk)
            voted = max(1, round(group.headcount * rng.uniform(0.9, 1.0)))
            hashes: set[str] = set()
            while len(hashes) < group.headcount:
                hashes.add(codes.code_hash(codes.new_code()))
            insert_rows(
                VotingCode,
                [{"ballot_id": ballot.pk, "group_id": group.pk, "batch_id": batch.pk, "code_hash": h, "is_used": i < voted} for i, h in enumerate(hashes)],
            )
            entries.append(
                {
                    "action": "ballots.codes.generated",
                    "actor": self.actor,
                    "target": ballot,
                    "unit": unit_of(ballot),
                    "data": {"group": group.name, "batch": number, "count": group.headcount},
                }
            )
            group_cast[group.pk] = voted
            items = shape.layouts[group.pk].items
            cast_ids = [uuid.uuid4() for _ in range(voted)]
            casts.extend({"id": cast_id, "ballot_id": ballot.pk, "group_id": group.pk, "is_paper": False} for cast_id in cast_ids)
            for item in items:  # each question about each subject: every voter's answer at once
                options = item.option_ids
                picks = rng.choices(options, cum_weights=CUMULATIVE[: len(options)], k=voted)
                counts.update((item.subject_id, group.pk, option) for option in picks)
                answers.extend(
                    {"ballot_id": ballot.pk, "cast_id": cast_id, "group_id": group.pk, "subject_id": item.subject_id, "option_id": option}
                    for cast_id, option in zip(cast_ids, picks, strict=True)
                )
                if len(answers) >= ANSWER_FLUSH:
                    self._flush(casts, answers)
                    casts, answers = [], []
        self._flush(casts, answers)
        total = sum(group_cast.values())
        receipts: set[str] = set()
        while len(receipts) < total:
            receipts.add(codes.new_receipt())
        insert_rows(Receipt, [{"ballot_id": ballot.pk, "receipt": r} for r in receipts])
        question_of = {o: q for q, options in shape.options.items() for o in (opt.pk for opt in options)}
        insert_rows(
            TallyCount,
            [
                {"ballot_id": ballot.pk, "subject_id": s, "group_id": g, "option_id": o, "question_id": question_of[o], "count": n}
                for (s, g, o), n in sorted(counts.items())
            ],
        )
        for group in shape.groups:
            voted = group_cast[group.pk]
            GroupTally.objects.create(ballot=ballot, group=group, online=voted, paper=0, codes_issued=group.headcount, codes_used=voted)
        Ballot.objects.filter(pk=ballot.pk).update(
            status=Ballot.Status.CLOSED, closed_at=timezone.now(), min_group_size=int(get_setting("ballots.min_group_size")), sealing_key=b""
        )
        entries.append(
            {
                "action": "ballots.ballot.closed",
                "actor": self.actor,
                "target": ballot,
                "unit": unit_of(ballot),
                "data": {"online_ballots": total, "paper_sheets": 0, "paper_counted": 0, "codes_used": total, "receipts": total},
            }
        )
        self.gen.journal(entries)
        structure.forget(ballot.pk)
        return total

    def _flush(self, casts: list[dict], answers: list[dict]) -> None:
        insert_rows(CastBallot, casts)
        insert_rows(Answer, answers)
