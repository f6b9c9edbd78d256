"""The fixed table of functions a formula may call.

Each function is a sympy ``Function`` that never evaluates on construction, so
the tree keeps the shape the catalog wrote (``persen(a, b)``, not ``100*a/b``).
That tree is what is evaluated exactly, rendered to LaTeX and printed back to
text, so what the docs show is what runs. ``doit()`` rewrites a call into plain
arithmetic for numeric back ends.
"""

from __future__ import annotations

__all__ = [
    "FUNCTIONS",
    "FunctionSpec",
    "IkuFunction",
    "Persen",
    "Pertumbuhan",
    "RataRata",
    "RataRataTertimbang",
]

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs
import sympy


class IkuFunction(sympy.Function):  # type: ignore[misc]
    """Base of the formula-language functions: unevaluated, printable, exact."""

    language_name: ClassVar[str] = ""

    @classmethod
    def eval(cls, *args: Any) -> None:
        """Never auto-evaluate: the tree must keep what the catalog wrote."""

    def arithmetic(self) -> sympy.Expr:
        """This call written as plain sympy arithmetic."""
        raise NotImplementedError

    def doit(self, **hints: Any) -> sympy.Expr:
        args = [arg.doit(**hints) for arg in self.args] if hints.get("deep", True) else self.args
        return type(self)(*args).arithmetic()

    def _sympystr(self, printer: Any) -> str:
        inner = ", ".join(printer._print(arg) for arg in self.args)
        return f"{self.language_name}({inner})"

    def _latex(self, printer: Any, exp: str | None = None) -> str:
        # sympy's LaTeX printer passes ``exp`` when the call is raised to a power.
        body = self._latex_body(printer)
        return body if exp is None else rf"\left({body}\right)^{{{exp}}}"

    def _latex_body(self, printer: Any) -> str:
        raise NotImplementedError


def _latex_sum(terms: list[str]) -> str:
    """Join rendered terms with +, folding a leading minus into the operator (a - b)."""
    text = terms[0]
    for term in terms[1:]:
        text += f" - {term[1:].lstrip()}" if term.startswith("-") else f" + {term}"
    return text


class Persen(IkuFunction):
    """``persen(pembilang, penyebut)``: a share as a percentage, pembilang / penyebut x 100."""

    language_name = "persen"
    nargs = 2

    def arithmetic(self) -> sympy.Expr:
        pembilang, penyebut = self.args
        return pembilang / penyebut * 100

    def _latex_body(self, printer: Any) -> str:
        pembilang, penyebut = (printer._print(arg) for arg in self.args)
        return rf"\frac{{{pembilang}}}{{{penyebut}}} \times 100\%"


class RataRata(IkuFunction):
    """``rata_rata(x1, ..., xn)``: the arithmetic mean of its arguments."""

    language_name = "rata_rata"

    def arithmetic(self) -> sympy.Expr:
        return sympy.Add(*self.args) / len(self.args)

    def _latex_body(self, printer: Any) -> str:
        terms = [printer.parenthesize(arg, 40) for arg in self.args]  # 40: PRECEDENCE["Add"]
        return rf"\frac{{{_latex_sum(terms)}}}{{{len(self.args)}}}"


class RataRataTertimbang(IkuFunction):
    """``rata_rata_tertimbang(x1, w1, ..., xn, wn)``: the mean of the x weighted by the w."""

    language_name = "rata_rata_tertimbang"

    def pairs(self) -> list[tuple[sympy.Expr, sympy.Expr]]:
        args = list(self.args)
        return list(zip(args[0::2], args[1::2], strict=True))

    def arithmetic(self) -> sympy.Expr:
        pairs = self.pairs()
        return sympy.Add(*(x * w for x, w in pairs)) / sympy.Add(*(w for _, w in pairs))

    def _latex_body(self, printer: Any) -> str:
        pairs = self.pairs()
        products = [
            f"{printer.parenthesize(x, 50)} \\cdot {printer.parenthesize(w, 50)}"  # 50: Mul
            for x, w in pairs
        ]
        weights = [printer.parenthesize(w, 40) for _, w in pairs]
        return rf"\frac{{{_latex_sum(products)}}}{{{_latex_sum(weights)}}}"


class Pertumbuhan(IkuFunction):
    """``pertumbuhan(sekarang, sebelumnya)``: growth over the previous period, in percent."""

    language_name = "pertumbuhan"
    nargs = 2

    def arithmetic(self) -> sympy.Expr:
        sekarang, sebelumnya = self.args
        return (sekarang - sebelumnya) / sebelumnya * 100

    def _latex_body(self, printer: Any) -> str:
        sekarang, sebelumnya = (printer._print(arg) for arg in self.args)
        subtrahend = sebelumnya
        if self.args[1].is_Add or self.args[1].could_extract_minus_sign():
            subtrahend = rf"\left({sebelumnya}\right)"  # a - (b + c), a - (-b)
        return rf"\frac{{{sekarang} - {subtrahend}}}{{{sebelumnya}}} \times 100\%"


@attrs.frozen
class FunctionSpec:
    """How the formula language exposes one function: name, arity and documentation."""

    name: str
    sympy_class: type[IkuFunction]
    min_args: int
    max_args: int | None
    paired: bool
    signature: str
    meaning: str
    latex: str
    denominator: int | None = None
    """Index of the argument that divides, so a literal zero there is rejected at parse."""

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


FUNCTIONS: Mapping[str, FunctionSpec] = {
    spec.name: spec
    for spec in (
        FunctionSpec(
            name="persen",
            sympy_class=Persen,
            min_args=2,
            max_args=2,
            paired=False,
            signature="persen(pembilang, penyebut)",
            meaning="pembilang / penyebut x 100: a part as a percentage of its whole",
            latex=r"\frac{a}{b} \times 100\%",
            denominator=1,
        ),
        FunctionSpec(
            name="rata_rata",
            sympy_class=RataRata,
            min_args=1,
            max_args=None,
            paired=False,
            signature="rata_rata(x1, ..., xn)",
            meaning="the arithmetic mean (x1 + ... + xn) / n",
            latex=r"\frac{x_1 + \dots + x_n}{n}",
        ),
        FunctionSpec(
            name="rata_rata_tertimbang",
            sympy_class=RataRataTertimbang,
            min_args=2,
            max_args=None,
            paired=True,
            signature="rata_rata_tertimbang(x1, w1, ..., xn, wn)",
            meaning="the mean of x1..xn weighted by w1..wn, e.g. scores by respondents",
            latex=r"\frac{x_1 \cdot w_1 + \dots + x_n \cdot w_n}{w_1 + \dots + w_n}",
        ),
        FunctionSpec(
            name="pertumbuhan",
            sympy_class=Pertumbuhan,
            min_args=2,
            max_args=2,
            paired=False,
            signature="pertumbuhan(sekarang, sebelumnya)",
            meaning=(
                "growth over the previous period in percent: "
                "(sekarang - sebelumnya) / sebelumnya x 100"
            ),
            latex=r"\frac{a - b}{b} \times 100\%",
            denominator=1,
        ),
    )
}
