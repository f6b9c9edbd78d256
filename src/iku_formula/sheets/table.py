"""The checks every tabular sheet gets: the header row, every cell, the key columns."""

from __future__ import annotations

__all__ = [
    "Rows",
    "check_duplicates",
    "is_filled",
    "read_table",
]


import datetime
import difflib
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PeriodError, Place, SheetError, column_letter
from ..evaluation import (
    coerce_value,
)
from ..model import Input
from ..periods import normalise_period
from .model import (
    HEADER_SCAN_ROWS,
    KEY_COLUMNS,
    Sheet,
    SheetRow,
    input_users,
)

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


Rows = list[tuple[int, list[object]]]
"""Non-blank rows, each with the 1-based row number a spreadsheet program shows."""


def is_filled(cell: object) -> bool:
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


def read_table(
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
    check_duplicates(sheet)
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
            filled = [number for number, cells in data_rows if is_filled(_cell(cells, index - 1))]
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
            if not is_filled(cell):
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


def check_duplicates(sheet: Sheet) -> None:
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
