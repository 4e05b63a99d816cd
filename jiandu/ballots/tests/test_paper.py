"""Paper mode: sheets keyed one by one with double entry, per-option counts, and the close."""

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.ballots import actions, queries, tally
from jiandu.ballots.models import Ballot, PaperEntry
from jiandu.core.errors import ActionError
from jiandu.core.models import JournalEntry
from jiandu.testing import ballot_spec, make_ballot, make_unit, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return make_unit(name="区卫健委")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


@pytest.fixture
def second_officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


def paper_ballot(unit, officer, mode=Ballot.DoubleEntry.TWO_PASSES, issued=5):
    spec = ballot_spec(subjects=("甲", "乙"), groups=(("职工", "1", 20),))
    spec["double_entry"] = mode
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    group = ballot.groups.get()
    actions.issue_paper_ballots(actor=officer, ballot=ballot, group=group, count=issued)
    return ballot, group


def sheet(ballot, picks):
    """answers choosing option index picks[i] (None = blank) for subject i's single question."""
    answers = {}
    for subject, pick in zip(ballot.subjects.order_by("order"), picks, strict=True):
        question = subject.section.questions.get()
        answers[(subject.pk, question.pk)] = None if pick is None else list(question.options.all())[pick].pk
    return answers


def test_single_entry_is_confirmed_at_once(unit, officer):
    ballot, group = paper_ballot(unit, officer, mode=Ballot.DoubleEntry.OFF)
    entry = actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [0, None]))
    assert entry.status == PaperEntry.Status.CONFIRMED
    with pytest.raises(ActionError) as exc:
        actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [0, 0]))
    assert exc.value.code == "duplicate"
    journal = JournalEntry.objects.get(action="ballots.paper.sheet_entered")
    assert journal.data == {"group": "职工", "sheet": 1, "pass": 1, "status": "confirmed", "differences": 0}


def test_double_entry_agreement_confirms(unit, officer):
    ballot, group = paper_ballot(unit, officer)
    first = actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=7, answers=sheet(ballot, [1, 2]))
    assert first.status == PaperEntry.Status.AWAITING_SECOND
    second = actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=7, answers=sheet(ballot, [1, 2]))
    assert second.pk == first.pk and second.status == PaperEntry.Status.CONFIRMED


def test_double_entry_disagreement_blocks_close_until_resolved(unit, officer):
    ballot, group = paper_ballot(unit, officer)
    actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [0, 0]))
    entry = actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [0, 3]))
    assert entry.status == PaperEntry.Status.DISAGREED and entry.differences == 1
    assert JournalEntry.objects.filter(action="ballots.paper.sheet_entered", data__status="disagreed").exists()
    with pytest.raises(ActionError) as exc:
        actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [0, 0]))
    assert exc.value.code == "disagreed"
    with pytest.raises(ActionError) as exc:
        actions.close_ballot(actor=officer, ballot=ballot)
    assert exc.value.code == "unsettled"
    assert not ballot.cast_ballots.exists()
    actions.resolve_paper_entry(actor=officer, entry=entry, answers=sheet(ballot, [0, 3]))
    assert JournalEntry.objects.filter(action="ballots.paper.resolved").exists()
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    res = queries.results(ballot)
    assert res.subject(ballot.subjects.get(key="s2")).question("overall").option("incompetent").count == 1
    assert res.groups[0].paper == 1 and res.groups[0].online == 0


def test_awaiting_second_entry_blocks_close(unit, officer):
    ballot, group = paper_ballot(unit, officer)
    actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [0, 0]))
    with pytest.raises(ActionError) as exc:
        actions.close_ballot(actor=officer, ballot=ballot)
    assert "有 1 项纸质票录入" in exc.value.message


def test_two_officers_mode_needs_another_officer(unit, officer, second_officer):
    ballot, group = paper_ballot(unit, officer, mode=Ballot.DoubleEntry.TWO_OFFICERS)
    actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=3, answers=sheet(ballot, [1, 1]))
    with pytest.raises(ActionError) as exc:
        actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=3, answers=sheet(ballot, [1, 1]))
    assert exc.value.code == "same_officer"
    entry = actions.enter_paper_sheet(actor=second_officer, ballot=ballot, group=group, sheet_no=3, answers=sheet(ballot, [1, 1]))
    assert entry.status == PaperEntry.Status.CONFIRMED and entry.second_by_id == second_officer.pk


def test_sheets_limited_to_paper_issued(unit, officer):
    ballot, group = paper_ballot(unit, officer, mode=Ballot.DoubleEntry.OFF, issued=2)
    actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [0, 0]))
    actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=2, answers=sheet(ballot, [0, 0]))
    with pytest.raises(ActionError) as exc:
        actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=3, answers=sheet(ballot, [0, 0]))
    assert exc.value.field == "sheet_no"
    with pytest.raises(ActionError):
        actions.issue_paper_ballots(actor=officer, ballot=ballot, group=group, count=1)  # below what was entered


def test_void_entry_frees_its_number(unit, officer):
    ballot, group = paper_ballot(unit, officer, mode=Ballot.DoubleEntry.OFF, issued=1)
    entry = actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [0, 0]))
    with pytest.raises(ActionError):
        actions.void_paper_entry(actor=officer, entry=entry, reason=" ")
    actions.void_paper_entry(actor=officer, entry=entry, reason="编号录错")
    again = actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [1, 1]))
    assert again.pk != entry.pk
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    assert queries.results(ballot).total_ballots == 1


def test_paper_entry_needs_permission_and_open_ballot(unit, officer):
    ballot, group = paper_ballot(unit, officer)
    outsider = make_user(role=Role.ORG_OFFICER, unit=make_unit())
    with pytest.raises(NotVisible):
        actions.enter_paper_sheet(actor=outsider, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [0, 0]))
    viewer = make_user(role=Role.COMMITTEE_MEMBER, unit=unit)
    with pytest.raises(NotVisible):
        actions.enter_paper_sheet(actor=viewer, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [0, 0]))
    draft = make_ballot(unit=unit, actor=officer)
    with pytest.raises(ActionError) as exc:
        actions.enter_paper_sheet(actor=officer, ballot=draft, group=draft.groups.get(), sheet_no=1, answers={})
    assert exc.value.code == "not_open"
    with pytest.raises(ActionError) as exc:
        actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=0, answers={})
    assert exc.value.field == "sheet_no"


def counts_for(subject, numbers):
    question = subject.section.questions.get()
    return {question.pk: {o.pk: n for o, n in zip(question.options.all(), numbers, strict=False)}}


def test_counts_entry_double_and_tally(unit, officer):
    ballot, group = paper_ballot(unit, officer, issued=10)
    s1, s2 = ballot.subjects.order_by("order")
    actions.enter_paper_counts(actor=officer, ballot=ballot, group=group, subject=s1, ballots=10, counts=counts_for(s1, [6, 3, 0, 0, 1]))
    entry = actions.enter_paper_counts(actor=officer, ballot=ballot, group=group, subject=s1, ballots=10, counts=counts_for(s1, [6, 3, 0, 0, 1]))
    assert entry.status == PaperEntry.Status.CONFIRMED
    with pytest.raises(ActionError) as exc:
        actions.enter_paper_counts(actor=officer, ballot=ballot, group=group, subject=s2, ballots=9, counts=counts_for(s2, [1]))
    assert exc.value.field == "ballots"
    with pytest.raises(ActionError) as exc:
        actions.enter_paper_counts(actor=officer, ballot=ballot, group=group, subject=s2, ballots=10, counts=counts_for(s2, [6, 5]))
    assert exc.value.field == "counts"  # 11 > 10 ballots
    actions.enter_paper_counts(actor=officer, ballot=ballot, group=group, subject=s2, ballots=10, counts=counts_for(s2, [2, 2, 2, 2]))
    disagreed = actions.enter_paper_counts(actor=officer, ballot=ballot, group=group, subject=s2, ballots=10, counts=counts_for(s2, [2, 2, 2, 1]))
    assert disagreed.status == PaperEntry.Status.DISAGREED
    actions.resolve_paper_entry(actor=officer, entry=disagreed, ballots=10, counts=counts_for(s2, [2, 2, 2, 2]))
    with pytest.raises(ActionError):
        actions.enter_paper_sheet(actor=officer, ballot=ballot, group=group, sheet_no=1, answers=sheet(ballot, [0, 0]))  # mixing modes
    counts_journal = JournalEntry.objects.filter(action="ballots.paper.counts_entered").first()
    assert set(counts_journal.data) == {"group", "subject", "ballots", "pass", "status", "differences"}
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    res = queries.results(ballot)
    q1 = res.subject(s1).question("overall")
    assert [o.count for o in q1.options] == [6, 3, 0, 0, 1] and q1.blank == 0
    q2 = res.subject(s2).question("overall")
    assert [o.count for o in q2.options] == [2, 2, 2, 2, 0] and q2.blank == 2
    assert res.groups[0].paper == 10
    assert tally.recount(ballot).ok


def test_counts_refuse_foreign_option_and_subject(unit, officer):
    ballot, group = paper_ballot(unit, officer, issued=10)
    other = make_ballot(unit=unit, actor=officer, open=True)
    s1 = ballot.subjects.order_by("order").first()
    foreign = other.subjects.first()
    with pytest.raises(ActionError) as exc:
        actions.enter_paper_counts(actor=officer, ballot=ballot, group=group, subject=foreign, ballots=1, counts={})
    assert exc.value.code == "foreign_subject"
    foreign_option = foreign.section.questions.get().options.first()
    with pytest.raises(ActionError) as exc:
        actions.enter_paper_counts(
            actor=officer, ballot=ballot, group=group, subject=s1, ballots=1, counts={s1.section.questions.get().pk: {foreign_option.pk: 1}}
        )
    assert exc.value.code == "foreign_option"
    assert not PaperEntry.objects.exists()
