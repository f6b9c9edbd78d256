"""XLSX sheets, read with openpyxl (the ``xlsx`` extra): bounded, checked, nothing dropped.

**Bounded.** Before openpyxl sees a byte, :mod:`._xlsxguard` checks the zip's own
directory and streams every XML part through defusedxml (no DTD, so no entity expansion
and no external entity), counting what is really there. A workbook is refused, naming the
limit, when it passes one of:

* :data:`MAX_PARTS` (1,000): parts (zip members);
* :data:`MAX_UNCOMPRESSED_BYTES` (50,000,000): bytes all parts inflate to, as the zip
  declares them;
* :data:`MAX_EXPANSION_RATIO` (100): how many times a part above
  :data:`EXPANSION_FLOOR_BYTES` (1,000,000 bytes) may inflate;
* :data:`MAX_XML_ELEMENTS` (5,000,000): XML elements in the whole workbook;
* :data:`MAX_TREE_ELEMENTS` (100,000): elements of one part outside a sheet's rows;
* :data:`MAX_SHEETS` (200): sheets listed;
* :data:`MAX_ROW_NUMBER` (200,000): the highest row number of a worksheet;
* :data:`MAX_COLUMN_NUMBER` (1,024): the highest column number of a worksheet;
* :data:`MAX_GRID_CELLS` (300,000): cells of a worksheet, each row counted up to its last
  cell;
* :data:`MAX_CELL_CHARACTERS` (32,767, Excel's own limit): characters of one cell's text.

A filled Kanwil workbook (some 30 units, 4 quarters, 105 inputs) is far below every one.
openpyxl then reads in read-only mode, streaming rows; the declared ``<dimension>`` is
ignored (``reset_dimensions``): rows are iterated as they are, and the limits are held
again while iterating. Merged ranges are never expanded.

**Which sheet.** The sheet :data:`~.model.DATA_SHEET` (``realisasi``) when there is one,
refused when hidden; otherwise the only visible sheet holding values
(:data:`~.model.INFO_SHEET` aside). A hidden sheet is never read; several candidate
sheets are refused, listing them (one sheet per quarter ``TW1`` to ``TW4`` too, saying
how to put them together).

**What is read.** A number shown as a percent (stored 0.9, number format ``0%``) is
handed on as :class:`~.model.PercentCell`, so the table checks read it as the person saw
it; dates, booleans and error values (``#DIV/0!``) go on as what they are, for the checks
to refuse by name. A formula cell gives the value the spreadsheet program last computed
(a second streaming pass), or a :class:`~.model.FormulaCell` when it was never computed.

**No tracebacks.** Every failure of a damaged or hostile file is a :class:`SheetError`
naming the file, and the sheet and cell where known: the guard locates bad cells, rows and
ranges itself; what openpyxl still raises (the exceptions listed in ``_BROKEN``) is caught
around each of its calls, never around this module's own code.
"""

from __future__ import annotations

__all__ = [
    "EXPANSION_FLOOR_BYTES",
    "MAX_CELL_CHARACTERS",
    "MAX_COLUMN_NUMBER",
    "MAX_EXPANSION_RATIO",
    "MAX_GRID_CELLS",
    "MAX_PARTS",
    "MAX_ROW_NUMBER",
    "MAX_SHEETS",
    "MAX_TREE_ELEMENTS",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_XML_ELEMENTS",
    "XlsxRows",
    "choose_sheet",
    "read_xlsx",
    "shown_as_percent",
    "xlsx_rows",
]


import functools
import io
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .._optional import require
from ..errors import Place, SheetError
from ..i18n import _
from ..periods import QUARTERS
from ._xlsxguard import (
    EXPANSION_FLOOR_BYTES,
    MAX_CELL_CHARACTERS,
    MAX_COLUMN_NUMBER,
    MAX_EXPANSION_RATIO,
    MAX_GRID_CELLS,
    MAX_PARTS,
    MAX_ROW_NUMBER,
    MAX_SHEETS,
    MAX_TREE_ELEMENTS,
    MAX_UNCOMPRESSED_BYTES,
    MAX_XML_ELEMENTS,
    check_workbook,
)
from .files import read_bytes
from .model import (
    DATA_SHEET,
    INFO_SHEET,
    RECORD_PROPERTY,
    FormulaCell,
    PercentCell,
    ReadOptions,
    Sheet,
    SheetRecord,
)
from .table import Rows, is_filled, read_table

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


def read_xlsx(source: Path, catalog: Catalog, options: ReadOptions | None = None) -> Sheet:
    """Read and check the workbook ``source``: its data sheet, by the table checks."""
    found = xlsx_rows(source)
    return read_table(
        source, "xlsx", found.sheet, found.rows, catalog, options=options, record=found.record
    )


@attrs.frozen
class XlsxRows:
    """What the reader takes from a workbook, for the table checks."""

    sheet: str
    """The name of the sheet read."""
    rows: Rows
    """Its non-blank rows, each cell as the person saw it (a value, a PercentCell, a
    FormulaCell for a formula never computed, a date, a boolean, an error text)."""
    record: SheetRecord | None
    """What the template the workbook was made from records (its document property
    :data:`~.model.RECORD_PROPERTY`), or None."""


def _broken() -> tuple[type[BaseException], ...]:
    """What openpyxl (and zipfile and defusedxml beneath it) raise for a damaged workbook.

    ValueError (a bad number, reference or range; defusedxml's refusals; openpyxl's
    "Unable to read workbook"), TypeError (a descriptor given the wrong kind of value),
    KeyError (a missing part or attribute), IndexError (a style or shared text that does
    not exist), SyntaxError (``xml.etree.ElementTree.ParseError``: malformed XML), the
    zip's errors, and openpyxl's own exception classes. Caught only around openpyxl's calls.
    """
    exceptions = require("openpyxl.utils.exceptions", "xlsx", "reading an .xlsx file")
    return (
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        SyntaxError,
        OSError,
        EOFError,
        zlib.error,
        zipfile.BadZipFile,
        exceptions.InvalidFileException,
        exceptions.CellCoordinatesException,
    )


def xlsx_rows(path: Path, data_sheet: str = DATA_SHEET) -> XlsxRows:
    """The chosen sheet of the workbook at ``path``, its rows and the template's record.

    ``data_sheet`` is the sheet read when there is one (:data:`~.model.DATA_SHEET`; a
    target sheet's is ``target``), unless the template's record names another."""
    openpyxl = require("openpyxl", "xlsx", "reading an .xlsx file")
    require("defusedxml", "xlsx", "reading an .xlsx file safely")
    data = read_bytes(path)
    check_workbook(path, data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
        book = _open(path, openpyxl, data, data_only=False)
        try:
            record = _record(path, book)
            sheet = choose_sheet(path, book, data_sheet if record is None else record.sheet)
            name = sheet.title
            rows, formulas = _read_rows(path, sheet)
        finally:
            book.close()
        if formulas:
            _computed_values(path, openpyxl, data, name, rows, formulas)
    return XlsxRows(name, rows, record)


def _record(path: Path, book: Any) -> SheetRecord | None:
    """The record of the template the workbook was made from (a custom document property)."""
    properties = book.custom_doc_props
    if RECORD_PROPERTY not in properties.names:
        return None
    value = properties[RECORD_PROPERTY].value
    return SheetRecord.from_json(str(value), Place(str(path)))


def _open(path: Path, openpyxl: Any, data: bytes, *, data_only: bool) -> Any:
    try:
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=data_only, keep_links=False
        )
    except _broken() as error:
        raise SheetError.at(
            Place(str(path)),
            _("not a readable .xlsx workbook: {reason}").format(reason=_reason(error)),
        ) from None


def _reason(error: BaseException) -> str:
    """The first line of the innermost cause (openpyxl wraps the real one)."""
    while error.__cause__ is not None:
        error = error.__cause__
    if isinstance(error, KeyError) and error.args:
        return _("{name} is missing").format(name=error.args[0])[
            :200
        ]  # a part of the archive, or an attribute
    lines = str(error).strip().splitlines() or [type(error).__name__]
    return lines[0][:200]


# -- which sheet ---------------------------------------------------------------------------


def choose_sheet(path: Path, book: Any, data_sheet: str = DATA_SHEET) -> Any:
    """The worksheet to read: ``data_sheet`` (the one the template names, ``realisasi``),
    or else the only visible one holding values.

    Never a hidden sheet; several candidates are an error listing them.
    """
    file = str(path)
    sheets = list(book.worksheets)  # chart sheets are no worksheets
    named = {sheet.title: sheet for sheet in sheets}
    if data_sheet in named:
        sheet = named[data_sheet]
        if sheet.sheet_state != "visible":
            raise SheetError.at(
                Place(file, data_sheet),
                _("the sheet is hidden; unhide it (the values read must be ones you can see)"),
            )
        return sheet
    visible = [s for s in sheets if s.sheet_state == "visible" and s.title != INFO_SHEET]
    hidden = [s.title for s in sheets if s.sheet_state != "visible"]
    unread = (
        " " + _("(hidden sheets are never read: {names})").format(names=_names(hidden))
        if hidden
        else ""
    )
    filled = [sheet for sheet in visible if _has_values(path, sheet)]
    if len(filled) == 1:
        return filled[0]
    if not filled:
        if visible:
            return visible[0]  # the table checks say it is empty, naming it
        raise SheetError.at(Place(file), _("the workbook has no visible sheet to read") + unread)
    names = _names([sheet.title for sheet in filled])
    if _one_per_quarter([sheet.title for sheet in filled]):
        raise SheetError.at(
            Place(file),
            _(
                "the workbook has one sheet per quarter ({names}); they are not read together: "
                "put their rows on one sheet named {sheet!r}, with a 'period' column "
                "saying the quarter (`iku template` makes such a sheet)"
            ).format(names=names, sheet=data_sheet),
        )
    raise SheetError.at(
        Place(file),
        _(
            "the workbook has {count} sheets with values ({names}) and none is named "
            "{sheet!r}: rename the one to read {sheet!r}, or delete or hide the others"
        ).format(count=len(filled), names=names, sheet=data_sheet),
    )


def _names(names: list[str]) -> str:
    return ", ".join(repr(name) for name in names)


def _one_per_quarter(names: list[str]) -> bool:
    """Whether the sheets are named after distinct quarters ("TW1", "tw 2", ...)."""
    labels = [name.replace(" ", "").upper() for name in names]
    return len(set(labels)) == len(labels) and all(label in QUARTERS for label in labels)


def _has_values(path: Path, sheet: Any) -> bool:
    rows = _sheet_rows(path, sheet)
    return any(any(is_filled(cell.value) for cell in row) for _number, row in rows)


# -- rows and cells ------------------------------------------------------------------------


def _sheet_rows(path: Path, sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The sheet's rows as they are (never by the declared dimension), within the limits."""
    sheet.reset_dimensions()
    rows = iter(sheet.iter_rows())
    number = 0
    grid = 0
    while True:
        try:
            row = next(rows, None)
        except _broken() as error:
            raise SheetError.at(
                Place(str(path), sheet.title),
                _("the sheet's data is damaged after row {number}: {reason}").format(
                    number=number, reason=_reason(error)
                ),
            ) from None
        if row is None:
            return
        number += 1
        grid += len(row)
        passed = (
            _("the sheet has a row {number}; the limit is {limit} rows (MAX_ROW_NUMBER)").format(
                number=number, limit=MAX_ROW_NUMBER
            )
            if number > MAX_ROW_NUMBER
            else _(
                "the sheet has {count} columns; the limit is {limit} (MAX_COLUMN_NUMBER)"
            ).format(count=len(row), limit=MAX_COLUMN_NUMBER)
            if len(row) > MAX_COLUMN_NUMBER
            else _("the sheet has more than {limit} cells (MAX_GRID_CELLS)").format(
                limit=MAX_GRID_CELLS
            )
            if grid > MAX_GRID_CELLS
            else None
        )
        if passed:
            raise SheetError.at(Place(str(path), sheet.title, number), passed)
        yield number, row


def _read_rows(path: Path, sheet: Any) -> tuple[Rows, list[tuple[int, int]]]:
    """The non-blank rows, and where the formula cells are: (index in rows, position)."""
    rows: Rows = []
    formulas: list[tuple[int, int]] = []
    for number, row in _sheet_rows(path, sheet):
        cells = [
            _cell_value(path, sheet.title, number, position, cell)
            for position, cell in enumerate(row)
        ]
        formulas.extend(
            (len(rows), position) for position, cell in enumerate(row) if cell.data_type == "f"
        )
        if any(is_filled(cell) for cell in cells):
            rows.append((number, cells))
    return rows, formulas


def _cell_value(path: Path, name: str, number: int, position: int, cell: Any) -> object:
    """The value as the person saw it: a number shown as a percent is a PercentCell."""
    value = cell.value
    if not isinstance(value, int | float) or isinstance(value, bool) or cell.data_type != "n":
        return value
    if not cell.has_style:
        return value
    try:
        number_format = cell.number_format
    except IndexError:
        raise SheetError.at(
            Place(str(path), name, number, position + 1),
            _(
                "the cell's style is not among the workbook's styles: the file is damaged; "
                "open it in a spreadsheet program and save it again"
            ),
        ) from None
    if isinstance(number_format, str) and shown_as_percent(number_format, value):
        return PercentCell(value, number_format)
    return value


def shown_as_percent(number_format: str, value: float) -> bool:
    """Whether a spreadsheet program shows ``value`` in ``number_format`` times 100, with %.

    A ``%`` scales the number unless it is quoted (``0"%"``) or escaped (``0\\%``). The
    section used follows the sign (positive; negative; zero), as spreadsheet programs do;
    with conditions (``[>100]``) any section with a percent counts.
    """
    sections, conditional = _percent_sections(number_format)
    if conditional or len(sections) == 1:
        return any(sections)
    if value < 0:
        return sections[1]
    if value == 0 and len(sections) > 2:
        return sections[2]
    return sections[0]


@functools.lru_cache(maxsize=256)
def _percent_sections(number_format: str) -> tuple[tuple[bool, ...], bool]:
    """For each section of the format, whether it has a scaling %; and any conditions."""
    sections: list[bool] = [False]
    conditional = False
    characters = iter(number_format)
    for character in characters:
        if character == '"':
            for closing in characters:
                if closing == '"':
                    break
        elif character in "\\_*":
            next(characters, None)  # an escaped, spacing or fill character
        elif character == "[":
            inside = "".join(iter(lambda: next(characters, "]"), "]"))
            conditional = conditional or inside[:1] in "<>="
        elif character == ";":
            sections.append(False)
        elif character == "%":
            sections[-1] = True
    return tuple(sections), conditional


def _computed_values(
    path: Path, openpyxl: Any, data: bytes, name: str, rows: Rows, formulas: list[tuple[int, int]]
) -> None:
    """Replace formula cells by the values the spreadsheet program last computed.

    A second streaming pass over the same sheet, reading the stored values (openpyxl's
    ``data_only``); it stops after the last row holding a formula. A formula whose value was
    never computed becomes a :class:`~.model.FormulaCell`, which the table checks report
    with every other problem of the sheet.
    """
    wanted: dict[int, list[tuple[int, int]]] = {}
    for index, position in formulas:
        wanted.setdefault(rows[index][0], []).append((index, position))
    last = max(wanted)
    book = _open(path, openpyxl, data, data_only=True)
    try:
        for number, row in _sheet_rows(path, book[name]):
            for index, position in wanted.get(number, ()):
                cell = row[position] if position < len(row) else None
                value = None if cell is None else _cell_value(path, name, number, position, cell)
                cells = rows[index][1]
                cells[position] = (
                    FormulaCell(_formula_text(cells[position])) if value is None else value
                )
            if number >= last:
                break
    finally:
        book.close()


def _formula_text(formula: object) -> str:
    """The text of a formula as openpyxl gives it ("=SUM(C2:C5)", or an array formula's)."""
    text = getattr(formula, "text", formula)  # openpyxl's ArrayFormula holds it as .text
    return text if isinstance(text, str) else str(formula)
