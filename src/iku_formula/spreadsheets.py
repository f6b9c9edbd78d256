"""Spreadsheets: input templates, reading realisasi sheets, and reports.

A realisasi sheet has one row per work unit (UPT) and quarter (triwulan)::

    unit             period  pemenuhan_makanan  jumlah_tahanan  ...
    Lapas Kerobokan  TW1     1650               1700
    Lapas Kerobokan  TW2     1662               1710

* :func:`write_sheet` writes such a sheet, empty (a template to fill) or with values, as
  CSV (header row and key rows) or XLSX (a data sheet ``realisasi`` whose header row has the
  Indonesian label, unit and indicators of each input above it, and a sheet ``keterangan``
  describing every input);
* :func:`read_sheet` reads CSV (``,`` or ``;`` separated, decimal commas accepted), XLSX
  or JSON back, checking every cell: an unknown column, text in a number cell or two rows
  for the same unit and quarter raise :class:`SheetError`, naming the file, sheet, row and
  column as a spreadsheet program shows them. A missing column is allowed: the indicators
  needing it are reported as not evaluated;
* :func:`build_report` rolls the rows up exactly, by each input's rules (as
  :meth:`Catalog.aggregate` does with floats), to the whole Kantor Wilayah, per unit or per
  quarter and evaluates them; :func:`render_text`,
  :func:`render_markdown`, :func:`render_csv`, :func:`write_xlsx` and :func:`report_json`
  write the report, with undefined results, warnings and broken rules listed, never hidden.

Reading CSV and JSON and rolling them up needs nothing beyond the package; XLSX needs
openpyxl (the ``xlsx`` extra) and :meth:`Sheet.to_frame` needs pandas (``frames``). Neither is
imported until it is used.
"""

from __future__ import annotations

__all__ = [
    "DATA_SHEET",
    "DEFAULT_UNIT",
    "INFO_SHEET",
    "KEY_COLUMNS",
    "LEVELS",
    "QUARTERS",
    "Report",
    "Section",
    "Sheet",
    "SheetError",
    "SheetRow",
    "build_report",
    "column_letter",
    "normalise_period",
    "read_sheet",
    "render_csv",
    "render_markdown",
    "render_text",
    "report_json",
    "sheet_inputs",
    "write_sheet",
    "write_xlsx",
]

import csv
import datetime
import difflib
import io
import json
import re
import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .achievement import Status
from .errors import IkuError, InputError
from .evaluation import (
    CompiledRule,
    Evaluation,
    PartResult,
    Violation,
    coerce_value,
    evaluate_coerced,
)
from .model import Indicator, Input, InputKind, RollUp, TimeRule, UndefinedParts, UnitRule
from .numbers import exact_decimal, exact_text

if TYPE_CHECKING:
    import os

    from .catalog.registry import Catalog

KEY_COLUMNS = ("unit", "period")
"""Columns that say which unit and period a row is for; every other column is an input."""
QUARTERS = ("TW1", "TW2", "TW3", "TW4")
"""The periods of a sheet: triwulan I to IV."""
DATA_SHEET = "realisasi"
"""The XLSX sheet holding the values."""
INFO_SHEET = "keterangan"
"""The XLSX sheet describing every input."""
DEFAULT_UNIT = "Kanwil Bali"
"""The unit of a template when no units are given."""
LEVELS = ("kanwil", "unit", "period", "row")
"""How a report groups the rows: the whole Kantor Wilayah, per unit, per quarter, each row."""
KANWIL = "Kantor Wilayah"
"""The name of the whole Kantor Wilayah (all units together) in reports."""
MAX_DATA_BYTES = 20_000_000
"""Largest realisasi file read."""
HEADER_SCAN_ROWS = 10
"""The header row (the one naming the columns) is looked for among this many first rows."""
MAX_PROBLEMS = 20
"""Most bad cells listed in one error."""
NAME_WIDTH = 48
"""Indicator names longer than this are shortened in terminal tables."""
WRAP_WIDTH = 100


# --------------------------------------------------------------------------- errors


def column_letter(index: int) -> str:
    """The spreadsheet letter of the 1-based column ``index``: 1 -> "A", 28 -> "AB"."""
    if index < 1:
        raise ValueError(f"column index must be 1 or more, got {index}")
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@attrs.frozen
class Place:
    """Where something is in a file, as a spreadsheet program shows it."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: int | None = None
    name: str | None = None
    """The column's name (its header cell)."""
    record: int | None = None
    """For JSON: the record's 1-based position (None for a single object)."""

    def __str__(self) -> str:
        return self.file + (f": {self.inner}" if self.inner else "")

    @property
    def inner(self) -> str:
        """The place without the file name: "sheet 'realisasi', row 4, column C (nama)"."""
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.record is not None:
            parts.append(f"record {self.record}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            column = f"column {column_letter(self.column)}"
            parts.append(column + (f" ({self.name})" if self.name else ""))
        return ", ".join(parts)


class SheetError(InputError):
    """A realisasi file is unusable; the message names the file, sheet, row and column.

    ``places`` lists where each problem is (the first is also ``place``).
    """

    def __init__(
        self,
        problems: Sequence[tuple[Place, str]],
        *,
        inputs: Sequence[str] = (),
        indicator: int | None = None,
    ) -> None:
        self.places = tuple(place for place, _ in problems)
        self.problems = tuple(problems)
        place, message = problems[0]
        if len(problems) == 1:
            text = f"{place}: {message}"
        else:
            shown = problems[:MAX_PROBLEMS]
            head = Place(place.file, place.sheet)
            lines = "\n".join(f"  - {where.inner}: {what}" for where, what in shown)
            more = len(problems) - len(shown)
            tail = f"\n  ... and {more} more" if more else ""
            text = f"{head}: {len(problems)} problems:\n{lines}{tail}"
        super().__init__(text, indicator=indicator, inputs=inputs)

    @property
    def place(self) -> Place:
        return self.places[0]

    @classmethod
    def at(cls, place: Place, message: str, **kwargs: Any) -> SheetError:
        """One problem at one place."""
        return cls([(place, message)], **kwargs)


class MissingDependencyError(IkuError):
    """An optional dependency (pandas, openpyxl) is needed and not installed."""


def _require(module: str, extra: str, what: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependencyError(
            f"{what} needs {module.split('.')[0]}, which is not installed: "
            f"python -m pip install 'iku-formula[{extra}]'"
        ) from None


# --------------------------------------------------------------------------- sheets


@attrs.frozen
class SheetRow:
    """One row of a sheet: its unit, period and the values given (empty cells left out)."""

    number: int
    """The row number a spreadsheet program shows (CSV line, XLSX row) or the JSON record."""
    unit: str | None
    period: str | None
    """The period, normalised: "TW1" to "TW4", a year ("2024"), or None."""
    values: Mapping[str, Fraction]

    @property
    def label(self) -> str:
        """ "Lapas Kerobokan, TW2" (or an empty string)."""
        return ", ".join(text for text in (self.unit, self.period) if text)


@attrs.frozen
class Sheet:
    """The rows of a realisasi file, each value checked and exact."""

    path: Path
    kind: str
    """"csv", "xlsx" or "json"."""
    sheet_name: str | None
    """The XLSX sheet read (None for CSV and JSON)."""
    columns: tuple[str, ...]
    """The input columns of the file, in file order."""
    missing: tuple[str, ...]
    """The catalog's inputs that have no column: indicators needing them are not evaluated."""
    rows: tuple[SheetRow, ...]
    """The rows with at least one value, in file order."""
    empty_rows: tuple[int, ...] = ()
    """Rows that name a unit or period but give no value (an unfilled template row)."""
    positions: Mapping[str, int] = attrs.field(factory=dict)
    """The 1-based column of each named column (none for JSON)."""

    def place(self, row: SheetRow | int | None = None, column: str | None = None) -> Place:
        """Where ``row`` (and ``column``) is, for messages."""
        number = row.number if isinstance(row, SheetRow) else row
        if self.kind == "json":
            return Place(str(self.path), record=number)
        index = None if column is None else self.positions.get(column)
        return Place(str(self.path), self.sheet_name, number, index, column if index else None)

    def where(self, row: SheetRow) -> str:
        """ "realisasi.xlsx: sheet 'realisasi', row 5 (Lapas Kerobokan, TW2)"."""
        label = f" ({row.label})" if row.label else ""
        return f"{self.place(row)}{label}"

    @property
    def units(self) -> tuple[str | None, ...]:
        """The units, in order of first appearance."""
        return tuple(dict.fromkeys(row.unit for row in self.rows))

    @property
    def periods(self) -> tuple[str | None, ...]:
        """The periods, quarters in calendar order first."""
        seen = dict.fromkeys(row.period for row in self.rows)
        return tuple(sorted(seen, key=_period_order))

    def to_frame(self, *, exact: bool = False) -> Any:
        """The rows as a pandas DataFrame: ``unit``, ``period``, then one column per input.

        The input columns are floats with NaN for an empty cell, ready for
        :meth:`Catalog.aggregate` and :meth:`Catalog.evaluate_frame`; with ``exact`` they
        hold the exact :class:`~fractions.Fraction` values instead (dtype object, None for
        an empty cell). Needs pandas (the ``frames`` extra).
        """
        pandas = _require("pandas", "frames", "a DataFrame")
        keys = pandas.DataFrame(
            {"unit": [row.unit for row in self.rows], "period": [row.period for row in self.rows]},
            dtype=object,
        )
        columns: dict[str, Any] = {}
        for name in self.columns:
            cells = [row.values.get(name) for row in self.rows]
            if exact:
                columns[name] = pandas.Series(cells, dtype=object)
            else:
                columns[name] = pandas.Series(
                    [float("nan") if cell is None else float(cell) for cell in cells],
                    dtype="float64",
                )
        return pandas.concat([keys, pandas.DataFrame(columns)], axis=1)


def _period_order(period: str | None) -> tuple[int, str]:
    if period in QUARTERS:
        return (0, period)
    return (1, period or "")


_QUARTER_RE = re.compile(
    r"(?:tw|triwulan|trw|q|kuartal|quarter)\s*[-_.]?\s*(iv|i{1,3}|[1-4])", re.IGNORECASE
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_YEAR_RE = re.compile(r"(?:19|20)[0-9]{2}")


def normalise_period(raw: object) -> str | None:
    """A period cell as a sheet period: "TW1" to "TW4", a year ("2024") or None (empty).

    Accepts "TW1", "TW 1", "TW-I", "Triwulan II", "Q3", "q4"; a year is a whole-year row.
    Raises ValueError for anything else.
    """
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise ValueError(f"period {raw!r} is not a quarter")
    text = str(raw).strip()
    if not text:
        return None
    match = _QUARTER_RE.fullmatch(text)
    if match is not None:
        number = match.group(1).lower()
        return f"TW{_ROMAN.get(number, number)}"
    if _YEAR_RE.fullmatch(text):
        return text
    raise ValueError(
        f"period {text!r} is not a quarter: write TW1, TW2, TW3 or TW4 "
        "(or a year, such as 2024, for a row covering the whole year)"
    )


def sheet_inputs(catalog: Catalog) -> tuple[Input, ...]:
    """The catalog's inputs in sheet order: by the first indicator using them, then the rest."""
    order: dict[str, Input] = {}
    for indicator in catalog:
        for spec in indicator.input_specs:
            order.setdefault(spec.name, catalog.inputs[spec.name])
    for name, spec in catalog.inputs.items():
        order.setdefault(name, spec)
    return tuple(order.values())


def _users(catalog: Catalog, name: str) -> list[int]:
    return [indicator.number for indicator in catalog if name in indicator.inputs]


# --------------------------------------------------------------------------- reading


def read_sheet(path: str | os.PathLike[str], catalog: Catalog) -> Sheet:
    """Read and check a realisasi file: .csv, .xlsx or .json.

    Raises :class:`SheetError` naming the file, sheet, row and column of every problem:
    an unknown column (with the closest input name), text in a number cell, a value the
    input does not allow (a negative count, a score out of range), a period that is no
    quarter, two rows for the same unit and period. A file that cannot be read raises
    SheetError too; an XLSX file without openpyxl raises MissingDependencyError.
    """
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix == ".csv":
        return _read_table(source, "csv", None, _csv_rows(source), catalog)
    if suffix in (".xlsx", ".xlsm"):
        sheet_name, rows = _xlsx_rows(source)
        return _read_table(source, "xlsx", sheet_name, rows, catalog)
    if suffix == ".json":
        return _read_json(source, catalog)
    raise SheetError.at(
        Place(str(source)),
        f"unknown file type {source.suffix or '(none)'!r}; give a .csv, .xlsx or .json file",
    )


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
    openpyxl = _require("openpyxl", "xlsx", "reading an .xlsx file")
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
    if problems:
        raise SheetError(problems, inputs=[name for _, name in unknown])

    columns = tuple(name for name in seen if name not in KEY_COLUMNS)
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
            except ValueError as error:
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
                users = ", ".join(map(str, _users(catalog, name))) or "none"
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


# --------------------------------------------------------------------------- JSON


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
                        labels[name] = normalise_period(
                            int(value) if isinstance(value, Decimal) else value
                        )
                    except ValueError as error:
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
                users = ", ".join(map(str, _users(catalog, name))) or "none"
                raise SheetError.at(
                    place, f"input {name!r} (indicator {users}): {error}", inputs=[name]
                ) from None
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


# --------------------------------------------------------------------------- writing sheets


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
    suffix = target.suffix.lower()
    if suffix == ".csv":
        _write_sheet_csv(catalog, target, checked, decimal_comma)
    elif suffix == ".xlsx":
        _write_sheet_xlsx(catalog, target, checked)
    else:
        raise InputError(
            f"{target}: unknown file type {target.suffix or '(none)'!r}; give a .csv or .xlsx file"
        )
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
                unit,
                period,
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
    catalog: Catalog, path: Path, rows: list[tuple[str, str, dict[str, Fraction]]]
) -> None:
    openpyxl = _require("openpyxl", "xlsx", "writing an .xlsx file")
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    specs = sheet_inputs(catalog)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = DATA_SHEET
    bold = Font(bold=True)
    muted = Font(italic=True, color="555555")
    wrap = Alignment(wrap_text=True, vertical="top")
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    key_fill = PatternFill("solid", fgColor="F2F2F2")

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
        users = ", ".join(map(str, _users(catalog, spec.name)))
        sheet.cell(USERS_ROW, column, f"IKU {users}" if users else "").font = muted
    for row in (LABEL_ROW, UNIT_ROW, USERS_ROW):
        for cell in sheet[row]:
            cell.alignment = wrap
    for column, name in enumerate([*KEY_COLUMNS, *(s.name for s in specs)], 1):
        cell = sheet.cell(HEADER_ROW, column, name)
        cell.font = bold
        cell.fill = header_fill
    first_data = HEADER_ROW + 1
    for offset, (unit, period, values) in enumerate(rows):
        number = first_data + offset
        sheet.cell(number, 1, unit or None).fill = key_fill
        sheet.cell(number, 2, period or None).fill = key_fill
        for column, spec in enumerate(specs, len(KEY_COLUMNS) + 1):
            if spec.name in values:
                sheet.cell(number, column, _xlsx_number(values[spec.name]))
    last = first_data + len(rows) + 200  # room for rows added by hand
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
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 12
    sheet.row_dimensions[LABEL_ROW].height = 75
    sheet.freeze_panes = sheet.cell(first_data, len(KEY_COLUMNS) + 1)

    info = book.create_sheet(INFO_SHEET)
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
                ", ".join(map(str, _users(catalog, spec.name))),
                spec.note or "",
            ]
        )
        for cell in info[number]:
            cell.alignment = wrap
    for letter, width in zip("ABCDEFGHIJ", (40, 50, 14, 10, 22, 14, 16, 24, 12, 60), strict=True):
        info.column_dimensions[letter].width = width
    info.freeze_panes = "B2"
    info.auto_filter.ref = f"A1:J{len(specs) + 1}"
    book.save(path)


# --------------------------------------------------------------------------- text helpers


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Iterable[int], indent: str = ""
) -> list[str]:
    """A plain-text table: columns padded, ``right`` columns right-aligned."""
    aligned = set(right)
    widths = [max(len(row[c]) for row in [headers, *rows]) for c in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if column in aligned else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return (indent + "  ".join(padded)).rstrip()

    return [line(headers), indent + "  ".join("-" * w for w in widths), *map(line, rows)]


def wrap(text: str, *, indent: str, first: str = "") -> list[str]:
    """``text`` wrapped: ``first`` before the first line, ``indent`` before the others."""
    return textwrap.wrap(
        text,
        width=WRAP_WIDTH,
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first]


def shorten(text: str, width: int = NAME_WIDTH) -> str:
    """``text`` cut to ``width`` characters at a word boundary, marked with "..."."""
    if len(text) <= width:
        return text
    cut = text[: width - 3]
    if text[width - 3] != " " and " " in cut[width // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "..."


# --------------------------------------------------------------------------- reports


@attrs.frozen
class Section:
    """One part of a report: the values of a unit and period (rolled up) and their results."""

    level: str
    """"kanwil", "unit", "period" or "row": what the section covers."""
    unit: str | None
    """The unit, KANWIL for all units together, or None when the file names no unit."""
    period: str | None
    """"TW2", the year ("2024"), a year to date ("2024 s.d. TW2"), or None."""
    rows: tuple[SheetRow, ...]
    """The sheet rows the section combines."""
    values: Mapping[str, Fraction]
    """The (rolled-up) inputs evaluated."""
    results: Mapping[int, Evaluation]
    """The result of every indicator whose inputs are all given, by number."""
    not_evaluated: Mapping[int, tuple[str, ...]]
    """Indicators not evaluated, by number, with the inputs they lack."""
    violations: tuple[Violation, ...]
    """Consistency rules the section's values break (rules spanning indicators included)."""
    notes: tuple[str, ...] = ()
    """What rolling up could not do: inputs missing in some quarters, units lacking a quarter."""

    @property
    def title(self) -> str:
        labels = [label for label in (self.unit, self.period) if label]
        return ", ".join(labels) if labels else "(tanpa unit dan periode)"

    def count(self, status: str) -> int:
        return sum(1 for result in self.results.values() if result.status.value == status)


@attrs.frozen
class RowProblem:
    """A data error in one row: a broken rule, or a numerator above its denominator."""

    row: SheetRow
    text: str
    numbers: tuple[int, ...]
    """The indicators concerned."""
    violation: Violation | None = None
    """The broken rule, when it is one."""


@attrs.frozen
class Report:
    """The results of a realisasi file at one level, and everything to check in the data."""

    catalog: Catalog = attrs.field(repr=False)
    sheet: Sheet = attrs.field(repr=False)
    level: str
    sections: tuple[Section, ...]
    row_problems: tuple[RowProblem, ...] = ()
    """Data errors in single rows (a unit's quarter), found before rolling up: broken rules
    and numerators above their denominators."""

    @property
    def source(self) -> str:
        return str(self.sheet.path)


def _year_label(catalog: Catalog, periods: Iterable[str | None]) -> str | None:
    """The period of rolled-up rows: "2024", "2024 s.d. TW2", "2024 (TW1, TW3)" or a year."""
    present = sorted({period for period in periods if period is not None}, key=_period_order)
    quarters = [period for period in present if period in QUARTERS]
    if not quarters:
        return present[0] if present else None
    year = str(catalog.year)
    if quarters == list(QUARTERS):
        return year
    if quarters == list(QUARTERS[: len(quarters)]):
        return f"{year} s.d. {quarters[-1]}"
    return f"{year} ({', '.join(quarters)})"


def _check_periods(sheet: Sheet) -> None:
    """Rows of one unit must be quarters of one year, or a single whole-year row."""
    by_unit: dict[str | None, list[SheetRow]] = {}
    for row in sheet.rows:
        by_unit.setdefault(row.unit, []).append(row)
    problems: list[tuple[Place, str]] = []
    for unit, rows in by_unit.items():
        if len(rows) < 2:
            continue
        years = [row for row in rows if row.period not in QUARTERS]
        if years:
            other = next(row for row in rows if row is not years[0])
            shown = repr(unit) if unit else "(no unit)"
            problems.append(
                (
                    sheet.place(years[0], "period" if sheet.kind != "json" else None),
                    f"unit {shown} has a row for period {years[0].period or '(none)'!r} and "
                    f"another ({'record' if sheet.kind == 'json' else 'row'} {other.number}, "
                    f"period {other.period or '(none)'!r}); rolling up needs one row per quarter "
                    "(TW1 to TW4) of one year, or a single row for the year; use --by row to "
                    "evaluate every row on its own",
                )
            )
    if not problems:
        quarterly = [row for row in sheet.rows if row.period in QUARTERS]
        yearly = [row for row in sheet.rows if row.period not in QUARTERS]
        labels = sorted({row.period or "(none)" for row in yearly})
        if quarterly and yearly:
            problems.append(
                (
                    sheet.place(yearly[0], "period" if sheet.kind != "json" else None),
                    f"period {yearly[0].period or '(none)'!r} covers a whole year, but other "
                    f"rows are quarters (e.g. {_row_word(sheet)} {quarterly[0].number}, "
                    f"{quarterly[0].period}); give every unit its quarters, or use --by row",
                )
            )
        elif len(labels) > 1:
            problems.append(
                (
                    Place(str(sheet.path), sheet.sheet_name),
                    f"the rows cover different years ({', '.join(labels)}); roll up one year "
                    "per file, or use --by row",
                )
            )
    if problems:
        raise SheetError(problems)


def _row_word(sheet: Sheet) -> str:
    return "record" if sheet.kind == "json" else "row"


def build_report(catalog: Catalog, sheet: Sheet, by: str = "kanwil") -> Report:
    """Roll ``sheet`` up and evaluate it at level ``by`` (one of :data:`LEVELS`).

    * "kanwil": the whole Kantor Wilayah (all units) for the year;
    * "unit": the whole Kantor Wilayah, then each unit, for the year;
    * "period": the whole Kantor Wilayah for the year, then for each quarter;
    * "row": every row on its own, nothing rolled up.

    Quarters roll up into the year and units into the Kantor Wilayah by each input's rules,
    exactly (see :func:`roll_up_rows`). Raises SheetError when rows cannot be rolled up
    (a unit with a whole-year row besides quarters).
    """
    if by not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {by!r}")
    groups: list[tuple[str, str | None, str | None, tuple[SheetRow, ...]]] = []
    if by == "row":
        groups = [("row", row.unit, row.period, (row,)) for row in sheet.rows]
    else:
        _check_periods(sheet)
        units = sheet.units
        whole = units[0] if len(units) == 1 else KANWIL
        year = _year_label(catalog, (row.period for row in sheet.rows))
        groups.append(("kanwil", whole, year, sheet.rows))
        if by == "unit" and len(units) > 1:
            for unit in units:
                rows = tuple(row for row in sheet.rows if row.unit == unit)
                label = _year_label(catalog, (row.period for row in rows))
                groups.append(("unit", unit, label, rows))
        if by == "period" and len(sheet.periods) > 1:
            for period in sheet.periods:
                rows = tuple(row for row in sheet.rows if row.period == period)
                groups.append(("period", whole, period, rows))
    rules = tuple(CompiledRule.build(rule) for rule in catalog.rules)
    sections = [
        _section(catalog, rules, level, unit, period, rows, sheet)
        for level, unit, period, rows in groups
    ]
    problems: list[RowProblem] = []
    if by != "row" and len(sheet.rows) > 1:
        for row in sheet.rows:
            problems.extend(_row_problems(catalog, rules, row))
    return Report(catalog, sheet, by, tuple(sections), tuple(problems))


@attrs.frozen
class RolledUp:
    """Rows rolled up: the inputs of the whole, of each unit, and what could not be."""

    values: Mapping[str, Fraction]
    """Every input that could be rolled up, exactly."""
    units: Mapping[str | None, Mapping[str, Fraction]]
    """Each unit's inputs over its periods (before combining the units)."""
    notes: tuple[str, ...]
    """Why an input given in the rows is missing from ``values``, or a unit's periods differ."""


def roll_up_rows(
    catalog: Catalog, rows: Sequence[SheetRow], where: Callable[[SheetRow], str] | None = None
) -> RolledUp:
    """Roll rows of several quarters and units up, exactly, by each input's rules.

    The same rules as :meth:`Catalog.aggregate` (which does it with floats on a DataFrame):
    first over the quarters of each unit (``over_time``: sum, the last quarter, or mean),
    then over the units (``over_units``: sum, mean, or mean weighted by another input;
    a unit weighing 0 does not count). A unit that gives an input in none of its rows does
    not report it (an empty column for that kind of unit) and is left out of that input. A
    unit that gives it in some rows only makes it missing (a note says where): adding or
    averaging over quarters needs every quarter, and a stock needs the last one.
    """
    describe = where or (lambda row: f"row {row.number}")
    by_unit: dict[str | None, list[SheetRow]] = {}
    for row in rows:
        by_unit.setdefault(row.unit, []).append(row)
    periods = sorted({row.period for row in rows}, key=_period_order)
    notes: list[str] = []
    missing: set[str] = set()
    per_unit: dict[str | None, dict[str, Fraction]] = {}
    for unit, unit_rows in by_unit.items():
        unit_rows.sort(key=lambda row: _period_order(row.period))
        name_of_unit = unit or "(no unit)"
        covered = [row.period for row in unit_rows]
        if len(by_unit) > 1 and covered != periods:
            absent = [period or "(none)" for period in periods if period not in covered]
            notes.append(
                f"{name_of_unit} has no row with values for {', '.join(absent)}: its figures "
                f"cover {', '.join(p or '(none)' for p in covered)} only"
            )
        combined: dict[str, Fraction] = {}
        for name, spec in catalog.inputs.items():
            given = [row for row in unit_rows if name in row.values]
            if not given:
                continue  # the unit does not report this input
            if spec.over_time is TimeRule.LAST:
                last = unit_rows[-1]
                if name not in last.values:
                    missing.add(name)
                    notes.append(
                        f"{name_of_unit}: {name} has no value in {last.period} "
                        f"({describe(last)}), its last period; a stock is taken at the end "
                        "of the period"
                    )
                    continue
                combined[name] = last.values[name]
                continue
            if len(given) < len(unit_rows):
                missing.add(name)
                absent_rows = [row for row in unit_rows if name not in row.values]
                notes.append(
                    f"{name_of_unit}: {name} has no value in "
                    f"{', '.join(str(row.period) for row in absent_rows)} "
                    f"({', '.join(describe(row) for row in absent_rows)}); "
                    f"{'adding' if spec.over_time is TimeRule.SUM else 'averaging'} it over "
                    "the quarters needs every quarter (write 0 where there was none)"
                )
                continue
            total = sum((row.values[name] for row in given), Fraction(0))
            combined[name] = total if spec.over_time is TimeRule.SUM else total / len(given)
        per_unit[unit] = combined
    values: dict[str, Fraction] = {}
    for name, spec in catalog.inputs.items():
        reporting = [(unit, unit_values[name]) for unit, unit_values in per_unit.items()
                     if name in unit_values]  # fmt: skip
        if name in missing or not reporting:
            continue
        if spec.over_units is UnitRule.SUM:
            values[name] = sum((value for _, value in reporting), Fraction(0))
        elif spec.over_units is UnitRule.MEAN:
            values[name] = sum((value for _, value in reporting), Fraction(0)) / len(reporting)
        else:
            weighted = _weighted_mean(name, spec, reporting, per_unit, notes)
            if weighted is not None:
                values[name] = weighted
    return RolledUp(values, per_unit, tuple(notes))


def _weighted_mean(
    name: str,
    spec: Input,
    reporting: Sequence[tuple[str | None, Fraction]],
    per_unit: Mapping[str | None, Mapping[str, Fraction]],
    notes: list[str],
) -> Fraction | None:
    weight = spec.weight or ""
    pairs: list[tuple[Fraction, Fraction]] = []
    for unit, value in reporting:
        if weight not in per_unit[unit]:
            notes.append(
                f"{unit or '(no unit)'}: {name} is averaged over units weighted by {weight}, "
                "which has no value"
            )
            return None
        if per_unit[unit][weight]:
            pairs.append((value, per_unit[unit][weight]))
    total = sum((w for _, w in pairs), Fraction(0))
    if total == 0:
        notes.append(f"{name} is averaged over units weighted by {weight}, which add up to 0")
        return None
    return sum((value * w for value, w in pairs), Fraction(0)) / total


def _row_problems(
    catalog: Catalog, rules: Sequence[CompiledRule], row: SheetRow
) -> list[RowProblem]:
    """Broken rules and impossible shares in one row; both say "check the data"."""
    found: dict[str, RowProblem] = {}
    for violation in _check(rules, row.values):
        text = str(violation)
        found[text] = RowProblem(row, text, tuple(_rule_users(catalog, violation)), violation)
    for number, result in _evaluate(catalog, row.values).items():
        for warning in _other_warnings(result):
            if not warning.endswith("check the data"):
                continue  # e.g. a mean over the defined parts: a policy, not a data error
            known = found.get(warning)
            numbers = (*known.numbers, number) if known else (number,)
            found[warning] = RowProblem(row, warning, numbers)
    return list(found.values())


def _evaluate(catalog: Catalog, values: Mapping[str, Fraction]) -> dict[int, Evaluation]:
    """Like Catalog.evaluate on values already checked (a rolled-up count may be a fraction)."""
    return {
        indicator.number: evaluate_coerced(indicator, values)
        for indicator in catalog
        if all(name in values for name in indicator.inputs)
    }


def _check(rules: Sequence[CompiledRule], values: Mapping[str, Fraction]) -> list[Violation]:
    """Like Catalog.check on values already checked."""
    return [
        violation
        for compiled in rules
        if compiled.rule.inputs <= values.keys()
        and (violation := compiled.check(values)) is not None
    ]


def _section(
    catalog: Catalog,
    rules: Sequence[CompiledRule],
    level: str,
    unit: str | None,
    period: str | None,
    rows: tuple[SheetRow, ...],
    sheet: Sheet,
) -> Section:
    notes: tuple[str, ...] = ()
    if len(rows) == 1:
        values: Mapping[str, Fraction] = rows[0].values
        results = _evaluate(catalog, values)
    else:
        combined = roll_up_rows(catalog, rows, lambda row: sheet.place(row).inner)
        values, notes = combined.values, combined.notes
        results = _evaluate(catalog, values)
        if len(combined.units) > 1:
            for indicator in catalog:
                if indicator.roll_up is RollUp.MEAN_OF_UNITS:
                    averaged = _mean_of_units(indicator, combined.units)
                    if averaged is None:
                        results.pop(indicator.number, None)
                    else:
                        results[indicator.number] = averaged
            results = dict(sorted(results.items()))
    violations = {violation.rule.text: violation for violation in _check(rules, values)}
    for result in results.values():
        for violation in result.violations:
            violations.setdefault(violation.rule.text, violation)
    not_evaluated = {
        indicator.number: tuple(name for name in indicator.inputs if name not in values)
        for indicator in catalog
        if indicator.number not in results
    }
    return Section(
        level,
        unit,
        period,
        rows,
        values,
        results,
        not_evaluated,
        tuple(violations.values()),
        notes,
    )


def _mean_of_units(
    indicator: Indicator, units: Mapping[str | None, Mapping[str, Fraction]]
) -> Evaluation | None:
    """An indicator with roll_up "mean_of_units": the mean of its realisasi in each unit that
    gives all its inputs (undefined where one unit's is, unless undefined_parts is "skip")."""
    per_unit = [
        evaluate_coerced(indicator, values)
        for values in units.values()
        if all(name in values for name in indicator.inputs)
    ]
    if not per_unit:
        return None
    rule = indicator.achievement_rule
    skip = indicator.undefined_parts is UndefinedParts.SKIP
    parts: list[PartResult] = []
    for position, target in enumerate(indicator.target.parts):
        found = [
            (result.parts[position].value if result.parts else result.value) for result in per_unit
        ]
        defined = [value for value in found if value is not None]
        if not defined or (len(defined) < len(found) and not skip):
            reason = (
                f"the mean over units is undefined: undefined in "
                f"{len(found) - len(defined)} of {len(found)} units"
            )
            parts.append(PartResult(None, None, False, reason))
            continue
        value = sum(defined, Fraction(0)) / len(defined)
        achievement, reason_ = rule.achievement(value, target.value, indicator.polarity)
        met = rule.met(value, target.value, indicator.polarity)
        parts.append(PartResult(value, achievement, met, reason_))
    first = parts[0]
    achievements = [part.achievement for part in parts]
    if any(part.value is None for part in parts):
        status = Status.UNDEFINED
    else:
        status = Status.MET if all(part.met for part in parts) else Status.NOT_MET
    return Evaluation(
        indicator=indicator,
        inputs={},
        value=first.value,
        achievement=None if None in achievements else min(a for a in achievements if a is not None),
        status=status,
        reason=next((part.reason for part in parts if part.reason), None),
        warnings=(
            f"the mean over {len(per_unit)} units of their realisasi (roll_up mean_of_units)",
        ),
        parts=tuple(parts) if len(parts) > 1 else (),
    )


# --------------------------------------------------------------------------- report cells


def _shown(number: Decimal | None) -> str:
    return "-" if number is None else str(number)


def realisasi_text(evaluation: Evaluation) -> str:
    """Realisasi as people read it: "90.63", "2.00 / 1.00" for a two-part target, "-"."""
    if not evaluation.parts:
        return _shown(evaluation.display_value())
    rule = evaluation.indicator.achievement_rule
    return " / ".join(
        "-" if part.value is None else str(rule.display(part.value)) for part in evaluation.parts
    )


def _other_warnings(evaluation: Evaluation) -> list[str]:
    """Warnings that are not broken rules (those are listed on their own)."""
    broken = {str(violation) for violation in evaluation.violations}
    return [warning for warning in evaluation.warnings if warning not in broken]


def _rule_users(catalog: Catalog, violation: Violation) -> list[int]:
    return [
        indicator.number for indicator in catalog if violation.rule.inputs & set(indicator.inputs)
    ]


def _violation_text(catalog: Catalog, violation: Violation) -> str:
    users = _rule_users(catalog, violation)
    shown = f" (IKU {', '.join(map(str, users))})" if users else ""
    return f"{violation}{shown}"


def _notes(section: Section) -> list[str]:
    notes: list[str] = []
    for number, evaluation in section.results.items():
        if evaluation.reason is not None:
            notes.append(f"[{number}] tidak terdefinisi / undefined: {evaluation.reason}")
        notes.extend(
            f"[{number}] peringatan / warning: {warning}" for warning in _other_warnings(evaluation)
        )
    return notes


def _summary(section: Section) -> str:
    return (
        f"tercapai: {section.count('met')}, tidak tercapai: {section.count('not_met')}, "
        f"tidak terdefinisi: {section.count('undefined')}"
    )


def _row_title(report: Report, row: SheetRow) -> str:
    label = f" ({row.label})" if row.label else ""
    return f"{report.sheet.place(row).inner}{label}"


# --------------------------------------------------------------------------- terminal


def render_text(report: Report) -> str:
    """The report as terminal text: a table per section, then what needs checking."""
    catalog = report.catalog
    out: list[str] = []
    for section in report.sections:
        out.append(f"== {section.title} ==")
        if len(section.rows) > 1:
            out.append(f"({_rolled_up(report, section)})")
        out.append("")
        rows = [
            [
                str(number),
                shorten(evaluation.indicator.display_name),
                realisasi_text(evaluation),
                evaluation.indicator.target.text,
                _shown(evaluation.display_achievement()),
                evaluation.status.label,
            ]
            for number, evaluation in section.results.items()
        ]
        if rows:
            out.extend(
                table(
                    ["No", "Indikator", "Realisasi", "Target", "Capaian (%)", "Status"],
                    rows,
                    right=(0, 2, 4),
                )
            )
        else:
            out.append("(no indicator has all its inputs here)")
        notes = _notes(section)
        if notes:
            out.append("")
            out.append("Catatan / notes:")
            for note in notes:
                out.extend(wrap(note, indent="    ", first="  "))
        if section.violations:
            out.append("")
            out.append("Aturan konsistensi dilanggar / rule violations:")
            for violation in section.violations:
                out.extend(wrap(_violation_text(catalog, violation), indent="    ", first="  - "))
        if section.notes:
            out.append("")
            out.append("Data tidak lengkap / incomplete data:")
            for note in section.notes:
                out.extend(wrap(note, indent="    ", first="  - "))
        out.append("")
        out.append(_summary(section))
        if section.not_evaluated:
            out.append(f"not evaluated (missing inputs): {len(section.not_evaluated)}")
            absent_all, partial = _split_not_evaluated(catalog, section)
            if absent_all:
                out.extend(
                    wrap(
                        f"none of their inputs given: {_number_spans(absent_all)}",
                        indent="    ",
                        first="  ",
                    )
                )
            for number in partial:
                indicator = catalog[number]
                absent = section.not_evaluated[number]
                out.extend(
                    wrap(
                        f"[{number}] {shorten(indicator.display_name)}: "
                        f"missing {', '.join(absent)}",
                        indent="    ",
                        first="  ",
                    )
                )
        out.append("")
    out.extend(_data_notes(report))
    return "\n".join(out)


def _rolled_up(report: Report, section: Section) -> str:
    """ "10 unit, 40 baris digabung / rows rolled up: rows 2-41"."""
    units = len({row.unit for row in section.rows})
    head = f"{units} unit, " if units > 1 else ""
    return (
        f"{head}{len(section.rows)} baris digabung / rows rolled up: "
        f"{_row_numbers(report, section.rows)}"
    )


def _split_not_evaluated(catalog: Catalog, section: Section) -> tuple[list[int], list[int]]:
    """Unevaluated indicators with none of their inputs given, and those with some given."""
    absent_all = [
        number
        for number, absent in section.not_evaluated.items()
        if len(absent) == len(catalog[number].inputs)
    ]
    partial = [number for number in section.not_evaluated if number not in absent_all]
    return absent_all, partial


def _row_numbers(report: Report, rows: Sequence[SheetRow]) -> str:
    word = "record" if report.sheet.kind == "json" else "row"
    numbers = [row.number for row in rows]
    return f"{word}{'s' if len(numbers) > 1 else ''} {_number_spans(numbers)}"


def _number_spans(numbers: Sequence[int]) -> str:
    """ "1-3, 5, 7-9" for [1, 2, 3, 5, 7, 8, 9]."""
    if not numbers:
        return ""
    spans: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        spans.append(str(start) if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ", ".join(spans)


def _problem_text(problem: RowProblem) -> str:
    return f"{problem.text} (IKU {', '.join(map(str, problem.numbers))})"


def _data_notes(report: Report) -> list[str]:
    """The file-level list: rules broken in single rows, missing columns, empty rows."""
    out: list[str] = []
    sheet = report.sheet
    if report.row_problems:
        out.append("== Periksa data per baris / data errors in rows ==")
        for problem in report.row_problems:
            out.extend(
                wrap(
                    f"{_row_title(report, problem.row)}: {_problem_text(problem)}",
                    indent="    ",
                    first="  - ",
                )
            )
        out.append("")
    if sheet.missing:
        out.append(f"== Kolom tidak ada / inputs without a column: {len(sheet.missing)} ==")
        out.extend(wrap(", ".join(sheet.missing), indent="  ", first="  "))
        out.append("")
    if sheet.empty_rows:
        word = "records" if sheet.kind == "json" else "rows"
        out.append(f"{word} without any value, skipped: {', '.join(map(str, sheet.empty_rows))}")
        out.append("")
    return out


# --------------------------------------------------------------------------- notes as data


UNDEFINED_NOTE = "tidak terdefinisi"
WARNING_NOTE = "peringatan"
VIOLATION_NOTE = "aturan dilanggar"
NOT_EVALUATED_NOTE = "tidak dievaluasi"
INCOMPLETE_NOTE = "data tidak lengkap"
MISSING_COLUMN_NOTE = "kolom tidak ada"
EMPTY_ROW_NOTE = "baris tanpa nilai"


@attrs.frozen
class Note:
    """One thing the reader must see: an undefined result, a warning, a broken rule..."""

    kind: str
    level: str
    """The section's level, "row" for a single row, "file" for the file as a whole."""
    unit: str | None
    period: str | None
    where: str | None
    """The sheet row it comes from, for rules broken in single rows."""
    numbers: tuple[int, ...]
    """The indicators concerned."""
    text: str


def report_notes(report: Report) -> list[Note]:
    """Every undefined result, warning, broken rule, unevaluated indicator, missing column."""
    catalog = report.catalog
    notes: list[Note] = []
    for section in report.sections:
        level, unit, period = section.level, section.unit, section.period
        for number, evaluation in section.results.items():
            if evaluation.reason is not None:
                notes.append(
                    Note(UNDEFINED_NOTE, level, unit, period, None, (number,), evaluation.reason)
                )
            notes.extend(
                Note(WARNING_NOTE, level, unit, period, None, (number,), warning)
                for warning in _other_warnings(evaluation)
            )
        notes.extend(
            Note(
                VIOLATION_NOTE,
                level,
                unit,
                period,
                None,
                tuple(_rule_users(catalog, violation)),
                str(violation),
            )
            for violation in section.violations
        )
        notes.extend(
            Note(INCOMPLETE_NOTE, level, unit, period, None, (), note) for note in section.notes
        )
        notes.extend(
            Note(
                NOT_EVALUATED_NOTE,
                level,
                unit,
                period,
                None,
                (number,),
                f"missing {', '.join(absent)}",
            )
            for number, absent in section.not_evaluated.items()
        )
    for problem in report.row_problems:
        notes.append(
            Note(
                VIOLATION_NOTE if problem.violation else WARNING_NOTE,
                "row",
                problem.row.unit,
                problem.row.period,
                report.sheet.place(problem.row).inner,
                problem.numbers,
                problem.text,
            )
        )
    for name in report.sheet.missing:
        notes.append(
            Note(
                MISSING_COLUMN_NOTE,
                "file",
                None,
                None,
                None,
                tuple(_users(catalog, name)),
                f"the file has no column {name!r} ({catalog.inputs[name].label})",
            )
        )
    for number in report.sheet.empty_rows:
        word = "record" if report.sheet.kind == "json" else "row"
        notes.append(
            Note(
                EMPTY_ROW_NOTE,
                "file",
                None,
                None,
                f"{word} {number}",
                (),
                "no value given; skipped",
            )
        )
    return notes


# --------------------------------------------------------------------------- JSON


def _fraction(number: Fraction | None) -> str | None:
    return None if number is None else str(number)


def _decimal(number: Decimal | None) -> str | None:
    return None if number is None else str(number)


def result_json(evaluation: Evaluation) -> dict[str, Any]:
    """One result as JSON: rounded values as text ("66.67") beside exact ones ("200/3")."""
    indicator = evaluation.indicator
    rule = indicator.achievement_rule
    entry: dict[str, Any] = {
        "number": indicator.number,
        "key": indicator.key,
        "name": indicator.display_name,
        "value": _decimal(evaluation.display_value()),
        "value_exact": _fraction(evaluation.value),
        "target": indicator.target.text,
        "target_value": exact_text(indicator.target.value),
        "target_unit": indicator.target.unit,
        "achievement": _decimal(evaluation.display_achievement()),
        "achievement_exact": _fraction(evaluation.achievement),
        "status": evaluation.status.value,
        "status_label": evaluation.status.label,
        "met": evaluation.met,
        "reason": evaluation.reason,
        "numerator": _fraction(evaluation.numerator),
        "denominator": _fraction(evaluation.denominator),
        "warnings": list(evaluation.warnings),
    }
    if evaluation.parts:
        entry["parts"] = [
            {
                "target": f"{exact_text(target.value)} {target.unit}",
                "value": None if part.value is None else str(rule.display(part.value)),
                "value_exact": _fraction(part.value),
                "achievement": None
                if part.achievement is None
                else str(rule.display(part.achievement)),
                "achievement_exact": _fraction(part.achievement),
                "met": part.met,
                "reason": part.reason,
            }
            for part, target in zip(evaluation.parts, indicator.target.parts, strict=True)
        ]
    return entry


def _violation_json(catalog: Catalog, violation: Violation) -> dict[str, Any]:
    return {
        "rule": violation.rule.text,
        "values": {name: exact_text(value) for name, value in violation.values.items()},
        "indicators": _rule_users(catalog, violation),
        "message": str(violation),
    }


def report_json(report: Report) -> dict[str, Any]:
    """The report as a JSON-ready object: every section, then the file-level notes."""
    catalog = report.catalog
    word = "record" if report.sheet.kind == "json" else "row"
    return {
        "file": report.source,
        "catalog": catalog.title,
        "level": report.level,
        "sections": [
            {
                "level": section.level,
                "unit": section.unit,
                "period": section.period,
                f"{word}s": [row.number for row in section.rows],
                "results": [result_json(result) for result in section.results.values()],
                "not_evaluated": list(section.not_evaluated),
                "missing_inputs": {
                    str(number): list(absent) for number, absent in section.not_evaluated.items()
                },
                "violations": [_violation_json(catalog, v) for v in section.violations],
                "incomplete": list(section.notes),
            }
            for section in report.sections
        ],
        "row_problems": [
            {
                word: problem.row.number,
                "unit": problem.row.unit,
                "period": problem.row.period,
                "rule": None if problem.violation is None else problem.violation.rule.text,
                "indicators": list(problem.numbers),
                "message": problem.text,
            }
            for problem in report.row_problems
        ],
        "missing_columns": list(report.sheet.missing),
        f"empty_{word}s": list(report.sheet.empty_rows),
    }


# --------------------------------------------------------------------------- CSV


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
)
"""Columns of the CSV report; a row per result, then a row per note (status says which)."""

_NOTE_STATUS = {
    UNDEFINED_NOTE: "undefined",
    WARNING_NOTE: "warning",
    VIOLATION_NOTE: "rule_violation",
    NOT_EVALUATED_NOTE: "not_evaluated",
    INCOMPLETE_NOTE: "incomplete",
    MISSING_COLUMN_NOTE: "missing_column",
    EMPTY_ROW_NOTE: "empty_row",
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
                    "value": realisasi_text(evaluation) if evaluation.is_defined else "",
                    "value_exact": entry["value_exact"] or "",
                    "target": entry["target"],
                    "achievement": entry["achievement"] or "",
                    "achievement_exact": entry["achievement_exact"] or "",
                    "status": entry["status"],
                    "status_label": entry["status_label"],
                    "reason": entry["reason"] or "",
                    "warnings": "; ".join(_other_warnings(evaluation)),
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
            }
        )
    return rows


def render_csv(report: Report) -> str:
    """The report as CSV (comma separated, "." decimals): see :func:`report_rows`."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(report_rows(report))
    return buffer.getvalue()


# --------------------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def render_markdown(report: Report) -> str:
    """The report as Markdown: a table per section, the notes as lists under it."""
    catalog = report.catalog
    out = [
        f"# Laporan IKU: {catalog.title}",
        "",
        f"Sumber / source: `{report.source}`; tingkat / level: {report.level}.",
        "",
    ]
    for section in report.sections:
        out.append(f"## {_md(section.title)}")
        out.append("")
        if len(section.rows) > 1:
            out.append(f"{_rolled_up(report, section).capitalize()}.")
            out.append("")
        if section.results:
            out.append("| No | Indikator | Realisasi | Target | Capaian (%) | Status |")
            out.append("| ---: | --- | ---: | --- | ---: | --- |")
            for number, evaluation in section.results.items():
                status = evaluation.status.label
                if not evaluation.met:
                    status = f"**{status}**"
                out.append(
                    f"| {number} | {_md(evaluation.indicator.display_name)} | "
                    f"{realisasi_text(evaluation)} | {_md(evaluation.indicator.target.text)} | "
                    f"{_shown(evaluation.display_achievement())} | {status} |"
                )
        else:
            out.append("Tidak ada indikator yang semua masukannya tersedia.")
        out.append("")
        out.append(_summary(section) + f", tidak dievaluasi: {len(section.not_evaluated)}")
        out.append("")
        blocks: list[tuple[str, list[str]]] = [
            (
                "Tidak terdefinisi / undefined",
                [
                    f"**IKU {n}**: {_md(e.reason)}"
                    for n, e in section.results.items()
                    if e.reason is not None
                ],
            ),
            (
                "Peringatan / warnings",
                [
                    f"**IKU {n}**: {_md(w)}"
                    for n, e in section.results.items()
                    for w in _other_warnings(e)
                ],
            ),
            (
                "Aturan konsistensi dilanggar / rule violations",
                [_md(_violation_text(catalog, v)) for v in section.violations],
            ),
            ("Data tidak lengkap / incomplete data", [_md(note) for note in section.notes]),
            (
                "Tidak dievaluasi / not evaluated (missing inputs)",
                _md_not_evaluated(catalog, section),
            ),
        ]
        for heading, items in blocks:
            if items:
                out.append(f"### {heading}")
                out.append("")
                out.extend(f"- {item}" for item in items)
                out.append("")
    sheet = report.sheet
    if report.row_problems:
        out.append("## Periksa data per baris / data errors in rows")
        out.append("")
        out.extend(
            f"- {_md(_row_title(report, problem.row))}: {_md(_problem_text(problem))}"
            for problem in report.row_problems
        )
        out.append("")
    if sheet.missing:
        out.append("## Kolom tidak ada / inputs without a column")
        out.append("")
        out.extend(
            f"- `{name}` ({_md(catalog.inputs[name].label)}; IKU "
            f"{', '.join(map(str, _users(catalog, name))) or '-'})"
            for name in sheet.missing
        )
        out.append("")
    if sheet.empty_rows:
        word = "records" if sheet.kind == "json" else "rows"
        out.append(
            f"{word.capitalize()} without any value, skipped: "
            f"{', '.join(map(str, sheet.empty_rows))}."
        )
        out.append("")
    return "\n".join(out)


def _md_not_evaluated(catalog: Catalog, section: Section) -> list[str]:
    absent_all, partial = _split_not_evaluated(catalog, section)
    items = [f"none of their inputs given: IKU {_number_spans(absent_all)}"] if absent_all else []
    items.extend(
        f"**IKU {number}** {_md(catalog[number].display_name)}: missing "
        f"{', '.join(section.not_evaluated[number])}"
        for number in partial
    )
    return items


# --------------------------------------------------------------------------- XLSX


def _number_cell(number: Decimal | None) -> float | None:
    return None if number is None else float(number)


def write_xlsx(report: Report, path: str | os.PathLike[str]) -> Path:
    """Write the report as an XLSX workbook: ``ringkasan`` (a line per section), ``hasil``
    (every result, filterable) and ``catatan`` (every undefined result, warning, broken
    rule, unevaluated indicator and missing column). Needs openpyxl (the ``xlsx`` extra)."""
    openpyxl = _require("openpyxl", "xlsx", "writing an .xlsx report")
    from openpyxl.styles import Alignment, Font, PatternFill

    target = Path(path)
    catalog = report.catalog
    places = catalog.achievement_rule.places
    number_format = "0" if places == 0 else "0." + "0" * places
    bold = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    fills = {
        "met": PatternFill("solid", fgColor="C6EFCE"),
        "not_met": PatternFill("solid", fgColor="FFC7CE"),
        "undefined": PatternFill("solid", fgColor="FFEB9C"),
    }
    top = Alignment(wrap_text=True, vertical="top")

    book = openpyxl.Workbook()
    summary = book.active
    summary.title = "ringkasan"
    summary.append([f"Laporan IKU: {catalog.title}"])
    summary["A1"].font = Font(bold=True, size=13)
    summary.append([f"Sumber: {report.source}; tingkat: {report.level}"])
    summary.append([])
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
    summary.append(summary_header)
    for section in report.sections:
        summary.append(
            [
                section.unit or "",
                section.period or "",
                len(section.rows),
                section.count("met"),
                section.count("not_met"),
                section.count("undefined"),
                len(section.not_evaluated),
                len(section.violations),
            ]
        )
    if report.row_problems:
        summary.append([])
        summary.append(["Periksa data per baris (lihat catatan)", len(report.row_problems)])
    _style_header(summary, 4, len(summary_header), bold, header_fill)
    for letter, width in zip("ABCDEFGH", (36, 16, 14, 10, 14, 16, 16, 16), strict=True):
        summary.column_dimensions[letter].width = width

    results = book.create_sheet("hasil")
    headers = [
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
    ]
    results.append(headers)
    _style_header(results, 1, len(headers), bold, header_fill)
    for section in report.sections:
        for number, evaluation in section.results.items():
            multi = bool(evaluation.parts)
            reasons = [evaluation.reason] if evaluation.reason else []
            reasons.extend(_other_warnings(evaluation))
            reasons.extend(str(v) for v in evaluation.violations)
            results.append(
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
                    _fraction(evaluation.value) or "",
                    _fraction(evaluation.achievement) or "",
                ]
            )
            row = results.max_row
            for column in (6, 8):
                results.cell(row, column).number_format = number_format
            results.cell(row, 9).fill = fills[evaluation.status.value]
            for column in (5, 10):
                results.cell(row, column).alignment = top
    results.freeze_panes = "E2"
    results.auto_filter.ref = f"A1:L{results.max_row}"
    for letter, width in zip(
        "ABCDEFGHIJKL", (9, 30, 14, 5, 60, 12, 22, 12, 17, 60, 18, 18), strict=True
    ):
        results.column_dimensions[letter].width = width

    notes = book.create_sheet("catatan")
    note_headers = ["Jenis", "Unit", "Periode", "Baris", "IKU", "Keterangan"]
    notes.append(note_headers)
    _style_header(notes, 1, len(note_headers), bold, header_fill)
    for note in report_notes(report):
        notes.append(
            [
                note.kind,
                note.unit or "",
                note.period or "",
                note.where or "",
                ", ".join(map(str, note.numbers)),
                note.text,
            ]
        )
        notes.cell(notes.max_row, 6).alignment = top
    notes.freeze_panes = "A2"
    notes.auto_filter.ref = f"A1:F{max(notes.max_row, 1)}"
    for letter, width in zip("ABCDEF", (18, 30, 14, 34, 16, 100), strict=True):
        notes.column_dimensions[letter].width = width
    book.save(target)
    return target


def _style_header(sheet: Any, row: int, columns: int, font: Any, fill: Any) -> None:
    for column in range(1, columns + 1):
        cell = sheet.cell(row, column)
        cell.font = font
        cell.fill = fill
