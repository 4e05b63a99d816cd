"""Every ballot action leaves its journal entry (and never a code or a choice); the demo loads."""

import datetime as dt
import random
from types import SimpleNamespace

import pytest
from django.utils import timezone

from jiandu.accounts.models import Role
from jiandu.ballots import actions, demo, queries
from jiandu.ballots.models import Ballot
from jiandu.core.models import JournalEntry
from jiandu.testing import answer_all, ballot_spec, make_ballot, make_unit, make_user

pytestmark = pytest.mark.django_db


def test_every_action_is_journaled_without_secrets():
    unit = make_unit(name="区统计局")
    officer = make_user(role=Role.ORG_OFFICER, unit=unit)
    spec = ballot_spec(groups=(("职工", "1", 10),))
    spec["double_entry"] = "off"
    ballot = make_ballot(unit=unit, actor=officer, spec=spec)
    actions.update_ballot(actor=officer, ballot=ballot, title="改后的标题")
    soon = timezone.now() + dt.timedelta(days=1)
    actions.update_window(actor=officer, ballot=ballot, opens_at=None, closes_at=soon)
    ballot = actions.open_ballot(actor=officer, ballot=ballot)
    group = ballot.groups.get()
    batch, plain = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=3)
    receipt = actions.submit_ballot(code=plain[0], answers=answer_all(ballot, plain[0]))
    actions.void_code_batch(actor=officer, batch=batch)
    actions.issue_paper_ballots(actor=officer, ballot=ballot, group=group, count=2)
    subject = ballot.subjects.first()
    question = subject.section.questions.get()
    entry = actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers={(subject.pk, question.pk): question.options.first().pk})
    actions.void_paper_entry(actor=officer, entry=entry, reason="票号录错")
    actions.close_ballot(actor=officer, ballot=ballot)
    codes_in_journal = {
        "ballots.ballot.created",
        "ballots.ballot.updated",
        "ballots.ballot.window_changed",
        "ballots.ballot.opened",
        "ballots.codes.generated",
        "ballots.codes.voided",
        "ballots.paper.issued",
        "ballots.paper.sheet_entered",
        "ballots.paper.voided",
        "ballots.ballot.closed",
    }
    entries = JournalEntry.objects.filter(action__startswith="ballots.")
    assert codes_in_journal <= set(entries.values_list("action", flat=True))
    assert all(e.unit_path == unit.path and e.actor_id == officer.pk for e in entries.filter(action__in=codes_in_journal))
    everything = " ".join(str(e.data) for e in JournalEntry.objects.all())
    assert receipt not in everything and not any(code in everything for code in plain)
    voided = entries.get(action="ballots.codes.voided")
    assert voided.data["unused_voided"] == 2 and voided.data["already_used"] == 1


def test_demo_loads_an_open_and_a_closed_evaluation():
    root = make_unit(name="示范区委", kind="party_committee")
    bureau = make_unit(name="区教育局", parent=root)
    officer = make_user(role=Role.ORG_HEAD, unit=None)
    notes = []
    ctx = SimpleNamespace(
        units={"示范区委": root, "区教育局": bureau}, users={"org_head": officer}, rng=random.Random(3), stdout=SimpleNamespace(write=notes.append)
    )
    demo.load(ctx)
    open_one = Ballot.objects.get(status=Ballot.Status.OPEN)
    closed = Ballot.objects.get(status=Ballot.Status.CLOSED)
    assert open_one.unit_id == bureau.pk and "/vote/" in notes[0]
    spare = notes[0].rsplit("with ", 1)[1].split(", ")[0].strip()
    assert actions.check_code(spare).ballot == open_one
    res = queries.results(closed)
    assert res.total_ballots == 38 and res.sections[0].subjects[0].score is not None
