"""Consistency rules checked over whole DataFrames, row by row, with exact values.

:meth:`Catalog.check` checks one set of values. :func:`check_frame` checks every
row of a frame: each rule's two sides are compiled once to numpy (cached per
catalog) to find the rows that may break it, and only those rows are checked
again on the exact path (:class:`~iku_formula.evaluation.CompiledRule`), so a
float rounding can neither invent nor hide a violation. A broken rule never
drops or changes data; it is reported with the values involved.

pandas and numpy are imported here only (the ``frames`` extra).
"""

from __future__ import annotations

__all__ = ["VIOLATION_COLUMNS", "check_frame"]

import weakref
from collections.abc import Callable, Hashable, Mapping
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
import pandas as pd
import sympy

from .engines.floats import numeric_form
from .engines.frames import NUMPY_NAMESPACE, Array, read_inputs
from .evaluation import CompiledRule, coerce_value
from .model import UndefinedParts
from .numbers import exact_text

if TYPE_CHECKING:
    from .catalog.registry import Catalog
    from .model import Rule

VIOLATION_COLUMNS = ("indicator", "rule", "left", "right", "inputs")
"""The columns :func:`check_frame` adds after the key columns."""

_SLACK = 1e-9  # relative: rows this close to the boundary are settled on the exact path


@attrs.frozen
class _CompiledRule:
    exact: CompiledRule
    left: Callable[..., Any]
    right: Callable[..., Any]
    users: tuple[int, ...]
    """Numbers of the indicators the rule is reported for."""


_RULES: weakref.WeakKeyDictionary[Catalog, tuple[_CompiledRule, ...]] = weakref.WeakKeyDictionary()


def _numpy_function(expr: sympy.Expr, names: list[str]) -> Callable[..., Any]:
    """One side of a rule as a numpy function of the rule's inputs, in ``names`` order."""
    return sympy.lambdify(  # type: ignore[no-any-return]
        [sympy.Symbol(name) for name in names],
        numeric_form(expr, UndefinedParts.UNDEFINED),
        modules=[NUMPY_NAMESPACE, "numpy"],
        dummify=True,
    )


def _users(catalog: Catalog, rule: Rule) -> tuple[int, ...]:
    """Indicators that declare the rule; for a rule between indicators, those using its inputs."""
    declaring = tuple(i.number for i in catalog if rule in i.rules)
    return declaring or tuple(i.number for i in catalog if rule.inputs & set(i.inputs))


def _compiled(catalog: Catalog) -> tuple[_CompiledRule, ...]:
    compiled = _RULES.get(catalog)
    if compiled is None:
        compiled = _RULES[catalog] = tuple(
            _CompiledRule(
                CompiledRule.build(rule),
                _numpy_function(rule.left, sorted(rule.inputs)),
                _numpy_function(rule.right, sorted(rule.inputs)),
                _users(catalog, rule),
            )
            for rule in catalog.rules
        )
    return compiled


def _candidates(operator: str, left: Array, right: Array) -> Array:
    """Rows that break the rule in floats or are too close to call (NaN sides excluded)."""
    slack = _SLACK * np.maximum(np.maximum(np.abs(left), np.abs(right)), 1.0)
    if operator in ("<=", "<"):
        return left > right - slack
    if operator in (">=", ">"):
        return left < right + slack
    return ~np.isnan(left) & ~np.isnan(right)  # "==": every row is settled exactly


def check_frame(catalog: Catalog, frame: Any) -> Any:
    """Every broken consistency rule in every row of ``frame``; see :meth:`Catalog.check_frame`."""
    arrays = read_inputs(catalog, frame)
    keys = [name for name in frame.columns if name not in arrays]
    found: list[tuple[int, int, Rule, Fraction, Fraction, Mapping[str, Fraction]]] = []
    with np.errstate(all="ignore"):
        for compiled in _compiled(catalog):
            rule = compiled.exact.rule
            if not rule.inputs <= arrays.keys():
                continue
            names = sorted(rule.inputs)
            sides = [arrays[name] for name in names]
            shape = (len(frame),)
            left = np.broadcast_to(np.asarray(compiled.left(*sides), dtype=float), shape)
            right = np.broadcast_to(np.asarray(compiled.right(*sides), dtype=float), shape)
            for row in np.flatnonzero(_candidates(rule.operator, left, right)):
                env = {
                    name: coerce_value(frame[name].iloc[row], catalog.inputs[name])
                    for name in names
                }
                violation = compiled.exact.check(env)
                if violation is not None:
                    for number in compiled.users:
                        found.append((int(row), number, rule, violation.left, violation.right, env))
    found.sort(key=lambda item: (item[0], item[1]))
    rows = [item[0] for item in found]
    columns: dict[Hashable, Any] = {key: frame[key].to_numpy()[rows] for key in keys}
    columns.update(
        indicator=np.array([item[1] for item in found], dtype=np.int64),
        rule=[item[2].text for item in found],
        left=[item[3] for item in found],
        right=[item[4] for item in found],
        inputs=[", ".join(f"{n} = {exact_text(v)}" for n, v in item[5].items()) for item in found],
    )
    return pd.DataFrame(columns, index=frame.index[rows])
