"""Closing: shuffled write-out, key destruction, tally, recount, receipts, unlinkability."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, models

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.ballots import actions, queries, sealing, tally
from jiandu.ballots.models import Answer, Ballot, CastBallot, GroupTally, PaperCount, Receipt, SealedBallot, TallyCount, VotingCode
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.testing import answer_all, ballot_spec, make_ballot, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return make_unit(name="区教育局")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


def vote(ballot, code, pick):
    """pick(subject, question, options) → option index."""
    return actions.submit_ballot(code=code, answers=answer_all(ballot, code, lambda s, q, options: options[pick(s, q, options)]))


def test_close_writes_shuffled_ballots_and_destroys_key(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, open=True)
    _b, plain = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=6)
    receipts = [vote(ballot, code, lambda s, q, o, i=i: i % 4) for i, code in enumerate(plain[:5])]
    wrapped = bytes(Ballot.objects.get(pk=ballot.pk).sealing_key)
    sealed_rows = [bytes(s) for s in SealedBallot.objects.values_list("sealed", flat=True)]
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    ballot.refresh_from_db()
    assert ballot.is_closed and bytes(ballot.sealing_key) == b"" and ballot.min_group_size == 5
    assert not SealedBallot.objects.exists()
    assert CastBallot.objects.filter(ballot=ballot).count() == 5
    assert Answer.objects.filter(ballot=ballot).count() == 5 * 2  # two subjects, one question
    assert sorted(queries.counted_receipts(ballot)) == sorted(receipts)
    assert all(queries.is_receipt_counted(ballot, r.lower()) for r in receipts)
    assert GroupTally.objects.get(group__ballot=ballot).online == 5
    # The old wrapped key still unwraps (installation key unchanged) but the ballot no longer has
    # it: sealed rows left in a backup could only be opened with a key that no longer exists.
    key = sealing.unwrap_key(wrapped)
    assert sealing.unseal(key, ballot.pk, sealed_rows[0])["r"] in receipts
    with pytest.raises(sealing.SealError):
        sealing.unwrap_key(ballot.sealing_key)
    entry = JournalEntry.objects.get(action="ballots.ballot.closed")
    assert entry.data["online_ballots"] == 5 and entry.data["codes_used"] == 5
    assert not any(r in str(entry.data) for r in receipts)


def test_close_tally_counts_every_option(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, open=True)
    _b, plain = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=5)
    picks = [0, 0, 1, 3, 4]  # 优秀 ×2, 称职, 不称职, 不了解 for every subject
    for code, pick in zip(plain, picks, strict=True):
        vote(ballot, code, lambda s, q, o, p=pick: p)
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    res = queries.results(ballot)
    for subject in res.sections[0].subjects:
        q = subject.question("overall")
        assert [o.count for o in q.options] == [2, 1, 0, 1, 1]
        assert q.valid == 4 and q.invalid == 1 and q.blank == 0
        assert q.option("excellent").share == pytest.approx(0.5) and str(q.option("competent").cumulative) == "3/4"
        # (2×100 + 80 + 40) / 4 = 80
        assert q.score == 80
    assert queries.option_share(ballot, ballot.subjects.first(), "overall", "incompetent") == 0.25


def test_close_preconditions(unit, officer):
    draft = make_ballot(unit=unit, actor=officer)
    with pytest.raises(ActionError) as exc:
        actions.close_ballot(actor=officer, ballot=draft)
    assert exc.value.code == "not_open"
    ballot = make_ballot(unit=unit, actor=officer, open=True)
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    with pytest.raises(ActionError) as exc:
        actions.close_ballot(actor=officer, ballot=ballot)
    assert exc.value.code == "closed"
    stranger = make_user(role=Role.ORG_OFFICER, unit=make_unit())
    other = make_ballot(unit=unit, actor=officer, open=True)
    with pytest.raises(NotVisible):
        actions.close_ballot(actor=stranger, ballot=other)
    viewer = make_user(role=Role.COMMITTEE_MEMBER, unit=unit)
    with pytest.raises(NotVisible):
        actions.close_ballot(actor=viewer, ballot=other)


def test_close_refuses_when_a_used_code_has_no_sealed_ballot(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, open=True)
    actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=2)
    VotingCode.objects.filter(ballot=ballot).update(is_used=True)  # simulated corruption
    with pytest.raises(ActionError) as exc:
        actions.close_ballot(actor=officer, ballot=ballot)
    assert exc.value.code == "integrity"
    assert Ballot.objects.get(pk=ballot.pk).is_open


def test_recount_equals_tally_and_detects_tampering(unit, officer):
    spec = ballot_spec(subjects=("甲", "乙", "丙"), groups=(("区领导", "0.3", 8), ("职工", "0.7", 30)), questions="five_dimensions")
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    for group in ballot.groups.all():
        _b, plain = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=6)
        for i, code in enumerate(plain):
            vote(ballot, code, lambda s, q, o, i=i: (i + s.pk + q.pk) % len(o))
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    result = tally.recount(ballot)
    assert result.ok and result.ballots == 12 and result.differences == []
    out = io.StringIO()
    call_command("recount_ballots", str(ballot.pk), stdout=out)
    assert "equal" in out.getvalue()
    assert JournalEntry.objects.filter(action="ballots.ballot.recounted", outcome="ok").exists()
    # Tamper with one raw answer: the recount no longer agrees.
    answer = Answer.objects.filter(ballot=ballot).first()
    other_option = answer.option.question.options.exclude(pk=answer.option_id).first()
    Answer.objects.filter(pk=answer.pk).update(option=other_option)
    assert not tally.recount(ballot).ok
    with pytest.raises(CommandError) as exc:
        call_command("recount_ballots", str(ballot.pk), stdout=io.StringIO(), stderr=io.StringIO())
    assert exc.value.returncode == 1
    assert JournalEntry.objects.filter(action="ballots.ballot.recounted", outcome="failed").exists()


LINKING_FIELD_TYPES = (models.DateTimeField, models.DateField, models.TimeField, models.AutoField, models.BigAutoField)


def test_schema_has_no_linking_column():
    """No table holding choices or receipts refers to a code, a voter, a time or a sequence."""
    for model in (CastBallot, Answer, Receipt, SealedBallot, TallyCount, PaperCount):
        names = {f.name for f in model._meta.get_fields()}
        assert not names & {"code", "voter", "user", "created_at", "at", "seq", "order", "ip", "receipt_of", "batch"}, model
        assert not any(isinstance(f, (models.DateTimeField, models.DateField, models.TimeField)) for f in model._meta.get_fields()), model
    for model in (CastBallot, SealedBallot):
        assert isinstance(model._meta.pk, models.UUIDField)
    assert not any(isinstance(f, (models.DateTimeField, models.DateField)) for f in VotingCode._meta.get_fields())
    assert {f.name for f in CastBallot._meta.get_fields()} == {"id", "ballot", "group", "is_paper", "answers"}
    assert {f.name for f in Receipt._meta.get_fields()} == {"id", "ballot", "receipt"}


def spearman(xs, ys):
    def ranks(values):
        order = sorted(range(len(values)), key=values.__getitem__)
        r = [0] * len(values)
        for position, index in enumerate(order):
            r[index] = position
        return r

    rx, ry = ranks(xs), ranks(ys)
    n = len(xs)
    d2 = sum((a - b) ** 2 for a, b in zip(rx, ry, strict=True))
    return 1 - 6 * d2 / (n * (n * n - 1))


def physical_order(table):
    column = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} ORDER BY {column}")  # noqa: S608 - fixed table names
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.slow
def test_storage_order_does_not_reveal_voting_order(unit, officer):
    """1,000 ballots whose answers encode their voting position: after close, neither the
    physical row order nor the id order of ballots or receipts correlates with it."""
    questions = [{"code": f"q{i}", "label": f"问题{i}", "scale": "grade"} for i in range(5)]
    spec = ballot_spec(subjects=("甲",), groups=(("职工", "1", 1000),), questions=questions)
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    _b, plain = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=1000)
    receipt_position = {}
    for position, code in enumerate(plain):
        digits = [(position // 5**k) % 5 for k in range(5)]  # base-5 digits: 5 questions × 5 options
        receipt = vote(ballot, code, lambda s, q, o, d=digits: d[int(q.code[1:])])
        receipt_position[receipt] = position
    ballot = actions.close_ballot(actor=officer, ballot=ballot)

    option_index = {}
    for question in ballot.subjects.get().section.questions.all():
        for index, option in enumerate(question.options.all()):
            option_index[option.pk] = (int(question.code[1:]), index)
    voted_position = {}
    for cast_id, option_id in Answer.objects.filter(ballot=ballot).values_list("cast_id", "option_id"):
        k, digit = option_index[option_id]
        voted_position[cast_id] = voted_position.get(cast_id, 0) + digit * 5**k
    assert sorted(voted_position.values()) == list(range(1000))

    stored = [pk if not isinstance(pk, str) else __import__("uuid").UUID(pk) for pk in physical_order("ballots_castballot")]
    rho_physical = spearman([voted_position[pk] for pk in stored], list(range(len(stored))))
    by_id = sorted(voted_position)
    rho_id = spearman([voted_position[pk] for pk in by_id], list(range(len(by_id))))
    receipts_stored = list(Receipt.objects.filter(ballot=ballot).order_by("id").values_list("receipt", flat=True))
    rho_receipts = spearman([receipt_position[r] for r in receipts_stored], list(range(len(receipts_stored))))
    answer_cast_order = list(dict.fromkeys(Answer.objects.filter(ballot=ballot).order_by("id").values_list("cast_id", flat=True)))
    rho_answers = spearman([voted_position[c] for c in answer_cast_order], list(range(len(answer_cast_order))))
    for rho in (rho_physical, rho_id, rho_receipts, rho_answers):
        assert abs(rho) < 0.1, (rho_physical, rho_id, rho_receipts, rho_answers)
