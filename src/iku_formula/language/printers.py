"""Formulas back to text and to LaTeX, from the same sympy tree that is evaluated.

Also with the values of the inputs written in, for explanations.
"""

from __future__ import annotations

__all__ = [
    "LatexPrinter",
    "TextPrinter",
    "substituted_latex",
    "substituted_text",
    "to_latex",
    "to_text",
    "value_atom_text",
]

from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter as SympyLatexPrinter
from sympy.printing.str import StrPrinter

from ..numbers import exact_latex, exact_text, terminating_places


class TextPrinter(StrPrinter):  # type: ignore[misc]
    """Prints in the formula language, so that the text parses back to the same tree."""

    def _print_Rational(self, expr: Any) -> str:
        return f"{expr.p}/{expr.q}"

    def _print_Mul(self, expr: Any) -> str:
        # "-(a + b)*c" would parse as (-(a + b))*c, and sympy distributes a number over a
        # sum: -a - b. Keeping the other factors in parentheses, "-((a + b)*c)", rebuilds
        # the same tree.
        coefficient, rest = expr.as_coeff_Mul()
        factors = sympy.Mul.make_args(rest)
        if coefficient.is_Rational and coefficient.q != 1 and rest.has(sympy.Add):
            # "3/(10*(a + b))" would parse back as 3/(10*a + 10*b): the fraction stays apart.
            return f"{self._print(coefficient)}*({self._print(rest)})"
        if coefficient == 1 or len(factors) < 2 or not any(f.is_Add for f in factors):
            return str(super()._print_Mul(expr))
        inner = self._print(rest)
        if coefficient == -1:
            return f"-({inner})"
        return f"{self._print(coefficient)}*({inner})"


class LatexPrinter(SympyLatexPrinter):  # type: ignore[misc]
    """Input names print upright and whole (``\\mathrm{jumlah\\_tahanan}``), not as subscripts.

    Products print with ``\\cdot`` unless ``settings`` say otherwise.
    """

    def __init__(self, settings: dict[str, Any] | None = None) -> None:
        super().__init__({"mul_symbol": "dot", **(settings or {})})

    def _print_Symbol(self, expr: Any, style: str = "plain") -> str:
        return r"\mathrm{" + str(expr.name).replace("_", r"\_") + "}"


def to_text(expr: sympy.Expr) -> str:
    """The formula in the formula language; ``parse_formula(to_text(e)) == e``."""
    return str(TextPrinter().doprint(expr))


def to_latex(expr: sympy.Expr) -> str:
    """The formula in LaTeX: ``persen`` as a fraction times 100%, ``rata_rata`` as a mean."""
    return str(LatexPrinter().doprint(expr))


def value_atom_text(value: Fraction) -> str:
    """An exact value as an operand in the formula language: in parentheses unless plain."""
    text = exact_text(value)
    return f"({text})" if value < 0 or "/" in text else text


class _SubstitutedText(TextPrinter):
    """The formula language with every input replaced by its exact value."""

    def __init__(self, values: Mapping[str, Fraction]) -> None:
        super().__init__()
        self._values = values

    def _print_Symbol(self, expr: Any) -> str:
        value = self._values.get(expr.name)
        return str(expr.name) if value is None else value_atom_text(value)


class _SubstitutedLatex(LatexPrinter):
    """The formula in LaTeX with every input replaced by its exact value."""

    def __init__(self, values: Mapping[str, Fraction]) -> None:
        super().__init__()
        self._values = values

    def _print_Symbol(self, expr: Any, style: str = "plain") -> str:
        value = self._values.get(expr.name)
        if value is None:
            return str(super()._print_Symbol(expr, style))
        text = exact_latex(value)
        simple = value >= 0 and terminating_places(value) is not None
        return text if simple else rf"\left({text}\right)"


def substituted_text(expr: sympy.Expr, values: Mapping[str, Fraction]) -> str:
    """The formula in the formula language with the inputs in ``values`` written as numbers."""
    return str(_SubstitutedText(values).doprint(expr))


def substituted_latex(expr: sympy.Expr, values: Mapping[str, Fraction]) -> str:
    """The formula in LaTeX with the inputs in ``values`` written as numbers."""
    return str(_SubstitutedLatex(values).doprint(expr))
