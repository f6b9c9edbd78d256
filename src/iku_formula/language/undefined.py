"""Undefined results and the one wording of every reason and warning about them.

A zero denominator never raises and never becomes 0, ``zoo`` or ``nan``: it makes
the result :class:`Undefined`, with its reason. Every back end that says why a
value is undefined (the exact engine, the numpy reason walker, the explanation)
words it with the functions below, so a reason reads the same everywhere.
"""

from __future__ import annotations

__all__ = [
    "PART_SEPARATOR",
    "TOO_LARGE_FOR_A_FLOAT",
    "Result",
    "Undefined",
    "Warnings",
    "denominator_is_zero",
    "division_by_zero",
    "mean_left_out",
    "mean_part_undefined",
    "missing_input",
    "negative_numerator",
    "numerator_exceeds_denominator",
    "previous_is_zero",
    "realisasi_is_zero",
    "target_is_zero",
    "too_many_digits",
    "undefined_part",
    "weights_add_up_to_zero",
]

from collections.abc import Sequence
from fractions import Fraction

import attrs

from ..i18n import N_, _
from ..numbers import exact_localized, localized


@attrs.frozen
class Undefined:
    """An undefined intermediate result and why (e.g. "the denominator x is 0")."""

    reason: str


Result = Fraction | Undefined
"""What the exact engine computes for any part of a formula."""
Warnings = list[str]
"""Where the exact engine collects what is computed but doubtful (a share above 100%)."""

# --------------------------------------------------------------------------- reasons


def target_is_zero() -> str:
    """Why capaian is undefined when the target is 0."""
    return _("the target is 0, so capaian (realisasi / target) is undefined")


def realisasi_is_zero() -> str:
    """Why capaian is undefined when it is target / realisasi (lower is better) and realisasi
    is 0."""
    return _("the realisasi is 0, so capaian (target / realisasi) is undefined")


def too_many_digits(limit: int) -> str:
    """Why a result is undefined when it cannot be written (``sys.get_int_max_str_digits``)."""
    return _(
        "the result has more than {limit} digits, too many to write; check the data "
        "(the catalog's formulas and the values given)"
    ).format(limit=localized(limit))


def missing_input(name: str) -> str:
    """Why a result is missing when an input has no value (the vectorised paths)."""
    return _("missing input {name}").format(name=name)


TOO_LARGE_FOR_A_FLOAT = N_("the result is too large for a float")
"""Why a float path has no result where the exact one has a number too large for a float
(in English: shown through ``_()``)."""


def division_by_zero(base: str) -> str:
    """A negative power of 0 (``a / b`` with b = 0): ``base`` is the formula text of b."""
    return _("division by zero: {base} is 0").format(base=base)


def denominator_is_zero(denominator: str) -> str:
    """``persen`` of a zero denominator."""
    return _("the denominator {denominator} is 0").format(denominator=denominator)


def previous_is_zero(previous: str) -> str:
    """``pertumbuhan`` from a previous-period value of 0."""
    return _("the previous-period value {previous} is 0, so growth is undefined").format(
        previous=previous
    )


def weights_add_up_to_zero(weights: Sequence[str]) -> str:
    """``rata_rata_tertimbang`` whose weights add up to 0."""
    return _("the weights {weights} add up to 0").format(weights=" + ".join(weights))


PART_SEPARATOR = "; "
"""Between the undefined parts a reason lists."""


def undefined_part(text: str, reason: str) -> str:
    """One undefined part of a mean, in the reason or warning that lists it."""
    return f"{text} ({reason})"


def mean_part_undefined(parts: Sequence[str]) -> str:
    """A mean undefined because of its undefined ``parts`` (each from :func:`undefined_part`)."""
    return _("part of the mean is undefined: {parts}").format(parts=PART_SEPARATOR.join(parts))


# --------------------------------------------------------------------------- warnings


def mean_left_out(defined: int, total: int, parts: Sequence[str]) -> str:
    """A mean taken over its ``defined`` parts only, ``parts`` (undefined) left out."""
    return _("mean taken over the {defined} defined of {total} parts; left out: {parts}").format(
        defined=defined, total=total, parts=PART_SEPARATOR.join(parts)
    )


def numerator_exceeds_denominator(
    numerator: str, numerator_value: Fraction, denominator: str, denominator_value: Fraction
) -> str:
    """A share above 100%: the built-in check of ``persen``."""
    return _(
        "the numerator {numerator} = {numerator_value} exceeds the denominator "
        "{denominator} = {denominator_value}; check the data"
    ).format(
        numerator=numerator,
        numerator_value=exact_localized(numerator_value),
        denominator=denominator,
        denominator_value=exact_localized(denominator_value),
    )


def negative_numerator(numerator: str, value: Fraction) -> str:
    """A negative share: the built-in check of ``persen``."""
    return _("the numerator {numerator} = {value} is negative; check the data").format(
        numerator=numerator, value=exact_localized(value)
    )
