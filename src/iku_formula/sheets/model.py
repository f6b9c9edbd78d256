"""A realisasi sheet in memory: its rows, each value checked and exact, and where each came from."""

from __future__ import annotations

__all__ = [
    "CREATOR",
    "DATA_SHEET",
    "DEFAULT_UNIT",
    "HEADER_SCAN_ROWS",
    "INFO_SHEET",
    "KEY_COLUMNS",
    "MAX_DATA_BYTES",
    "TEMPLATE_KEYWORDS",
    "PercentCell",
    "Sheet",
    "SheetRow",
    "input_users",
    "sheet_inputs",
]

from collections.abc import Mapping
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..model import Input

if TYPE_CHECKING:
    from ..catalog.registry import Catalog

from .._optional import require
from ..errors import Place
from ..periods import period_sort_key

CREATOR = "iku-formula"
"""The creator written into the document properties of every workbook this program makes."""
TEMPLATE_KEYWORDS = "iku-formula lembar realisasi"
"""The keywords of a template workbook: a sheet a person fills in, never taken for a report."""
KEY_COLUMNS = ("unit", "period")
"""Columns that say which unit and period a row is for; every other column is an input."""


DATA_SHEET = "realisasi"
"""The XLSX sheet holding the values."""


INFO_SHEET = "keterangan"
"""The XLSX sheet describing every input."""


DEFAULT_UNIT = "Kanwil Bali"
"""The unit of a template when no units are given."""


MAX_DATA_BYTES = 20_000_000
"""Largest realisasi file read."""


HEADER_SCAN_ROWS = 10
"""The header row (the one naming the columns) is looked for among this many first rows."""


@attrs.frozen
class PercentCell:
    """A spreadsheet cell shown as a percent: stored 0.9, formatted "90%", seen as 90%.

    The XLSX reader hands such a cell over as it was seen, so that the checks of the
    table (:mod:`.table`) read it as 90 where the input is a percentage or a 0-100 score,
    and refuse it, naming the cell, anywhere else: what the person saw is what is read.
    """

    stored: object
    """The cell's stored value (0.9)."""
    number_format: str
    """The cell's number format ("0%", "0.00%")."""


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
        return tuple(sorted(seen, key=period_sort_key))

    def to_frame(self, *, exact: bool = False) -> Any:
        """The rows as a pandas DataFrame: ``unit``, ``period``, then one column per input.

        The input columns are floats with NaN for an empty cell, ready for
        :meth:`Catalog.aggregate` and :meth:`Catalog.evaluate_frame`; with ``exact`` they
        hold the exact :class:`~fractions.Fraction` values instead (dtype object, None for
        an empty cell). Needs pandas (the ``frames`` extra).
        """
        pandas = require("pandas", "frames", "a DataFrame")
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


def sheet_inputs(catalog: Catalog) -> tuple[Input, ...]:
    """The catalog's inputs in sheet order: by the first indicator using them, then the rest."""
    order: dict[str, Input] = {}
    for indicator in catalog:
        for spec in indicator.input_specs:
            order.setdefault(spec.name, catalog.inputs[spec.name])
    for name, spec in catalog.inputs.items():
        order.setdefault(name, spec)
    return tuple(order.values())


def input_users(catalog: Catalog, name: str) -> list[int]:
    return [indicator.number for indicator in catalog if name in indicator.inputs]
