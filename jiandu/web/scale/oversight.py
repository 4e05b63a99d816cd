"""The oversight half of the scale data set: talks held, dispositions recorded (influence periods
as oversight.influence computes them), written inquiries drafted and clues registered, in the
state each action leaves them, each journaled as that action journals it."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jiandu.core.bulk import insert_rows
from jiandu.oversight.actions.clues import add_member
from jiandu.oversight.influence import influence_for
from jiandu.oversight.models import Clue, Disposition, Inquiry, JointMember, Talk
from jiandu.oversight.models.dispositions import CATEGORY_OF, Measure
from jiandu.registry.models import Unit

from .people import ids_after, last_pk

SHARES = (("talk", 0.4), ("disposition", 0.25), ("inquiry", 0.2), ("clue", 0.15))
MEASURES = [Measure.REMINDER, Measure.INQUIRY, Measure.ADMONISHMENT_TALK, Measure.CIRCULATION, Measure.ADJUSTMENT, Measure.PARTY_WARNING, Measure.ADMIN_WARNING]
TALK_KINDS = [Talk.Kind.ROUTINE, Talk.Kind.APPRAISAL_FEEDBACK, Talk.Kind.POST_CHANGE, Talk.Kind.PRE_APPOINTMENT, Talk.Kind.CRITICISM]
BATCH = 5000
MEMBERS = 30


class Oversight:
    def __init__(self, gen, people):
        self.gen = gen
        self.rng = gen.rng
        self.actor = gen.actor
        self.people = people
        self.members = None

    def build(self) -> None:
        total = self.gen.plan.oversight
        for kind, share in SHARES:
            n = max(2, round(total * share))
            method = getattr(self, f"_{kind}s")
            for start in range(0, n, BATCH):
                started = self.gen.stats.start()
                count = min(BATCH, n - start)
                with transaction.atomic():
                    method(count)
                self.gen.stats.timed(f"oversight_{kind}", count, started)

    def _day(self, low: dt.date) -> dt.date:
        high = self.gen.today
        low = max(low, high - dt.timedelta(days=5 * 365))
        return low + dt.timedelta(days=self.rng.randint(0, max(0, (high - low).days)))

    def _insert(self, model, rows, owners, action, data_of, label):
        before = last_pk(model)
        insert_rows(model, rows)
        self.gen.journal(
            [
                {"action": action, "actor": self.actor, "target": (label, pk), "unit": unit, "cadre": cid, "data": data_of(row)}
                for pk, row, (cid, unit) in zip(ids_after(model, before), rows, owners, strict=True)
            ]
        )

    def _talks(self, n: int) -> None:
        rows, owners = [], []
        for cid, unit in (self.rng.choice(self.people.cadres) for _ in range(n)):
            kind = self.rng.choice(TALK_KINDS)
            rows.append(
                {
                    "cadre_id": cid,
                    "unit_id": unit.pk,
                    "kind": kind,
                    "status": Talk.Status.HELD,
                    "talked_on": self._day(dt.date(2019, 1, 1)),
                    "place": "组织部谈话室",
                    "talkers": "组织部干部监督科",
                    "talker_role": "干部监督科科长",
                    "reason": "年度例行谈心谈话",
                    "summary": "谈话对象如实汇报了思想和工作情况。",
                    "created_by_id": self.actor.pk,
                }
            )
            owners.append((cid, unit))
        self._insert(
            Talk,
            rows,
            owners,
            "oversight.talk.recorded",
            lambda r: {
                "kind": r["kind"],
                "talked_on": r["talked_on"],
                "talkers": r["talkers"],
                "follow_up_due_on": None,
                "explanation": Talk.Explanation.NOT_REQUIRED,
            },
            "oversight.talk",
        )

    def _dispositions(self, n: int) -> None:
        rows, owners = [], []
        for cid, unit in (self.rng.choice(self.people.cadres) for _ in range(n)):
            measure = self.rng.choice(MEASURES)
            decided_on = self._day(dt.date(2019, 1, 1))
            influence = influence_for(measure, decided_on)
            rows.append(
                {
                    "cadre_id": cid,
                    "unit_id": unit.pk,
                    "category": CATEGORY_OF[measure],
                    "measure": measure,
                    "decided_on": decided_on,
                    "deciding_body": "县委组织部",
                    "grounds": "经核查，存在应予处理的问题。",
                    "influence_months": influence.months,
                    "is_permanent": influence.is_permanent,
                    "influence_ends_on": influence.ends_on,
                    "influence_rule": influence.rule,
                    "bar": influence.bar,
                    "no_leading_post_until": influence.no_leading_post_until,
                    "influence_basis": influence.basis,
                    "created_by_id": self.actor.pk,
                }
            )
            owners.append((cid, unit))

        def data(r):
            return {
                "measure": r["measure"],
                "decided_on": r["decided_on"],
                "deciding_body": r["deciding_body"],
                "influence_ends_on": r["influence_ends_on"],
                "is_permanent": r["is_permanent"],
                "bar": r["bar"],
                "no_leading_post_until": r["no_leading_post_until"],
                "cumulated_with": None,
            }

        self._insert(Disposition, rows, owners, "oversight.disposition.recorded", data, "oversight.disposition")

    def _inquirys(self, n: int) -> None:
        rows, owners = [], []
        for cid, unit in (self.rng.choice(self.people.cadres) for _ in range(n)):
            rows.append(
                {
                    "cadre_id": cid,
                    "unit_id": unit.pk,
                    "source": Inquiry.Source.COMPLAINT,
                    "subject": "关于群众反映问题的函询",
                    "questions": "请就反映的有关问题作出书面说明。",
                    "status": Inquiry.Status.DRAFT,
                    "created_by_id": self.actor.pk,
                }
            )
            owners.append((cid, unit))
        self._insert(Inquiry, rows, owners, "oversight.inquiry.drafted", lambda r: {"source": r["source"], "subject": r["subject"]}, "oversight.inquiry")

    def _members(self) -> list:
        """The sending departments: the discipline commissions, made joint-meeting members through
        the action (as the organisation department does), a few dozen at most."""
        if self.members is None:
            existing = set(JointMember.objects.values_list("unit_id", flat=True))
            chosen = [u for u in self.people.departments if u.kind == Unit.Kind.DISCIPLINE][:MEMBERS] or self.people.departments[:1]
            for unit in chosen:
                if unit.pk not in existing:
                    add_member(actor=self.actor, unit=unit, joined_on=dt.date(2019, 1, 1))
            self.members = chosen
        return self.members

    def _clues(self, n: int) -> None:
        """Registered clues, numbered XS<year>-NNNN in order as register_clue numbers them."""
        members = self._members()
        now = timezone.now()
        numbered = Clue.objects.filter(created_at__year=now.year).count()
        rows, owners = [], []
        for cid, unit in (self.rng.choice(self.people.cadres) for _ in range(n)):
            numbered += 1
            from_unit = self.rng.choice(members)
            rows.append(
                {
                    "number": f"XS{now.year}-{numbered:04d}",
                    "cadre_id": cid,
                    "cadre_unit_id": unit.pk,
                    "from_unit_id": from_unit.pk,
                    "source": Clue.Source.PETITION,
                    "summary": "来信反映该干部有关问题。",
                    "sensitivity": Clue.Sensitivity.SENSITIVE,
                    "status": Clue.Status.REGISTERED,
                    "created_by_id": self.actor.pk,
                    "created_at": now,
                }
            )
            owners.append((cid, from_unit))
        self._insert(
            Clue,
            rows,
            owners,
            "oversight.clue.registered",
            lambda r: {"number": r["number"], "source": r["source"], "sensitivity": r["sensitivity"], "files": 0},
            "oversight.clue",
        )
