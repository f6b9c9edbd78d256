"""Writing input sheets: templates to fill (CSV, XLSX) and sheets with values.

What :func:`write_sheet` writes, :func:`~iku_formula.sheets.read_sheet` reads back equal:

* numbers exactly: a value with a finite decimal as that decimal ("3.25", or "3,25" with
  ``decimal_comma``), never with a thousands separator and never with two readings (a value
  with exactly three decimals and one to three digits before them, such as 1.234, gets a
  fourth decimal, "1.2340": "1.234" could be 1234); a value without a finite decimal as the
  fraction "61/3"; integers of any size as digits (in XLSX, integers beyond 2**53, which a
  spreadsheet program would round, and decimals a float cannot hold are text cells);
* text exactly: a CSV cell that a spreadsheet program would take for a formula gets a leading
  ``'`` (:func:`~iku_formula.escaping.csv_field`), and one starting with ``'`` another, both
  removed by the reader; unit names that reading would refuse or change (control characters,
  spaces around them) are refused here, with their row.

A template (no ``rows``) records the units it was made for and, when ``number_style`` is
given, how its numbers are written (:class:`~iku_formula.sheets.model.SheetRecord`): a CSV
template in its first row (``#iku-formula lembar realisasi,angka: id,unit: Lapas A,...``),
an XLSX template in the custom document property ``iku-formula``. Reading a sheet made from
it checks its units against them and reads its text numbers in that style.
"""

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
from ..errors import InputError, Place
from ..escaping import csv_field, inert_workbook
from ..evaluation import (
    coerce_value,
)
from ..i18n import _
from ..model import Input, InputKind
from ..numbers import exact_decimal, exact_text
from ..periods import MONTH, MONTHS, QUARTERS, normalise_period, parse_period
from .model import (
    CREATOR,
    DATA_SHEET,
    DEFAULT_UNIT,
    INFO_SHEET,
    KEY_COLUMNS,
    NUMBER_STYLES,
    RECORD_PROPERTY,
    TEMPLATE_KEYWORDS,
    SheetRecord,
    input_users,
    name_problem,
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
                hint = _("; did you mean {name!r}?").format(name=close[0]) if close else ""
                raise InputError(
                    _("row {number}: unknown input {name!r}").format(number=position, name=name)
                    + hint,
                    inputs=[name],
                )
            try:
                values[name] = coerce_value(value, catalog.inputs[name])
            except ValueError as error:
                raise InputError(
                    _("row {number}: input {name!r}: {error}").format(
                        number=position, name=name, error=error
                    ),
                    inputs=[name],
                ) from None
        unit = "" if row.get("unit") is None else str(row.get("unit"))
        problem = name_problem(unit) or (
            _("{unit!r} begins or ends with a space").format(unit=unit)
            if unit != unit.strip()
            else None
        )
        if problem is not None:
            raise InputError(
                _("row {number}: unit {problem}").format(number=position, problem=problem)
            )
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
    number_style: str | None = None,
) -> Path:
    """Write a realisasi sheet (.csv or .xlsx) with a column for every input of ``catalog``.

    Without ``rows`` it is a template: one empty row per unit and period, recording its
    units and, when given, its ``number_style`` ("id": 1.234,5 or "en": 1,234.5: how the
    people filling it in write text numbers; see the module docstring). ``rows`` are
    mappings with "unit", "period" and input values (checked like any realisasi). CSV has
    the header row then the rows (``decimal_comma`` writes "3,2", quoted); XLSX has a data
    sheet ``realisasi`` (labels, units and indicators above the header row of input names,
    panes frozen) and a sheet ``keterangan`` describing every input. Returns the path.
    """
    target = Path(path)
    if number_style is not None and number_style not in NUMBER_STYLES:
        raise InputError(
            _("number style {style!r}: give 'id' (1.234,5) or 'en' (1,234.5)").format(
                style=number_style
            )
        )
    checked = _checked_rows(catalog, _template_rows(units, periods) if rows is None else rows)
    writer = WRITERS.get(target.suffix.lower())
    if writer is None:
        raise InputError(
            _("{file}: unknown file type {suffix!r}; give a {suffixes} file").format(
                file=target, suffix=target.suffix or _("(none)"), suffixes=_(" or ").join(WRITERS)
            )
        )
    record = None
    if rows is None:
        names = list(dict.fromkeys(unit for unit, _period, _values in checked if unit))
        record = SheetRecord.checked(names, number_style, DATA_SHEET, Place(str(target)))
        record = attrs.evolve(record, monthly=_monthly(periods))
    writer(catalog, target, checked, decimal_comma, record)
    return target


def _monthly(periods: Sequence[str]) -> bool:
    """Whether a template of these periods is monthly (Januari..Desember): its record says
    so, and its bare period numbers are then read as months."""
    read = [parse_period(period) for period in periods]
    return bool(read) and all(period is not None and period.kind is MONTH for period in read)


def _csv_number(value: Fraction, decimal_comma: bool) -> str:
    """The exact text of ``value``, never one with two readings ("1.234" -> "1.2340")."""
    text = exact_text(value)
    whole, point, decimals = text.lstrip("-").partition(".")
    if point and len(decimals) == 3 and len(whole) <= 3 and whole[0] != "0":
        text += "0"
    return text.replace(".", ",") if decimal_comma else text


def _csv_text(text: str) -> object:
    """A text cell that the reader gives back as it is (see the module docstring)."""
    return "'" + text if text.startswith("'") else csv_field(text)


def _write_sheet_csv(
    catalog: Catalog,
    path: Path,
    rows: list[tuple[str, str, dict[str, Fraction]]],
    decimal_comma: bool,
    record: SheetRecord | None = None,
) -> None:
    names = [spec.name for spec in sheet_inputs(catalog)]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    if record is not None:
        writer.writerow(record.to_cells())  # text after "unit: ", never a formula
    writer.writerow([*KEY_COLUMNS, *names])
    for unit, period, values in rows:
        writer.writerow(
            [
                _csv_text(unit),
                _csv_text(period),
                *(
                    csv_field(_csv_number(values[name], decimal_comma)) if name in values else ""
                    for name in names
                ),
            ]
        )
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


LABEL_ROW, UNIT_ROW, USERS_ROW, HEADER_ROW = 1, 2, 3, 4
"""The rows of the XLSX data sheet above the values (which start on row 5)."""


def _xlsx_number(value: Fraction) -> int | float | str:
    """A number cell, or exact text where a spreadsheet program's float would round it."""
    if value.denominator == 1:
        return int(value) if abs(value) <= 2**53 else str(value)
    text = exact_decimal(value)
    if text is not None and float(text) == float(value) and Fraction(repr(float(value))) == value:
        return float(value)
    return _csv_number(value, False) if text else str(value)  # exact text; the reader reads it


def _write_sheet_xlsx(
    catalog: Catalog,
    path: Path,
    rows: list[tuple[str, str, dict[str, Fraction]]],
    decimal_comma: bool = False,
    record: SheetRecord | None = None,
) -> None:
    """The workbook (``decimal_comma`` plays no part: its numbers are real numbers)."""
    openpyxl = require("openpyxl", "xlsx", "writing an .xlsx file")
    from openpyxl.packaging.custom import StringProperty
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
    monthly = record is not None and record.monthly
    _header_rows(sheet, catalog, specs, styles, monthly=monthly)
    first_data = HEADER_ROW + 1
    for offset, (unit, period, values) in enumerate(rows):
        number = first_data + offset
        sheet.cell(number, 1, unit or None).fill = styles.key_fill
        sheet.cell(number, 2, period or None).fill = styles.key_fill
        for column, spec in enumerate(specs, len(KEY_COLUMNS) + 1):
            if spec.name in values:
                sheet.cell(number, column, _xlsx_number(values[spec.name]))
    _validations(sheet, specs, first_data, first_data + len(rows) + 200, monthly=monthly)
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 12
    sheet.row_dimensions[LABEL_ROW].height = 75
    sheet.freeze_panes = sheet.cell(first_data, len(KEY_COLUMNS) + 1)

    _info_sheet(book.create_sheet(INFO_SHEET), catalog, specs, styles)
    book.properties.creator = CREATOR
    book.properties.keywords = TEMPLATE_KEYWORDS
    if record is not None:
        book.custom_doc_props.append(StringProperty(name=RECORD_PROPERTY, value=record.to_json()))
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
    sheet: Any,
    catalog: Catalog,
    specs: Sequence[Input],
    styles: _TemplateStyles,
    *,
    monthly: bool = False,
) -> None:
    """The rows above the header: each column's Indonesian label, unit and indicators."""
    bold, muted, wrap, header_fill = styles.bold, styles.muted, styles.wrap, styles.header_fill
    key_labels = {
        "unit": ("Unit kerja (UPT)", "teks", ""),
        "period": ("Bulan", "Januari sampai Desember", "")
        if monthly
        else ("Triwulan", "TW1 sampai TW4", ""),
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


def _validations(
    sheet: Any, specs: Sequence[Input], first_data: int, last: int, *, monthly: bool = False
) -> None:
    """Data validation on every input column and on the period column."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    periods = DataValidation(
        type="list",
        formula1='"' + ",".join(MONTHS if monthly else QUARTERS) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Bulan" if monthly else "Triwulan",
        error="Tulis Januari sampai Desember." if monthly else "Tulis TW1, TW2, TW3 atau TW4.",
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
WRITERS: Mapping[str, Callable[[Catalog, Path, CheckedRows, bool, SheetRecord | None], None]] = {
    ".csv": _write_sheet_csv,
    ".xlsx": _write_sheet_xlsx,
}
"""The file types an input sheet (or template) may be written as, by suffix."""
