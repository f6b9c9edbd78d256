"""The report as an XLSX workbook (needs openpyxl, the ``xlsx`` extra)."""

from __future__ import annotations

__all__ = [
    "write_matrix_xlsx",
    "write_xlsx",
]

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .._optional import require
from ..escaping import cell_text, inert_workbook
from .build import Report, other_warnings
from .json import fraction_text
from .matrix import Matrix
from .notes import predikat_text, realisasi_text, report_notes, targets_note
from .overwrite import CREATOR, REPORT_KEYWORDS

if TYPE_CHECKING:
    import os

    from ..evaluation import Evaluation


def _number_cell(number: Decimal | None) -> float | None:
    return None if number is None else float(number)


@attrs.frozen
class _Styles:
    """The fonts, fills and formats the three sheets share."""

    bold: Any
    header_fill: Any
    status_fills: Mapping[str, Any]
    top: Any
    number_format: str

    @classmethod
    def make(cls, places: int) -> _Styles:
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
            number_format="0" if places == 0 else "0." + "0" * places,
        )


def write_xlsx(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write the report as an XLSX workbook: ``ringkasan`` (a line per section), ``hasil``
    (every result, filterable) and ``catatan`` (every undefined result, warning, broken
    rule, unevaluated indicator and missing column). Needs openpyxl (the ``xlsx`` extra)."""
    openpyxl = require("openpyxl", "xlsx", "writing an .xlsx report")

    target = Path(path)
    styles = _Styles.make(report.catalog.achievement_rule.places)
    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "ringkasan"
    _summary_sheet(summary, report, styles)
    _results_sheet(book.create_sheet("hasil"), report, styles)
    _notes_sheet(book.create_sheet("catatan"), report, styles)
    book.properties.creator = CREATOR
    book.properties.keywords = REPORT_KEYWORDS
    inert_workbook(book)
    book.save(target)
    return target


def _summary_sheet(summary: Any, report: Report, styles: _Styles) -> None:
    from openpyxl.styles import Font

    _append(summary, [f"Laporan IKU: {report.catalog.title}"])
    summary["A1"].font = Font(bold=True, size=13)
    _append(summary, [f"Sumber: {report.source}; tingkat: {report.level}"])
    _append(summary, [])
    summary_header = [
        "Unit",
        "Periode",
        "Baris digabung",
        "Tercapai",
        "Tidak tercapai",
        "Tidak terdefinisi",
        "Tidak dievaluasi",
        "Aturan dilanggar",
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
        _append(summary, ["Periksa data per baris (lihat catatan)", len(report.row_problems)])
    _style_header(summary, 4, len(summary_header), styles.bold, styles.header_fill)
    for letter, width in zip("ABCDEFGH", (36, 16, 14, 10, 14, 16, 16, 16), strict=True):
        summary.column_dimensions[letter].width = width


RESULT_HEADERS = (
    "Tingkat",
    "Unit",
    "Periode",
    "No",
    "Indikator",
    "Realisasi",
    "Target",
    "Capaian (%)",
    "Status",
    "Keterangan",
    "Realisasi (tepat)",
    "Capaian (tepat)",
    "Predikat",
)
"""The columns of the sheet ``hasil``."""


def _results_sheet(results: Any, report: Report, styles: _Styles) -> None:
    _append(results, list(RESULT_HEADERS))
    _style_header(results, 1, len(RESULT_HEADERS), styles.bold, styles.header_fill)
    for section in report.sections:
        for number, evaluation in section.results.items():
            multi = bool(evaluation.parts)
            reasons = [evaluation.reason] if evaluation.reason else []
            reasons.extend(other_warnings(evaluation))
            reasons.extend(str(v) for v in evaluation.violations)
            _append(
                results,
                [
                    section.level,
                    section.unit or "",
                    section.period or "",
                    number,
                    evaluation.indicator.display_name,
                    realisasi_text(evaluation)
                    if multi
                    else _number_cell(evaluation.display_value()),
                    evaluation.indicator.target.text,
                    _number_cell(evaluation.display_achievement()),
                    evaluation.status.label,
                    "; ".join(reasons),
                    fraction_text(evaluation.value) or "",
                    fraction_text(evaluation.achievement) or "",
                    predikat_text(evaluation),
                ],
            )
            row = results.max_row
            _fill_predikat(results.cell(row, len(RESULT_HEADERS)), evaluation)
            for column in (6, 8):
                results.cell(row, column).number_format = styles.number_format
            results.cell(row, 9).fill = styles.status_fills[evaluation.status.value]
            for column in (5, 10):
                results.cell(row, column).alignment = styles.top
    results.freeze_panes = "E2"
    results.auto_filter.ref = f"A1:M{results.max_row}"
    for letter, width in zip(
        "ABCDEFGHIJKLM", (9, 30, 14, 5, 60, 12, 22, 12, 17, 60, 18, 18, 20), strict=True
    ):
        results.column_dimensions[letter].width = width


def _fill_predikat(cell: Any, evaluation: Evaluation) -> None:
    """The predikat cell filled with its band's colour (its text white on a dark one)."""
    from openpyxl.styles import Font, PatternFill

    band = evaluation.predikat
    if band is None:
        return
    colour = band.colour[1:].upper()
    cell.fill = PatternFill("solid", fgColor=colour)
    red, green, blue = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    if 0.299 * red + 0.587 * green + 0.114 * blue < 128:
        cell.font = Font(color="FFFFFF")


def _notes_sheet(notes: Any, report: Report, styles: _Styles) -> None:
    note_headers = ["Jenis", "Unit", "Periode", "Baris", "IKU", "Keterangan"]
    _append(notes, note_headers)
    _style_header(notes, 1, len(note_headers), styles.bold, styles.header_fill)
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


def _style_header(sheet: Any, row: int, columns: int, font: Any, fill: Any) -> None:
    for column in range(1, columns + 1):
        cell = sheet.cell(row, column)
        cell.font = font
        cell.fill = fill


def write_matrix_xlsx(matrix: Matrix, path: str | os.PathLike[str]) -> Path:
    """Write the matrix as an XLSX workbook: a sheet ``matriks`` with a row per indicator
    and, per column label, realisasi and capaian as numbers, the target as written and the
    status coloured. Needs openpyxl (the ``xlsx`` extra)."""
    openpyxl = require("openpyxl", "xlsx", "writing an .xlsx report")
    from openpyxl.styles import Alignment, Font

    report = matrix.report
    target = Path(path)
    styles = _Styles.make(report.catalog.achievement_rule.places)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "matriks"
    _append(sheet, [f"{matrix.title}: {report.catalog.title}"])
    sheet["A1"].font = Font(bold=True, size=13)
    _append(sheet, [f"Sumber: {report.source}"])
    if report.targets is not None:
        _append(sheet, [targets_note(report)])
    headings = ("Realisasi", "Target", "Capaian (%)", "Status")
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
    _style_header(sheet, group_row, width, styles.bold, styles.header_fill)
    _style_header(sheet, group_row + 1, width, styles.bold, styles.header_fill)
    for row in matrix.rows:
        line: list[object] = [row.number, row.name]
        for cell in row.cells:
            if cell is None:
                line.extend([None, None, None, None])
                continue
            line.extend(
                [
                    realisasi_text(cell) if cell.parts else _number_cell(cell.display_value()),
                    cell.target.text,
                    _number_cell(cell.display_achievement()),
                    cell.status.label,
                ]
            )
        _append(sheet, line)
        number = sheet.max_row
        sheet.cell(number, 2).alignment = styles.top
        for position, cell in enumerate(row.cells):
            column = 3 + position * len(headings)
            for offset in (0, 2):
                sheet.cell(number, column + offset).number_format = styles.number_format
            if cell is not None:
                sheet.cell(number, column + 3).fill = styles.status_fills[cell.status.value]
    sheet.freeze_panes = sheet.cell(group_row + 2, 3)
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 50
    book.properties.creator = CREATOR
    book.properties.keywords = REPORT_KEYWORDS
    inert_workbook(book)
    book.save(target)
    return target
