"""A formula tree compiled to a SQL expression and the SQL of its reason, through sqlglot.

Each node of the tree becomes a :class:`Compiled`: its value (NULL where it is
undefined) and the text of why it is undefined (NULL where it is defined), in the
exact engine's order of precedence (:mod:`iku_formula.engines.exact`): the first
undefined argument, then the call's own divisor. What each function computes, in
SQL, is its :attr:`FunctionSpec.sql <iku_formula.language.functions.FunctionSpec.sql>`
form; the reason texts are those of :mod:`iku_formula.language.undefined`. Nothing
here writes SQL text: sqlglot writes the tree in each dialect, quoting identifiers.
"""

from __future__ import annotations

__all__ = ["Compiled", "compile_formula", "first_reason", "is_null", "not_null", "when"]

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs
import sympy
from sqlglot import exp

from ..language.functions import (
    IkuFunction,
    spec_of,
    sql_add,
    sql_divide,
    sql_multiply,
    sql_number,
    sql_text,
)
from ..language.printers import to_text
from ..language.undefined import division_by_zero
from ..model import UndefinedParts


@attrs.frozen
class Compiled:
    """One part of a formula in SQL."""

    value: Any
    """Its value: a sqlglot expression, NULL where it is undefined."""
    reason: Any | None
    """Why it is undefined: a SQL text expression, NULL where it is defined; None where it
    never is (no divisor below it)."""


def is_null(expression: Any) -> Any:
    return exp.Is(this=expression, expression=exp.Null())


def not_null(expression: Any) -> Any:
    return exp.Not(this=is_null(expression))


def when(condition: Any, then: Any, otherwise: Any | None = None) -> Any:
    """``CASE WHEN condition THEN then [ELSE otherwise] END``."""
    return exp.Case(ifs=[exp.If(this=condition, true=then)], default=otherwise)


def first_reason(reasons: Sequence[Any | None]) -> Any | None:
    """The first reason that is not NULL (COALESCE), or None when none may be."""
    present = [reason for reason in reasons if reason is not None]
    if not present:
        return None
    if len(present) == 1:
        return present[0]
    return exp.Coalesce(this=present[0], expressions=present[1:])


def compile_formula(
    expr: sympy.Expr, columns: Mapping[str, Any], policy: UndefinedParts, exact: exp.DataType
) -> Compiled:
    """``expr`` in SQL over ``columns`` (input name -> its SQL expression, of type ``exact``)."""
    if isinstance(expr, sympy.Symbol):
        return Compiled(columns[expr.name], None)
    if isinstance(expr, sympy.Rational):
        return Compiled(_constant(Fraction(int(expr.p), int(expr.q)), exact), None)
    if isinstance(expr, sympy.Add):
        parts = [compile_formula(arg, columns, policy, exact) for arg in expr.args]
        return Compiled(
            sql_add(*(part.value for part in parts)), first_reason([p.reason for p in parts])
        )
    if isinstance(expr, sympy.Mul | sympy.Pow):
        return _product(expr, columns, policy, exact)
    if isinstance(expr, IkuFunction):
        return _call(expr, columns, policy, exact)
    raise TypeError(f"cannot compile {type(expr).__name__} {expr} to SQL")  # parser never builds it


def _constant(value: Fraction, exact: exp.DataType) -> Any:
    """An exact constant; a quotient such as 1/3 is divided in the exact type, not as integers."""
    if value.denominator == 1 or sql_number(value).find(exp.Div) is None:
        return sql_number(value)
    numerator = exp.Cast(this=sql_number(value.numerator), to=exact.copy())
    return sql_divide(numerator, sql_number(value.denominator))


def _product(
    expr: sympy.Expr, columns: Mapping[str, Any], policy: UndefinedParts, exact: exp.DataType
) -> Compiled:
    """A product as one quotient (numerator factors over the bases of negative powers), the
    reasons in the exact engine's order: each factor's, a negative power's zero base."""
    factors = expr.args if isinstance(expr, sympy.Mul) else (expr,)
    numerator: list[Any] = []
    denominator: list[Any] = []
    reasons: list[Any | None] = []
    for factor in factors:
        if isinstance(factor, sympy.Rational):
            if factor.p != 1:
                numerator.append(sql_number(int(factor.p)))
            if factor.q != 1:
                denominator.append(sql_number(int(factor.q)))
            continue
        if isinstance(factor, sympy.Pow):
            base = compile_formula(factor.base, columns, policy, exact)
            exponent = int(factor.exp)
            powered = sql_multiply(*[base.value] * abs(exponent))
            if exponent < 0:
                zero = when(
                    exp.EQ(this=base.value, expression=sql_number(0)),
                    sql_text(division_by_zero(to_text(factor.base))),
                )
                reasons.append(first_reason([base.reason, zero]))
                denominator.append(powered)
            else:
                reasons.append(base.reason)
                numerator.append(powered)
            continue
        part = compile_formula(factor, columns, policy, exact)
        reasons.append(part.reason)
        numerator.append(part.value)
    top = sql_multiply(*numerator) if numerator else sql_number(1)
    if denominator and not numerator:
        top = exp.Cast(this=top, to=exact.copy())  # 1 / x: not an integer division
    value = sql_divide(top, sql_multiply(*denominator)) if denominator else top
    return Compiled(value, first_reason(reasons))


def _call(
    expr: IkuFunction, columns: Mapping[str, Any], policy: UndefinedParts, exact: exp.DataType
) -> Compiled:
    spec = spec_of(expr)
    parts = [compile_formula(arg, columns, policy, exact) for arg in expr.args]
    values = [part.value for part in parts]
    texts = [to_text(arg) for arg in expr.args]
    lenient = spec.undefined_arguments
    if lenient is not None:
        value, reason = lenient.sql(
            values, [part.reason for part in parts], texts, policy is UndefinedParts.SKIP
        )
        return Compiled(value, reason)
    reasons = [part.reason for part in parts]
    if spec.divisor is not None and spec.reason is not None:
        divisor = spec.divisor(values)
        reasons.append(
            when(exp.EQ(this=divisor, expression=sql_number(0)), sql_text(spec.reason(texts)))
        )
    return Compiled(spec.sql(values), first_reason(reasons))
