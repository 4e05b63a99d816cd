"""The arithmetic: exact fractions, quota boundaries, grade rules and the non-circular order."""

from decimal import Decimal
from fractions import Fraction

from jiandu.appraisals import scoring

RULES = scoring.GradeRules(excellent_share=Fraction(1, 2), excellent_inclusive=False, competent_share=Fraction(1, 2), incompetent_share=Fraction(1, 2))
CODES = ["excellent", "competent", "basically_competent", "incompetent"]


def test_target_base_is_the_weighted_mean():
    base = scoring.target_base([(Decimal("30"), Decimal("95")), (Decimal("50"), Decimal("88")), (Decimal("20"), Decimal("90"))])
    assert base == Fraction(30 * 95 + 50 * 88 + 20 * 90, 100) == Fraction(9050, 100)
    assert scoring.target_base([]) is None
    assert scoring.show(Fraction(1, 3) * 100) == "33.33"


def test_quota_boundary_floor_and_round_exactly():
    share = Fraction(15, 100)
    assert scoring.allowed_excellent(20, share) == 3  # 20 × 15 % = 3
    assert scoring.allowed_excellent(21, share) == 3  # 3.15 → 3
    assert scoring.allowed_excellent(21, share, "half_up") == 3
    assert scoring.allowed_excellent(24, share) == 3  # 3.6 → 3 rounded down
    assert scoring.allowed_excellent(24, share, "half_up") == 4  # 3.6 → 4
    assert scoring.allowed_excellent(10, share, "half_up") == 2  # 1.5 → 2 (half up)
    assert scoring.allowed_excellent(10, share) == 1
    assert scoring.allowed_excellent(6, share) == 0


def test_grade_from_votes_thresholds_exact():
    # 不称职 exactly half (inclusive) → 不称职
    assert scoring.grade_from_votes({"incompetent": 5, "competent": 5}, 10, CODES, RULES) == ("incompetent", "bottom")
    # 优秀 + 称职 = 4/10 < 1/2 → 基本称职
    assert scoring.grade_from_votes({"excellent": 2, "competent": 2, "basically_competent": 4, "incompetent": 2}, 10, CODES, RULES)[0] == "basically_competent"
    # 优秀 + 称职 exactly 1/2 → 称职 (inclusive)
    assert scoring.grade_from_votes({"excellent": 2, "competent": 3, "basically_competent": 5}, 10, CODES, RULES)[0] == "competent"
    # 优秀 exactly half is not "more than half"
    assert scoring.grade_from_votes({"excellent": 5, "competent": 5}, 10, CODES, RULES) == ("competent", "second")
    assert scoring.grade_from_votes({"excellent": 6, "competent": 4}, 10, CODES, RULES) == ("excellent", "top")
    inclusive = scoring.GradeRules(Fraction(1, 2), True, Fraction(1, 2), Fraction(1, 2))
    assert scoring.grade_from_votes({"excellent": 5, "competent": 5}, 10, CODES, inclusive)[0] == "excellent"
    assert scoring.grade_from_votes({}, 0, CODES, RULES) == ("", "no_votes")


def test_apply_quota_ranks_and_leaves_boundary_ties_to_the_department():
    c = [scoring.Candidate(k, Fraction(s), Fraction(1, 2)) for k, s in [("a", 90), ("b", 85), ("c", 85), ("d", 80)]]
    assert scoring.apply_quota(c, 4) == (["a", "b", "c", "d"], [], [])
    assert scoring.apply_quota(c, 1) == (["a"], ["b", "c", "d"], [])
    kept, beyond, tied = scoring.apply_quota(c, 2)
    assert kept == ["a"] and tied == ["b", "c"] and beyond == ["d"]
    assert scoring.apply_quota(c, 3) == (["a", "b", "c"], ["d"], [])
    assert scoring.apply_quota(c, 0) == ([], ["a", "b", "c", "d"], [])
    # equal scores are separated by the share of 优秀 votes
    d = [scoring.Candidate("x", Fraction(85), Fraction(2, 3)), scoring.Candidate("y", Fraction(85), Fraction(1, 2))]
    assert scoring.apply_quota(d, 1) == (["x"], ["y"], [])


def test_fixed_order_is_not_circular():
    """T₀ uses only indicators; 绩′ uses T₀; the final score uses T₀ and D. Changing the weight of
    the democratic item changes only the final score."""
    base = scoring.target_base([(1, 90)])
    dims = {"morality": Fraction(80), "ability": Fraction(80), "diligence": Fraction(80), "results": Fraction(70), "integrity": Fraction(80)}
    results = scoring.results_element(dims["results"], base, Fraction(1, 2))
    assert results == 80  # (70 + 90) / 2
    assert scoring.cadre_score(dims, results) == 80
    assert scoring.cadre_score(dims, results, Fraction(90), Fraction(2, 5)) == 84  # 3/5 × 80 + 2/5 × 90
    assert scoring.cadre_score({}, None, Fraction(90), Fraction(2, 5)) == 90
    democratic = Fraction(85)
    assert scoring.final_score(base, democratic, Fraction(1, 5)) == Fraction(4, 5) * 90 + Fraction(1, 5) * 85 == 89
    assert scoring.final_score(base, democratic, Fraction(1, 2)) == Fraction(175, 2)
    # T₀ and 绩′ do not depend on D or on the democratic weight
    assert scoring.target_base([(1, 90)]) == base
    assert scoring.results_element(dims["results"], base, Fraction(1, 2)) == results
    assert scoring.final_score(None, democratic, Fraction(1, 5)) == democratic
    assert scoring.final_score(base, None, Fraction(1, 5)) == base
    assert scoring.results_element(Fraction(70), None, Fraction(1, 2)) == 70


def test_competition_ranks():
    ranks = scoring.competition_ranks([("a", Fraction(9)), ("b", Fraction(9)), ("c", Fraction(7)), ("d", None)])
    assert ranks == {"a": 1, "b": 1, "c": 3}
