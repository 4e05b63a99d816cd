from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiandu.core import rates


def test_seed_figures_reproduce():
    # The seed reports 131/133 as 98.49 % (round down, 2 places) and 132/133 as 99.2 %.
    assert str(rates.percent(rates.rate(131, 133), 2, "down")) == "98.49"
    assert str(rates.percent(rates.rate(132, 133), 1, "down")) == "99.2"
    assert str(rates.percent(rates.rate(131, 133), 2, "half_up")) == "98.50"


@pytest.mark.django_db
def test_format_percent_uses_settings_and_shows_counts():
    assert rates.format_percent(131, 133) == "98.49%（131/133）"
    assert rates.format_percent(0, 0) == "—（0/0）"


def test_exact_thresholds():
    third = Fraction(1, 3)
    assert rates.reaches(rates.rate(1, 3), third)  # exactly 1/3 is inclusive
    assert rates.reaches(rates.rate(10, 30), third)
    assert not rates.reaches(rates.rate(9, 28), third)  # just under
    assert not rates.reaches(rates.rate(1, 3), third, inclusive=False)
    assert rates.reaches(rates.rate(2, 3), "2/3")
    assert not rates.reaches(rates.rate(666, 1000), "2/3")
    assert not rates.reaches(None, third)


def test_rounding_modes():
    value = Fraction(1, 8)  # 12.5 %
    assert str(rates.percent(value, 0, "down")) == "12"
    assert str(rates.percent(value, 0, "half_up")) == "13"
    assert str(rates.percent(value, 0, "half_even")) == "12"
    assert str(rates.percent(Fraction(3, 8), 0, "half_even")) == "38"
    assert str(rates.percent(Fraction(1, 3), 2, "up")) == "33.34"


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=10_000), st.sampled_from(["down", "half_up", "half_even", "up"]))
def test_rounding_stays_within_one_unit(numerator, denominator, mode):
    exact = Fraction(numerator * 100, denominator)
    shown = Fraction(str(rates.percent(Fraction(numerator, denominator), 2, mode)))
    assert abs(shown - exact) < Fraction(1, 100)
    if mode == "down":
        assert shown <= exact
    if mode == "up":
        assert shown >= exact
