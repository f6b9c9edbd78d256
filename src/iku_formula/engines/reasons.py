"""Why a float result is undefined: the exact path's reason, row by row, for numpy columns.

:mod:`iku_formula.engines.frames` computes realisasi as floats, NaN where undefined.
The reason is worked out only for those rows, by walking the formula tree as the
exact engine (:mod:`iku_formula.engines.exact`) does, with each function's divisor and
reason (or its rule for undefined arguments) from the table of
:mod:`iku_formula.language.functions`: the ``reason`` of the long layout is the exact
path's reason word for word.
"""

from __future__ import annotations

__all__ = [
    "Array",
    "Sparse",
    "assemble_reasons",
    "frame_reasons",
    "walk",
]

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import sympy

from ..achievement import LowerIsBetter, Polarity
from ..i18n import _
from ..language.functions import FunctionSpec, IkuFunction, spec_of
from ..language.printers import to_text
from ..language.undefined import (
    TOO_LARGE_FOR_A_FLOAT,
    division_by_zero,
    missing_input,
    realisasi_is_zero,
    target_is_zero,
)
from ..model import UndefinedParts

if TYPE_CHECKING:
    from ..model import Indicator

Array = npt.NDArray[Any]


def frame_reasons(
    indicator: Indicator,
    parts: Sequence[Array],
    arrays: Mapping[str, Array],
    missing_of: Callable[[str], Array],
) -> Array | None:
    """Per row: the exact path's reason, or ``missing input NAME``; None where there is none.

    Returns None instead of an array when no row has a reason.
    """
    length = len(parts[0])
    absent = np.zeros(length, dtype=bool)
    for name in indicator.inputs:
        absent |= missing_of(name)
    formulas = (indicator.formula, *indicator.part_formulas)
    part_reasons: list[Sparse | None] = []
    for values, formula in zip(parts, formulas, strict=True):
        rows = np.flatnonzero(np.isnan(values) & ~absent)
        if not len(rows):
            part_reasons.append(None)
            continue
        env = {name: arrays[name][rows] for name in indicator.inputs}
        _values, why = walk(formula, env, indicator.undefined_parts, len(rows))
        part_reasons.append((rows, np.where(why.astype(bool), why, _(TOO_LARGE_FOR_A_FLOAT))))
    missing = (
        [(missing_of(name), missing_input(name)) for name in indicator.inputs]
        if absent.any()
        else []
    )
    if (
        not missing
        and all(why is None for why in part_reasons)
        and all(part.value != 0 for part in indicator.target.parts)
        and not (_inverse(indicator) and any((values == 0).any() for values in parts))
    ):
        return None
    return assemble_reasons(indicator, parts, part_reasons, missing)


Sparse = tuple[Array, Array]
"""Row positions and the reason of each, for the few rows that have one."""


def assemble_reasons(
    indicator: Indicator,
    parts: Sequence[Array],
    part_reasons: Sequence[Sparse | None],
    first: Sequence[tuple[Array, str]] = (),
) -> Array:
    """Each row's reason, None where it has none, in the exact path's order of precedence.

    ``first`` (row masks and their reason, e.g. a missing input) comes before all;
    then the parts in order, each with why it is undefined (``part_reasons``), or
    for a defined part with a target of 0 (or a realisasi of 0 where capaian is
    target / realisasi), why capaian is undefined.
    """
    reason = np.full(len(parts[0]), None, dtype=object)
    for values, part, why in reversed(
        list(zip(parts, indicator.target.parts, part_reasons, strict=True))
    ):
        if part.value == 0:
            reason[~np.isnan(values)] = target_is_zero()
        elif _inverse(indicator):
            reason[values == 0] = realisasi_is_zero()
        if why is not None:
            rows, texts = why
            reason[rows] = texts
    for mask, text in reversed(first):
        reason[mask] = text
    return reason


def _inverse(indicator: Indicator) -> bool:
    """Whether capaian is target / realisasi (lower is better), undefined at a realisasi of 0."""
    return (
        indicator.polarity is Polarity.MINIMIZE
        and indicator.achievement_rule.minimize is LowerIsBetter.INVERSE_RATIO
    )


def _text(condition: Array, text: str) -> Array:
    out = np.full(condition.shape, "", dtype=object)
    out[condition] = text
    return out


def _first(reasons: Sequence[Array]) -> Array:
    """Elementwise the first non-empty reason, in argument order (as the exact path checks)."""
    result = reasons[-1]
    for reason in reversed(reasons[:-1]):
        result = np.where(reason.astype(bool), reason, result)
    return result


def walk(
    expr: sympy.Expr, env: Mapping[str, Array], policy: UndefinedParts, length: int
) -> tuple[Array, Array]:
    """Values and reasons ("" = defined) of ``expr``, as the exact engine computes them."""
    if isinstance(expr, sympy.Symbol):
        return env[expr.name], np.full(length, "", dtype=object)
    if isinstance(expr, sympy.Rational):
        return np.full(length, float(expr)), np.full(length, "", dtype=object)
    args = [walk(arg, env, policy, length) for arg in expr.args]
    values = [value for value, _reason in args]
    reasons = [reason for _value, reason in args]
    if isinstance(expr, sympy.Add):
        return np.sum(values, axis=0), _first(reasons)
    if isinstance(expr, sympy.Mul):
        return np.prod(values, axis=0), _first(reasons)
    if isinstance(expr, sympy.Pow):
        base, base_reason = args[0]
        exponent = int(expr.exp)
        if exponent >= 0:
            return np.power(base, exponent), base_reason
        zero = _text(base == 0, division_by_zero(to_text(expr.base)))
        value = np.where(base == 0, np.nan, np.power(base, float(exponent)))
        return value, _first([base_reason, zero])
    if isinstance(expr, IkuFunction):
        texts = [to_text(arg) for arg in expr.args]
        return _walk_call(spec_of(expr), values, reasons, texts, policy is UndefinedParts.SKIP)
    raise TypeError(f"cannot evaluate {type(expr).__name__} {expr}")  # parser never builds it


def _walk_call(
    spec: FunctionSpec,
    values: Sequence[Array],
    reasons: Sequence[Array],
    texts: Sequence[str],
    skip: bool,
) -> tuple[Array, Array]:
    """A call of ``spec``: its numpy form, and the exact engine's reason on every row."""
    rule = spec.undefined_arguments
    if rule is None:  # undefined with the first undefined argument, else if its divisor is 0
        if spec.divisor is None or spec.reason is None:
            return spec.numpy(*values), _first(reasons)
        zero = _text(np.asarray(spec.divisor(values) == 0), spec.reason(texts))
        return spec.numpy(*values), _first([*reasons, zero])
    undefined = [reason.astype(bool) for reason in reasons]
    if skip:
        parts = (np.where(u, np.nan, v) for v, u in zip(values, undefined, strict=True))
        value = rule.numpy(*parts)
    else:
        value = spec.numpy(*values)
    reason = np.full(len(reasons[0]), "", dtype=object)
    rows = np.flatnonzero(np.logical_or.reduce(undefined))
    for row, why in zip(rows, zip(*(r[rows] for r in reasons), strict=True), strict=True):
        reason[row] = rule.reason(texts, why, skip) or ""
    return np.asarray(value), reason
