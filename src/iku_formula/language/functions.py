"""The fixed table of functions a formula may call, each defined once for every back end.

Each function is a sympy ``Function`` that never evaluates on construction, so
the tree keeps the shape the catalog wrote (``persen(a, b)``, not ``100*a/b``).
That tree is what is evaluated exactly, rendered to LaTeX and printed back to
text, so what the docs show is what runs. ``doit()`` rewrites a call into plain
arithmetic.

Everything a function means is in its :class:`FunctionSpec`, in :data:`FUNCTIONS`:
its arity and documentation (the parser), its LaTeX and text forms (the printers),
its exact form on Fractions (:mod:`iku_formula.engines.exact`), its forms on Python
floats (:mod:`iku_formula.engines.floats`) and on numpy arrays
(:mod:`iku_formula.engines.frames`), what makes it undefined and the reason then
(the exact engine and the numpy reason walker word it the same, from
:mod:`.undefined`), and the steps an explanation lists for it
(:mod:`iku_formula.explain`). Every back end reads the table: adding a function is
one definition here, plus its tests.
"""

from __future__ import annotations

__all__ = [
    "FUNCTIONS",
    "Call",
    "FunctionSpec",
    "IkuFunction",
    "Persen",
    "Pertumbuhan",
    "RataRata",
    "RataRataTertimbang",
    "StepForm",
    "UndefinedArguments",
    "call_text",
    "nan_where",
    "own",
    "pairs",
    "ratio_parts",
    "spec_of",
    "sql_add",
    "sql_divide",
    "sql_multiply",
    "sql_number",
    "sql_subtract",
    "sql_text",
]

import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, ClassVar

import attrs
import sympy

from .undefined import (
    PART_SEPARATOR,
    Warnings,
    denominator_is_zero,
    mean_left_out,
    mean_part_undefined,
    negative_numerator,
    numerator_exceeds_denominator,
    previous_is_zero,
    undefined_part,
    weights_add_up_to_zero,
)

if TYPE_CHECKING:
    import numpy.typing as npt

    Array = npt.NDArray[Any]

ExactForm = Callable[[Sequence[Fraction], "Call", Warnings], Fraction]
"""The value of a call from its arguments' exact values (all defined, the divisor not 0)."""
FloatForm = Callable[..., float]
"""The value of a call on Python floats: NaN where it is undefined, never an exception."""
NumpyForm = Callable[..., Any]
"""The value of a call on numpy arrays (or scalars): NaN where undefined, never inf."""
LatexForm = Callable[[Any, Sequence[sympy.Expr]], str]
"""The call in LaTeX, from sympy's LaTeX printer and the call's arguments."""
SqlForm = Callable[[Sequence[Any]], Any]
"""The call in SQL: a sqlglot expression from its arguments' sqlglot expressions (all defined),
NULL where its divisor is 0 (never a division error). :mod:`iku_formula.sql` reads it."""
SqlSkipForm = Callable[[Sequence[Any], Sequence[Any], Sequence[str], bool], tuple[Any, Any]]
"""A lenient call in SQL: ``(values, reasons, texts, skip)`` -> ``(value, reason)``, where a
reason is a SQL text expression (NULL where the argument is defined) or None (never undefined)."""


class IkuFunction(sympy.Function):  # type: ignore[misc]
    """Base of the formula-language functions: unevaluated, printable, exact.

    What a call means is its :class:`FunctionSpec` (:func:`spec_of`); the class only
    gives sympy a node that keeps the name.
    """

    language_name: ClassVar[str] = ""

    @classmethod
    def eval(cls, *args: Any) -> None:
        """Never auto-evaluate: the tree must keep what the catalog wrote."""

    def arithmetic(self) -> sympy.Expr:
        """This call written as plain sympy arithmetic."""
        return spec_of(self).arithmetic(self.args)

    def doit(self, **hints: Any) -> sympy.Expr:
        args = [arg.doit(**hints) for arg in self.args] if hints.get("deep", True) else self.args
        return type(self)(*args).arithmetic()

    def _sympystr(self, printer: Any) -> str:
        return spec_of(self).text_form(self.language_name, [printer._print(a) for a in self.args])

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        # sympy's LaTeX printer passes ``exp`` when the call is raised to a power.
        body = spec_of(self).latex_form(printer, self.args)
        return body if exp is None else rf"\left({body}\right)^{{{exp}}}"


@attrs.frozen
class Call:
    """One call in a formula as the exact engine compiles it: what its forms may need."""

    texts: tuple[str, ...]
    """Each argument in the formula language (for reasons and warnings)."""
    skip_undefined: bool = False
    """Whether undefined arguments are left out where the function allows it (a mean)."""
    check_shares: bool = False
    """Whether ``persen`` warns about a share outside 0 to 100%."""


@attrs.frozen
class StepForm:
    """What an explanation lists for a call: a step per argument, then the ratio's totals."""

    roles: Callable[[int], Sequence[str]]
    """The role label of each argument, given how many there are ("Pembilang", "Komponen 2")."""
    totals: tuple[str, ...] = ()
    """Role labels of the steps for the numerator and denominator of :attr:`FunctionSpec.ratio`
    (fewer than two: only those), e.g. "Jumlah bobot"."""
    unit: str | None = None
    """The unit of the call's value ("%"), if it has one of its own."""


@attrs.frozen
class UndefinedArguments:
    """How a function that may do without some arguments treats the undefined ones (a mean).

    A function without it is undefined as soon as one argument is, for that
    argument's reason. Reasons of the arguments are given as strings, ``""`` where
    the argument is defined, so the exact engine and the numpy reason walker (row by
    row) ask the same question.
    """

    reason: Callable[[Sequence[str], Sequence[str], bool], str | None]
    """``(argument texts, argument reasons, skip)``: why the call is undefined, or None when
    it is taken over its defined arguments (with :attr:`warning`)."""
    warning: Callable[[Sequence[str], Sequence[str]], str]
    """``(argument texts, argument reasons)``: the warning when undefined arguments are left out."""
    floats: FloatForm
    """The value over the arguments that are not NaN, on floats (NaN when none is)."""
    numpy: NumpyForm
    """The same on numpy arrays."""
    left_out_note: str
    """The explanation's note on an undefined argument that is left out."""
    undefined_note: str
    """The explanation's note on an undefined argument that makes the call undefined."""
    sql: SqlSkipForm
    """The value and the reason in SQL, as :attr:`reason` and :attr:`floats` say."""


def call_text(name: str, arguments: Sequence[str]) -> str:
    """A call in the formula language, ``name(a, b)``: the text form of every function."""
    return f"{name}({', '.join(arguments)})"


@attrs.frozen
class FunctionSpec:
    """One function of the formula language, for every back end.

    The first fields are what the parser and the documentation read; the others,
    keyword-only, are its forms for each back end (see the module's docstring).
    """

    name: str
    sympy_class: type[IkuFunction]
    min_args: int
    max_args: int | None
    paired: bool
    signature: str
    meaning: str
    latex: str
    """The general form in LaTeX, for the documentation."""
    denominator: int | None = None
    """Index of the argument that divides, so a literal zero there is rejected at parse."""
    arithmetic: Callable[[Sequence[sympy.Expr]], sympy.Expr] = attrs.field(kw_only=True)
    """The call as plain sympy arithmetic (``doit()``)."""
    latex_form: LatexForm = attrs.field(kw_only=True)
    exact: ExactForm = attrs.field(kw_only=True)
    floats: FloatForm = attrs.field(kw_only=True)
    numpy: NumpyForm = attrs.field(kw_only=True)
    sql: SqlForm = attrs.field(kw_only=True)
    steps: StepForm = attrs.field(kw_only=True)
    divisor: Callable[[Sequence[Any]], Any] | None = attrs.field(default=None, kw_only=True)
    """What must not be 0, from the arguments: written once for Fractions and arrays alike."""
    reason: Callable[[Sequence[str]], str] | None = attrs.field(default=None, kw_only=True)
    """The reason when :attr:`divisor` is 0, from the arguments' texts."""
    undefined_arguments: UndefinedArguments | None = attrs.field(default=None, kw_only=True)
    ratio: Callable[[Sequence[Any]], tuple[Any, Any]] | None = attrs.field(
        default=None, kw_only=True
    )
    """Numerator and denominator of the call as a ratio (for reports and explanations)."""
    share: Callable[[Sequence[Any]], tuple[Any, Any]] | None = attrs.field(
        default=None, kw_only=True
    )
    """Part and whole of a call that is a share of a whole (``persen``): admissible values
    keep 0 <= part <= whole (the built-in check where a catalog declares no rules; what
    :mod:`iku_formula.needed` solves within)."""
    text_form: Callable[[str, Sequence[str]], str] = attrs.field(default=call_text, kw_only=True)
    """The call in the formula language, from its name and its printed arguments."""
    meaning_id: str = attrs.field(default="", kw_only=True)
    """:attr:`meaning` in Indonesian, for the docs site (a test holds the page to it)."""
    mean: bool = attrs.field(default=False, kw_only=True)
    """Whether a call is a mean of its arguments: an indicator whose formula is one is a
    composite index of sub-indices (the docs site says so)."""

    def __attrs_post_init__(self) -> None:
        if (self.divisor is None) != (self.reason is None):
            raise ValueError(f"{self.name}: a divisor needs its reason, and a reason its divisor")

    def check_arity(self, count: int) -> str | None:
        """Return why ``count`` arguments are wrong for this function, or None."""
        if count < self.min_args or (self.max_args is not None and count > self.max_args):
            if self.max_args == self.min_args:
                wanted = f"exactly {self.min_args}"
            elif self.max_args is None:
                wanted = f"at least {self.min_args}"
            else:
                wanted = f"{self.min_args} to {self.max_args}"
            return f"{self.name}() takes {wanted} arguments, got {count}: {self.signature}"
        if self.paired and count % 2:
            return (
                f"{self.name}() takes value, weight pairs, got {count} arguments: {self.signature}"
            )
        return None


# --------------------------------------------------------------------------- shared helpers


def pairs(args: Sequence[Any]) -> list[tuple[Any, Any]]:
    """``x1, w1, x2, w2, ...`` as ``[(x1, w1), (x2, w2), ...]``."""
    return list(zip(args[0::2], args[1::2], strict=True))


def _latex_sum(terms: list[str]) -> str:
    """Join rendered terms with +, folding a leading minus into the operator (a - b)."""
    text = terms[0]
    for term in terms[1:]:
        text += f" - {term[1:].lstrip()}" if term.startswith("-") else f" + {term}"
    return text


_NAN = math.nan

# The numpy forms work on arrays and scalars alike and never return inf: a zero denominator
# is NaN. Callers silence numpy's warnings once with np.errstate around the whole
# computation. Intermediate arrays are reused in place (the same operations in the same
# order as the float forms, so the same floats): on a million rows every fresh array costs
# time and memory. numpy is imported when a numpy form runs: ``import iku_formula`` never
# imports it.


def own(result: Any) -> Array | None:
    """``result`` if it is an array that a ufunc has just made (so it may be overwritten)."""
    import numpy as np

    return result if isinstance(result, np.ndarray) else None


def nan_where(values: Any, undefined: Any) -> Array:
    """``np.where(undefined, nan, values)``, in place when ``values`` is a fresh array."""
    import numpy as np

    if isinstance(values, np.ndarray) and values.shape == np.shape(undefined):
        np.copyto(values, np.nan, where=undefined)
        return values
    return np.where(undefined, np.nan, values)


# The SQL forms build sqlglot expressions (sqlglot is imported when one runs), which sqlglot
# writes in each dialect. Every operand of an operator is parenthesised: sqlglot prints a tree
# as it is built, so a - (b - c) needs its parentheses in the tree.


def _operand(expression: Any) -> Any:
    from sqlglot import exp

    plain = (exp.Column, exp.Literal, exp.Paren, exp.Func, exp.Case, exp.Cast, exp.Null)
    return expression if isinstance(expression, plain) else exp.Paren(this=expression)


def sql_number(value: Fraction | int) -> Any:
    """An exact number in SQL: an integer or a decimal literal (a quotient where no decimal
    is exact, such as 1/3: the caller casts it to its exact type first)."""
    from sqlglot import exp

    value = Fraction(value)
    if value < 0:
        return exp.Neg(this=sql_number(-value))
    if value.denominator == 1:
        return exp.Literal.number(value.numerator)
    rest = value.denominator
    for prime in (2, 5):
        while rest % prime == 0:
            rest //= prime
    if rest != 1:
        return sql_divide(sql_number(value.numerator), sql_number(value.denominator))
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    digits = str(int(value * 10**places)).rjust(places + 1, "0")
    return exp.Literal.number(f"{digits[:-places]}.{digits[-places:]}")


def sql_add(*terms: Any) -> Any:
    """``a + b + ...`` in SQL."""
    from sqlglot import exp

    result = _operand(terms[0])
    for term in terms[1:]:
        result = exp.Add(this=result, expression=_operand(term))
    return exp.Paren(this=result) if len(terms) > 1 else result


def sql_subtract(left: Any, right: Any) -> Any:
    """``a - b`` in SQL."""
    from sqlglot import exp

    return exp.Paren(this=exp.Sub(this=_operand(left), expression=_operand(right)))


def sql_multiply(*factors: Any) -> Any:
    """``a * b * ...`` in SQL."""
    from sqlglot import exp

    result = _operand(factors[0])
    for factor in factors[1:]:
        result = exp.Mul(this=result, expression=_operand(factor))
    return exp.Paren(this=result) if len(factors) > 1 else result


def sql_divide(numerator: Any, denominator: Any) -> Any:
    """``a / b`` in SQL, NULL where b is 0 (``NULLIF``): never a division error."""
    from sqlglot import exp

    divisor = exp.Nullif(this=_operand(denominator), expression=exp.Literal.number(0))
    return exp.Paren(this=exp.Div(this=_operand(numerator), expression=divisor, typed=True))


def sql_text(text: str) -> Any:
    """A text literal in SQL (sqlglot escapes it for the dialect)."""
    from sqlglot import exp

    return exp.Literal.string(text)


def _sql_concat(parts: Sequence[Any]) -> Any:
    """Texts joined, none of them NULL (CONCAT in MySQL, || elsewhere: sqlglot chooses)."""
    from sqlglot import exp

    return parts[0] if len(parts) == 1 else exp.Concat(expressions=list(parts), safe=True)


def _sql_around(wording: Callable[[str], str], placeholder: str = "\x00") -> tuple[str, str]:
    """The text a wording puts before and after what it is given (reasons composed in SQL)."""
    before, after = wording(placeholder).split(placeholder)
    return before, after


# --------------------------------------------------------------------------- persen


class Persen(IkuFunction):
    """``persen(pembilang, penyebut)``: a share as a percentage, pembilang / penyebut x 100."""

    language_name = "persen"
    nargs = 2


def _persen_exact(values: Sequence[Fraction], call: Call, warnings: Warnings) -> Fraction:
    numerator, denominator = values
    if call.check_shares and numerator > denominator:
        warnings.append(
            numerator_exceeds_denominator(call.texts[0], numerator, call.texts[1], denominator)
        )
    elif call.check_shares and numerator < 0:
        warnings.append(negative_numerator(call.texts[0], numerator))
    return numerator / denominator * 100


def _persen_floats(numerator: float, denominator: float) -> float:
    return numerator / denominator * 100 if denominator != 0 else _NAN


def _persen_numpy(numerator: Any, denominator: Any) -> Array:
    import numpy as np

    ratio = np.divide(numerator, denominator)
    return nan_where(np.multiply(ratio, 100, out=own(ratio)), denominator == 0)


def _persen_latex(printer: Any, args: Sequence[sympy.Expr]) -> str:
    pembilang, penyebut = (printer._print(arg) for arg in args)
    return rf"\frac{{{pembilang}}}{{{penyebut}}} \times 100\%"


PERSEN = FunctionSpec(
    name="persen",
    meaning_id="pembilang / penyebut × 100: bagian sebagai persentase dari keseluruhannya",
    sympy_class=Persen,
    min_args=2,
    max_args=2,
    paired=False,
    signature="persen(pembilang, penyebut)",
    meaning="pembilang / penyebut x 100: a part as a percentage of its whole",
    latex=r"\frac{a}{b} \times 100\%",
    denominator=1,
    arithmetic=lambda args: args[0] / args[1] * 100,
    latex_form=_persen_latex,
    exact=_persen_exact,
    floats=_persen_floats,
    numpy=_persen_numpy,
    sql=lambda args: sql_multiply(sql_divide(args[0], args[1]), sql_number(100)),
    divisor=lambda args: args[1],
    reason=lambda texts: denominator_is_zero(texts[1]),
    ratio=lambda args: (args[0], args[1]),
    share=lambda args: (args[0], args[1]),
    steps=StepForm(roles=lambda count: ("Pembilang", "Penyebut"), unit="%"),
)


# --------------------------------------------------------------------------- rata_rata


class RataRata(IkuFunction):
    """``rata_rata(x1, ..., xn)``: the arithmetic mean of its arguments."""

    language_name = "rata_rata"


def _mean_exact(values: Sequence[Fraction], call: Call, warnings: Warnings) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _mean_floats(*parts: float) -> float:
    total = parts[0]
    for part in parts[1:]:
        total += part
    return total / len(parts)


def _mean_skip_floats(*parts: float) -> float:
    total = 0.0
    count = 0
    for part in parts:
        if part == part:  # not NaN: a defined part
            total += part
            count += 1
    return total / count if count else _NAN


def _mean_numpy(*parts: Any) -> Array:
    import numpy as np

    total: Any = parts[0]
    owned: Array | None = None  # parts[0] is the caller's: add into a fresh array
    for part in parts[1:]:
        total = np.add(total, part, out=owned)
        owned = own(total)
    mean: Array = np.divide(total, len(parts), out=owned)
    return mean


def _mean_skip_numpy(*parts: Any) -> Array:
    """The mean of the parts that are defined (not NaN); NaN only if none is."""
    import numpy as np

    total: Any = 0.0
    count: Any = 0
    for part in parts:
        defined = ~np.isnan(part)
        total = np.add(total, np.where(defined, part, 0.0))
        count = np.add(count, defined)
    return np.where(count == 0, np.nan, np.divide(total, count))


def _undefined_parts(texts: Sequence[str], reasons: Sequence[str]) -> list[str]:
    return [undefined_part(text, why) for text, why in zip(texts, reasons, strict=True) if why]


def _mean_reason(texts: Sequence[str], reasons: Sequence[str], skip: bool) -> str | None:
    missing = _undefined_parts(texts, reasons)
    if not missing or (skip and len(missing) < len(reasons)):
        return None  # defined, or taken over the defined parts
    return mean_part_undefined(missing)


def _mean_warning(texts: Sequence[str], reasons: Sequence[str]) -> str:
    missing = _undefined_parts(texts, reasons)
    return mean_left_out(len(reasons) - len(missing), len(reasons), missing)


def _mean_sql(args: Sequence[Any]) -> Any:
    return sql_divide(sql_add(*args), sql_number(len(args)))


def _mean_skip_sql(
    values: Sequence[Any], reasons: Sequence[Any], texts: Sequence[str], skip: bool
) -> tuple[Any, Any]:
    """The mean in SQL where parts may be undefined (NULL, with a reason): as _mean_reason."""
    from sqlglot import exp

    if all(reason is None for reason in reasons):
        return _mean_sql(values), None
    undefined = [
        exp.Not(this=exp.Is(this=r, expression=exp.Null())) for r in reasons if r is not None
    ]
    part_before, part_after = _sql_around(lambda why: undefined_part("\x01", why))
    listed: list[Any] = []
    for text, reason in zip(texts, reasons, strict=True):
        if reason is not None:
            before = part_before.replace("\x01", text)
            wording = _sql_concat([sql_text(before), reason, sql_text(part_after)])
            listed.append(exp.Case(ifs=[exp.If(this=undefined[len(listed)], true=wording)]))
    joined = exp.Anonymous(this="CONCAT_WS", expressions=[sql_text(PART_SEPARATOR), *listed])
    whole_before, whole_after = _sql_around(lambda part: mean_part_undefined([part]))
    text = _sql_concat([sql_text(whole_before), joined, sql_text(whole_after)])
    if not skip:
        return _mean_sql(values), exp.Case(
            ifs=[exp.If(this=exp.or_(*undefined, copy=False), true=text)]
        )
    if len(undefined) < len(values):  # some part is never undefined: the mean always is
        condition: Any = exp.false()
    else:
        condition = exp.and_(*undefined, copy=False)
    defined = [exp.true() if r is None else exp.Is(this=r, expression=exp.Null()) for r in reasons]
    total = sql_add(*(exp.Coalesce(this=v, expressions=[sql_number(0)]) for v in values))
    count = sql_add(
        *(
            exp.Case(ifs=[exp.If(this=d, true=sql_number(1))], default=sql_number(0))
            for d in defined
        )
    )
    return sql_divide(total, count), exp.Case(ifs=[exp.If(this=condition, true=text)])


def _mean_latex(printer: Any, args: Sequence[sympy.Expr]) -> str:
    terms = [printer.parenthesize(arg, 40) for arg in args]  # 40: PRECEDENCE["Add"]
    return rf"\frac{{{_latex_sum(terms)}}}{{{len(args)}}}"


RATA_RATA = FunctionSpec(
    name="rata_rata",
    meaning_id="rata-rata hitung (x1 + ... + xn) / n",
    mean=True,
    sympy_class=RataRata,
    min_args=1,
    max_args=None,
    paired=False,
    signature="rata_rata(x1, ..., xn)",
    meaning="the arithmetic mean (x1 + ... + xn) / n",
    latex=r"\frac{x_1 + \dots + x_n}{n}",
    arithmetic=lambda args: sympy.Add(*args) / len(args),
    latex_form=_mean_latex,
    exact=_mean_exact,
    floats=_mean_floats,
    numpy=_mean_numpy,
    sql=_mean_sql,
    undefined_arguments=UndefinedArguments(
        reason=_mean_reason,
        warning=_mean_warning,
        floats=_mean_skip_floats,
        numpy=_mean_skip_numpy,
        sql=_mean_skip_sql,
        left_out_note="tidak diikutkan dalam rata-rata",
        undefined_note="membuat rata-rata tidak terdefinisi",
    ),
    steps=StepForm(roles=lambda count: [f"Komponen {i}" for i in range(1, count + 1)]),
)


# --------------------------------------------------------------------------- rata_rata_tertimbang


class RataRataTertimbang(IkuFunction):
    """``rata_rata_tertimbang(x1, w1, ..., xn, wn)``: the mean of the x weighted by the w."""

    language_name = "rata_rata_tertimbang"

    def pairs(self) -> list[tuple[sympy.Expr, sympy.Expr]]:
        return pairs(self.args)


def _weighted_ratio(args: Sequence[Any]) -> tuple[Any, Any]:
    return sum(x * w for x, w in pairs(args)), sum(args[1::2])


def _weighted_exact(values: Sequence[Fraction], call: Call, warnings: Warnings) -> Fraction:
    numerator = denominator = Fraction(0)
    for value, weight in pairs(values):
        numerator += value * weight
        denominator += weight
    return numerator / denominator


def _weighted_floats(*args: float) -> float:
    numerator = 0.0
    denominator = 0.0
    for position in range(0, len(args), 2):
        numerator += args[position] * args[position + 1]
        denominator += args[position + 1]
    return numerator / denominator if denominator != 0 else _NAN


def _weighted_numpy(*args: Any) -> Array:
    import numpy as np

    numerator: Any = 0.0
    denominator: Any = 0.0
    for value, weight in pairs(args):
        numerator = np.add(numerator, np.multiply(value, weight))
        denominator = np.add(denominator, weight)
    return np.where(denominator == 0, np.nan, np.divide(numerator, denominator))


def _weighted_sql(args: Sequence[Any]) -> Any:
    numerator = sql_add(*(sql_multiply(x, w) for x, w in pairs(args)))
    return sql_divide(numerator, sql_add(*args[1::2]))


def _weighted_latex(printer: Any, args: Sequence[sympy.Expr]) -> str:
    products = [
        f"{printer.parenthesize(x, 50)} \\cdot {printer.parenthesize(w, 50)}"  # 50: Mul
        for x, w in pairs(args)
    ]
    weights = [printer.parenthesize(w, 40) for w in args[1::2]]
    return rf"\frac{{{_latex_sum(products)}}}{{{_latex_sum(weights)}}}"


def _weighted_roles(count: int) -> list[str]:
    return [role for i in range(1, count // 2 + 1) for role in (f"Nilai {i}", f"Bobot {i}")]


RATA_RATA_TERTIMBANG = FunctionSpec(
    name="rata_rata_tertimbang",
    meaning_id="rata-rata x berbobot w, misalnya nilai survei berbobot jumlah responden",
    mean=True,
    sympy_class=RataRataTertimbang,
    min_args=2,
    max_args=None,
    paired=True,
    signature="rata_rata_tertimbang(x1, w1, ..., xn, wn)",
    meaning="the mean of x1..xn weighted by w1..wn, e.g. scores by respondents",
    latex=r"\frac{x_1 \cdot w_1 + \dots + x_n \cdot w_n}{w_1 + \dots + w_n}",
    arithmetic=lambda args: sympy.Add(*(x * w for x, w in pairs(args))) / sympy.Add(*args[1::2]),
    latex_form=_weighted_latex,
    exact=_weighted_exact,
    floats=_weighted_floats,
    numpy=_weighted_numpy,
    sql=_weighted_sql,
    divisor=lambda args: sum(args[1::2]),
    reason=lambda texts: weights_add_up_to_zero(texts[1::2]),
    ratio=_weighted_ratio,
    steps=StepForm(roles=_weighted_roles, totals=("Jumlah nilai × bobot", "Jumlah bobot")),
)


# --------------------------------------------------------------------------- pertumbuhan


class Pertumbuhan(IkuFunction):
    """``pertumbuhan(sekarang, sebelumnya)``: growth over the previous period, in percent."""

    language_name = "pertumbuhan"
    nargs = 2


def _growth_exact(values: Sequence[Fraction], call: Call, warnings: Warnings) -> Fraction:
    current, previous = values
    return (current - previous) / previous * 100


def _growth_floats(current: float, previous: float) -> float:
    return (current - previous) / previous * 100 if previous != 0 else _NAN


def _growth_numpy(current: Any, previous: Any) -> Array:
    import numpy as np

    growth = np.subtract(current, previous)
    growth = np.divide(growth, previous, out=own(growth))
    return nan_where(np.multiply(growth, 100, out=own(growth)), previous == 0)


def _growth_latex(printer: Any, args: Sequence[sympy.Expr]) -> str:
    sekarang, sebelumnya = (printer._print(arg) for arg in args)
    subtrahend = sebelumnya
    if args[1].is_Add or args[1].could_extract_minus_sign():
        subtrahend = rf"\left({sebelumnya}\right)"  # a - (b + c), a - (-b)
    return rf"\frac{{{sekarang} - {subtrahend}}}{{{sebelumnya}}} \times 100\%"


PERTUMBUHAN = FunctionSpec(
    name="pertumbuhan",
    meaning_id=(
        "pertumbuhan dari periode sebelumnya dalam persen: "
        "(sekarang − sebelumnya) / sebelumnya × 100"
    ),
    sympy_class=Pertumbuhan,
    min_args=2,
    max_args=2,
    paired=False,
    signature="pertumbuhan(sekarang, sebelumnya)",
    meaning=(
        "growth over the previous period in percent: (sekarang - sebelumnya) / sebelumnya x 100"
    ),
    latex=r"\frac{a - b}{b} \times 100\%",
    denominator=1,
    arithmetic=lambda args: (args[0] - args[1]) / args[1] * 100,
    latex_form=_growth_latex,
    exact=_growth_exact,
    floats=_growth_floats,
    numpy=_growth_numpy,
    sql=lambda args: sql_multiply(
        sql_divide(sql_subtract(args[0], args[1]), args[1]), sql_number(100)
    ),
    divisor=lambda args: args[1],
    reason=lambda texts: previous_is_zero(texts[1]),
    ratio=lambda args: (args[0] - args[1], args[1]),
    steps=StepForm(
        roles=lambda count: ("Nilai periode ini", "Nilai periode sebelumnya"),
        totals=("Selisih",),
        unit="%",
    ),
)


# --------------------------------------------------------------------------- the table

FUNCTIONS: Mapping[str, FunctionSpec] = {
    spec.name: spec for spec in (PERSEN, RATA_RATA, RATA_RATA_TERTIMBANG, PERTUMBUHAN)
}
"""Every function of the formula language, by its name in the language."""


def spec_of(call: IkuFunction | type[IkuFunction]) -> FunctionSpec:
    """The definition of a call (or of a function class) in :data:`FUNCTIONS`."""
    spec = FUNCTIONS.get(call.language_name)
    if spec is None:
        raise TypeError(f"{call} is not a function of the formula language")
    return spec


def ratio_parts(expr: sympy.Expr) -> tuple[sympy.Expr, sympy.Expr] | None:
    """Numerator and denominator of ``expr`` when it is a call of a ratio, for reports."""
    if not isinstance(expr, IkuFunction):
        return None
    ratio = spec_of(expr).ratio
    return None if ratio is None else ratio(expr.args)
