"""CSV sheets: comma or semicolon separated, decimal commas accepted.

The text is read bounded (:mod:`.files`) and parsed a line at a time, so that no copy of the
whole file is made beside its text. The separator is the one (``,`` or ``;``) under which
the first rows name more known columns (on a tie, the one the first line holds more of). A
first row starting with :data:`~.model.RECORD_MARKER` is the record of the template the
sheet was made from (:class:`~.model.SheetRecord`). A cell longer than
:data:`~.model.MAX_FIELD_CHARS` is refused, naming its row.

Text written by :func:`~iku_formula.sheets.write_sheet` reads back as it was: a cell that
starts with ``'`` followed by what a spreadsheet program takes for a formula (``'=x``: how
:func:`~iku_formula.escaping.csv_field` escapes it) or by another ``'`` (``''x``: how the
writer keeps a leading ``'``) is read without its first ``'``.
"""

from __future__ import annotations

__all__ = [
    "read_csv",
    "unescape_cell",
]


import csv
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Place, SheetError
from ..escaping import starts_like_formula
from .files import read_text
from .model import (
    HEADER_SCAN_ROWS,
    KEY_COLUMNS,
    MAX_FIELD_CHARS,
    RECORD_MARKER,
    ReadOptions,
    Sheet,
    SheetRecord,
)
from .table import read_table

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


def read_csv(source: Path, catalog: Catalog, options: ReadOptions | None = None) -> Sheet:
    text = read_text(source)
    rows = _csv_rows(source, text, _delimiter(text, catalog))
    first = next(rows, None)
    record = None
    if first is not None and first[1][0] == RECORD_MARKER:
        record = SheetRecord.from_cells(first[1], Place(str(source), row=first[0]))
    elif first is not None:
        rows = itertools.chain([first], rows)
    return read_table(
        source, "csv", None, rows, catalog, options=options, record=record, text_cells=True
    )


def unescape_cell(cell: str) -> str:
    """A CSV cell as it was before :func:`~iku_formula.escaping.csv_field` and the writer."""
    if cell[:1] == "'" and (cell[1:2] == "'" or starts_like_formula(cell[1:])):
        return cell[1:]
    return cell


def _lines(text: str, consumed: list[int]) -> Iterator[str]:
    """The lines of ``text``, each with its line break (only "\\n" ends a line); adds the
    characters given out to ``consumed[0]``."""
    start, find, size = 0, text.find, len(text)
    while start < size:
        end = find("\n", start)
        end = size if end < 0 else end + 1
        consumed[0] += end - start
        yield text[start:end]
        start = end


def _delimiter(text: str, catalog: Catalog) -> str:
    known = {*KEY_COLUMNS, *catalog.inputs}
    head = list(itertools.islice(_lines(text, [0]), HEADER_SCAN_ROWS + 1))
    first_line = next((line for line in head if line.strip()), "")
    scores = {}
    for delimiter in (",", ";"):
        try:
            rows = list(csv.reader(head, delimiter=delimiter))
        except csv.Error:
            rows = []
        named = max((sum(cell.strip() in known for cell in row) for row in rows), default=0)
        scores[delimiter] = (named, first_line.count(delimiter))
    return ";" if scores[";"] > scores[","] else ","


def _csv_rows(path: Path, text: str, delimiter: str) -> Iterator[tuple[int, Sequence[object]]]:
    """The non-blank rows, each with its first line's number; located csv errors."""
    consumed = [0]
    reader = csv.reader(_lines(text, consumed), delimiter=delimiter, strict=True)
    escaped = "'" in text
    line, read = 1, 0
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if consumed[0] - read > MAX_FIELD_CHARS and any(
                len(cell) > MAX_FIELD_CHARS for cell in row
            ):
                raise _long_cell(path, start)
            read = consumed[0]
            if any(row) and any(cell.strip() for cell in row):
                yield start, [unescape_cell(cell) for cell in row] if escaped else row
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise _long_cell(path, line) from None
        raise SheetError.at(Place(str(path), row=line), f"not valid CSV: {error}") from None


def _long_cell(path: Path, row: int) -> SheetError:
    return SheetError.at(
        Place(str(path), row=row),
        f"a cell is longer than the limit MAX_FIELD_CHARS ({MAX_FIELD_CHARS:,} characters)",
    )
