"""Achievement (capaian) rules: polarity, cap and the rounding people see.

Capaian follows PermenPANRB 6/2022:

* maximise (higher is better): ``realisasi / target x 100``;
* minimise (lower is better): ``(2 - realisasi / target) x 100``, never below 0
  (the "kondisi khusus" that keeps a very bad result from going negative).

A target of 0 gives an undefined capaian. An optional cap (120 is common) bounds
capaian from above. Everything is exact (:class:`~fractions.Fraction`); rounding
happens only in :meth:`AchievementRule.display`, for people to read.
"""

from __future__ import annotations

__all__ = ["MAX_PLACES", "AchievementRule", "Polarity", "Rounding", "Status"]

import enum
from decimal import Decimal
from fractions import Fraction

import attrs

from .errors import DefinitionError
from .language.undefined import target_is_zero
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


def _rounding(instance: object, attribute: attrs.Attribute[Rounding], value: object) -> None:
    if not isinstance(value, Rounding):
        raise DefinitionError(f"{attribute.name} must be a Rounding, got {value!r:.40}")


@attrs.frozen
class AchievementRule:
    """How capaian is computed (cap) and shown (rounding, places); a catalog setting."""

    cap: Fraction | None = attrs.field(default=None, validator=_positive_cap)
    rounding: Rounding = attrs.field(default=Rounding.HALF_UP, validator=_rounding)
    places: int = attrs.field(default=2, validator=_non_negative_places)

    def achievement(
        self, value: Fraction, target: Fraction, polarity: Polarity
    ) -> tuple[Fraction | None, str | None]:
        """Return (capaian in percent, None), or (None, reason) when it is undefined."""
        if target == 0:
            return None, target_is_zero()
        ratio = value / target
        if polarity is Polarity.MAXIMIZE:
            result = ratio * 100
        else:
            result = max(Fraction(0), (2 - ratio) * 100)
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
