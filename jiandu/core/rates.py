"""Exact rates (ARCHITECTURE.md): counts are stored, rates are fractions, thresholds compare
fractions, and only display rounds — mode and places are local settings.

The seed reports 131/133 as 98.49 % (round down to 2 places) and 132/133 as 99.2 % (1 place,
or trailing zero dropped): both are reproducible with `format_percent`.
"""

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction

ROUNDING_MODES = {
    "down": ROUND_DOWN,
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "up": ROUND_UP,
}


def rate(numerator: int, denominator: int) -> Fraction | None:
    """numerator ÷ denominator as an exact fraction; None when there is nothing to divide by."""
    if denominator == 0:
        return None
    return Fraction(numerator, denominator)


def reaches(value: Fraction | None, threshold: Fraction | str, inclusive: bool = True) -> bool:
    """value ≥ threshold (or > when not inclusive), compared exactly."""
    if value is None:
        return False
    threshold = Fraction(threshold)
    return value >= threshold if inclusive else value > threshold


def percent(value: Fraction, places: int = 2, mode: str = "down", strip_zeros: bool = False) -> Decimal:
    """The value as a percentage rounded with the given mode; computed exactly, not in floats."""
    # Integer arithmetic throughout: Decimal division would be inexact at 28 digits.
    scale = 10**places
    q, r = divmod(value.numerator * 100 * scale, value.denominator)
    rounding = ROUNDING_MODES[mode]
    result = Decimal(q) / scale
    if r:
        tie = Fraction(r, value.denominator)
        if (
            rounding == ROUND_UP
            or (rounding == ROUND_HALF_UP and tie >= Fraction(1, 2))
            or (rounding == ROUND_HALF_EVEN and (tie > Fraction(1, 2) or (tie == Fraction(1, 2) and q % 2 == 1)))
        ):
            result = Decimal(q + 1) / scale
    result = result.quantize(Decimal(1).scaleb(-places))
    if strip_zeros:
        result = result.normalize()
        if result == result.to_integral():
            result = result.quantize(Decimal(1))
    return result


def format_percent(
    numerator: int, denominator: int, places: int | None = None, mode: str | None = None, with_counts: bool = True, strip_zeros: bool = False
) -> str:
    """ "98.49%（131/133）" — rounding per the local settings unless given."""
    if places is None or mode is None:
        from .practice import get_setting

        places = get_setting("rates.display_places") if places is None else places
        mode = get_setting("rates.rounding_mode") if mode is None else mode
    value = rate(numerator, denominator)
    if value is None:
        text = "—"
    else:
        text = f"{percent(value, places, mode, strip_zeros)}%"
    return f"{text}（{numerator}/{denominator}）" if with_counts else text
