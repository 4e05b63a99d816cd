"""Exact rates (ARCHITECTURE.md): counts are stored, rates are fractions, thresholds compare
fractions, and only display rounds — mode and places are local settings.

The seed reports 131/133 as 98.49 % (round down to 2 places) and 132/133 as 99.2 % (1 place,
or trailing zero dropped): both are reproducible with `format_percent`, and a ballot (or one of
its sections) carries its own places and rounding (`Display`), defaulting to the settings.

Rounding modes: "down" 去尾法; "half_up" 四舍五入; "half_even" GB/T 8170-2008 《数值修约规则与极限
数值的表示和判定》 §3.3 (below 5 dropped, above 5 carried, exactly 5 to the even digit — applied to
the exact fraction, so "exactly 5" means an exact tie); "up" 进一法.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

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


MAX_PLACES = 4


@dataclass(frozen=True)
class Display:
    """How rates of one ballot, section or report are shown: decimal places and rounding mode."""

    places: int
    mode: str

    def share(self, value: Fraction | None) -> str:
        return "—" if value is None else f"{percent(value, self.places, self.mode)}%"

    def score(self, value: Fraction | None) -> str:
        return "—" if value is None else str(percent(value / 100, self.places, self.mode))

    def rule(self) -> str:
        """The rule, as stated under a table of rates."""
        texts = {
            "down": _("Rates are rounded down (去尾法) to %(places)d decimal places; counts are exact."),
            "half_up": _("Rates are rounded half up (四舍五入) to %(places)d decimal places; counts are exact."),
            "half_even": _("Rates are rounded per GB/T 8170 (round half to even) to %(places)d decimal places; counts are exact."),
            "up": _("Rates are rounded up to %(places)d decimal places; counts are exact."),
        }
        return texts[self.mode] % {"places": self.places}

    def shown_sum(self, shares: list[Fraction]) -> Decimal:
        return sum((percent(value, self.places, self.mode) for value in shares), Decimal(0))

    def sum_note(self, shares: list[Fraction | None]) -> str:
        """When the shown shares of one question do not add up to 100 % although the exact ones
        do, say why; "" otherwise."""
        shares = [value for value in shares if value is not None]
        if not shares or sum(shares, Fraction(0)) != 1:
            return ""
        shown = self.shown_sum(shares)
        if shown == 100:
            return ""
        return _("These shares add up to %(sum)s%% rather than 100%% because each is rounded separately; the counts are exact.") % {"sum": shown}


def display(places: int | None = None, mode: str | None = None) -> Display:
    """A Display with the given places and mode, each defaulting to the rates.* settings."""
    if places is None or not mode:
        from .practice import get_setting

        places = int(get_setting("rates.display_places")) if places is None else places
        mode = mode or get_setting("rates.rounding_mode")
    return Display(int(places), mode)
