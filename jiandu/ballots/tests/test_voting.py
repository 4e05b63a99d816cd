"""Voting by code: the happy path, every refusal, atomicity and the receipt."""

import datetime as dt

import pytest
from django.utils import timezone

from jiandu.accounts.models import Role
from jiandu.ballots import actions, codes, queries
from jiandu.ballots.models import Ballot, SealedBallot, VotingCode
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.testing import answer_all, ballot_spec, make_ballot, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return make_unit(name="区财政局")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


def open_ballot_with_codes(unit, officer, n=3, spec=None):
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    _batch, plain = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=n)
    return ballot, plain


def test_vote_is_sealed_and_code_used(unit, officer):
    ballot, plain = open_ballot_with_codes(unit, officer)
    receipt = actions.submit_ballot(code=plain[0], answers=answer_all(ballot, plain[0]))
    assert codes.receipt_problem(receipt) is None
    assert SealedBallot.objects.filter(ballot=ballot).count() == 1
    assert VotingCode.objects.filter(ballot=ballot, is_used=True).count() == 1
    # The sealed row holds no readable choice or receipt.
    sealed = bytes(SealedBallot.objects.get().sealed)
    assert receipt.encode() not in sealed and len(sealed) % 16 == 12 % 16


def test_code_is_accepted_in_any_case_and_with_aliases(unit, officer):
    ballot, plain = open_ballot_with_codes(unit, officer, n=1)
    typed = plain[0].lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert actions.check_code(typed).ballot == ballot
    actions.submit_ballot(code=typed, answers=answer_all(ballot, plain[0]))
    assert VotingCode.objects.filter(is_used=True).count() == 1


@pytest.mark.parametrize(
    ("code", "expected"),
    [("", "empty"), ("ABC", "malformed"), ("UUUU-UUUU-UUUU-UUUU", "malformed")],
)
def test_malformed_codes_are_refused_without_lookup(code, expected):
    with pytest.raises(ActionError) as exc:
        actions.check_code(code)
    assert exc.value.code == expected


def test_mistyped_code_is_reported_as_typo(unit, officer):
    _ballot, plain = open_ballot_with_codes(unit, officer, n=1)
    symbols = codes.normalise(plain[0])
    wrong = ("1" if symbols[3] != "1" else "2").join([symbols[:3], symbols[4:]])
    with pytest.raises(ActionError) as exc:
        actions.check_code(wrong)
    assert exc.value.code == "mistyped"
    assert JournalEntry.objects.filter(action="ballots.code.rejected", outcome="denied").exists()


def test_unknown_used_and_void_codes(unit, officer):
    ballot, plain = open_ballot_with_codes(unit, officer, n=2)
    with pytest.raises(ActionError) as exc:
        actions.check_code(codes.new_code())
    assert exc.value.code == "unknown"
    actions.submit_ballot(code=plain[0], answers=answer_all(ballot, plain[0]))
    with pytest.raises(ActionError) as exc:
        actions.submit_ballot(code=plain[0], answers={})
    assert exc.value.code == "used"
    actions.void_code_batch(actor=officer, batch=ballot.code_batches.get())
    with pytest.raises(ActionError) as exc:
        actions.check_code(plain[1])
    assert exc.value.code == "void"
    rejected = JournalEntry.objects.filter(action="ballots.code.rejected")
    assert {e.data["reason"] for e in rejected} == {"unknown", "used", "void"}
    assert all(plain[0] not in str(e.data) for e in JournalEntry.objects.all())


def test_not_yet_open_ended_and_closed(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer)
    _batch, plain = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=2)
    with pytest.raises(ActionError) as exc:
        actions.check_code(plain[0])
    assert exc.value.code == "not_open"  # still a draft
    soon = timezone.now() + dt.timedelta(hours=1)
    actions.update_window(actor=officer, ballot=ballot, opens_at=soon, closes_at=soon + dt.timedelta(hours=2))
    actions.open_ballot(actor=officer, ballot=ballot)
    with pytest.raises(ActionError) as exc:
        actions.check_code(plain[0])
    assert exc.value.code == "not_open" and timezone.localtime(soon).strftime("%H:%M") in exc.value.message
    ballot.refresh_from_db()
    Ballot.objects.filter(pk=ballot.pk).update(opens_at=timezone.now() - dt.timedelta(hours=3), closes_at=timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(ActionError) as exc:
        actions.check_code(plain[0])
    assert exc.value.code == "ended"
    actions.close_ballot(actor=officer, ballot=ballot)
    with pytest.raises(ActionError) as exc:
        actions.check_code(plain[0])
    assert exc.value.code == "closed"


def test_window_boundaries_are_exact(unit, officer):
    ballot = make_ballot(unit=unit, actor=officer, open=True)
    now = timezone.now()
    ballot.opens_at, ballot.closes_at = now, now + dt.timedelta(minutes=1)
    assert ballot.voting_state(now) == "open"  # opens at the instant itself
    assert ballot.voting_state(now - dt.timedelta(microseconds=1)) == "not_open"
    assert ballot.voting_state(ballot.closes_at - dt.timedelta(microseconds=1)) == "open"
    assert ballot.voting_state(ballot.closes_at) == "ended"  # closes at the instant itself


def test_incomplete_ballot_stores_nothing(unit, officer):
    ballot, plain = open_ballot_with_codes(unit, officer, n=1)
    answers = answer_all(ballot, plain[0])
    answers.pop(next(iter(answers)))
    with pytest.raises(ActionError) as exc:
        actions.submit_ballot(code=plain[0], answers=answers)
    assert exc.value.code == "incomplete" and len(exc.value.missing) == 1
    assert not SealedBallot.objects.exists() and not VotingCode.objects.filter(is_used=True).exists()


def test_foreign_subject_and_tampered_option_store_nothing(unit, officer):
    ballot, plain = open_ballot_with_codes(unit, officer, n=1)
    other = make_ballot(unit=unit, actor=officer, open=True)
    foreign_subject = other.subjects.first()
    answers = answer_all(ballot, plain[0])
    (subject_id, question_id), option_id = next(iter(answers.items()))
    with pytest.raises(ActionError) as exc:
        actions.submit_ballot(code=plain[0], answers={**answers, (foreign_subject.pk, question_id): option_id})
    assert exc.value.code == "foreign_subject"
    foreign_option = other.subjects.first().section.questions.first().options.first()
    with pytest.raises(ActionError) as exc:
        actions.submit_ballot(code=plain[0], answers={**answers, (subject_id, question_id): foreign_option.pk})
    assert exc.value.code == "foreign_option"
    assert not SealedBallot.objects.exists() and not VotingCode.objects.filter(is_used=True).exists()


def test_group_sees_only_its_subjects(unit, officer):
    spec = ballot_spec(subjects=("甲", "乙"), groups=(("区领导", "0.4", 5), ("职工", "0.6", 10)))
    spec["groups"][0]["rates"] = ["s1"]
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    leaders = ballot.groups.get(code="g1")
    _b, plain = actions.generate_codes(actor=officer, ballot=ballot, group=leaders, count=1)
    answers = answer_all(ballot, plain[0])
    assert {s for s, _q in answers} == {ballot.subjects.get(key="s1").pk}
    second = ballot.subjects.get(key="s2")
    question = second.section.questions.get()
    with pytest.raises(ActionError) as exc:
        actions.submit_ballot(code=plain[0], answers={**answers, (second.pk, question.pk): question.options.first().pk})
    assert exc.value.code == "foreign_subject"


def test_votes_are_not_journaled(unit, officer):
    ballot, plain = open_ballot_with_codes(unit, officer, n=1)
    before = JournalEntry.objects.count()
    actions.submit_ballot(code=plain[0], answers=answer_all(ballot, plain[0]))
    assert JournalEntry.objects.count() == before


def test_results_hidden_before_close(unit, officer):
    ballot, plain = open_ballot_with_codes(unit, officer, n=1)
    actions.submit_ballot(code=plain[0], answers=answer_all(ballot, plain[0]))
    with pytest.raises(ActionError) as exc:
        queries.results(ballot)
    assert exc.value.code == "hidden"
    with pytest.raises(ActionError):
        queries.option_share(ballot, ballot.subjects.first(), "overall", "incompetent")
    assert queries.counted_receipts(ballot) == []
