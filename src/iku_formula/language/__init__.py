"""The formula language: parsing text into a sympy tree, the function table, the printers.

Small pure stages, as formulaic arranges its parser: :mod:`.parse` turns text into a
tree (never through ``eval``), :mod:`.functions` says what each function means for
every back end (one :class:`~.functions.FunctionSpec` each), :mod:`.undefined` words
why a result is undefined, :mod:`.printers` writes a tree back as text or LaTeX.
"""

from __future__ import annotations

__all__ = ["FUNCTIONS", "FunctionSpec", "parse_formula", "parse_rule", "to_latex", "to_text"]

from .functions import FUNCTIONS, FunctionSpec
from .parse import parse_formula, parse_rule
from .printers import to_latex, to_text
