"""Writing input sheets: templates to fill (CSV, XLSX) and sheets with values."""

from __future__ import annotations

__all__ = [
    "WRITERS",
    "write_sheet",
]

import csv
import difflib
import io
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .._optional import require
from ..errors import InputError
from ..escaping import csv_field, inert_workbook
from ..evaluation import (
    coerce_value,
)
from ..model import Input, InputKind
from ..numbers import exact_decimal, exact_text
from ..periods import QUARTERS, normalise_period
from .model import (
    CREATOR,
    DATA_SHEET,
    DEFAULT_UNIT,
    INFO_SHEET,
    KEY_COLUMNS,
    TEMPLATE_KEYWORDS,
    input_users,
    sheet_inputs,
)

if TYPE_CHECKING:
    import os

    from ..catalog.registry import Catalog


def _range_text(spec: Input) -> str:
    if spec.minimum is None or spec.maximum is None:
        return "0 ke atas, bilangan bulat" if spec.kind is InputKind.COUNT else "0 ke atas"
    return f"{exact_text(spec.minimum)} sampai {exact_text(spec.maximum)}"


SheetValues = Mapping[str, object]


def _template_rows(units: Sequence[str], periods: Sequence[str]) -> list[dict[str, object]]:
    return [{"unit": unit, "period": period} for unit in units for period in periods]


def _checked_rows(
    catalog: Catalog, rows: Iterable[SheetValues]
) -> list[tuple[str, str, dict[str, Fraction]]]:
    checked = []
    for position, row in enumerate(rows, 1):
        values: dict[str, Fraction] = {}
        for name, value in row.items():
            if name in KEY_COLUMNS or value is None or value == "":
                continue
            if name not in catalog.inputs:
                close = difflib.get_close_matches(name, list(catalog.inputs), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise InputError(f"row {position}: unknown input {name!r}{hint}", inputs=[name])
            try:
                values[name] = coerce_value(value, catalog.inputs[name])
            except ValueError as error:
                raise InputError(
                    f"row {position}: input {name!r}: {error}", inputs=[name]
                ) from None
        unit = "" if row.get("unit") is None else str(row.get("unit"))
        period = normalise_period(row.get("period")) or ""
        checked.append((unit, period, values))
    return checked


def write_sheet(
    catalog: Catalog,
    path: str | os.PathLike[str],
    rows: Iterable[SheetValues] | None = None,
    *,
    units: Sequence[str] = (DEFAULT_UNIT,),
    periods: Sequence[str] = QUARTERS,
    decimal_comma: bool = False,
) -> Path:
    """Write a realisasi sheet (.csv or .xlsx) with a column for every input of ``catalog``.

    Without ``rows`` it is a template: one empty row per unit and period. ``rows`` are
    mappings with "unit", "period" and input values (checked like any realisasi). CSV has
    the header row then the rows (``decimal_comma`` writes "3,2", quoted); XLSX has a data
    sheet ``realisasi`` (labels, units and indicators above the header row of input names,
    panes frozen) and a sheet ``keterangan`` describing every input. Returns the path.
    """
    target = Path(path)
    checked = _checked_rows(catalog, _template_rows(units, periods) if rows is None else rows)
    writer = WRITERS.get(target.suffix.lower())
    if writer is None:
        raise InputError(
            f"{target}: unknown file type {target.suffix or '(none)'!r}; "
            f"give a {' or '.join(WRITERS)} file"
        )
    writer(catalog, target, checked, decimal_comma)
    return target


def _csv_number(value: Fraction, decimal_comma: bool) -> str:
    text = exact_text(value)
    return text.replace(".", ",") if decimal_comma else text


def _write_sheet_csv(
    catalog: Catalog,
    path: Path,
    rows: list[tuple[str, str, dict[str, Fraction]]],
    decimal_comma: bool,
) -> None:
    names = [spec.name for spec in sheet_inputs(catalog)]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*KEY_COLUMNS, *names])
    for unit, period, values in rows:
        writer.writerow(
            [
                csv_field(unit),
                csv_field(period),
                *(
                    _csv_number(values[name], decimal_comma) if name in values else ""
                    for name in names
                ),
            ]
        )
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


LABEL_ROW, UNIT_ROW, USERS_ROW, HEADER_ROW = 1, 2, 3, 4
"""The rows of the XLSX data sheet above the values (which start on row 5)."""


def _xlsx_number(value: Fraction) -> int | float | str:
    if value.denominator == 1:
        return int(value)
    text = exact_decimal(value)
    if text is not None and float(text) == float(value) and Fraction(repr(float(value))) == value:
        return float(value)
    return text or str(value)  # kept exact as text; the reader accepts it


def _write_sheet_xlsx(
    catalog: Catalog,
    path: Path,
    rows: list[tuple[str, str, dict[str, Fraction]]],
    decimal_comma: bool = False,
) -> None:
    """The workbook (``decimal_comma`` plays no part: its numbers are real numbers)."""
    openpyxl = require("openpyxl", "xlsx", "writing an .xlsx file")
    from openpyxl.styles import Alignment, Font, PatternFill

    specs = sheet_inputs(catalog)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    styles = _TemplateStyles(
        bold=Font(bold=True),
        muted=Font(italic=True, color="555555"),
        wrap=Alignment(wrap_text=True, vertical="top"),
        header_fill=PatternFill("solid", fgColor="DDEBF7"),
        key_fill=PatternFill("solid", fgColor="F2F2F2"),
    )
    _header_rows(sheet, catalog, specs, styles)
    first_data = HEADER_ROW + 1
    for offset, (unit, period, values) in enumerate(rows):
        number = first_data + offset
        sheet.cell(number, 1, unit or None).fill = styles.key_fill
        sheet.cell(number, 2, period or None).fill = styles.key_fill
        for column, spec in enumerate(specs, len(KEY_COLUMNS) + 1):
            if spec.name in values:
                sheet.cell(number, column, _xlsx_number(values[spec.name]))
    _validations(sheet, specs, first_data, first_data + len(rows) + 200)  # room for more rows
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 12
    sheet.row_dimensions[LABEL_ROW].height = 75
    sheet.freeze_panes = sheet.cell(first_data, len(KEY_COLUMNS) + 1)

    _info_sheet(book.create_sheet(INFO_SHEET), catalog, specs, styles)
    book.properties.creator = CREATOR
    book.properties.keywords = TEMPLATE_KEYWORDS
    inert_workbook(book)
    book.save(path)


@attrs.frozen
class _TemplateStyles:
    bold: Any
    muted: Any
    wrap: Any
    header_fill: Any
    key_fill: Any


def _header_rows(
    sheet: Any, catalog: Catalog, specs: Sequence[Input], styles: _TemplateStyles
) -> None:
    """The rows above the header: each column's Indonesian label, unit and indicators."""
    bold, muted, wrap, header_fill = styles.bold, styles.muted, styles.wrap, styles.header_fill
    key_labels = {
        "unit": ("Unit kerja (UPT)", "teks", ""),
        "period": ("Triwulan", "TW1 sampai TW4", ""),
    }
    for column, name in enumerate(KEY_COLUMNS, 1):
        label, unit, users = key_labels[name]
        sheet.cell(LABEL_ROW, column, label).font = bold
        sheet.cell(UNIT_ROW, column, unit).font = muted
        sheet.cell(USERS_ROW, column, users).font = muted
    sheet.cell(USERS_ROW, 1, "dipakai IKU")
    for column, spec in enumerate(specs, len(KEY_COLUMNS) + 1):
        sheet.cell(LABEL_ROW, column, spec.label).font = bold
        unit = spec.unit
        if spec.kind is InputKind.SCORE:
            unit = f"{unit} ({_range_text(spec)})"
        sheet.cell(UNIT_ROW, column, unit).font = muted
        users = ", ".join(map(str, input_users(catalog, spec.name)))
        sheet.cell(USERS_ROW, column, f"IKU {users}" if users else "").font = muted
    for row in (LABEL_ROW, UNIT_ROW, USERS_ROW):
        for cell in sheet[row]:
            cell.alignment = wrap
    for column, name in enumerate([*KEY_COLUMNS, *(s.name for s in specs)], 1):
        cell = sheet.cell(HEADER_ROW, column, name)
        cell.font = bold
        cell.fill = header_fill


def _validations(sheet: Any, specs: Sequence[Input], first_data: int, last: int) -> None:
    """Data validation on every input column and on the period column."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    periods = DataValidation(
        type="list",
        formula1='"' + ",".join(QUARTERS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Triwulan",
        error="Tulis TW1, TW2, TW3 atau TW4.",
    )
    sheet.add_data_validation(periods)
    periods.add(f"B{first_data}:B{last}")
    for column, spec in enumerate(specs, len(KEY_COLUMNS) + 1):
        letter = get_column_letter(column)
        if spec.kind is InputKind.COUNT:
            check = DataValidation(
                type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
            )
            check.error = "Bilangan bulat 0 atau lebih."
        elif spec.kind is InputKind.AMOUNT:
            check = DataValidation(
                type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
            )
            check.error = "Angka 0 atau lebih."
        else:
            check = DataValidation(
                type="decimal",
                operator="between",
                formula1=str(float(spec.minimum or 0)),
                formula2=str(float(spec.maximum or 0)),
                allow_blank=True,
            )
            check.error = f"Angka {_range_text(spec)}."
        check.showErrorMessage = True
        check.errorTitle = spec.name
        sheet.add_data_validation(check)
        check.add(f"{letter}{first_data}:{letter}{last}")
        sheet.column_dimensions[letter].width = 18


def _info_sheet(
    info: Any, catalog: Catalog, specs: Sequence[Input], styles: _TemplateStyles
) -> None:
    """The sheet ``keterangan``: every input described, a row each."""
    bold, wrap, header_fill = styles.bold, styles.wrap, styles.header_fill
    headers = [
        "input",
        "label",
        "satuan",
        "jenis",
        "rentang",
        "antar-triwulan (over_time)",
        "antar-unit (over_units)",
        "bobot (weight)",
        "dipakai IKU",
        "catatan",
    ]
    for column, text in enumerate(headers, 1):
        cell = info.cell(1, column, text)
        cell.font = bold
        cell.fill = header_fill
    for number, spec in enumerate(specs, 2):
        info.append(
            [
                spec.name,
                spec.label,
                spec.unit,
                spec.kind.value,
                _range_text(spec),
                spec.over_time.value,
                spec.over_units.value,
                spec.weight or "",
                ", ".join(map(str, input_users(catalog, spec.name))),
                spec.note or "",
            ]
        )
        for cell in info[number]:
            cell.alignment = wrap
    for letter, width in zip("ABCDEFGHIJ", (40, 50, 14, 10, 22, 14, 16, 24, 12, 60), strict=True):
        info.column_dimensions[letter].width = width
    info.freeze_panes = "B2"
    info.auto_filter.ref = f"A1:J{len(specs) + 1}"


CheckedRows = list[tuple[str, str, dict[str, Fraction]]]
WRITERS: Mapping[str, Callable[[Catalog, Path, CheckedRows, bool], None]] = {
    ".csv": _write_sheet_csv,
    ".xlsx": _write_sheet_xlsx,
}
"""The file types an input sheet (or template) may be written as, by suffix."""
