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
