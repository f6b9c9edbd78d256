"""Reading realisasi sheets: the file types (READERS) and the one entry point, read_sheet."""

from __future__ import annotations

__all__ = [
    "READERS",
    "read_sheet",
]


from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, Place, SheetError
from ..i18n import _
from .csv import read_csv
from .json import read_json
from .model import NUMBER_STYLES, ReadOptions, Sheet
from .xlsx import read_xlsx

if TYPE_CHECKING:
    import os

    from ..catalog.registry import Catalog


def read_sheet(
    path: str | os.PathLike[str],
    catalog: Catalog,
    *,
    number_style: str | None = None,
    new_units: bool = False,
    ignore_columns: Sequence[str] = (),
) -> Sheet:
    """Read and check a realisasi file: .csv, .xlsx or .json.

    Raises one :class:`SheetError` listing every problem found, grouped by kind, each naming
    the file, sheet, row and column: an unknown column (with the closest input name), a
    row of values above the header, text in a number cell, a text number with two readings
    ("1.234": give ``number_style``), a value the input does not allow (a negative count, a
    score out of range), a period that is no quarter, a unit name with control characters,
    two units that look like one written two ways (unless ``new_units``), a unit the template
    the sheet was made from does not list (unless ``new_units``), two rows for the same unit
    and period. Columns named in ``ignore_columns``, and the usual free-text columns
    (``keterangan``, ``catatan``, ``no``), are ignored and listed in :attr:`Sheet.ignored`.
    ``number_style`` is "id" (1.234,5) or "en" (1,234.5); the rules are those of
    :mod:`iku_formula.sheets.table`. A file that cannot be read raises SheetError too; an
    XLSX file without openpyxl raises MissingDependencyError.
    """
    if number_style is not None and number_style not in NUMBER_STYLES:
        raise InputError(
            _("number style {style!r}: give 'id' (1.234,5) or 'en' (1,234.5), or None").format(
                style=number_style
            )
        )
    if isinstance(ignore_columns, str):
        ignore_columns = (ignore_columns,)  # one name, not its letters
    options = ReadOptions(number_style, bool(new_units), tuple(map(str, ignore_columns)))
    source = Path(path)
    reader = READERS.get(source.suffix.lower())
    if reader is None:
        *first, last = READERS
        known = ", ".join(first) + _(" or ") + last
        raise SheetError.at(
            Place(str(source)),
            _("unknown file type {suffix!r}; give a {known} file").format(
                suffix=source.suffix or _("(none)"), known=known
            ),
        )
    return reader(source, catalog, options)


READERS: Mapping[str, Callable[[Path, Catalog, ReadOptions], Sheet]] = {
    ".csv": read_csv,
    ".xlsx": read_xlsx,
    ".xlsm": read_xlsx,
    ".json": read_json,
}
"""The file types a realisasi sheet may be, by suffix, and how each is read."""
