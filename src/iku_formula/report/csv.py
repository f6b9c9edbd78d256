"""The report as CSV: a row per result, then a row per note."""

from __future__ import annotations

__all__ = [
    "CSV_COLUMNS",
    "MATRIX_CSV_START",
    "render_csv",
    "render_matrix_csv",
    "report_rows",
]

import csv
import io
from typing import TYPE_CHECKING

from ..escaping import csv_field
from .build import Report, other_warnings
from .json import fraction_text, result_json
from .matrix import MEASURES, Matrix, matrix_cells
from .notes import (
    EMPTY_ROW_NOTE,
    IGNORED_COLUMN_NOTE,
    INCOMPLETE_NOTE,
    MISSING_COLUMN_NOTE,
    NOT_EVALUATED_NOTE,
    UNDEFINED_NOTE,
    VIOLATION_NOTE,
    WARNING_NOTE,
    realisasi_text,
    report_notes,
)

if TYPE_CHECKING:
    pass


CSV_COLUMNS = (
    "level",
    "unit",
    "period",
    "number",
    "key",
    "name",
    "value",
    "value_exact",
    "target",
    "achievement",
    "achievement_exact",
    "status",
    "status_label",
    "reason",
    "warnings",
    "predikat",
    "predikat_label",
    "predikat_colour",
)
"""Columns of the CSV report; a row per result, then a row per note (status says which)."""


_NOTE_STATUS = {
    UNDEFINED_NOTE: "undefined",
    WARNING_NOTE: "warning",
    VIOLATION_NOTE: "rule_violation",
    NOT_EVALUATED_NOTE: "not_evaluated",
    INCOMPLETE_NOTE: "incomplete",
    MISSING_COLUMN_NOTE: "missing_column",
    IGNORED_COLUMN_NOTE: "ignored_column",
    EMPTY_ROW_NOTE: "empty_row",
}


def _predikat_cells(predikat: dict[str, str] | None) -> dict[str, str]:
    if predikat is None:
        return {"predikat": "", "predikat_label": "", "predikat_colour": ""}
    return {
        "predikat": predikat["code"],
        "predikat_label": predikat["label"],
        "predikat_colour": predikat["colour"],
    }


def report_rows(report: Report) -> list[dict[str, str]]:
    """The report as flat rows (:data:`CSV_COLUMNS`): results, then unevaluated indicators,
    broken rules and missing columns, each with its ``status``. Undefined results appear as
    results with their ``reason``; their notes are not repeated."""
    rows: list[dict[str, str]] = []
    for section in report.sections:
        for number, evaluation in section.results.items():
            entry = result_json(evaluation)
            rows.append(
                {
                    "level": section.level,
                    "unit": section.unit or "",
                    "period": section.period or "",
                    "number": str(number),
                    "key": entry["key"],
                    "name": entry["name"],
                    "value": realisasi_text(evaluation, people=False)
                    if evaluation.is_defined
                    else "",
                    "value_exact": entry["value_exact"] or "",
                    "target": entry["target"],
                    "achievement": entry["achievement"] or "",
                    "achievement_exact": entry["achievement_exact"] or "",
                    "status": entry["status"],
                    "status_label": entry["status_label"],
                    "reason": entry["reason"] or "",
                    "warnings": "; ".join(other_warnings(evaluation)),
                    **_predikat_cells(entry["predikat"]),
                }
            )
    for note in report_notes(report):
        if note.kind in (UNDEFINED_NOTE, WARNING_NOTE) and note.where is None:
            continue  # already on the result's row
        rows.append(
            {
                "level": note.level,
                "unit": note.unit or "",
                "period": note.period or "",
                "number": ", ".join(map(str, note.numbers)),
                "key": "",
                "name": "",
                "value": "",
                "value_exact": "",
                "target": "",
                "achievement": "",
                "achievement_exact": "",
                "status": _NOTE_STATUS[note.kind],
                "status_label": note.kind,
                "reason": f"{note.where}: {note.text}" if note.where else note.text,
                "warnings": "",
                **_predikat_cells(None),
            }
        )
    return rows


def render_csv(report: Report) -> str:
    """The report as CSV (comma separated, "." decimals): see :func:`report_rows`."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(
        {key: csv_field(value) for key, value in row.items()} for row in report_rows(report)
    )
    return buffer.getvalue()


MATRIX_CSV_START = ("matrix", "number", "key", "name")
"""The first columns of a matrix CSV; then, per column label, "LABEL MEASURE" for each
measure of :data:`~.matrix.MEASURES` (and the exact realisasi and capaian)."""


def render_matrix_csv(matrix: Matrix) -> str:
    """The matrix as CSV: a row per indicator; per column label its realisasi, target,
    capaian, status and predikat (numbers in the machine form, "3.22", like the report's
    CSV), and realisasi and capaian exactly ("p/q")."""
    measures = [*MEASURES, "realisasi_exact", "capaian_exact"]
    header = [*MATRIX_CSV_START, *(f"{label} {m}" for label in matrix.columns for m in measures)]
    shown = {measure: matrix_cells(matrix, measure, people=False) for measure in MEASURES}
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([csv_field(cell) for cell in header])
    for index, row in enumerate(matrix.rows):
        line: list[str] = [matrix.kind, str(row.number), row.key, row.name]
        for position, cell in enumerate(row.cells):
            line.extend(
                "" if cell is None else shown[measure][index][position] for measure in MEASURES
            )
            line.append("" if cell is None else fraction_text(cell.value) or "")
            line.append("" if cell is None else fraction_text(cell.achievement) or "")
        writer.writerow([csv_field(cell) for cell in line])
    return buffer.getvalue()
