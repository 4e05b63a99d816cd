"""Results: rates, weighted scores, ranking, disclosure control, thresholds and rounding."""

from fractions import Fraction

import pytest

from jiandu.accounts.access import NotVisible
from jiandu.accounts.models import Role
from jiandu.ballots import actions, queries, results
from jiandu.core import rates
from jiandu.core.actions import change_setting
from jiandu.core.errors import ActionError
from jiandu.testing import answer_all, ballot_spec, make_ballot, make_unit, make_user, registrar

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    return make_unit(name="区住建局")


@pytest.fixture
def officer(unit):
    return make_user(role=Role.ORG_OFFICER, unit=unit)


def run_ballot(unit, officer, spec, votes):
    """votes: {group code: [option index per voter]} (the same option for every question)."""
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    for code, picks in votes.items():
        group = ballot.groups.get(code=code)
        if not picks:
            continue
        _b, plain = actions.generate_codes(actor=officer, ballot=ballot, group=group, count=len(picks))
        for voting_code, pick in zip(plain, picks, strict=True):
            actions.submit_ballot(code=voting_code, answers=answer_all(ballot, voting_code, lambda s, q, o, p=pick: o[p]))
    return actions.close_ballot(actor=officer, ballot=ballot)


def test_group_breakdown_shown_at_minimum_size_and_hidden_below():
    assert results.hidden_groups({1: 5, 2: 9}, 5) == set()  # exactly the minimum is shown
    assert results.hidden_groups({1: 4, 2: 9, 3: 12}, 5) == {1, 2}  # 4 hidden, plus the next smallest
    assert results.hidden_groups({1: 2, 2: 3, 3: 20}, 5) == {1, 2}  # together they reach 5
    assert results.hidden_groups({1: 0, 2: 7}, 5) == set()  # an empty group has nothing to hide
    assert results.hidden_groups({1: 3}, 5) == {1}


def test_small_group_suppressed_in_results(unit, officer):
    spec = ballot_spec(subjects=("甲",), groups=(("区领导", "0.3", 10), ("职工", "0.7", 30), ("服务对象", "0.2", 10)))
    ballot = run_ballot(unit, officer, spec, {"g1": [0, 0, 0, 3], "g2": [1] * 9, "g3": [0] * 5})
    res = queries.results(ballot)
    hidden = {g.group.code for g in res.groups if g.hidden}
    assert hidden == {"g1", "g3"}  # g1 (4 < 5), then g3 (5) so that 4 + 5 ≥ 5 cannot be derived
    rows = {r.group.code: r for r in res.sections[0].subjects[0].question("overall").groups}
    assert rows["g1"].hidden and rows["g1"].options == [] and rows["g1"].score is None
    assert not rows["g2"].hidden and rows["g2"].options[1].count == 9
    # Pooled totals still include every group.
    assert res.sections[0].subjects[0].question("overall").valid == 18


def test_minimum_group_size_setting_is_snapshotted_on_close(unit, officer):
    change_setting(actor=registrar(), key="ballots.min_group_size", value="4")
    spec = ballot_spec(subjects=("甲",), groups=(("区领导", "1", 10), ("职工", "1", 10)))
    ballot = run_ballot(unit, officer, spec, {"g1": [0, 0, 0, 0], "g2": [1] * 6})
    assert ballot.min_group_size == 4
    change_setting(actor=registrar(), key="ballots.min_group_size", value="5")
    assert not queries.results(ballot).hidden_groups


def test_share_exactly_one_third_reaches_threshold(unit, officer):
    spec = ballot_spec(subjects=("甲", "乙"), groups=(("职工", "1", 20),))
    # 3 不称职 of 9 valid (+1 不了解, not valid) is exactly 1/3.
    ballot = run_ballot(unit, officer, spec, {"g1": [3, 3, 3, 1, 1, 1, 0, 0, 0, 4]})
    subject = ballot.subjects.get(key="s1")
    share = queries.option_share(ballot, subject, "overall", "incompetent")
    assert share == Fraction(1, 3)
    assert rates.reaches(share, "1/3")
    assert not rates.reaches(share, "1/3", inclusive=False)
    assert queries.option_share(ballot, subject, "overall", ["excellent", "competent"]) == Fraction(2, 3)
    with pytest.raises(ActionError):
        queries.option_share(ballot, subject, "overall", "unknown")  # not a valid vote
    with pytest.raises(ActionError):
        queries.option_share(ballot, subject, "overall", "nonsense")
    with pytest.raises(ActionError):
        queries.option_share(ballot, subject, "morality", "excellent")


def test_share_just_below_one_third(unit, officer):
    spec = ballot_spec(subjects=("甲",), groups=(("职工", "1", 20),))
    ballot = run_ballot(unit, officer, spec, {"g1": [3, 3, 3, 1, 1, 1, 0, 0, 0, 0]})
    share = queries.option_share(ballot, ballot.subjects.get(), "overall", "incompetent")
    assert share == Fraction(3, 10) and not rates.reaches(share, "1/3")


def test_weighted_score_uses_group_weights(unit, officer):
    spec = ballot_spec(subjects=("甲",), groups=(("区领导", "0.3", 10), ("职工", "0.7", 10)))
    ballot = run_ballot(unit, officer, spec, {"g1": [0] * 5, "g2": [3] * 5})
    question = queries.results(ballot).sections[0].subjects[0].question("overall")
    # 0.3 × 100 + 0.7 × 40 = 58, exactly
    assert question.score == 58
    assert results.format_score(question.score) == "58.00"


def test_scores_rank_with_ties(unit, officer):
    spec = ballot_spec(subjects=("甲", "乙", "丙"), groups=(("职工", "1", 20),))
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    picks = {"s1": 1, "s2": 0, "s3": 1}
    _b, plain = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=2)
    for code in plain:
        actions.submit_ballot(code=code, answers=answer_all(ballot, code, lambda s, q, o: o[picks[s.key]]))
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    ranks = {r.subject.key: r.rank for r in queries.results(ballot).sections[0].subjects}
    assert ranks == {"s2": 1, "s1": 2, "s3": 2}


def test_subject_score_is_mean_without_overall_question(unit, officer):
    questions = [
        {"code": "a", "label": "A", "scale": "grade"},
        {"code": "b", "label": "B", "scale": "grade"},
    ]
    spec = ballot_spec(subjects=("甲",), questions=questions)
    ballot = make_ballot(unit=unit, actor=officer, spec=spec, open=True)
    _b, plain = actions.generate_codes(actor=officer, ballot=ballot, group=ballot.groups.get(), count=1)
    actions.submit_ballot(code=plain[0], answers=answer_all(ballot, plain[0], lambda s, q, o: o[0] if q.code == "a" else o[1]))
    ballot = actions.close_ballot(actor=officer, ballot=ballot)
    assert queries.results(ballot).sections[0].subjects[0].score == 90


def test_no_points_means_no_score(unit, officer):
    questions = [{"code": "x", "label": "X", "overall": True, "scale": {"options": [{"code": "yes", "label": "是"}, {"code": "no", "label": "否"}]}}]
    spec = ballot_spec(subjects=("甲",), questions=questions)
    ballot = run_ballot(unit, officer, spec, {"g1": [0, 1]})
    subject = queries.results(ballot).sections[0].subjects[0]
    assert subject.score is None and subject.rank is None
    assert subject.question("x").option("yes").share == Fraction(1, 2)


def test_five_dimensions_detected_for_radar(unit, officer):
    spec = ballot_spec(subjects=("甲",), questions="five_dimensions")
    ballot = run_ballot(unit, officer, spec, {"g1": [0]})
    section = queries.results(ballot).sections[0]
    assert section.has_dimensions
    assert [q.code for q in section.questions] == ["morality", "ability", "diligence", "results", "integrity", "overall"]


@pytest.mark.parametrize(
    ("mode", "places", "expected"),
    [("down", 2, "98.49%"), ("half_up", 2, "98.50%"), ("half_even", 1, "98.5%"), ("up", 0, "99%"), ("down", 0, "98%")],
)
def test_share_rounding_modes(mode, places, expected):
    assert results.format_share(Fraction(131, 133), places, mode) == expected


def test_share_rounding_follows_settings():
    assert results.format_share(Fraction(131, 133)) == "98.49%"
    change_setting(actor=registrar(), key="rates.rounding_mode", value="half_up")
    assert results.format_share(Fraction(131, 133)) == "98.50%"
    change_setting(actor=registrar(), key="rates.display_places", value="1")
    assert results.format_share(Fraction(132, 133)) == "99.2%"
    assert results.format_score(Fraction(251, 3)) == "83.7"


def test_results_need_view_permission_on_the_unit(unit, officer):
    ballot = run_ballot(unit, officer, ballot_spec(), {"g1": [0]})
    member = make_user(role=Role.COMMITTEE_MEMBER, unit=unit)
    assert queries.results(ballot, user=member).total_ballots == 1
    outsider = make_user(role=Role.COMMITTEE_MEMBER, unit=make_unit())
    with pytest.raises(NotVisible):
        queries.results(ballot, user=outsider)
