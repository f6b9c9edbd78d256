"""Capaian rules: polarity, the floor at 0, the cap, and rounding for display."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from iku_formula import AchievementRule, Catalog, Polarity, Rounding
from iku_formula.achievement import LowerIsBetter

from .conftest import indicator_toml

F = Fraction
MAX, MIN = Polarity.MAXIMIZE, Polarity.MINIMIZE

fractions = st.fractions(min_value=0, max_value=10_000, max_denominator=1000)
targets = st.fractions(min_value=F(1, 100), max_value=10_000, max_denominator=1000)


@pytest.mark.parametrize(
    ("value", "target", "polarity", "cap", "expected"),
    [
        (F(85), F(85), MAX, None, F(100)),
        (F(17), F(34), MAX, None, F(50)),
        (F(0), F(90), MAX, None, F(0)),
        (F(150), F(100), MAX, None, F(150)),
        (F(150), F(100), MAX, F(120), F(120)),
        (F(31, 10), F(31, 10), MAX, None, F(100)),
        # minimise: (2 - realisasi / target) x 100
        (F(10), F(20), MIN, None, F(150)),
        (F(20), F(20), MIN, None, F(100)),
        (F(30), F(20), MIN, None, F(50)),
        (F(40), F(20), MIN, None, F(0)),
        (F(90), F(20), MIN, None, F(0)),  # kondisi khusus: never below 0
        (F(0), F(20), MIN, F(120), F(120)),
    ],
)
def test_achievement_table(
    value: Fraction, target: Fraction, polarity: Polarity, cap: Fraction | None, expected: Fraction
) -> None:
    rule = AchievementRule(cap=cap)
    assert rule.achievement(value, target, polarity) == (expected, None)


@pytest.mark.parametrize("polarity", list(Polarity))
def test_zero_target_gives_undefined_capaian_with_reason(polarity: Polarity) -> None:
    achievement, reason = AchievementRule().achievement(F(5), F(0), polarity)
    assert achievement is None
    assert reason is not None
    assert "target is 0" in reason


@pytest.mark.parametrize(
    ("value", "target", "polarity", "met"),
    [
        (F(85), F(85), MAX, True),
        (F(8499, 100), F(85), MAX, False),
        (F(20), F(20), MIN, True),
        (F(2001, 100), F(20), MIN, False),
    ],
)
def test_met_uses_exact_value(
    value: Fraction, target: Fraction, polarity: Polarity, met: bool
) -> None:
    assert AchievementRule.met(value, target, polarity) is met


@pytest.mark.parametrize(
    ("number", "rounding", "places", "shown"),
    [
        (F(2345, 1000), Rounding.HALF_UP, 2, "2.35"),
        (F(-2345, 1000), Rounding.HALF_UP, 2, "-2.35"),
        (F(2344, 1000), Rounding.HALF_UP, 2, "2.34"),
        (F(2349, 1000), Rounding.TRUNCATE, 2, "2.34"),
        (F(-2349, 1000), Rounding.TRUNCATE, 2, "-2.34"),
        (F(1, 3), Rounding.HALF_UP, 2, "0.33"),
        (F(2, 3), Rounding.HALF_UP, 2, "0.67"),
        (F(2, 3), Rounding.TRUNCATE, 2, "0.66"),
        (F(800, 9), Rounding.HALF_UP, 2, "88.89"),
        (F(100), Rounding.HALF_UP, 2, "100.00"),
        (F(5, 2), Rounding.HALF_UP, 0, "3"),
        (F(1, 1000), Rounding.HALF_UP, 2, "0.00"),
        (F(-1, 1000), Rounding.HALF_UP, 2, "0.00"),
        (F(1, 20), Rounding.HALF_UP, 1, "0.1"),
    ],
)
def test_display_rounding(number: Fraction, rounding: Rounding, places: int, shown: str) -> None:
    assert AchievementRule(rounding=rounding, places=places).display(number) == Decimal(shown)
    assert str(AchievementRule(rounding=rounding, places=places).display(number)) == shown


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"places": -1}, "places"),
        ({"places": 11}, "places"),
        ({"cap": F(0)}, "cap"),
        ({"rounding": "half_up"}, "rounding"),
    ],
)
def test_rule_is_validated(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        AchievementRule(**kwargs)  # type: ignore[arg-type]


@given(a=fractions, b=fractions, target=targets)
def test_capaian_is_monotone_in_realisasi_by_polarity(
    a: Fraction, b: Fraction, target: Fraction
) -> None:
    low, high = sorted((a, b))
    rule = AchievementRule()
    up_low, _ = rule.achievement(low, target, MAX)
    up_high, _ = rule.achievement(high, target, MAX)
    down_low, _ = rule.achievement(low, target, MIN)
    down_high, _ = rule.achievement(high, target, MIN)
    assert up_low is not None
    assert up_high is not None
    assert down_low is not None
    assert down_high is not None
    assert up_low <= up_high
    assert down_low >= down_high
    assert down_high >= 0


@given(value=fractions, target=targets, cap=st.integers(min_value=1, max_value=300))
def test_cap_bounds_capaian(value: Fraction, target: Fraction, cap: int) -> None:
    for polarity in Polarity:
        achievement, _ = AchievementRule(cap=F(cap)).achievement(value, target, polarity)
        assert achievement is not None
        assert 0 <= achievement <= cap


@given(number=st.fractions(min_value=-1000, max_value=1000, max_denominator=10**6))
def test_display_is_within_half_a_unit(number: Fraction) -> None:
    half_up = AchievementRule().display(number)
    truncated = AchievementRule(rounding=Rounding.TRUNCATE).display(number)
    assert abs(Fraction(half_up) - number) <= F(1, 200)
    assert abs(Fraction(truncated)) <= abs(number)
    assert abs(Fraction(truncated) - number) < F(1, 100)


# The "lower is better" formula is a catalog setting ([catalog.achievement] minimize).
TWO, INVERSE = LowerIsBetter.TWO_MINUS_RATIO, LowerIsBetter.INVERSE_RATIO


@pytest.mark.parametrize(
    ("minimize", "value", "target", "cap", "expected"),
    [
        (TWO, F(10), F(20), None, F(150)),
        (TWO, F(20), F(20), None, F(100)),
        (TWO, F(40), F(20), None, F(0)),
        (TWO, F(90), F(20), None, F(0)),
        (TWO, F(0), F(20), None, F(200)),
        (INVERSE, F(10), F(20), None, F(200)),
        (INVERSE, F(20), F(20), None, F(100)),
        (INVERSE, F(40), F(20), None, F(50)),
        (INVERSE, F(90), F(20), None, F(2000, 90)),  # never 0: the inverse only tends to it
        (INVERSE, F(10), F(20), F(120), F(120)),
        (INVERSE, F(3), F(7), None, F(700, 3)),
    ],
)
def test_minimize_formulas(
    minimize: LowerIsBetter,
    value: Fraction,
    target: Fraction,
    cap: Fraction | None,
    expected: Fraction,
) -> None:
    rule = AchievementRule(cap=cap, minimize=minimize)
    assert rule.achievement(value, target, MIN) == (expected, None)
    # the setting changes nothing when higher is better
    assert rule.achievement(value, target, MAX) == AchievementRule(cap=cap).achievement(
        value, target, MAX
    )


def test_the_inverse_ratio_is_undefined_at_a_realisasi_of_0() -> None:
    rule = AchievementRule(minimize=INVERSE, cap=F(120))
    assert rule.achievement(F(0), F(20), MIN) == (
        None,
        "the realisasi is 0, so capaian (target / realisasi) is undefined",
    )
    assert AchievementRule().minimize is TWO  # today's PermenPANRB default stays


def test_the_minimize_setting_is_validated() -> None:
    with pytest.raises(ValueError, match="minimize must be a LowerIsBetter"):
        AchievementRule(minimize="inverse_ratio")  # type: ignore[arg-type]


def test_the_explanation_writes_the_chosen_formula(make_catalog: Callable[..., Catalog]) -> None:
    settings = '\n[catalog.achievement]\nminimize = "inverse_ratio"\ncap = 120\n'
    catalog = make_catalog(indicator_toml(1, polarity="minimize", target="40%"), extra=settings)
    text = str(catalog.evaluate({"a": 10, "b": 100})[1].explain())
    assert "Capaian: min(120, target / realisasi × 100) = min(120, 40 / 10 × 100)" in text
    zero = catalog.evaluate({"a": 0, "b": 100})[1]
    assert zero.achievement is None
    assert zero.reason == "the realisasi is 0, so capaian (target / realisasi) is undefined"
    default = make_catalog(indicator_toml(1, polarity="minimize", target="40%"))
    assert "maks(0, (2 − realisasi / target) × 100)" in str(
        default.evaluate({"a": 10, "b": 100})[1].explain()
    )
