"""Reading a catalog's predikat scales (``[predikat.NAME]``) and choosing each indicator's.

Part of the loader (:mod:`.load`), kept apart for its size: the checks of the fields come
from :mod:`.schema` as everywhere; what is checked here is what the schema cannot say:
the bands of a scale without gap or overlap (:func:`~iku_formula.predikat.scale_problems`),
the names of the scales, and that a scale on realisasi covers exactly the values the
indicator's realisasi can take (:func:`realisasi_range`).
"""

from __future__ import annotations

__all__ = [
    "Range",
    "Reader",
    "basis_problem",
    "load_scales",
    "realisasi_range",
    "resolve_scale",
]

import difflib
from collections import Counter
from collections.abc import Mapping
from fractions import Fraction
from typing import Any, Protocol

import sympy

from ..i18n import _
from ..language.functions import RataRata, RataRataTertimbang
from ..language.parse import check_name
from ..model import Input, InputKind, UndefinedParts
from ..numbers import exact_text
from ..predikat import Band, Basis, PredikatScale, lowest_first, scale_problems
from . import schema


class Reader(Protocol):
    """What the loader offers: a problem recorded at a location, a table read by the schema."""

    def problem(self, location: str, message: str) -> None: ...

    def read(self, table: Mapping[str, Any], spec: schema.Table, where: str) -> dict[str, Any]: ...


def load_scales(
    reader: Reader, raw: Mapping[str, Any]
) -> tuple[dict[str, PredikatScale], set[str]]:
    """The scales of ``[predikat]`` that are valid, and the names of all declared (valid or
    not: an indicator naming a scale with a wrong band is not told it does not exist)."""
    scales: dict[str, PredikatScale] = {}
    declared: set[str] = set()
    for name, table in raw.items():
        where = f"predikat {name!r}"
        reason = check_name(name)
        if reason is not None:
            reader.problem(where, reason)
            continue
        declared.add(name)
        if not isinstance(table, dict):
            reader.problem(
                where, _("must be a table, got {kind}").format(kind=type(table).__name__)
            )
            continue
        values = reader.read(table, schema.PREDIKAT, where)
        bands = _bands(reader, table.get(schema.BANDS.key), where)
        if bands is None or not isinstance(values.get("basis"), Basis):
            continue
        ordered = lowest_first(bands)
        problems = scale_problems(ordered)
        for problem in problems:
            reader.problem(where, problem)
        if not problems:
            scales[name] = PredikatScale(
                name=name, bands=ordered, **schema.PREDIKAT.arguments(values)
            )
    return scales, declared


def _bands(reader: Reader, raw: object, where: str) -> list[Band] | None:
    """The bands of one scale, every problem recorded; None if one of them is wrong."""
    if raw is None:
        reader.problem(
            where, _("the scale has no bands; add [[{path}]] tables").format(path=schema.BANDS.path)
        )
        return None
    if not isinstance(raw, list) or not raw:
        reader.problem(where, _("'bands' must be a list of tables, at least one"))
        return None
    if len(raw) > (schema.BANDS.most or len(raw)):
        reader.problem(
            where,
            _("{count} bands; the limit is {most}").format(count=len(raw), most=schema.BANDS.most),
        )
        return None
    bands: list[Band] = []
    whole = True
    for position, table in enumerate(raw, 1):
        place = f"{where}, band #{position}"
        if not isinstance(table, dict):
            reader.problem(
                place, _("must be a table, got {kind}").format(kind=type(table).__name__)
            )
            whole = False
            continue
        values = reader.read(table, schema.BANDS, place)
        if not all(isinstance(values.get(key), str) for key in ("code", "label", "colour")):
            whole = False  # reported by read
            continue
        try:
            bands.append(Band(**schema.BANDS.arguments(values)))
        except ValueError as error:
            reader.problem(place, str(error))
            whole = False
    return bands if whole else None


def resolve_scale(
    reader: Reader,
    scales: Mapping[str, PredikatScale],
    declared: set[str],
    name: object,
    where: str,
    field: str,
) -> PredikatScale | None:
    """The scale ``name`` names; else None, with a problem unless it is declared but wrong."""
    if not isinstance(name, str):
        return None  # a wrong type, reported by read
    if name in scales:
        return scales[name]
    if name not in declared:
        close = difflib.get_close_matches(name, sorted(declared), n=1)
        hint = (
            _(" (did you mean {name}?)").format(name=repr(close[0]))
            if close
            else _("; declare it as [predikat.{name}]").format(name=name)
        )
        reader.problem(
            where,
            _("field {field}: unknown predikat scale {name}").format(
                field=repr(field), name=repr(name)
            )
            + hint,
        )
    return None


Range = tuple[Fraction | None, Fraction | None]
"""The lowest and highest value an expression can take; None: unbounded on that side."""


def realisasi_range(
    expr: sympy.Expr, inputs: Mapping[str, Input], policy: UndefinedParts
) -> Range | None:
    """The values ``expr`` can take when its inputs take every value their kind allows, or
    None when that cannot be worked out exactly.

    Exactly for a score or count input, a number, a sum, a constant multiple, a mean
    (``rata_rata``) and a weighted mean of them, each input used once (interval
    arithmetic is exact then); anything else (a ratio, an input used twice) is None.
    """
    counts = Counter(node for node in sympy.preorder_traversal(expr) if node.is_Symbol)
    if any(count > 1 for count in counts.values()):
        return None
    return _range(expr, inputs, policy)


def _range(expr: sympy.Expr, inputs: Mapping[str, Input], policy: UndefinedParts) -> Range | None:
    if isinstance(expr, sympy.Symbol):
        spec = inputs.get(expr.name)
        if spec is None:
            return None
        if spec.kind is InputKind.SCORE:
            return spec.minimum, spec.maximum
        return Fraction(0), None
    if isinstance(expr, sympy.Rational):
        value = Fraction(int(expr.p), int(expr.q))
        return value, value
    parts = [_range(arg, inputs, policy) for arg in expr.args]
    known = [part for part in parts if part is not None]
    if len(known) != len(parts):
        return None
    if isinstance(expr, sympy.Add):
        return _add(known)
    if isinstance(expr, sympy.Mul):
        factor, variable = Fraction(1), None
        for arg, part in zip(expr.args, known, strict=True):
            if isinstance(arg, sympy.Rational):
                factor *= Fraction(int(arg.p), int(arg.q))
            elif variable is None:
                variable = part
            else:
                return None  # a product of two inputs
        return (factor, factor) if variable is None else _scale(variable, factor)
    if isinstance(expr, RataRata):
        if policy is UndefinedParts.SKIP:
            return _hull(known)
        low, high = _add(known)
        count = len(known)
        return (None if low is None else low / count, None if high is None else high / count)
    if isinstance(expr, RataRataTertimbang):
        return _hull(known[0::2])  # the weights can put all the weight on any one value
    return None


def _add(parts: list[tuple[Fraction | None, Fraction | None]]) -> Range:
    low: Fraction | None = Fraction(0)
    high: Fraction | None = Fraction(0)
    for part_low, part_high in parts:
        low = None if low is None or part_low is None else low + part_low
        high = None if high is None or part_high is None else high + part_high
    return low, high


def _scale(part: Range, factor: Fraction) -> Range:
    low, high = part
    scaled = (None if low is None else low * factor, None if high is None else high * factor)
    return scaled if factor >= 0 else (scaled[1], scaled[0])


def _hull(parts: list[tuple[Fraction | None, Fraction | None]]) -> Range:
    lows = [low for low, _high in parts]
    highs = [high for _low, high in parts]
    return (
        None if None in lows else min(low for low in lows if low is not None),
        None if None in highs else max(high for high in highs if high is not None),
    )


def basis_problem(
    scale: PredikatScale, expr: sympy.Expr, inputs: Mapping[str, Input], policy: UndefinedParts
) -> str | None:
    """Why ``scale`` (on realisasi) does not fit the realisasi ``expr``, or None."""
    if scale.basis is not Basis.REALISASI:
        return None
    span = realisasi_range(expr, inputs, policy)
    if span is None:
        return _(
            "field 'predikat': scale {name} classifies realisasi, but the values this "
            "indicator's realisasi can take cannot be worked out from its formula (they can "
            "for a score or count input, a sum, a constant multiple or a mean of them, each "
            "input used once); choose a scale on capaian"
        ).format(name=repr(scale.name))
    if span != (scale.minimum, scale.maximum):
        return _(
            "field 'predikat': scale {name} classifies realisasi from {low} to {high}, but "
            "this indicator's realisasi ranges from {lowest} to {highest}; a scale on "
            "realisasi must cover exactly the values the realisasi can take (check the "
            "inputs' minimum and maximum, or choose another scale)"
        ).format(
            name=repr(scale.name),
            low=_bound(scale.minimum, "-∞"),
            high=_bound(scale.maximum, "∞"),
            lowest=_bound(span[0], "-∞"),
            highest=_bound(span[1], "∞"),
        )
    return None


def _bound(value: Fraction | None, unbounded: str) -> str:
    return unbounded if value is None else exact_text(value)
