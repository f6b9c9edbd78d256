"""Back ends that compute a catalog's formulas: exact (Fractions), floats, numpy frames.

Each reads the one function table of :mod:`iku_formula.language.functions`; the exact
engine is the reference, every other one is held equal to it by property tests.
"""
