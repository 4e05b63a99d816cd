"""The verdict arithmetic at its edges (DOMAIN.md §3)."""

import pytest
from django.utils import translation

from jiandu.decisions import verdict as v


def statements(agree, disagree=0, defer=0):
    """agree, disagree and defer statements by m2, m3 … in speaking order."""
    stances = [v.AGREE] * agree + [v.DISAGREE] * disagree + [v.DEFER] * defer
    return [v.Statement(f"m{i}", stance) for i, stance in enumerate(stances, start=2)]


def test_appointment_six_of_nine_present_is_exactly_two_thirds_and_valid():
    result = v.compute(total=9, present=6, category=v.APPOINTMENT, statements=statements(5, 1))
    assert result.quorum_needed == 6
    assert result.valid and result.validity == v.VALID
    assert result.outcome == v.PASSED


def test_appointment_five_of_nine_present_is_void_even_if_all_agree():
    result = v.compute(total=9, present=5, category=v.APPOINTMENT, statements=statements(5))
    assert not result.valid and result.validity == v.VOID
    assert result.outcome == v.VOID
    assert not result.passed


def test_general_five_of_nine_valid_four_void():
    assert v.compute(total=9, present=5, category=v.GENERAL, statements=statements(5)).outcome == v.PASSED
    four = v.compute(total=9, present=4, category=v.GENERAL, statements=statements(4))
    assert four.quorum_needed == 5
    assert four.outcome == v.VOID


def test_general_more_than_half_with_even_total():
    # 8 members: 4 present is exactly half, not more than half.
    assert v.compute(total=8, present=4, category=v.GENERAL, statements=[]).outcome == v.VOID
    assert v.compute(total=8, present=5, category=v.GENERAL, statements=[]).outcome == v.FAILED


@pytest.mark.parametrize("present", [6, 7, 9])
def test_five_yes_of_nine_passes_four_fails_regardless_of_attendance(present):
    assert v.compute(total=9, present=present, category=v.APPOINTMENT, statements=statements(5, present - 5)).outcome == v.PASSED
    assert v.compute(total=9, present=present, category=v.APPOINTMENT, statements=statements(4, present - 4)).outcome == v.FAILED


def test_majority_is_of_all_members_not_of_those_present():
    # 6 of 9 present, 4 agree: a majority of those present (4/6), not of all members.
    result = v.compute(total=9, present=6, category=v.GENERAL, statements=statements(4, 1, 1))
    assert result.majority_needed == 5
    assert result.outcome == v.FAILED


def test_even_total_majority_needs_more_than_half():
    assert v.compute(total=8, present=8, category=v.GENERAL, statements=statements(4, 4)).outcome == v.FAILED
    assert v.compute(total=8, present=8, category=v.GENERAL, statements=statements(5, 3)).outcome == v.PASSED


def test_principal_last_accepted():
    said = [v.Statement("m2", v.AGREE), v.Statement("m3", v.DISAGREE), v.Statement("chief", v.AGREE)]
    result = v.compute(total=5, present=3, category=v.GENERAL, statements=said, principal="chief")
    assert (result.agree, result.disagree) == (2, 1)


def test_principal_not_last_refused():
    said = [v.Statement("m2", v.AGREE), v.Statement("chief", v.AGREE), v.Statement("m3", v.DISAGREE)]
    with pytest.raises(v.VerdictError) as refused, translation.override("zh-hans"):
        v.compute(total=5, present=3, category=v.GENERAL, statements=said, principal="chief")
    assert str(refused.value) == "主要负责人应当在其他成员全部表态后最后表态。"


def test_principal_absent_imposes_no_order():
    said = [v.Statement("m2", v.AGREE), v.Statement("m3", v.AGREE), v.Statement("m4", v.AGREE)]
    assert v.compute(total=5, present=3, category=v.GENERAL, statements=said, principal="chief").outcome == v.PASSED


def test_written_opinions_recorded_not_counted():
    opinions = [v.WrittenOpinion("x1", v.AGREE, "同意"), v.WrittenOpinion("x2", v.AGREE)]
    result = v.compute(total=9, present=7, category=v.GENERAL, statements=statements(4, 3), written_opinions=opinions)
    assert result.written_opinions == tuple(opinions)
    assert result.agree == 4
    assert result.outcome == v.FAILED  # 4 + 2 written would have passed


def test_written_opinion_from_a_speaker_refused():
    with pytest.raises(v.VerdictError):
        v.compute(total=9, present=5, category=v.GENERAL, statements=statements(5), written_opinions=[v.WrittenOpinion("m2", v.AGREE)])


def test_more_written_opinions_than_absentees_refused():
    with pytest.raises(v.VerdictError):
        v.compute(total=3, present=2, category=v.GENERAL, statements=[], written_opinions=[v.WrittenOpinion("a", v.AGREE), v.WrittenOpinion("b", v.AGREE)])


@pytest.mark.parametrize(
    ("total", "present", "said"),
    [
        (0, 0, []),
        (9, -1, []),
        (9, 10, []),
        (9, 1, [v.Statement("a", v.AGREE), v.Statement("b", v.AGREE)]),
        (9, 2, [v.Statement("a", v.AGREE), v.Statement("a", v.AGREE)]),
        (9, 1, [v.Statement("a", "abstain")]),
    ],
)
def test_impossible_facts_refused(total, present, said):
    with pytest.raises(v.VerdictError):
        v.compute(total=total, present=present, category=v.GENERAL, statements=said)


def test_unknown_category_refused():
    with pytest.raises(v.VerdictError):
        v.compute(total=9, present=9, category="lottery", statements=[])


def test_reconsideration_needs_more_than_half_of_all_members():
    assert v.reconsideration(total=9, agreeing=5).allowed
    assert not v.reconsideration(total=9, agreeing=4).allowed
    assert not v.reconsideration(total=10, agreeing=5).allowed
    assert v.reconsideration(total=10, agreeing=6).allowed


def test_arithmetic_explained_in_chinese_and_english():
    with translation.override("zh-hans"):
        void = v.compute(total=9, present=5, category=v.APPOINTMENT, statements=statements(5))
        text = "".join(void.explanation)
        assert "9" in text and "5" in text and "6" in text
        assert "无效" in text
        assert not any(c.isascii() and c.isalpha() for c in text)
    with translation.override("en"):
        passed = v.compute(total=9, present=7, category=v.GENERAL, statements=statements(5, 2), written_opinions=[v.WrittenOpinion("x9", v.DISAGREE)])
        text = " ".join(passed.explanation)
        assert "more than half" in text and "not counted" in text and text.endswith("Passed.")
