"""The exact engine: a formula tree compiled into closures that compute with Fractions.

The reference every other back end is held to. Values stay
:class:`~fractions.Fraction` through the formula; a zero denominator never raises
and never becomes 0, ``zoo`` or ``nan``: the result is
:class:`~iku_formula.language.undefined.Undefined`, with its reason. What each
function of the language computes, and why it is undefined, is its
:class:`~iku_formula.language.functions.FunctionSpec`; this module only walks the
tree and calls the table.
"""

from __future__ import annotations

__all__ = ["Node", "compile_exact"]

from collections.abc import Callable, Mapping
from fractions import Fraction

import sympy

from ..language.functions import Call, FunctionSpec, IkuFunction, UndefinedArguments, spec_of
from ..language.printers import to_text
from ..language.undefined import Result, Undefined, Warnings, division_by_zero
from ..model import UndefinedParts

Node = Callable[[Mapping[str, Fraction], Warnings], Result]
"""A compiled formula: input values in (and a list for warnings), exact result out."""


def compile_exact(expr: sympy.Expr, policy: UndefinedParts, check_shares: bool = True) -> Node:
    """Compile a formula tree into nested closures computing exactly with Fractions.

    ``policy`` says what an undefined part of a mean does. With ``check_shares``, each
    ``persen`` warns when its numerator is not between 0 and its denominator: the
    built-in check for indicators without declared rules.
    """
    if isinstance(expr, sympy.Symbol):
        name = expr.name
        return lambda env, warnings: env[name]
    if isinstance(expr, sympy.Rational):
        constant = Fraction(int(expr.p), int(expr.q))
        return lambda env, warnings: constant
    if isinstance(expr, sympy.Add):
        return _compile_add([compile_exact(arg, policy, check_shares) for arg in expr.args])
    if isinstance(expr, sympy.Mul):
        return _compile_mul([compile_exact(arg, policy, check_shares) for arg in expr.args])
    if isinstance(expr, sympy.Pow):
        return _compile_pow(expr, policy, check_shares)
    if isinstance(expr, IkuFunction):
        return _compile_call(expr, policy, check_shares)
    raise TypeError(f"cannot evaluate {type(expr).__name__} {expr}")  # parser never builds it


def _compile_add(nodes: list[Node]) -> Node:
    def add(env: Mapping[str, Fraction], warnings: Warnings) -> Result:
        total = Fraction(0)
        for node in nodes:
            result = node(env, warnings)
            if isinstance(result, Undefined):
                return result
            total += result
        return total

    return add


def _compile_mul(nodes: list[Node]) -> Node:
    def mul(env: Mapping[str, Fraction], warnings: Warnings) -> Result:
        product = Fraction(1)
        for node in nodes:
            result = node(env, warnings)
            if isinstance(result, Undefined):
                return result
            product *= result
        return product

    return mul


def _compile_pow(expr: sympy.Pow, policy: UndefinedParts, check_shares: bool) -> Node:
    base_node = compile_exact(expr.base, policy, check_shares)
    exponent = int(expr.exp)
    zero = Undefined(division_by_zero(to_text(expr.base)))

    def power(env: Mapping[str, Fraction], warnings: Warnings) -> Result:
        base = base_node(env, warnings)
        if isinstance(base, Undefined):
            return base
        if exponent < 0 and base == 0:
            return zero
        return base**exponent

    return power


def _compile_call(expr: IkuFunction, policy: UndefinedParts, check_shares: bool) -> Node:
    spec = spec_of(expr)
    nodes = [compile_exact(arg, policy, check_shares) for arg in expr.args]
    call = Call(
        tuple(to_text(arg) for arg in expr.args), policy is UndefinedParts.SKIP, check_shares
    )
    if spec.undefined_arguments is not None:
        return _lenient(spec, spec.undefined_arguments, nodes, call)
    return _strict(spec, nodes, call)


def _strict(spec: FunctionSpec, nodes: list[Node], call: Call) -> Node:
    """A call that is undefined as soon as an argument is (the first one's reason) or its
    divisor is 0 (its reason); every argument is evaluated first, for its warnings."""
    exact, divisor = spec.exact, spec.divisor
    zero = None if spec.reason is None else Undefined(spec.reason(call.texts))

    def strict(env: Mapping[str, Fraction], warnings: Warnings) -> Result:
        values: list[Fraction] = []
        undefined: Undefined | None = None
        for node in nodes:
            result = node(env, warnings)
            if isinstance(result, Fraction):
                values.append(result)
            elif undefined is None:
                undefined = result
        if undefined is not None:
            return undefined
        if zero is not None and divisor is not None and divisor(values) == 0:
            return zero
        return exact(values, call, warnings)

    return strict


def _lenient(spec: FunctionSpec, rule: UndefinedArguments, nodes: list[Node], call: Call) -> Node:
    """A call that decides itself what its undefined arguments do (a mean: ``rule``)."""
    exact = spec.exact

    def lenient(env: Mapping[str, Fraction], warnings: Warnings) -> Result:
        results = [node(env, warnings) for node in nodes]
        values = [result for result in results if isinstance(result, Fraction)]
        if len(values) == len(results):
            return exact(values, call, warnings)
        reasons = [result.reason if isinstance(result, Undefined) else "" for result in results]
        why = rule.reason(call.texts, reasons, call.skip_undefined)
        if why is not None:
            return Undefined(why)
        warnings.append(rule.warning(call.texts, reasons))
        return exact(values, call, warnings)

    return lenient
