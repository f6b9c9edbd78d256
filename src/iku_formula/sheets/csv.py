"""CSV sheets: comma or semicolon separated, decimal commas accepted."""

from __future__ import annotations

__all__ = [
    "read_csv",
]


import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Place, SheetError
from .files import read_text
from .model import (
    Sheet,
)
from .table import Rows, read_table

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


def read_csv(source: Path, catalog: Catalog) -> Sheet:
    return read_table(source, "csv", None, _csv_rows(source), catalog)


def _csv_rows(path: Path) -> Rows:
    text = read_text(path)
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
