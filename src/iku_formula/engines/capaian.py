"""Capaian, met and predikat of float columns: the numpy forms of the rules whose home is
:mod:`iku_formula.achievement` (capaian) and :mod:`iku_formula.predikat` (the bands).

Held equal to the exact path by property tests (``tests/engines/test_capaian.py``).
"""

from __future__ import annotations

__all__ = [
    "LOWER_IS_BETTER",
    "MET_TOLERANCE",
    "achievement_columns",
    "predikat_column",
]

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..achievement import LowerIsBetter, Polarity
from ..language.functions import nan_where
from .reasons import Array

if TYPE_CHECKING:
    from ..model import Indicator
    from ..predikat import PredikatScale

MET_TOLERANCE = 1e-12
"""Relative slack when comparing a float realisasi with its target.

Float rounding can put an exact tie just below the target (7 / 100 x 100 is
7.000000000000001, other ties land below); the slack keeps such a tie met, as the
exact path says. Exact values closer to the target than this without reaching it
do not occur with realistic data (it would take denominators above 10**9).
"""


def _inverse_ratio(values: Array, target: float) -> Array:
    with np.errstate(divide="ignore", invalid="ignore"):
        return nan_where(target / values * 100, values == 0)


LOWER_IS_BETTER: Mapping[LowerIsBetter, Callable[[Array, float], Array]] = {
    LowerIsBetter.TWO_MINUS_RATIO: lambda values, target: np.maximum(
        0.0, (2 - values / target) * 100
    ),
    LowerIsBetter.INVERSE_RATIO: _inverse_ratio,
}
"""The numpy form of each capaian formula for "lower is better" (their home:
:class:`~iku_formula.achievement.LowerIsBetter`); a non-zero target."""
if set(LOWER_IS_BETTER) != set(LowerIsBetter):  # pragma: no cover - a new member needs a form
    raise RuntimeError("engines.frames: LOWER_IS_BETTER lacks a member of LowerIsBetter")


def achievement_columns(indicator: Indicator, parts: Sequence[Array]) -> tuple[Array, Array]:
    """Capaian (the least over the target's parts) and met (every part), vectorised."""
    rule = indicator.achievement_rule
    achievement: Array | None = None
    met: Array | None = None
    for values, part in zip(parts, indicator.target.parts, strict=True):
        target = float(part.value)
        slack = MET_TOLERANCE * max(abs(target), 1.0)
        if part.value == 0:
            part_achievement = np.full(values.shape, np.nan)
        else:
            if indicator.polarity is Polarity.MAXIMIZE:
                part_achievement = values / target * 100
            else:
                part_achievement = LOWER_IS_BETTER[rule.minimize](values, target)
            if rule.cap is not None:
                part_achievement = np.minimum(part_achievement, float(rule.cap))
        if indicator.polarity is Polarity.MAXIMIZE:
            part_met = values >= target - slack
        else:
            part_met = values <= target + slack
        achievement = (
            part_achievement if achievement is None else np.minimum(achievement, part_achievement)
        )
        met = part_met if met is None else met & part_met
    assert achievement is not None  # a target has at least one part
    assert met is not None
    return achievement, met


def predikat_column(scale: PredikatScale, values: Array) -> Array:
    """Per row the position (lowest first) of the band of ``scale`` holding the float
    ``values``; -1 where a value is NaN or outside the scale. The bands are the scale's,
    the one table.

    A value within :data:`MET_TOLERANCE` below a bound counts as at it, as for ``met``:
    float rounding puts an exact tie (capaian exactly 91) just below it.
    """
    bands = scale.bands
    lowers = np.array([-np.inf if band.lower is None else float(band.lower) for band in bands])
    lowers -= MET_TOLERANCE * np.maximum(np.abs(np.nan_to_num(lowers, neginf=0.0)), 1.0)
    # One comparison per band (a scale has a few): faster than a search, and NaN is -1 itself.
    index = np.full(values.shape, -1, dtype=np.int16)
    for lower in lowers:
        index += values >= lower
    if scale.maximum is not None:
        top = float(scale.maximum)
        index[values > top + MET_TOLERANCE * max(abs(top), 1.0)] = -1
    return index
