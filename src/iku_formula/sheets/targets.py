"""Targets per period: the target sheet (``iku template --target``), read, checked, applied.

A target sheet (CSV or XLSX) has one row per indicator and a column per period::

    indikator  nama                     target    sifat       TW1   TW2   TW3   TW4
    8          Jumlah perancang ...     20 Orang  kumulatif   5     10    15    20
    23         Persentase layanan ...   85%       per periode 85%   85%   85%   85%

* ``indikator``: the indicator's number (or key); ``nama`` and ``target`` (the catalog's
  yearly target) are there to be read by people and are not read back;
* ``sifat``: whether the row's targets are ``per periode`` (each the target of its period
  alone) or ``kumulatif`` (each the target from the first period up to and including it);
* one column per period of one kind: ``TW1`` to ``TW4``, or ``Januari`` to ``Desember``
  (any spelling :func:`~iku_formula.periods.parse_period` reads), every period of the year
  present;
* each cell a target written as in the catalog (``85%``, ``3,1 Indeks``, ``20``: a number
  without a unit takes the indicator's), read by the catalog's own parser
  (:func:`~iku_formula.model.parse_target`).

A row whose period cells are all empty gives no targets: the indicator keeps the catalog's
yearly target. An indicator without a row keeps it too.

**Per period and cumulative** (:func:`adds_up`). A part of a target *adds up over time*
when its realisasi does: its formula is a sum of inputs that are flows (``over_time =
"sum"``), such as "perancang dibina" (IKU 8). For such a part the targets of the periods
add up to the cumulative target: a ``per periode`` row's cumulative target at TW3 is
TW1 + TW2 + TW3, and a ``kumulatif`` row's target of TW3 alone is TW3 - TW2. For every
other part (a stock, ``last``; a score, ``mean``; a ratio or a percentage, even of flows)
the cumulative target of a period is that period's target, whichever ``sifat`` the row
declares.

:meth:`PeriodTargets.apply` measures evaluations against these targets by one rule: a
result is measured against the target of the span its rows cover, from the start of the
first period to the end of the last (:meth:`PeriodTargets.span_target`: for a part that adds
up, the cumulative target at the end less the one at the start; for any other, the target at
the end). So a quarter has its own target, the year to date (TW1 to TW3, ``until="TW3"``)
the cumulative target at TW3, a quarter of a sheet of months the target of its months (with
a target sheet of months), and a span that does not end at a boundary of the target sheet's
periods (a month, with a sheet of quarters) keeps the catalog's yearly target.

Reading is bounded like a realisasi sheet (the readers of :mod:`.csv` and :mod:`.xlsx`, the
limits of :mod:`.model`) and checked in one pass: one :class:`~iku_formula.errors.SheetError`
lists every problem, each located by file, sheet, row and column.
"""

from __future__ import annotations

__all__ = [
    "ACCUMULATION_WORDS",
    "INDICATOR_COLUMN",
    "KIND_COLUMN",
    "NAME_COLUMN",
    "TARGET_COLUMNS",
    "TARGET_KEYWORDS",
    "TARGET_SHEET",
    "Accumulation",
    "IndicatorTargets",
    "PeriodTargets",
    "adds_up",
    "load_targets",
    "parsed_period",
    "read_accumulation",
    "retarget",
    "target_text",
    "write_targets",
]

import enum
from collections.abc import Iterator, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import attrs
import sympy

from ..errors import PeriodError
from ..evaluation import Evaluation, PartResult, from_parts, part_result
from ..model import Indicator, Target, TargetPart, TimeRule
from ..numbers import exact_decimal, with_unit
from ..periods import QUARTER, Period, PeriodKind, parse_period

if TYPE_CHECKING:
    import os

    from ..catalog.registry import Catalog


TARGET_SHEET = "target"
"""The XLSX sheet holding the targets."""

TARGET_KEYWORDS = "iku-formula lembar target"
"""The keywords of a target template workbook (a sheet a person fills in)."""

INDICATOR_COLUMN = "indikator"
"""The column naming each row's indicator (its number or key)."""

NAME_COLUMN = "nama"
YEAR_COLUMN = "target"
KIND_COLUMN = "sifat"

TARGET_COLUMNS = (INDICATOR_COLUMN, NAME_COLUMN, YEAR_COLUMN, KIND_COLUMN)
"""The columns of a target sheet before its period columns."""


class Accumulation(enum.Enum):
    """What the targets of a row are: each period's own, or from the first period to it."""

    PER_PERIOD = "per periode"
    """Each cell is the target of its period alone."""
    CUMULATIVE = "kumulatif"
    """Each cell is the target from the first period up to and including its period."""


ACCUMULATION_WORDS: Mapping[str, Accumulation] = {
    "perperiode": Accumulation.PER_PERIOD,
    "periode": Accumulation.PER_PERIOD,
    "pertriwulan": Accumulation.PER_PERIOD,
    "perbulan": Accumulation.PER_PERIOD,
    "perperiod": Accumulation.PER_PERIOD,
    "kumulatif": Accumulation.CUMULATIVE,
    "sd": Accumulation.CUMULATIVE,
    "cumulative": Accumulation.CUMULATIVE,
}
"""How a ``sifat`` cell may be written, compared without case, spaces, ``_``, ``-`` or ``.``."""


def read_accumulation(text: str) -> Accumulation | None:
    key = "".join(char for char in text.casefold() if char not in " _-./")
    return ACCUMULATION_WORDS.get(key)


# --------------------------------------------------------------------------- the rule


def _formula_of_part(indicator: Indicator, part: int) -> sympy.Expr:
    return indicator.formula if part == 0 else indicator.part_formulas[part - 1]


def adds_up(indicator: Indicator, part: int = 0) -> bool:
    """Whether part ``part`` of the indicator's target adds up over time.

    True when the part's realisasi is a sum of flow inputs (``over_time = "sum"``), each
    with a positive coefficient: then the realisasi of several periods is the sum of theirs,
    and so is the target. False for stocks (``last``), scores (``mean``), ratios and
    percentages: their cumulative target is the target of the last period.
    """
    expr = _formula_of_part(indicator, part)
    rules = {spec.name: spec.over_time for spec in indicator.input_specs}
    for term in sympy.Add.make_args(expr):
        coefficient, rest = term.as_coeff_Mul()
        if not (rest.is_Symbol and coefficient.is_Rational and coefficient > 0):
            return False
        if rules.get(str(rest)) is not TimeRule.SUM:
            return False
    return True


def target_text(parts: Sequence[TargetPart]) -> str:
    """A target as the catalog writes it: "85%", "3,1 Indeks", "1 Kegiatan / 1 Rekomendasi".

    The decimal separator is a comma and there is no thousands separator, so that
    :func:`~iku_formula.model.parse_target` reads the text back as the same value.
    """
    pieces = []
    for part in parts:
        number = exact_decimal(part.value)
        written = (
            f"{part.value.numerator}/{part.value.denominator}"
            if number is None
            else number.replace(".", ",")
        )
        pieces.append(with_unit(written, part.unit))
    return " / ".join(pieces)


@attrs.frozen
class IndicatorTargets:
    """The targets of one indicator, per period (by label, in the year's order)."""

    number: int
    accumulation: Accumulation
    written: Mapping[str, Target]
    """The targets as the sheet gives them (per period or cumulative, as ``accumulation``)."""
    per_period: Mapping[str, Target]
    """The target of each period alone."""
    to_date: Mapping[str, Target]
    """The target from the first period up to and including each period."""
    adds: tuple[bool, ...] = ()
    """For each part of the target, whether it adds up over time (:func:`adds_up`)."""
    row: int | None = None
    """The sheet row the targets come from."""


@attrs.frozen
class PeriodTargets:
    """The targets per period of a target sheet; indicators without a row are not here."""

    source: str | None
    """The file read (None when built otherwise)."""
    kind: PeriodKind
    """The kind of the periods (quarters)."""
    periods: tuple[str, ...]
    """The period labels, in the year's order ("TW1" to "TW4")."""
    indicators: Mapping[int, IndicatorTargets]
    """The targets of each indicator with a filled row, by number."""

    def __contains__(self, number: object) -> bool:
        return number in self.indicators

    def __iter__(self) -> Iterator[IndicatorTargets]:
        return iter(self.indicators.values())

    def __len__(self) -> int:
        return len(self.indicators)

    def yearly_differences(self, catalog: Catalog) -> list[tuple[int, Target, Target]]:
        """The indicators whose cumulative target at the last period is not the catalog's
        yearly target: (number, that target, the yearly target). Their capaian to date at
        the year's end differs from the yearly capaian; a report says so."""
        found = []
        for number in self.indicators:
            year_end = self.to_date_target(number, self.periods[-1])
            if number not in catalog or year_end is None:
                continue
            yearly = catalog[number].target
            if [part.value for part in year_end.parts] != [part.value for part in yearly.parts]:
                found.append((number, year_end, yearly))
        return found

    def span_target(self, number: int, start: Fraction, end: Fraction) -> Target | None:
        """The target of indicator ``number`` over the part of the year from ``start`` to
        ``end`` (fractions of the year: TW2 alone is 1/4 to 2/4, s.d. TW3 is 0 to 3/4).

        A part that adds up over time (:func:`adds_up`) has the cumulative target at
        ``end`` less the one at ``start``; any other part the target at ``end``. None when
        the sheet has no target for the indicator, or ``start`` or ``end`` is no boundary
        of the sheet's periods (the end of a month, for a sheet of quarters).
        """
        found = self.indicators.get(number)
        if found is None:
            return None
        ends = {_end(label): label for label in self.periods}
        last = ends.get(end)
        first = ends.get(start) if start else None
        if last is None or (start and first is None):
            return None
        upto = found.to_date[last].parts
        before = found.to_date[first].parts if first is not None else None
        parts = [
            TargetPart(part.value - before[index].value, part.unit)
            if before is not None and adds
            else part
            for index, (part, adds) in enumerate(zip(upto, found.adds, strict=True))
        ]
        return Target(target_text(parts), tuple(parts))

    def period_target(self, number: int, period: str) -> Target | None:
        """The target of indicator ``number`` for ``period`` alone ("TW2"; with a sheet of
        months, a quarter is its months together), or None (no target)."""
        span = _span(period)
        return None if span is None else self.span_target(number, *span)

    def to_date_target(self, number: int, period: str) -> Target | None:
        """The cumulative target from the first period up to the end of ``period``.

        ``period`` is any label that ends where one of the sheet's periods ends: "TW3", or a
        year ("2024"), which ends with the last period. None when there is none.
        """
        span = _span(period)
        return None if span is None else self.span_target(number, Fraction(0), span[1])

    def target_for(self, number: int, periods: Sequence[str | None]) -> Target | None:
        """The target a result covering rows of ``periods`` is measured against: the target
        of the span from the start of the first of them to the end of the last (one
        quarter: its own target; TW1 to TW3: the cumulative target at TW3; the year: at
        the last period). None when the rows name no period, or there is none."""
        spans = [span for p in periods if p is not None and (span := _span(p)) is not None]
        if not spans:
            return None
        return self.span_target(number, min(s for s, _e in spans), max(e for _s, e in spans))

    def apply(
        self, results: Mapping[int, Evaluation], periods: Sequence[str | None]
    ) -> dict[int, Evaluation]:
        """``results`` measured against the targets for rows of ``periods`` (see
        :meth:`target_for`); an indicator without a target here keeps its result."""
        out: dict[int, Evaluation] = {}
        for number, evaluation in results.items():
            target = self.target_for(number, periods)
            out[number] = evaluation if target is None else retarget(evaluation, target)
        return out


def parsed_period(label: str) -> Period | None:
    try:
        return parse_period(label)
    except PeriodError:
        return None


def _span(label: str) -> tuple[Fraction, Fraction] | None:
    """Where in the year a period starts and ends (TW3: 2/4 to 3/4, the year: 0 to 1, "2024
    s.d. TW3": 0 to 3/4), None for no period."""
    _year, to_date, last = label.rpartition(" s.d. ")
    parsed = parsed_period(last)
    if parsed is None:
        return None
    end = Fraction(parsed.index, parsed.kind.per_year)
    start = (
        Fraction(0)
        if to_date or not parsed.within_year
        else end - Fraction(1, parsed.kind.per_year)
    )
    return start, end


def _end(label: str) -> Fraction | None:
    """Where in the year a period ends (TW3: 3/4, the year: 1), None for no period."""
    span = _span(label)
    return None if span is None else span[1]


def retarget(evaluation: Evaluation, target: Target) -> Evaluation:
    """The same realisasi measured against ``target``: capaian and status again, by the
    indicator's rule (:func:`~iku_formula.evaluation.part_result`, then
    :func:`~iku_formula.evaluation.from_parts`), ``Evaluation.target`` is ``target``."""
    indicator = attrs.evolve(evaluation.indicator, target=target)
    old = evaluation.parts or (
        PartResult(evaluation.value, evaluation.achievement, evaluation.met, evaluation.reason),
    )
    parts = [
        PartResult(None, None, False, part.reason)
        if part.value is None
        else part_result(indicator, part.value, target_part.value)
        for part, target_part in zip(old, target.parts, strict=True)
    ]
    return from_parts(
        indicator,
        parts,
        inputs=evaluation.inputs,
        warnings=evaluation.warnings,
        numerator=evaluation.numerator,
        denominator=evaluation.denominator,
        violations=evaluation.violations,
    )


def load_targets(path: str | os.PathLike[str], catalog: Catalog) -> PeriodTargets:
    """Read and check the target sheet at ``path`` (.csv, .xlsx or .xlsm): every problem
    in one located SheetError, as :func:`.targets_read.read_targets` says."""
    from .targets_read import read_targets

    return read_targets(path, catalog)


def write_targets(
    catalog: Catalog, path: str | os.PathLike[str], *, kind: PeriodKind = QUARTER
) -> Path:
    """Write an empty target sheet (.csv or .xlsx): a row per indicator, a column per period.

    Every row's ``sifat`` is ``kumulatif``; the period cells are empty, to fill in (a row
    left empty keeps the catalog's yearly target). XLSX needs openpyxl. The writing is
    :mod:`.targets_write`'s.
    """
    from .targets_write import write_target_sheet

    return write_target_sheet(catalog, path, kind=kind)
