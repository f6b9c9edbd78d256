"""Formulas back to text and to LaTeX, from the same sympy tree that is evaluated."""

from __future__ import annotations

__all__ = ["to_latex", "to_text"]

from typing import Any

import sympy
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter


class _TextPrinter(StrPrinter):  # type: ignore[misc]
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


class _LatexPrinter(LatexPrinter):  # type: ignore[misc]
    """Input names print upright and whole (``\\mathrm{jumlah\\_tahanan}``), not as subscripts."""

    def _print_Symbol(self, expr: Any, style: str = "plain") -> str:
        return r"\mathrm{" + str(expr.name).replace("_", r"\_") + "}"


def to_text(expr: sympy.Expr) -> str:
    """The formula in the formula language; ``parse_formula(to_text(e)) == e``."""
    return str(_TextPrinter().doprint(expr))


def to_latex(expr: sympy.Expr) -> str:
    """The formula in LaTeX: ``persen`` as a fraction times 100%, ``rata_rata`` as a mean."""
    return str(_LatexPrinter({"mul_symbol": "dot"}).doprint(expr))
