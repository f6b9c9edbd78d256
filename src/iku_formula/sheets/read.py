"""Reading realisasi sheets: CSV, XLSX and JSON, every cell checked, every problem located."""

from __future__ import annotations

__all__ = [
    "MAX_EXPONENT",
    "READERS",
    "read_sheet",
]

import csv
import datetime
import difflib
import io
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..evaluation import (
    coerce_value,
)
from ..model import Input

if TYPE_CHECKING:
    import os

    from ..catalog.registry import Catalog

from .._optional import require
from ..errors import PeriodError, Place, SheetError, column_letter
from ..periods import normalise_period
from .model import (
    DATA_SHEET,
    HEADER_SCAN_ROWS,
    INFO_SHEET,
    KEY_COLUMNS,
    MAX_DATA_BYTES,
    Sheet,
    SheetRow,
    input_users,
)


def read_sheet(path: str | os.PathLike[str], catalog: Catalog) -> Sheet:
    """Read and check a realisasi file: .csv, .xlsx or .json.

    Raises :class:`SheetError` naming the file, sheet, row and column of every problem:
    an unknown column (with the closest input name), text in a number cell, a value the
    input does not allow (a negative count, a score out of range), a period that is no
    quarter, two rows for the same unit and period. A file that cannot be read raises
    SheetError too; an XLSX file without openpyxl raises MissingDependencyError.
    """
    source = Path(path)
    reader = READERS.get(source.suffix.lower())
    if reader is None:
        *first, last = READERS
        known = f"{', '.join(first)} or {last}"
        raise SheetError.at(
            Place(str(source)),
            f"unknown file type {source.suffix or '(none)'!r}; give a {known} file",
        )
    return reader(source, catalog)


def _read_csv(source: Path, catalog: Catalog) -> Sheet:
    return _read_table(source, "csv", None, _csv_rows(source), catalog)


def _read_xlsx(source: Path, catalog: Catalog) -> Sheet:
    sheet_name, rows = _xlsx_rows(source)
    return _read_table(source, "xlsx", sheet_name, rows, catalog)


def _read_bytes(path: Path) -> bytes:
    place = Place(str(path))
    try:
        size = path.stat().st_size
        if size > MAX_DATA_BYTES:
            raise SheetError.at(place, f"file is {size} bytes; the limit is {MAX_DATA_BYTES}")
        return path.read_bytes()
    except OSError as error:
        raise SheetError.at(place, f"cannot read the file: {error.strerror or error}") from None


def _read_text(path: Path) -> str:
    raw = _read_bytes(path)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetError.at(
            Place(str(path)),
            f"not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8",
        ) from None


Rows = list[tuple[int, list[object]]]
"""Non-blank rows, each with the 1-based row number a spreadsheet program shows."""


def _csv_rows(path: Path) -> Rows:
    text = _read_text(path)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: Rows = []
    line = 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if any(cell.strip() for cell in row):
                rows.append((start, list(row)))
    except csv.Error as error:
        raise SheetError.at(Place(str(path), row=line), f"not valid CSV: {error}") from None
    return rows


def _xlsx_rows(path: Path) -> tuple[str, Rows]:
    openpyxl = require("openpyxl", "xlsx", "reading an .xlsx file")
    data = _read_bytes(path)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise SheetError.at(Place(str(path)), f"not a readable .xlsx workbook: {error}") from None
    try:
        names = list(book.sheetnames)
        if DATA_SHEET in names:
            name = DATA_SHEET
        else:
            candidates = [sheet for sheet in names if sheet != INFO_SHEET] or names
            name = candidates[0]
        rows: Rows = []
        formulas: list[tuple[int, int]] = []
        for number, row in enumerate(book[name].iter_rows(values_only=False), 1):
            cells: list[object] = []
            for position, cell in enumerate(row):
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" or (
                    isinstance(value, str) and value.startswith("=")
                ):
                    formulas.append((len(rows), position))
                cells.append(value)
            if any(_filled(cell) for cell in cells):
                rows.append((number, cells))
    finally:
        book.close()
    if formulas:
        _computed_values(path, data, name, rows, formulas)
    return name, rows


def _computed_values(
    path: Path, data: bytes, name: str, rows: Rows, formulas: list[tuple[int, int]]
) -> None:
    """Replace formula cells by the values the spreadsheet program last computed."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=False, data_only=True)
    try:
        sheet = book[name]
        for index, position in formulas:
            number, cells = rows[index]
            value = sheet.cell(row=number, column=position + 1).value
            if value is None:
                raise SheetError.at(
                    Place(str(path), name, number, position + 1),
                    "the cell holds a formula whose value was never computed; open the file "
                    "in a spreadsheet program and save it, or type the number",
                )
            cells[position] = value
    finally:
        book.close()


def _filled(cell: object) -> bool:
    if cell is None:
        return False
    return not (isinstance(cell, str) and not cell.strip())


def _header_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _find_header(rows: Rows, catalog: Catalog) -> int:
    """The index of the header row: the first naming a key column or an input."""
    known = set(KEY_COLUMNS) | set(catalog.inputs)
    for index, (_, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(_header_text(cell) in known for cell in cells):
            return index
    return 0  # no row names a known column: the first row's names get reported as unknown


def _read_table(
    path: Path, kind: str, sheet_name: str | None, rows: Rows, catalog: Catalog
) -> Sheet:
    file = str(path)
    if not rows:
        raise SheetError.at(
            Place(file, sheet_name),
            "the file is empty; the header row must name the columns "
            "(unit, period and the input names)",
        )
    header_index = _find_header(rows, catalog)
    header_row, header_cells = rows[header_index]
    data_rows = rows[header_index + 1 :]
    width = max(len(cells) for _, cells in rows)
    names = [_header_text(cell) for cell in header_cells] + [""] * (width - len(header_cells))

    seen, unknown, problems = _read_header(file, sheet_name, header_row, names, data_rows, catalog)
    if problems:
        raise SheetError(problems, inputs=[name for _, name in unknown])

    columns = tuple(name for name in seen if name not in KEY_COLUMNS)
    sheet_rows, empty, problems = _read_rows(file, sheet_name, data_rows, seen, columns, catalog)
    for key in KEY_COLUMNS:
        if key in seen:
            problems.extend(
                (Place(file, sheet_name, number, seen[key], key), message)
                for number, message in _unlabelled(sheet_rows, key)
            )
    if problems:
        raise SheetError(problems, inputs=sorted({p.name for p, _ in problems if p.name}))
    sheet = Sheet(
        path=path,
        kind=kind,
        sheet_name=sheet_name,
        columns=columns,
        missing=tuple(name for name in catalog.inputs if name not in seen),
        rows=tuple(sheet_rows),
        empty_rows=tuple(empty),
        positions=seen,
    )
    _check_duplicates(sheet)
    if not sheet.rows:
        raise SheetError.at(
            Place(file, sheet_name),
            "no values found: every row below the header is empty"
            if data_rows
            else "no rows below the header row",
        )
    return sheet


def _read_header(
    file: str,
    sheet_name: str | None,
    header_row: int,
    names: Sequence[str],
    data_rows: Rows,
    catalog: Catalog,
) -> tuple[dict[str, int], list[tuple[int, str]], list[tuple[Place, str]]]:
    """The header's columns (name -> 1-based position), its unknown names, its problems."""
    problems: list[tuple[Place, str]] = []
    seen: dict[str, int] = {}
    unknown: list[tuple[int, str]] = []
    for index, name in enumerate(names, 1):
        place = Place(file, sheet_name, header_row, index)
        if not name:
            filled = [number for number, cells in data_rows if _filled(_cell(cells, index - 1))]
            if filled:
                problems.append(
                    (
                        Place(file, sheet_name, filled[0], index),
                        f"the cell has a value but its column has no name in the header "
                        f"(row {header_row}); name the column or delete the value",
                    )
                )
            continue
        if name in seen:
            problems.append(
                (
                    place,
                    f"column {name!r} appears twice in the header "
                    f"(also column {column_letter(seen[name])})",
                )
            )
            continue
        seen[name] = index
        if name not in catalog.inputs and name not in KEY_COLUMNS:
            unknown.append((index, name))
    for index, name in unknown:
        close = difflib.get_close_matches(name, [*catalog.inputs, *KEY_COLUMNS], n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        problems.append(
            (
                Place(file, sheet_name, header_row, index),
                f"unknown column {name!r}: it is no input of the catalog{hint} (a column is "
                f"'unit', 'period' or an input name; `iku template` lists them)",
            )
        )
    return seen, unknown, problems


def _read_rows(
    file: str,
    sheet_name: str | None,
    data_rows: Rows,
    seen: Mapping[str, int],
    columns: Sequence[str],
    catalog: Catalog,
) -> tuple[list[SheetRow], list[int], list[tuple[Place, str]]]:
    """Every data row checked: the rows with values, the empty rows, the bad cells."""
    problems: list[tuple[Place, str]] = []
    sheet_rows: list[SheetRow] = []
    empty: list[int] = []
    for number, cells in data_rows:
        unit_cell = _cell(cells, seen["unit"] - 1) if "unit" in seen else None
        period_cell = _cell(cells, seen["period"] - 1) if "period" in seen else None
        unit = _header_text(unit_cell) or None
        period: str | None = None
        if "period" in seen:
            try:
                period = normalise_period(period_cell)
            except PeriodError as error:
                problems.append(
                    (Place(file, sheet_name, number, seen["period"], "period"), str(error))
                )
        values: dict[str, Fraction] = {}
        for name in columns:
            index = seen[name]
            cell = _cell(cells, index - 1)
            if not _filled(cell):
                continue
            spec = catalog.inputs[name]
            try:
                values[name] = _coerce_cell(cell, spec)
            except ValueError as error:
                users = ", ".join(map(str, input_users(catalog, name))) or "none"
                problems.append(
                    (
                        Place(file, sheet_name, number, index, name),
                        f"input {name!r} (indicator {users}): {error}",
                    )
                )
        if values:
            sheet_rows.append(SheetRow(number, unit, period, values))
        else:
            empty.append(number)
    return sheet_rows, empty, problems


def _cell(cells: Sequence[object], index: int) -> object:
    return cells[index] if index < len(cells) else None


def _coerce_cell(cell: object, spec: Input) -> Fraction:
    if isinstance(cell, datetime.date | datetime.time | datetime.timedelta):
        raise ValueError(
            f"the cell holds a date or time ({cell}), not a number; format the cell as a number"
        )
    if isinstance(cell, str):
        cell = cell.strip().replace("\u00a0", "")
    return coerce_value(cell, spec)


def _unlabelled(rows: Sequence[SheetRow], key: str) -> list[tuple[int, str]]:
    """Rows with values but no ``key`` ("unit" or "period") where other rows give theirs.

    A file may leave the column empty throughout (one unit, or one period); a single
    empty cell among named ones is a slip that would silently make a unit of its own.
    """
    labels = [getattr(row, key) for row in rows]
    if not any(labels):
        return []
    return [
        (
            row.number,
            f"the {key} is empty while other rows give theirs; fill it in "
            f"(rows of one {key} repeat its name)",
        )
        for row, label in zip(rows, labels, strict=True)
        if not label
    ]


def _check_duplicates(sheet: Sheet) -> None:
    first: dict[tuple[str | None, str | None], SheetRow] = {}
    problems: list[tuple[Place, str]] = []
    for row in sheet.rows:
        key = (row.unit, row.period)
        if key in first:
            earlier = first[key]
            unit = repr(row.unit) if row.unit else "(no unit)"
            period = repr(row.period) if row.period else "(no period)"
            what = "record" if sheet.kind == "json" else "row"
            problems.append(
                (
                    sheet.place(row, "unit" if sheet.kind != "json" else None),
                    f"a second {what} for unit {unit} and period {period} (the first is "
                    f"{what} {earlier.number}); give each unit one {what} per quarter",
                )
            )
        else:
            first[key] = row
    if problems:
        raise SheetError(problems)


MAX_EXPONENT = 30
"""JSON numbers above 10**30, or with more than 60 decimals, are refused: exact arithmetic
on 1e100000000 would take forever."""


class _BadNumberError(ValueError):
    """A JSON number that is refused; the message says why."""


def _reject_constant(name: str) -> Any:
    raise _BadNumberError(f"{name} is not a number")


def _json_number(text: str) -> Decimal:
    number = Decimal(text)
    exponent = number.as_tuple().exponent
    too_big = bool(number) and number.adjusted() > MAX_EXPONENT
    too_fine = isinstance(exponent, int) and exponent < -2 * MAX_EXPONENT
    if too_big or too_fine:
        raise _BadNumberError(f"the number {text} is out of range; write it in plain digits")
    return number


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def _json_record(
    item: Mapping[str, Any],
    file: str,
    place: Place,
    where: str,
    catalog: Catalog,
    columns: dict[str, None],
) -> tuple[dict[str, str | None], dict[str, Fraction]]:
    """One JSON record's unit and period and its values, checked; adds its keys to ``columns``."""
    labels: dict[str, str | None] = {"unit": None, "period": None}
    values: dict[str, Fraction] = {}
    for name, value in item.items():
        if name not in catalog.inputs and name not in KEY_COLUMNS:
            close = difflib.get_close_matches(name, [*catalog.inputs, *KEY_COLUMNS], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise SheetError.at(
                Place(file),
                f"unknown key {name!r}: it is no input of the catalog{hint} (allowed: the "
                "catalog's input names, and 'unit' and 'period')",
                inputs=[name],
            )
        if name in KEY_COLUMNS:
            if value is not None and not isinstance(value, str | int | Decimal):
                raise SheetError.at(
                    Place(file), f"{where}: {name!r} must be text, got {_json_type(value)}"
                )
            if name == "period":
                try:
                    labels[name] = normalise_period(value)  # 2024.5 is no year
                except PeriodError as error:
                    raise SheetError.at(Place(file), f"{where}: {error}") from None
            else:
                labels[name] = None if value is None else str(value).strip() or None
            continue
        columns[name] = None
        if value is None:
            continue  # null: no value, like an empty cell
        if isinstance(value, dict | list):
            raise SheetError.at(
                Place(file),
                f"{where}: input {name!r} must be a number, got {_json_type(value)}",
                inputs=[name],
            )
        try:
            values[name] = coerce_value(value, catalog.inputs[name])
        except ValueError as error:
            users = ", ".join(map(str, input_users(catalog, name))) or "none"
            raise SheetError.at(
                place, f"input {name!r} (indicator {users}): {error}", inputs=[name]
            ) from None
    return labels, values


def _read_json(path: Path, catalog: Catalog) -> Sheet:
    file = str(path)
    text = _read_text(path)
    try:
        data = json.loads(text, parse_float=_json_number, parse_constant=_reject_constant)
    except _BadNumberError as error:
        raise SheetError.at(Place(file), str(error)) from None
    except (json.JSONDecodeError, ValueError, RecursionError) as error:
        raise SheetError.at(Place(file), f"not valid JSON: {error}") from None
    if isinstance(data, dict):
        items: list[Any] = [data]
        single = True
    elif isinstance(data, list):
        items = data
        single = False
    else:
        raise SheetError.at(
            Place(file),
            "the JSON must be an object {input: number} or a list of such objects, "
            f"got {_json_type(data)}",
        )
    rows: list[SheetRow] = []
    empty: list[int] = []
    columns: dict[str, None] = {}
    for position, item in enumerate(items, 1):
        place = Place(file) if single else Place(file, record=position)
        where = "the record" if single else f"record {position}"
        if not isinstance(item, dict):
            raise SheetError.at(
                Place(file), f"{where} must be an object {{input: number}}, got {_json_type(item)}"
            )
        labels, values = _json_record(item, file, place, where, catalog, columns)
        if values:
            rows.append(SheetRow(position, labels["unit"], labels["period"], values))
        else:
            empty.append(position)
    if not rows:
        raise SheetError.at(Place(file), "no records with values found")
    sheet = Sheet(
        path=path,
        kind="json",
        sheet_name=None,
        columns=tuple(name for name in catalog.inputs if name in columns),
        missing=tuple(name for name in catalog.inputs if name not in columns),
        rows=tuple(rows),
        empty_rows=tuple(empty),
    )
    _check_duplicates(sheet)
    return sheet


READERS: Mapping[str, Callable[[Path, Catalog], Sheet]] = {
    ".csv": _read_csv,
    ".xlsx": _read_xlsx,
    ".xlsm": _read_xlsx,
    ".json": _read_json,
}
"""The file types a realisasi sheet may be, by suffix, and how each is read."""
