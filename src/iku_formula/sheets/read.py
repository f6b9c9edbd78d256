"""Reading realisasi sheets: the file types (READERS) and the one entry point, read_sheet."""

from __future__ import annotations

__all__ = [
    "READERS",
    "read_sheet",
]


from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Place, SheetError
from .csv import read_csv
from .json import read_json
from .model import (
    Sheet,
)
from .xlsx import read_xlsx

if TYPE_CHECKING:
    import os

    from ..catalog.registry import Catalog


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


READERS: Mapping[str, Callable[[Path, Catalog], Sheet]] = {
    ".csv": read_csv,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
    ".json": read_json,
}
"""The file types a realisasi sheet may be, by suffix, and how each is read."""
