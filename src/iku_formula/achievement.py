"""Achievement (capaian) rules: polarity, cap and the rounding people see.

Capaian follows PermenPANRB 6/2022:

* maximise (higher is better): ``realisasi / target x 100``;
* minimise (lower is better): ``(2 - realisasi / target) x 100``, never below 0
  (the "kondisi khusus" that keeps a very bad result from going negative); this is the
  default, and a catalog may choose ``target / realisasi x 100`` instead
  (:class:`LowerIsBetter`, the ``minimize`` setting), undefined at a realisasi of 0.

A target of 0 gives an undefined capaian. An optional cap (120 is common) bounds
capaian from above. Everything is exact (:class:`~fractions.Fraction`); rounding
happens only in :meth:`AchievementRule.display`, for people to read.
"""

from __future__ import annotations

__all__ = ["MAX_PLACES", "AchievementRule", "LowerIsBetter", "Polarity", "Rounding", "Status"]

import enum
from decimal import Decimal
from fractions import Fraction

import attrs

from .errors import DefinitionError
from .language.undefined import realisasi_is_zero, target_is_zero
from .numbers import display


class Polarity(enum.Enum):
    """Whether a higher (MAXIMIZE) or a lower (MINIMIZE) realisasi is better."""

    MAXIMIZE = "maximize"
    MINIMIZE = "minimize"

    @property
    def label(self) -> str:
        """The Indonesian word used in reports."""
        return (
            "semakin tinggi semakin baik"
            if self is Polarity.MAXIMIZE
            else ("semakin rendah semakin baik")
        )


class LowerIsBetter(enum.Enum):
    """How capaian is computed when a lower realisasi is better (the sources leave a choice).

    Each member is one formula of ``r = realisasi / target``; its forms for people
    (:attr:`text`) and on exact values (:meth:`exact`) live here, and the numpy engine's
    table (``engines/frames``) has one entry per member.
    """

    TWO_MINUS_RATIO = "two_minus_ratio"
    """``max(0, (2 - realisasi / target) x 100)``: PermenPANRB 6/2022, the default."""
    INVERSE_RATIO = "inverse_ratio"
    """``target / realisasi x 100``: undefined when realisasi is 0."""

    @property
    def text(self) -> str:
        """The formula as reports and explanations write it."""
        if self is LowerIsBetter.TWO_MINUS_RATIO:
            return "maks(0, (2 − realisasi / target) × 100)"
        return "target / realisasi × 100"

    def exact(self, value: Fraction, target: Fraction) -> tuple[Fraction | None, str | None]:
        """Capaian of ``value`` against a non-zero ``target``, or (None, reason)."""
        if self is LowerIsBetter.TWO_MINUS_RATIO:
            return max(Fraction(0), (2 - value / target) * 100), None
        if value == 0:
            return None, realisasi_is_zero()
        return target / value * 100, None


class Rounding(enum.Enum):
    """How numbers are rounded for display: half up (away from zero) or truncated."""

    HALF_UP = "half_up"
    TRUNCATE = "truncate"


class Status(enum.Enum):
    """Outcome of an evaluation against its target."""

    MET = "met"
    NOT_MET = "not_met"
    UNDEFINED = "undefined"

    @property
    def label(self) -> str:
        """The Indonesian word used in reports."""
        return {
            Status.MET: "tercapai",
            Status.NOT_MET: "tidak tercapai",
            Status.UNDEFINED: "tidak terdefinisi",
        }[self]


MAX_PLACES = 10
"""The most decimals a catalog may ask to show (``places``)."""


def _non_negative_places(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DefinitionError(f"{attribute.name} must be a whole number, got {value!r:.40}")
    if not 0 <= value <= MAX_PLACES:
        raise DefinitionError(f"{attribute.name} must be between 0 and {MAX_PLACES}, got {value}")


def _positive_cap(
    instance: object, attribute: attrs.Attribute[Fraction | None], value: Fraction | None
) -> None:
    if value is not None and not isinstance(value, Fraction):
        raise DefinitionError(f"{attribute.name} must be a Fraction, got {value!r:.40}")
    if value is not None and value <= 0:
        raise DefinitionError(f"{attribute.name} must be a positive percentage, got {value}")


def _lower_is_better(
    instance: object, attribute: attrs.Attribute[LowerIsBetter], value: object
) -> None:
    if not isinstance(value, LowerIsBetter):
        raise DefinitionError(f"{attribute.name} must be a LowerIsBetter, got {value!r:.40}")


def _rounding(instance: object, attribute: attrs.Attribute[Rounding], value: object) -> None:
    if not isinstance(value, Rounding):
        raise DefinitionError(f"{attribute.name} must be a Rounding, got {value!r:.40}")


@attrs.frozen
class AchievementRule:
    """How capaian is computed (cap, minimize) and shown (rounding, places); a catalog
    setting."""

    cap: Fraction | None = attrs.field(default=None, validator=_positive_cap)
    rounding: Rounding = attrs.field(default=Rounding.HALF_UP, validator=_rounding)
    places: int = attrs.field(default=2, validator=_non_negative_places)
    minimize: LowerIsBetter = attrs.field(
        default=LowerIsBetter.TWO_MINUS_RATIO, validator=_lower_is_better
    )
    """The capaian formula when a lower realisasi is better."""

    def achievement(
        self, value: Fraction, target: Fraction, polarity: Polarity
    ) -> tuple[Fraction | None, str | None]:
        """Return (capaian in percent, None), or (None, reason) when it is undefined."""
        if target == 0:
            return None, target_is_zero()
        if polarity is Polarity.MAXIMIZE:
            result = value / target * 100
        else:
            computed, reason = self.minimize.exact(value, target)
            if computed is None:
                return None, reason
            result = computed
        if self.cap is not None:
            result = min(result, self.cap)
        return result, None

    @staticmethod
    def met(value: Fraction, target: Fraction, polarity: Polarity) -> bool:
        """Whether the exact realisasi meets the target (never the rounded one)."""
        return value >= target if polarity is Polarity.MAXIMIZE else value <= target

    def display(self, number: Fraction, *, count: bool = False) -> Decimal:
        """``number`` rounded for people: ``places`` decimals, half up or truncated.

        Half up rounds ties away from zero (2.345 -> 2.35, -2.345 -> -2.35);
        truncation drops the extra digits toward zero (2.349 -> 2.34). A whole ``count``
        reads as it is ("24", not "24.00").
        """
        return display(number, self.places, half_up=self.rounding is Rounding.HALF_UP, count=count)
