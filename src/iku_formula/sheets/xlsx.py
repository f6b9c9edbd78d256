"""XLSX sheets, read with openpyxl (the ``xlsx`` extra)."""

from __future__ import annotations

__all__ = [
    "read_xlsx",
]


import io
from pathlib import Path
from typing import TYPE_CHECKING

from .._optional import require
from ..errors import Place, SheetError
from .files import read_bytes
from .model import (
    DATA_SHEET,
    INFO_SHEET,
    Sheet,
)
from .table import Rows, is_filled, read_table

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


def read_xlsx(source: Path, catalog: Catalog) -> Sheet:
    sheet_name, rows = _xlsx_rows(source)
    return read_table(source, "xlsx", sheet_name, rows, catalog)


def _xlsx_rows(path: Path) -> tuple[str, Rows]:
    openpyxl = require("openpyxl", "xlsx", "reading an .xlsx file")
    data = read_bytes(path)
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
            if any(is_filled(cell) for cell in cells):
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
