"""Fast float evaluation of one record: every indicator's realisasi as a float, in microseconds.

The exact path (:meth:`Catalog.evaluate`) computes Fractions, capaian, status,
reasons and warnings; a request handler that needs only the numbers of one
record pays for all of that. :func:`evaluate_floats` computes realisasi only, in
plain Python floats (no numpy, no pandas):

* Every indicator's formula is compiled once, lazily on first use, by one
  ``sympy.lambdify(..., cse=True)`` into Python code over floats; the compiled
  plan is cached per catalog in a :class:`weakref.WeakKeyDictionary`, as
  :mod:`iku_formula.engines.frames` caches its numpy plan.
* The numbers are those of :meth:`Catalog.evaluate_frame` on a one-row frame (the
  same rewritten formulas, the same order of operations): a zero denominator or a
  result too large for a float gives NaN, and ``rata_rata`` of an indicator with
  ``undefined_parts = "skip"`` is the mean of its defined parts. They agree with
  the exact path within float rounding.
* Values are checked as :meth:`Catalog.evaluate` checks them. Plain ``int`` and
  ``float`` values that are clearly valid are checked inline; any other value
  (a string with a decimal comma, a Decimal, a Fraction) and any value the inline
  check does not clearly accept goes through the exact path's checks, which
  convert it or raise the same :class:`~iku_formula.InputError`.

The formula rewriting shared with the numpy path (:func:`numeric_form`) lives here
because this module imports neither numpy nor pandas.
"""

from __future__ import annotations

__all__ = [
    "FLOAT_NAMESPACE",
    "SKIPPING",
    "IkuInverse",
    "IkuPower",
    "evaluate_floats",
    "numeric_form",
    "skips_parts",
    "table_namespace",
]

import math
import weakref
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import sympy

from ..language.functions import FUNCTIONS, FunctionSpec, UndefinedArguments
from ..model import InputKind, UndefinedParts

if TYPE_CHECKING:
    from ..catalog.registry import Catalog
    from ..model import Input

# --- the formulas rewritten for numeric back ends -----------------------------------------


class IkuInverse(sympy.Function):  # type: ignore[misc]
    """``1 / x`` for numeric code: NaN where x is 0 (stands in for a negative power)."""

    nargs = 1


class IkuPower(sympy.Function):  # type: ignore[misc]
    """``x ** n`` for Python floats: infinite instead of OverflowError."""

    nargs = 2


def _skipping(spec: FunctionSpec) -> type[sympy.Function]:
    name = f"{spec.sympy_class.__name__}Skip"
    doc = f"``{spec.name}`` of an indicator whose undefined parts are skipped (numeric code)."
    skipping: type[sympy.Function] = type(name, (sympy.Function,), {"__doc__": doc})
    return skipping


SKIPPING: Mapping[str, type[sympy.Function]] = {
    name: _skipping(spec)
    for name, spec in FUNCTIONS.items()
    if spec.undefined_arguments is not None
}
"""Function name -> the call numeric code makes of it when undefined parts are skipped:
its value over the arguments that are not NaN."""


def numeric_form(expr: sympy.Expr, policy: UndefinedParts) -> sympy.Expr:
    """The formula rewritten so that numeric code follows the exact semantics.

    With ``undefined_parts = "skip"``, a call of a function that can leave undefined
    arguments out (``rata_rata``) becomes its :data:`SKIPPING` call; a negative power
    ``x ** -n`` becomes ``IkuInverse(x ** n)``, NaN where x is 0.
    """
    if policy is UndefinedParts.SKIP:
        for name, skipping in SKIPPING.items():
            expr = expr.replace(FUNCTIONS[name].sympy_class, skipping)
    return expr.replace(
        lambda node: isinstance(node, sympy.Pow) and node.exp.is_negative,
        lambda node: IkuInverse(node.base ** (-node.exp)),
    )


def skips_parts(expr: sympy.Expr, policy: UndefinedParts) -> bool:
    """Whether :func:`numeric_form` makes a call of ``expr`` skip its undefined arguments."""
    return policy is UndefinedParts.SKIP and any(
        expr.has(FUNCTIONS[name].sympy_class) for name in SKIPPING
    )


def table_namespace(
    form: Callable[[FunctionSpec], Callable[..., Any]],
    skipping: Callable[[UndefinedArguments], Callable[..., Any]],
) -> dict[str, Callable[..., Any]]:
    """Every function of the table by the name lambdify prints for its calls: ``form`` of its
    spec, and ``skipping`` of its undefined arguments for its :data:`SKIPPING` call."""
    namespace = {spec.sympy_class.__name__: form(spec) for spec in FUNCTIONS.values()}
    for name, call in SKIPPING.items():
        rule = FUNCTIONS[name].undefined_arguments
        assert rule is not None  # SKIPPING holds only those
        namespace[call.__name__] = skipping(rule)
    return namespace


def _float_form(expr: sympy.Expr, policy: UndefinedParts) -> sympy.Expr:
    """:func:`numeric_form`, and every remaining (positive) power through :class:`IkuPower`."""
    return numeric_form(expr, policy).replace(
        lambda node: isinstance(node, sympy.Pow),
        lambda node: IkuPower(node.base, node.exp),
    )


# --- arithmetic over Python floats -----------------------------------------------------------
# The functions of the language are the float forms of the table (language.functions): the
# same operations in the same order as their numpy forms, so that both paths give the same
# floats; a zero denominator is NaN, never an exception.

_NAN = math.nan


def _inverse(base: float) -> float:
    return 1.0 / base if base != 0 else _NAN


def _power(base: float, exponent: int) -> float:
    try:
        result: float = base**exponent
    except OverflowError:
        return -math.inf if base < 0 and exponent % 2 else math.inf
    return result


FLOAT_NAMESPACE: Mapping[str, Callable[..., float]] = {
    **table_namespace(lambda spec: spec.floats, lambda rule: rule.floats),
    IkuInverse.__name__: _inverse,
    IkuPower.__name__: _power,
}
"""What lambdify calls for each function of a formula on Python floats."""


# --- checking values inline ----------------------------------------------------------------

_LIMIT = 1e30
"""language.parse.MAX_VALUE_DIGITS: the exact path rejects values this large."""
_TINY = 1e-13
"""Below this, a float's shortest decimal form may have more decimals than the exact
path accepts: such values take the exact path's checks."""

Check = tuple[float, float, bool]
"""Inclusive lower bound, exclusive upper bound, whether the value must be whole."""


def _check_of(spec: Input) -> Check | None:
    """The inline check of an input, or None when only the exact path's check will do."""
    if spec.kind is not InputKind.SCORE:
        return (0.0, _LIMIT, spec.kind is InputKind.COUNT)
    assert spec.minimum is not None  # Input checks: a score has both bounds
    assert spec.maximum is not None
    low, high = float(spec.minimum), float(spec.maximum)
    if low != spec.minimum or high != spec.maximum or max(-low, high) >= _LIMIT:
        return None  # bounds without an exact float: compare exactly
    return (low, math.nextafter(high, math.inf), False)


def _inline(values: Mapping[str, object], checks: Mapping[str, Check | None]) -> dict[str, float]:
    """``values`` as floats, or an empty dict when any value needs the exact path's checks."""
    floats: dict[str, float] = {}
    for name, raw in values.items():
        check = checks.get(name)
        if check is None:
            return {}
        if type(raw) is float:
            value = raw
        elif type(raw) is int and -_LIMIT < raw < _LIMIT:  # not bool, whose type is bool
            value = float(raw)
        else:
            return {}
        low, high, whole = check
        if not low <= value < high:  # NaN fails too
            return {}
        if whole:
            if not value.is_integer():
                return {}
        elif value and -_TINY < value < _TINY:
            return {}
        floats[name] = value
    return floats


# --- the compiled plan, one per catalog ------------------------------------------------------


@attrs.frozen
class _Plan:
    """Every indicator's formula compiled into one float function."""

    inputs: tuple[str, ...]
    """The function's arguments, in order."""
    function: Callable[..., Sequence[float]]
    numbers: tuple[int, ...]
    """The indicator of each output, in catalog order."""
    needs: tuple[frozenset[str], ...]
    """The inputs of each output's indicator."""
    checks: Mapping[str, Check | None]
    """Every input of the catalog and its inline check."""


_PLANS: weakref.WeakKeyDictionary[Catalog, _Plan] = weakref.WeakKeyDictionary()


def _plan(catalog: Catalog) -> _Plan:
    plan = _PLANS.get(catalog)
    if plan is None:
        plan = _PLANS[catalog] = _compile(catalog)
    return plan


def _compile(catalog: Catalog) -> _Plan:
    inputs = tuple(sorted({name for indicator in catalog.indicators for name in indicator.inputs}))
    function = sympy.lambdify(
        [sympy.Symbol(name) for name in inputs],
        [_float_form(i.formula, i.undefined_parts) for i in catalog.indicators],
        modules=[FLOAT_NAMESPACE, "math"],
        cse=True,
        dummify=True,  # input names can never clash with names in the generated code
    )
    return _Plan(
        inputs=inputs,
        function=function,
        numbers=tuple(indicator.number for indicator in catalog.indicators),
        needs=tuple(frozenset(indicator.inputs) for indicator in catalog.indicators),
        checks={name: _check_of(spec) for name, spec in catalog.inputs.items()},
    )


def evaluate_floats(catalog: Catalog, values: Mapping[str, object]) -> dict[int, float]:
    """Realisasi as floats of every indicator whose inputs are all in ``values``.

    See :meth:`Catalog.evaluate_floats`.
    """
    plan = _plan(catalog)
    floats = _inline(values, plan.checks) if isinstance(values, Mapping) else {}
    if not floats:  # a value for the exact path's checks (or no value at all)
        floats = {name: float(value) for name, value in catalog.coerce(values).items()}
    outputs = plan.function(*[floats.get(name, _NAN) for name in plan.inputs])
    isfinite = math.isfinite
    if len(floats) == len(plan.checks):  # every input given: every indicator
        return {
            number: value if isfinite(value) else _NAN
            for number, value in zip(plan.numbers, outputs, strict=True)
        }
    given = floats.keys()
    return {
        number: value if isfinite(value) else _NAN
        for number, needs, value in zip(plan.numbers, plan.needs, outputs, strict=True)
        if needs <= given
    }
