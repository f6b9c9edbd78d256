"""The report as an XLSX workbook (needs openpyxl, the ``xlsx`` extra).

Four sheets: ``ringkasan`` (a line per section), ``hasil`` (every result, filterable),
``nilai tepat`` (the exact values, "p/q") and ``catatan`` (everything to check). Numbers
are real numbers with a number format ("#,##0.00"), so a spreadsheet program shows them with
its locale's separators (1.234,56 in Indonesian) and can sum and sort them; a target is
given as written and as a number beside it, and each part of a multi-part target (IKU 13)
has its own columns. Status and predikat cells are coloured. The headers and notes speak
the language shown (:mod:`iku_formula.i18n`); every text is made inert
(:func:`~iku_formula.escaping.inert_workbook`).
"""

from __future__ import annotations

__all__ = [
    "EXACT_SHEET",
    "write_matrix_xlsx",
    "write_xlsx",
]

from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .._optional import require
from ..escaping import cell_text, inert_workbook
from ..i18n import _
from ..numbers import spreadsheet_format, terminating_places
from .build import Report, Section, other_warnings
from .json import fraction_text
from .matrix import Matrix
from .notes import ink_on, predikat_text, realisasi_text, report_notes, targets_note
from .overwrite import CREATOR, REPORT_KEYWORDS

if TYPE_CHECKING:
    import os

    from ..evaluation import Evaluation, PartResult


EXACT_SHEET = "nilai tepat"
"""The sheet of exact values (fractions as "p/q", finite decimals as they are)."""

_MAX_TARGET_PLACES = 6
"""Decimals shown for a target whose decimal does not terminate (none of the bundled)."""


def _number_format(number: Decimal) -> str:
    """The format that shows ``number`` with its decimals: "#,##0" or "#,##0.00"."""
    exponent = number.as_tuple().exponent
    return spreadsheet_format(-exponent if isinstance(exponent, int) and exponent < 0 else 0)


def _target_number(value: Fraction) -> tuple[float, str]:
    places = terminating_places(value)
    shown = min(_MAX_TARGET_PLACES, _MAX_TARGET_PLACES if places is None else places)
    return float(value), spreadsheet_format(shown)


@attrs.frozen
class _Styles:
    """The fonts, fills and formats the sheets share."""

    bold: Any
    header_fill: Any
    status_fills: Mapping[str, Any]
    top: Any

    @classmethod
    def make(cls) -> _Styles:
        from openpyxl.styles import Alignment, Font, PatternFill

        return cls(
            bold=Font(bold=True),
            header_fill=PatternFill("solid", fgColor="DDEBF7"),
            status_fills={
                "met": PatternFill("solid", fgColor="C6EFCE"),
                "not_met": PatternFill("solid", fgColor="FFC7CE"),
                "undefined": PatternFill("solid", fgColor="FFEB9C"),
            },
            top=Alignment(wrap_text=True, vertical="top"),
        )


def write_xlsx(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write the report as an XLSX workbook: ``ringkasan``, ``hasil``, ``nilai tepat`` and
    ``catatan`` (every undefined result, warning, broken rule, unevaluated indicator and
    missing column). Needs openpyxl (the ``xlsx`` extra)."""
    openpyxl = require("openpyxl", "xlsx", "writing an .xlsx report")

    target = Path(path)
    styles = _Styles.make()
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "ringkasan"
    _summary_sheet(summary, report, styles)
    parts = max(
        (len(e.parts) for section in report.sections for e in section.results.values()),
        default=0,
    )
    _results_sheet(book.create_sheet("hasil"), report, styles, parts)
    _exact_sheet(book.create_sheet(EXACT_SHEET), report, styles, parts)
    _notes_sheet(book.create_sheet("catatan"), report, styles)
    book.properties.creator = CREATOR
    book.properties.keywords = REPORT_KEYWORDS
    inert_workbook(book)
    book.save(target)
    return target


def _summary_sheet(summary: Any, report: Report, styles: _Styles) -> None:
    from openpyxl.styles import Font

    _append(summary, [_("IKU report: {title}").format(title=report.catalog.title)])
    summary["A1"].font = Font(bold=True, size=13)
    meta = _("Source: {source}; level: {level}").format(
        source=report.source, level=report.level_name
    )
    _append(summary, [meta])
    _append(summary, [])
    summary_header = [
        "Unit",
        _("Period"),
        _("Rows rolled up"),
        _("Met"),
        _("Not met"),
        _("Not defined"),
        _("Not evaluated"),
        _("Rules broken"),
    ]
    _append(summary, summary_header)
    for section in report.sections:
        _append(
            summary,
            [
                section.unit or "",
                section.period or "",
                len(section.rows),
                section.count("met"),
                section.count("not_met"),
                section.count("undefined"),
                len(section.not_evaluated),
                len(section.violations),
            ],
        )
    if report.row_problems:
        _append(summary, [])
        check = _("Check the data in single rows (see the sheet catatan)")
        _append(summary, [check, len(report.row_problems)])
    _style_header(summary, 4, len(summary_header), styles)
    for letter, width in zip("ABCDEFGH", (36, 16, 14, 10, 14, 16, 16, 16), strict=True):
        summary.column_dimensions[letter].width = width


Cell = tuple[object, str | None]
"""A cell's value and its number format (None: text, or a number as it is)."""


@attrs.frozen
class _Column:
    """One column of a sheet: its header, its width and its cell for a result."""

    header: str
    width: int
    cell: Callable[[Section, Evaluation], Cell]


def _shown(number: Decimal | None) -> Cell:
    return (None, None) if number is None else (float(number), _number_format(number))


def _part(evaluation: Evaluation, index: int) -> PartResult | None:
    return evaluation.parts[index] if index < len(evaluation.parts) else None


def _part_value(evaluation: Evaluation, index: int) -> Cell:
    part = _part(evaluation, index)
    if part is None or part.value is None:
        return None, None
    rule = evaluation.indicator.achievement_rule
    return _shown(rule.display(part.value, count=evaluation.indicator.is_count))


def _part_capaian(evaluation: Evaluation, index: int) -> Cell:
    part = _part(evaluation, index)
    if part is None or part.achievement is None:
        return None, None
    return _shown(evaluation.indicator.achievement_rule.display(part.achievement))


def _target_part(evaluation: Evaluation, index: int) -> Cell:
    parts = evaluation.indicator.target.parts
    return _target_number(parts[index].value) if index < len(parts) else (None, None)


def _target_unit(evaluation: Evaluation, index: int) -> Cell:
    parts = evaluation.indicator.target.parts
    return (parts[index].unit if index < len(parts) else None), None


def _single(
    evaluation: Evaluation, cell: Callable[[Evaluation], Cell]
) -> Cell:  # a multi-part result shows its parts in their own columns
    return (None, None) if evaluation.parts else cell(evaluation)


def _remarks(evaluation: Evaluation) -> str:
    reasons = [evaluation.reason] if evaluation.reason else []
    reasons.extend(other_warnings(evaluation))
    reasons.extend(str(v) for v in evaluation.violations)
    if evaluation.parts:
        reasons.append(
            _("a target of {count} parts: each part has its own columns").format(
                count=len(evaluation.parts)
            )
        )
    return "; ".join(reasons)


def _key_columns() -> list[_Column]:
    return [
        _Column(_("Level"), 9, lambda s, e: (s.level, None)),
        _Column("Unit", 30, lambda s, e: (s.unit or "", None)),
        _Column(_("Period"), 14, lambda s, e: (s.period or "", None)),
        _Column(_("No"), 5, lambda s, e: (e.number, None)),
    ]


def _per_part(
    header: str, width: int, cell: Callable[[Evaluation, int], Cell], index: int
) -> _Column:
    """A column of part ``index`` (from 0) of multi-part results, empty for the others."""
    return _Column(header, width, lambda s, e: cell(e, index) if e.parts else (None, None))


def _result_columns(parts: int) -> list[_Column]:
    """The columns of ``hasil``: one home for their headers, widths and cells."""
    columns = [
        *_key_columns(),
        _Column(_("Indicator"), 60, lambda s, e: (e.indicator.display_name, None)),
        _Column("Realisasi", 12, lambda s, e: _single(e, lambda x: _shown(x.display_value()))),
        _Column("Target", 22, lambda s, e: (e.indicator.target.text, None)),
        _Column(_("Target (number)"), 12, lambda s, e: _single(e, lambda x: _target_part(x, 0))),
        _Column(_("Target unit"), 14, lambda s, e: _single(e, lambda x: _target_unit(x, 0))),
        _Column(_("Capaian (%)"), 12, lambda s, e: _shown(e.display_achievement())),
        _Column("Status", 17, lambda s, e: (e.status.label, None)),
        _Column("Predikat", 20, lambda s, e: (predikat_text(e), None)),
        _Column(_("Remarks"), 60, lambda s, e: (_remarks(e), None)),
    ]
    for index in range(parts if parts > 1 else 0):
        number = index + 1
        columns += [
            _per_part(_("Realisasi, part {number}").format(number=number), 12, _part_value, index),
            _per_part(
                _("Target, part {number} (number)").format(number=number), 12, _target_part, index
            ),
            _per_part(
                _("Target unit, part {number}").format(number=number), 16, _target_unit, index
            ),
            _per_part(
                _("Capaian, part {number} (%)").format(number=number), 12, _part_capaian, index
            ),
        ]
    return columns


def _exact_columns(parts: int) -> list[_Column]:
    """The columns of ``nilai tepat``: the values the rounded ones come from."""
    columns = [
        *_key_columns(),
        _Column(_("Realisasi (exact)"), 22, lambda s, e: (fraction_text(e.value) or "", None)),
        _Column(
            _("Target (exact)"),
            22,
            lambda s, e: (
                " / ".join(fraction_text(p.value) or "" for p in e.indicator.target.parts),
                None,
            ),
        ),
        _Column(_("Capaian (exact)"), 22, lambda s, e: (fraction_text(e.achievement) or "", None)),
    ]
    for index in range(parts if parts > 1 else 0):
        number = index + 1
        columns += [
            _per_part(
                _("Realisasi, part {number} (exact)").format(number=number),
                22,
                _exact_value,
                index,
            ),
            _per_part(
                _("Capaian, part {number} (exact)").format(number=number),
                22,
                _exact_capaian,
                index,
            ),
        ]
    return columns


def _exact_value(evaluation: Evaluation, index: int) -> Cell:
    part = _part(evaluation, index)
    return (fraction_text(None if part is None else part.value) or ""), None


def _exact_capaian(evaluation: Evaluation, index: int) -> Cell:
    part = _part(evaluation, index)
    return (fraction_text(None if part is None else part.achievement) or ""), None


def _write_rows(
    sheet: Any, report: Report, styles: _Styles, columns: Sequence[_Column]
) -> list[tuple[int, Evaluation]]:
    """The header and a row per result; returns each result's row number."""
    _append(sheet, [column.header for column in columns])
    _style_header(sheet, 1, len(columns), styles)
    written = []
    for section in report.sections:
        for evaluation in section.results.values():
            cells = [column.cell(section, evaluation) for column in columns]
            _append(sheet, [value for value, _format in cells])
            row = sheet.max_row
            for index, (_value, number_format) in enumerate(cells, 1):
                if number_format is not None:
                    sheet.cell(row, index).number_format = number_format
            written.append((row, evaluation))
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(columns))
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, 1)}"
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    return written


def _results_sheet(results: Any, report: Report, styles: _Styles, parts: int) -> None:
    columns = _result_columns(parts)
    headers = [column.header for column in columns]
    status = headers.index("Status") + 1
    predikat = headers.index("Predikat") + 1
    wrapped = [headers.index(_("Indicator")) + 1, headers.index(_("Remarks")) + 1]
    for row, evaluation in _write_rows(results, report, styles, columns):
        results.cell(row, status).fill = styles.status_fills[evaluation.status.value]
        _fill_predikat(results.cell(row, predikat), evaluation)
        for column in wrapped:
            results.cell(row, column).alignment = styles.top
    results.freeze_panes = "F2"


def _exact_sheet(exact: Any, report: Report, styles: _Styles, parts: int) -> None:
    _write_rows(exact, report, styles, _exact_columns(parts))
    exact.freeze_panes = "E2"


def _fill_predikat(cell: Any, evaluation: Evaluation) -> None:
    """The predikat cell filled with its band's colour (its text white on a dark one)."""
    from openpyxl.styles import Font, PatternFill

    band = evaluation.predikat
    if band is None:
        return
    cell.fill = PatternFill("solid", fgColor=band.colour[1:].upper())
    cell.font = Font(color=ink_on(band.colour)[1:])


def _notes_sheet(notes: Any, report: Report, styles: _Styles) -> None:
    note_headers = [_("Kind"), "Unit", _("Period"), _("Row"), "IKU", _("Remarks")]
    _append(notes, note_headers)
    _style_header(notes, 1, len(note_headers), styles)
    for note in report_notes(report):
        _append(
            notes,
            [
                note.kind,
                note.unit or "",
                note.period or "",
                note.where or "",
                ", ".join(map(str, note.numbers)),
                note.text,
            ],
        )
        notes.cell(notes.max_row, 6).alignment = styles.top
    notes.freeze_panes = "A2"
    notes.auto_filter.ref = f"A1:F{max(notes.max_row, 1)}"
    for letter, width in zip("ABCDEF", (18, 30, 14, 34, 16, 100), strict=True):
        notes.column_dimensions[letter].width = width


def _append(sheet: Any, row: Sequence[object]) -> None:
    """Append a row, its text made fit for a cell (strangers' control characters escaped)."""
    sheet.append([cell_text(value) for value in row])


def _style_header(sheet: Any, row: int, columns: int, styles: _Styles) -> None:
    for column in range(1, columns + 1):
        cell = sheet.cell(row, column)
        cell.font = styles.bold
        cell.fill = styles.header_fill


def write_matrix_xlsx(matrix: Matrix, path: str | os.PathLike[str]) -> Path:
    """Write the matrix as an XLSX workbook: a sheet ``matriks`` with a row per indicator
    and, per column label, realisasi and capaian as numbers, the target as written and as a
    number (a single-part target), the status and the predikat coloured. Needs openpyxl (the
    ``xlsx`` extra)."""
    openpyxl = require("openpyxl", "xlsx", "writing an .xlsx report")
    from openpyxl.styles import Alignment, Font

    report = matrix.report
    target = Path(path)
    styles = _Styles.make()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "matriks"
    _append(sheet, [f"{matrix.title}: {report.catalog.title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    _append(sheet, [f"Sumber: {report.source}"])
    if report.targets is not None:
        _append(sheet, [targets_note(report)])
    headings = ("Realisasi", "Target", _("Target (number)"), "Capaian (%)", "Status", "Predikat")
    group_row = sheet.max_row + 2
    for position, label in enumerate(matrix.columns):
        column = 3 + position * len(headings)
        sheet.cell(group_row, column, cell_text(label))
        sheet.merge_cells(
            start_row=group_row,
            start_column=column,
            end_row=group_row,
            end_column=column + len(headings) - 1,
        )
        sheet.cell(group_row, column).alignment = Alignment(horizontal="center")
        for offset, heading in enumerate(headings):
            sheet.cell(group_row + 1, column + offset, heading)
    sheet.cell(group_row + 1, 1, "No")
    sheet.cell(group_row + 1, 2, "Indikator")
    width = 2 + len(headings) * len(matrix.columns)
    _style_header(sheet, group_row, width, styles)
    _style_header(sheet, group_row + 1, width, styles)
    for row in matrix.rows:
        line: list[object] = [row.number, row.name]
        formats: list[tuple[int, str]] = []
        for position, cell in enumerate(row.cells):
            if cell is None:
                line.extend([None] * len(headings))
                continue
            column = 3 + position * len(headings)
            realisasi: Cell = (
                (realisasi_text(cell), None) if cell.parts else _shown(cell.display_value())
            )
            capaian = _shown(cell.display_achievement())
            number_target = _single(cell, lambda x: _target_part(x, 0))
            line.extend(
                [
                    realisasi[0],
                    cell.target.text,
                    number_target[0],
                    capaian[0],
                    cell.status.label,
                    predikat_text(cell),
                ]
            )
            formats += [
                (column + offset, shown[1])
                for offset, shown in ((0, realisasi), (2, number_target), (3, capaian))
                if shown[1] is not None
            ]
        _append(sheet, line)
        number = sheet.max_row
        sheet.cell(number, 2).alignment = styles.top
        for column, number_format in formats:
            sheet.cell(number, column).number_format = number_format
        for position, cell in enumerate(row.cells):
            if cell is not None:
                column = 3 + position * len(headings)
                sheet.cell(number, column + 4).fill = styles.status_fills[cell.status.value]
                _fill_predikat(sheet.cell(number, column + 5), cell)
    sheet.freeze_panes = sheet.cell(group_row + 2, 3)
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 50
    book.properties.creator = CREATOR
    book.properties.keywords = REPORT_KEYWORDS
    inert_workbook(book)
    book.save(target)
    return target
