"""The matrices a planning team hands on: indicator x period and indicator x unit.

A :class:`Matrix` is read off a :class:`~.build.Report`: the indicator x period matrix
(``iku evaluate --matrix period``) off the report ``--by period``, one column per period
and a last column to date ("s.d. TW3", or "s.d. TW4" for the year); the indicator x unit
matrix (``--matrix unit``) off the report ``--by unit``, one column per unit and a last
column for the Kantor Wilayah. Each cell is the :class:`~iku_formula.evaluation.Evaluation`
of the indicator there (None where it was not evaluated), so every form shows the same
realisasi, target and capaian as the report; with targets per period
(:func:`~iku_formula.sheets.targets.load_targets`) a period's cell is measured against that
period's target and the column to date against the cumulative one.

The forms live beside the report's own: :func:`~.text.render_matrix_text`,
:func:`~.markdown.render_matrix_markdown`, :func:`~.csv.render_matrix_csv` and
:func:`~.xlsx.write_matrix_xlsx`; :meth:`Matrix.to_frame` gives analysts a pandas frame.
"""

from __future__ import annotations

__all__ = [
    "MATRIX_HEADINGS",
    "MATRIX_KINDS",
    "MEASURES",
    "Matrix",
    "MatrixRow",
    "matrix_cells",
    "matrix_of",
    "period_matrix",
    "unit_matrix",
]

from collections.abc import Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from .._optional import require
from ..evaluation import Evaluation
from ..i18n import _
from ..periods import period_sort_key
from .build import Report, Section, build_report
from .notes import predikat_text, realisasi_text, shown

if TYPE_CHECKING:
    from ..catalog.registry import Catalog
    from ..periods import Period
    from ..sheets.model import Sheet
    from ..sheets.targets import PeriodTargets


MATRIX_KINDS = ("period", "unit")
"""The matrices: indicator x period, indicator x unit (``--matrix``)."""

MEASURES = ("realisasi", "target", "capaian", "status", "predikat")
"""What each cell of a matrix shows, in the order the forms show it."""


@attrs.frozen
class MatrixRow:
    """One indicator's row: its result in each column (None: not evaluated there)."""

    number: int
    key: str
    name: str
    cells: tuple[Evaluation | None, ...]


@attrs.frozen
class Matrix:
    """An indicator x period or indicator x unit matrix of results."""

    kind: str
    """"period" or "unit"."""
    columns: tuple[str, ...]
    """The column labels: "TW1" ... "s.d. TW4", or the units and "Kantor Wilayah"."""
    rows: tuple[MatrixRow, ...]
    """One row per indicator evaluated in some column, in the catalog's order."""
    report: Report = attrs.field(repr=False)
    """The report the matrix is read off (its notes, source and catalog)."""

    @property
    def title(self) -> str:
        """ "Matriks indikator x periode" (or x unit; in English "Indicator x period matrix")."""
        word = _("period") if self.kind == "period" else _("unit")
        return _("Indicator x {word} matrix").format(word=word)

    def to_frame(self, *, exact: bool = False) -> Any:
        """The matrix as a pandas DataFrame: a row per indicator (index ``number``), columns
        ``name`` and, per column label, the measures of :data:`MEASURES` (a column
        MultiIndex: label, measure). Realisasi and capaian are floats (NaN where undefined
        or not evaluated); with ``exact`` the exact Fractions (None). Needs pandas."""
        pandas = require("pandas", "frames", "a DataFrame")
        records: list[dict[tuple[str, str], object]] = []
        for row in self.rows:
            record: dict[tuple[str, str], object] = {("name", ""): row.name}
            for label, cell in zip(self.columns, row.cells, strict=True):
                value = None if cell is None else cell.value
                achievement = None if cell is None else cell.achievement
                record[(label, "realisasi")] = value if exact else _float(value)
                record[(label, "target")] = None if cell is None else cell.target.text
                record[(label, "capaian")] = achievement if exact else _float(achievement)
                record[(label, "status")] = None if cell is None else cell.status.value
                record[(label, "predikat")] = None if cell is None else _predikat(cell)
            records.append(record)
        columns = pandas.MultiIndex.from_tuples(
            [("name", ""), *((label, m) for label in self.columns for m in MEASURES)]
        )
        frame = pandas.DataFrame(records, columns=columns)
        frame.index = pandas.Index([row.number for row in self.rows], name="number")
        return frame


def _predikat(cell: Evaluation) -> str | None:
    band = cell.predikat
    return None if band is None else band.text


def _float(value: Fraction | None) -> float:
    return float("nan") if value is None else float(value)


def _to_date_label(section: Section) -> str:
    """ "s.d. TW3" for a section over the quarters up to TW3; else the section's period."""
    periods = sorted({row.period for row in section.rows if row.period}, key=period_sort_key)
    if periods and section.period and section.period != periods[-1]:
        return f"s.d. {periods[-1]}"  # a domain word, as in "2024 s.d. TW3"
    return section.period or ""


def matrix_of(report: Report, kind: str) -> Matrix:
    """The matrix ``kind`` ("period", "unit") of a report built ``--by`` that kind."""
    if kind not in MATRIX_KINDS:
        raise ValueError(f"matrix must be one of {', '.join(MATRIX_KINDS)}, got {kind!r}")
    whole, *parts = report.sections
    if kind == "period":
        columns = [section.period or "" for section in parts]
        columns.append(_to_date_label(whole))
    else:
        columns = [section.unit or "" for section in parts]
        columns.append(whole.unit or "")
    sections: Sequence[Section] = [*parts, whole]
    catalog = report.catalog
    rows = []
    for indicator in catalog:
        cells = tuple(section.results.get(indicator.number) for section in sections)
        if any(cell is not None for cell in cells):
            rows.append(MatrixRow(indicator.number, indicator.key, indicator.display_name, cells))
    return Matrix(kind, tuple(columns), tuple(rows), report)


def period_matrix(
    catalog: Catalog,
    sheet: Sheet,
    *,
    targets: PeriodTargets | None = None,
    until: Period | str | int | None = None,
) -> Matrix:
    """The indicator x period matrix of ``sheet`` (:func:`~iku_formula.sheets.read_sheet`):
    a column per period and one to date, against ``targets`` when given, the periods up to
    ``until`` when given (``--sampai``)."""
    report = build_report(catalog, sheet, "period", until=until, targets=targets)
    return matrix_of(report, "period")


def unit_matrix(
    catalog: Catalog,
    sheet: Sheet,
    *,
    targets: PeriodTargets | None = None,
    until: Period | str | int | None = None,
) -> Matrix:
    """The indicator x unit matrix of ``sheet``: a column per unit and the Kantor Wilayah,
    for the year or up to ``until``."""
    return matrix_of(build_report(catalog, sheet, "unit", until=until, targets=targets), "unit")


def matrix_cells(matrix: Matrix, measure: str, *, people: bool = True) -> list[list[str]]:
    """The matrix's cells for ``measure`` (one of :data:`MEASURES`) as people read them, a
    row per indicator ("-" where there is no value); the forms share it. With ``people``
    False the numbers in the machine form ("3.22", for CSV)."""
    rows: list[list[str]] = []
    for row in matrix.rows:
        cells = []
        for cell in row.cells:
            if cell is None:
                cells.append("-")
            elif measure == "realisasi":
                cells.append(realisasi_text(cell, people=people))
            elif measure == "target":
                cells.append(cell.target.text)
            elif measure == "capaian":
                cells.append(shown(cell.display_achievement(), people=people))
            elif measure == "predikat":
                cells.append(predikat_text(cell))
            else:
                cells.append(cell.status.label)
        rows.append(cells)
    return rows


MATRIX_HEADINGS = {
    "realisasi": "Realisasi",
    "target": "Target",
    "capaian": "Capaian (%)",
    "predikat": "Predikat",
}
"""The tables of a matrix in text and Markdown, one per measure."""
