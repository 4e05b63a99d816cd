"""The computation of a result shown to users, step by step."""

from fractions import Fraction

from django.utils.translation import gettext as _

from jiandu.core import rates
from jiandu.core.practice import get_setting

from .. import scoring
from ..models import AppraisalCycle, AssessedCadre, AssessedUnit

# --- computation shown to users ------------------------------------------------------------------


def _num(value) -> str:
    """A weight or score as entered (no trailing zeros beyond two places)."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value is not None else "—"


def _frac(value: Fraction) -> str:
    return f"{rates.percent(value, 2, 'down', strip_zeros=True)}%"


def unit_computation(assessed_unit: AssessedUnit) -> list[dict]:
    """The steps from the target indicators to the final score, in the order they are computed."""
    cycle = assessed_unit.cycle
    places = get_setting("rates.display_places")
    mode = get_setting("rates.rounding_mode")
    indicators = list(assessed_unit.indicators.all())
    base = scoring.target_base([(i.weight, i.score) for i in indicators])
    steps = []
    if indicators:
        terms = " + ".join(f"{_num(i.weight)}×{_num(i.score)}" for i in indicators)
        weights = sum((i.weight for i in indicators), start=type(indicators[0].weight)(0))
        steps.append(
            {
                "label": _("1. Target score without the democratic item (T₀)"),
                "formula": f"({terms}) ÷ {_num(weights)}",
                "value": scoring.show(base, places, mode),
            }
        )
    else:
        steps.append({"label": _("1. Target score without the democratic item (T₀)"), "formula": _("no indicators entered"), "value": "—"})
    share = _score_parameter(cycle, "target_share_of_results")
    weight = _score_parameter(cycle, "democratic_item_weight")
    overall_weight = _score_parameter(cycle, "overall_weight_in_score")
    steps.append(
        {
            "label": _("2. Each cadre's 绩 element takes in T₀"),
            "formula": _(
                "绩′ = (1 − %(share)s) × ballot 绩 score + %(share)s × T₀; cadre score = (1 − %(overall)s) × mean of 德 能 勤 绩′ 廉 + %(overall)s × overall grade"
            )
            % {"share": _frac(share), "overall": _frac(overall_weight)},
            "value": "",
        }
    )
    democratic = assessed_unit.democratic_fraction
    steps.append(
        {
            "label": _("3. Team's democratic score (D)"),
            "formula": _("weighted mean of the voter groups' average points on the team's overall question"),
            "value": scoring.show(democratic, places, mode) if assessed_unit.democratic_exact or not cycle.results_available else "—",
        }
    )
    final = assessed_unit.final_fraction
    if cycle.results_available:
        formula = _("(1 − %(w)s) × %(base)s + %(w)s × %(d)s") % {
            "w": _frac(weight),
            "base": scoring.show(assessed_unit.target_base_fraction, places, mode),
            "d": scoring.show(democratic, places, mode),
        }
        value = scoring.show(final, places, mode)
    else:
        formula = _("(1 − %(w)s) × T₀ + %(w)s × D, once the evaluation has closed") % {"w": _frac(weight)}
        value = "—"
    steps.append({"label": _("4. Final score (T)"), "formula": formula, "value": value})
    return steps


def _score_parameter(cycle: AppraisalCycle, key: str) -> Fraction:
    """A weight of the score computation: as recorded when the evaluation closed, else the setting."""
    recorded = ((cycle.parameters or {}).get("scores") or {}).get(key)
    return Fraction(recorded if recorded else get_setting(f"appraisals.{key}"))


def cadre_computation(row: AssessedCadre) -> str:
    """One line: (1 − β) × mean of 德 能 勤 绩′ 廉 + β × overall = score."""
    if not row.dimension_scores:
        return ""
    places = get_setting("rates.display_places")
    mode = get_setting("rates.rounding_mode")
    labels = dict(zip(scoring.DIMENSIONS, ("德", "能", "勤", "绩′", "廉"), strict=True))
    parts = []
    for code in scoring.DIMENSIONS:
        value = row.results_element_exact if code == scoring.RESULTS_DIMENSION else row.dimension_scores.get(code, "")
        parts.append(f"{labels[code]} {scoring.show(Fraction(value), places, mode) if value else '—'}")
    weight = _score_parameter(row.cycle, "overall_weight_in_score")
    overall = row.dimension_scores.get("overall", "")
    text = (
        f"(1 − {_frac(weight)}) × (" + " + ".join(parts) + f") ÷ 5 + {_frac(weight)} × 总体 {scoring.show(Fraction(overall), places, mode) if overall else '—'}"
    )
    return f"{text} = {scoring.show(row.score_fraction, places, mode)}"
