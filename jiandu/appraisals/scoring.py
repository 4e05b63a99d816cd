"""The arithmetic of an appraisal, in exact fractions (no database, no settings lookups: callers
pass the parameters, which the cycle records).

The seed's two-way link (DOMAIN.md §4) is computed in a fixed order so that it is not circular:

1. target score without the democratic item:  T₀ = Σ weightᵢ × scoreᵢ ÷ Σ weightᵢ
2. democratic assessment, with T₀ fed into each cadre's 绩 element:
       绩′ = (1 − α) × ballot 绩 score + α × T₀            (α: appraisals.target_share_of_results)
       cadre score = (1 − β) × mean of 德, 能, 勤, 绩′, 廉 + β × overall grade score
                                                          (β: appraisals.overall_weight_in_score)
   and the team's democratic score D (the team subject's weighted score on the ballot);
3. final unit score:  T = (1 − w) × T₀ + w × D           (w: appraisals.democratic_item_weight)

Step 3 uses D, step 2 uses only T₀, step 1 uses neither: nothing depends on its own result.
"""

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from jiandu.core import rates

DIMENSIONS = ("morality", "ability", "diligence", "results", "integrity")
RESULTS_DIMENSION = "results"


def target_base(indicators) -> Fraction | None:
    """T₀ from (weight, score) pairs: the weighted mean of the scores; None without indicators."""
    total_weight = Fraction(0)
    total = Fraction(0)
    for weight, score in indicators:
        weight = Fraction(str(weight))
        total_weight += weight
        total += weight * Fraction(str(score))
    if not total_weight:
        return None
    return total / total_weight


def results_element(ballot_results: Fraction | None, base: Fraction | None, share: Fraction) -> Fraction | None:
    """绩′: the ballot's 绩 score with the unit's target score fed in at `share`."""
    if ballot_results is None:
        return None
    if base is None:
        return ballot_results
    return (1 - share) * ballot_results + share * base


def cadre_score(
    dimension_scores: dict[str, Fraction | None], results: Fraction | None, overall: Fraction | None = None, overall_weight: Fraction = Fraction(0)
) -> Fraction | None:
    """(1 − w) × mean of 德 能 勤 绩′ 廉 + w × the overall grade's score; with only one of the two
    available, that one."""
    values = []
    for code in DIMENSIONS:
        value = results if code == RESULTS_DIMENSION else dimension_scores.get(code)
        if value is None:
            values = []
            break
        values.append(value)
    elements = sum(values, Fraction(0)) / len(values) if values else None
    if elements is None:
        return overall
    if overall is None:
        return elements
    return (1 - overall_weight) * elements + overall_weight * overall


def final_score(base: Fraction | None, democratic: Fraction | None, weight: Fraction) -> Fraction | None:
    """T = (1 − w) × T₀ + w × D; with one of them missing, the other alone."""
    if base is None:
        return democratic
    if democratic is None:
        return base
    return (1 - weight) * base + weight * democratic


def allowed_excellent(participants: int, share: Fraction, rounding: str = "floor", min_one_from: int = 0) -> int:
    """How many may be 优秀: participants × share, rounded down (floor) or half up; at least one
    when `min_one_from` > 0 and the pool has at least that many participants (local setting
    appraisals.excellent_quota_min_one_from)."""
    exact = participants * Fraction(share)
    allowed = math.floor(exact + Fraction(1, 2)) if rounding == "half_up" else math.floor(exact)
    if allowed == 0 and min_one_from > 0 and participants >= min_one_from:
        return 1
    return allowed


def decimal(value: Fraction | None, places: int = 3) -> Decimal | None:
    """A rounded copy for sorting and display (never used for thresholds)."""
    if value is None:
        return None
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, rounding=ROUND_HALF_UP)


def fraction_of(value: str) -> Fraction | None:
    """The inverse of `text`."""
    return Fraction(value) if value else None


def text(value: Fraction | None) -> str:
    return "" if value is None else str(Fraction(value))


def show(value: Fraction | None, places: int = 2, mode: str = "down") -> str:
    """A score for display with the configured rounding (e.g. 90.50)."""
    if value is None:
        return "—"
    return str(rates.percent(value / 100, places, mode))


@dataclass
class GradeRules:
    """Thresholds on the overall question, as shares of the valid votes."""

    excellent_share: Fraction
    excellent_inclusive: bool
    competent_share: Fraction
    incompetent_share: Fraction


@dataclass
class Proposal:
    grade: str  # "" when no proposal can be made (no valid votes)
    reasons: list[str] = field(default_factory=list)


def grade_from_votes(votes: dict[str, int], valid: int, codes: list[str], rules: GradeRules) -> tuple[str, str]:
    """The grade the votes suggest, before disqualification and quota. `codes` are the four grade
    option codes, best first. Returns (grade code, rule that decided it: "no_votes", "bottom",
    "third", "top", "second")."""
    if not valid:
        return "", "no_votes"
    top, second, third, bottom = codes
    share = {code: Fraction(int(votes.get(code, 0)), valid) for code in codes}
    if rates.reaches(share[bottom], rules.incompetent_share, inclusive=True):
        return bottom, "bottom"
    if not rates.reaches(share[top] + share[second], rules.competent_share, inclusive=True):
        return third, "third"
    if rates.reaches(share[top], rules.excellent_share, inclusive=rules.excellent_inclusive):
        return top, "top"
    return second, "second"


@dataclass
class Candidate:
    key: object
    score: Fraction | None
    top_share: Fraction


def apply_quota(candidates: list[Candidate], allowed: int) -> tuple[list[object], list[object], list[object]]:
    """Split candidates for the top grade into (kept, beyond the quota, tied at the boundary).
    Ranked by score, then by the share of top votes. When candidates tie exactly across the
    boundary, none of the tied ones is kept: the department decides at confirmation."""
    if len(candidates) <= allowed:
        return [c.key for c in candidates], [], []

    def sort_key(c):
        return (c.score if c.score is not None else Fraction(-1), c.top_share)

    ranked = sorted(candidates, key=sort_key, reverse=True)
    if allowed == 0:
        return [], [c.key for c in ranked], []
    boundary = sort_key(ranked[allowed - 1])
    if sort_key(ranked[allowed]) == boundary:
        kept = [c.key for c in ranked if sort_key(c) > boundary]
        tied = [c.key for c in ranked if sort_key(c) == boundary]
        beyond = [c.key for c in ranked if sort_key(c) < boundary]
        return kept, beyond, tied
    return [c.key for c in ranked[:allowed]], [c.key for c in ranked[allowed:]], []


def competition_ranks(items: list[tuple[object, Fraction | None]]) -> dict[object, int]:
    """1, 1, 3 ranking by score, highest first; items without a score are not ranked."""
    scored = sorted((item for item in items if item[1] is not None), key=lambda item: item[1], reverse=True)
    ranks: dict[object, int] = {}
    previous = None
    for position, (key, score) in enumerate(scored, start=1):
        if previous is not None and score == previous[1]:
            ranks[key] = ranks[previous[0]]
        else:
            ranks[key] = position
        previous = (key, score)
    return ranks
