"""CSV sheets: comma or semicolon separated, decimal commas accepted.

The text is read bounded (:mod:`.files`) and parsed row by row, each row handed on to the
table checks at once (only the first rows are kept, while the header is looked for). The
separator is the one (``,`` or ``;``) under which the first rows name more known columns (on
a tie, the one the first line holds more of). A first row starting with
:data:`~.model.RECORD_MARKER` is the record of the template the sheet was made from
(:class:`~.model.SheetRecord`). A cell longer than :data:`~.model.MAX_FIELD_CHARS` is
refused, naming its row.

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
import io
import itertools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Place, SheetError
from ..escaping import starts_like_formula
from ..i18n import _
from ..numbers import localized
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


def _head(text: str, count: int) -> list[str]:
    """The first ``count`` lines of ``text``, each with its line break."""
    return io.StringIO(text[: count * (MAX_FIELD_CHARS + 1)], newline="").readlines()[:count]


def _delimiter(text: str, catalog: Catalog) -> str:
    known = {*KEY_COLUMNS, *catalog.inputs}
    head = _head(text, HEADER_SCAN_ROWS + 1)
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
    """The non-blank rows, each with its first line's number; located csv errors.

    The csv module reads the text through a StringIO (four bytes a character, at most four
    times MAX_DATA_BYTES) at its own speed, and blank lines are dropped at that speed too:
    19 million of them in about a second.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    escaped = "'" in text
    end = 0  # the last line of the last row read
    try:
        for row in filter(None, reader):  # a blank line is an empty list
            end = reader.line_num
            joined = "".join(row)
            start = end - joined.count("\n")  # a quoted cell may hold line breaks
            if len(joined) > MAX_FIELD_CHARS and any(len(cell) > MAX_FIELD_CHARS for cell in row):
                raise _long_cell(path, start)
            if not joined.isspace() and joined:
                yield start, [unescape_cell(cell) for cell in row] if escaped else row
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise _long_cell(path, end + 1) from None
        raise SheetError.at(
            Place(str(path), row=end + 1), _("not valid CSV: {error}").format(error=error)
        ) from None


def _long_cell(path: Path, row: int) -> SheetError:
    return SheetError.at(
        Place(str(path), row=row),
        _("a cell is longer than the limit MAX_FIELD_CHARS ({limit} characters)").format(
            limit=localized(MAX_FIELD_CHARS)
        ),
    )
