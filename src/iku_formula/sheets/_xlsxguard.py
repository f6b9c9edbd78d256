"""The checks an XLSX workbook passes before openpyxl reads it: its zip, then its XML.

An .xlsx file is a zip archive of XML parts. openpyxl trusts both: it inflates whatever a
part's data expands to, believes a sheet's declared ``<dimension>``, holds most parts as
whole XML trees, and reports a damaged part with an exception that names no cell. This
module looks first, with bounded work, and refuses with a located :class:`SheetError`:

1. **The zip** (:func:`check_workbook`, from the archive's own directory, before anything
   is inflated): at most :data:`MAX_PARTS` parts, no part named twice, no encrypted part,
   no compression but *stored* and *deflated*, at most :data:`MAX_UNCOMPRESSED_BYTES`
   once inflated (the sizes the archive declares: :mod:`zipfile` never yields more than a
   part's declared size and checks its CRC), and no part above
   :data:`EXPANSION_FLOOR_BYTES` that inflates more than :data:`MAX_EXPANSION_RATIO`
   times.
2. **The XML** of every part, streamed through defusedxml's parser (no tree is built):
   no DTD at all (so no entity expansion, no external entity), at most
   :data:`MAX_XML_ELEMENTS` elements in the workbook, at most :data:`MAX_TREE_ELEMENTS`
   in any part outside a worksheet's rows (openpyxl holds those as trees), at most
   :data:`MAX_SHEETS` sheets; in a worksheet no row number above :data:`MAX_ROW_NUMBER`, no
   column above :data:`MAX_COLUMN_NUMBER`, at most :data:`MAX_GRID_CELLS` cells (each row up
   to its last cell), counted from the rows and cells present, never from the declared
   dimension, and no cell text above :data:`MAX_CELL_CHARACTERS`. The scan stops at the
   first limit passed, so a hostile part costs no more than the limit.
3. **What openpyxl would misread or drop** in a worksheet, each located by cell: a bad
   cell or row reference, rows or cells out of order (openpyxl's read-only reader drops
   them), a cell outside its row, an unknown cell type, a number cell whose text is no
   number, a boolean that is not 0 or 1, a shared string that does not exist, a bad date,
   a bad style number; a bad range in a merge, hyperlink, data validation, conditional
   format or the dimension; a column width entry with bad bounds or width.

A part that does not start as XML (an image) is left alone: openpyxl never parses it, and
if it did, its parser would fail on it as this one did.
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
    "check_workbook",
]

import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

from .._optional import require
from ..errors import MAX_PROBLEMS, Place, SheetError
from ..i18n import N_, _

MAX_PARTS = 1_000
"""Most parts (zip members) in a workbook; a real one has a few dozen."""
MAX_UNCOMPRESSED_BYTES = 50_000_000
"""Most bytes all the parts of a workbook may inflate to (a filled Kanwil workbook: < 2 MB)."""
MAX_EXPANSION_RATIO = 100
"""Most times a part above :data:`EXPANSION_FLOOR_BYTES` may inflate (real XML: 5 to 20)."""
EXPANSION_FLOOR_BYTES = 1_000_000
"""Parts inflating to less than this are not held to :data:`MAX_EXPANSION_RATIO`."""
MAX_XML_ELEMENTS = 5_000_000
"""Most XML elements in all the parts of a workbook together (bounds the time to read it)."""
MAX_TREE_ELEMENTS = 100_000
"""Most elements of one part outside a worksheet's rows (openpyxl holds them in memory)."""
MAX_SHEETS = 200
"""Most sheets a workbook may list."""
MAX_ROW_NUMBER = 200_000
"""Highest row number read from a worksheet (Excel allows 1,048,576)."""
MAX_COLUMN_NUMBER = 1_024
"""Highest column number read from a worksheet (Excel allows 16,384; the catalog has ~100
inputs)."""
MAX_GRID_CELLS = 300_000
"""Most cells of one worksheet, filled or not, each row counted up to its last cell (what a
reader holds: a row with one cell in column 500 counts 500)."""
MAX_CELL_CHARACTERS = 32_767
"""Longest text of a cell (Excel's own limit)."""

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_WORKSHEET, _SHEET_DATA, _ROW, _C, _V = (
    _MAIN + name for name in ("worksheet", "sheetData", "row", "c", "v")
)
_WORKBOOK, _SHEET, _SST, _SI, _COL = (
    _MAIN + name for name in ("workbook", "sheet", "sst", "si", "col")
)
_RELATIONSHIP, _RELATION_ID = _RELS + "Relationship", _DOC_RELS + "id"
_CELL_TYPES = frozenset({"n", "s", "b", "e", "str", "inlineStr", "d"})
_CELL_REF = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})\Z")
_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")
_INDEX = re.compile(r"[0-9]{1,9}\Z")
_CHUNK = 1 << 16
_TEXT_ROOTS = frozenset({_WORKSHEET, _SST})
_RANGE_ATTRIBUTES = {
    f"{_MAIN}mergeCell": ("ref", N_("merged range")),
    f"{_MAIN}hyperlink": ("ref", N_("hyperlink")),
    f"{_MAIN}dataValidation": ("sqref", N_("data validation")),
    f"{_MAIN}conditionalFormatting": ("sqref", N_("conditional format")),
    f"{_MAIN}dimension": ("ref", N_("dimension")),
}
"""Worksheet elements that name cell ranges, the attribute holding them, and what they are."""


class _Limit(Exception):  # noqa: N818 - control flow inside this module, never leaves it
    """A limit passed: stop scanning at once."""


class _Problems:
    """Problems found, each (part, row, column, message); sheet names filled in at the end."""

    def __init__(self) -> None:
        self.found: list[tuple[str, int | None, int | None, str]] = []
        self.sheet_parts: dict[str, str] = {}
        """part -> sheet name, from the workbook part and its relationships."""
        self.workbook_sheets: dict[str, list[tuple[str, str]]] = {}
        """workbook part -> its sheets, each (name, relationship id)."""
        self.relationships: dict[str, dict[str, str]] = {}
        """relationships part -> {id: target}."""
        self.elements = 0
        self.strings = 0
        """How many shared texts the workbook has."""
        self.string_uses: list[tuple[str, int, int, int]] = []
        """The highest shared text number each worksheet uses: (part, number, row, column)."""

    def check_strings(self) -> None:
        """Every shared text number used names a shared text (openpyxl fails otherwise)."""
        for part, index, row, column in self.string_uses:
            if index >= self.strings:
                self.add(
                    part,
                    row,
                    column,
                    _(
                        "the cell names shared text number {index}, but the workbook has "
                        "{count} shared texts"
                    ).format(index=index, count=self.strings),
                )

    def add(self, part: str, row: int | None, column: int | None, message: str) -> None:
        self.found.append((part, row, column, message))
        if len(self.found) > MAX_PROBLEMS:
            raise _Limit

    def error(self, path: Path) -> SheetError:
        self._name_sheets()
        problems = []
        for part, row, column, message in self.found:
            sheet = self.sheet_parts.get(part)
            where = "" if sheet else _("part {name!r}: ").format(name=part)
            problems.append((Place(str(path), sheet, row, column), where + message))
        return SheetError(problems)

    def _name_sheets(self) -> None:
        for workbook, sheets in self.workbook_sheets.items():
            folder, base = posixpath.split(workbook)
            targets = self.relationships.get(posixpath.join(folder, "_rels", base + ".rels"), {})
            for name, rel in sheets:
                target = targets.get(rel)
                if target is not None:
                    part = target.lstrip("/") if target.startswith("/") else target
                    if not target.startswith("/"):
                        part = posixpath.normpath(posixpath.join(folder, target))
                    self.sheet_parts[part] = name


def check_workbook(path: Path, data: bytes) -> None:
    """Check the zip and every XML part of the workbook ``data`` (read from ``path``).

    Raises :class:`SheetError` naming the file, and the part, sheet and cell where known.
    """
    place = Place(str(path))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise SheetError.at(
            place,
            _(
                "not a readable .xlsx workbook: not a zip archive ({error}); an .xlsx file is one "
                "(an old .xls file or a workbook protected by a password is not)"
            ).format(error=error),
        ) from None
    with archive:
        parts = _check_zip(place, archive)
        problems = _Problems()
        try:
            for info in parts:
                _scan_part(place, archive, info, problems)
            if not problems.found:  # a shared-text part refused was not counted
                problems.check_strings()
        except _Limit:
            pass
        if problems.found:
            raise problems.error(path)


def _check_zip(place: Place, archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The parts, from the archive's directory, each checked before it is inflated.

    Returned in scanning order: relationships and the workbook part first, so that a
    problem found later in a worksheet can be named by its sheet.
    """
    infos = archive.infolist()
    if len(infos) > MAX_PARTS:
        raise SheetError.at(
            place,
            _("the workbook has {count} parts; the limit is {limit} (MAX_PARTS)").format(
                count=len(infos), limit=MAX_PARTS
            ),
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        if name in seen:
            raise SheetError.at(
                place, _("the workbook holds two parts named {name!r}").format(name=name)
            )
        seen.add(name)
        if info.flag_bits & 0x1:
            raise SheetError.at(
                place,
                _("part {name!r} is encrypted; save the workbook without a password").format(
                    name=name
                ),
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise SheetError.at(
                place,
                _(
                    "part {name!r} is compressed with method {method}, which a "
                    "workbook never uses (only stored and deflated)"
                ).format(name=name, method=info.compress_type),
            )
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise SheetError.at(
                place,
                _(
                    "the workbook inflates to more than {limit} bytes "
                    "(MAX_UNCOMPRESSED_BYTES; part {name!r} alone declares {size})"
                ).format(limit=MAX_UNCOMPRESSED_BYTES, name=name, size=info.file_size),
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > EXPANSION_FLOOR_BYTES and ratio > MAX_EXPANSION_RATIO:
            raise SheetError.at(
                place,
                _(
                    "part {name!r} inflates {ratio} times ({packed} to {size} bytes); the "
                    "limit is {limit} (MAX_EXPANSION_RATIO): the file is a zip bomb, not a "
                    "workbook"
                ).format(
                    name=name,
                    ratio=f"{ratio:.0f}",
                    packed=info.compress_size,
                    size=info.file_size,
                    limit=MAX_EXPANSION_RATIO,
                ),
            )

    def order(info: zipfile.ZipInfo) -> int:
        name = info.filename.lower()
        return 0 if name.endswith(".rels") else 1 if "workbook" in name else 2

    return sorted(infos, key=order)


def _chunks(place: Place, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The part's bytes, inflated a chunk at a time (never more than its declared size)."""
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise SheetError.at(
            place,
            _("part {name!r} is damaged and cannot be inflated ({error})").format(
                name=info.filename, error=error
            ),
        ) from None


def _scan_part(
    place: Place, archive: zipfile.ZipFile, info: zipfile.ZipInfo, problems: _Problems
) -> None:
    """Stream one part through the XML checks (a part that is not XML is skipped)."""
    defused = require("defusedxml.ElementTree", "xlsx", "reading an .xlsx file safely")
    common = require("defusedxml.common", "xlsx", "reading an .xlsx file safely")
    target = _PartScan(info.filename, problems)
    parser = defused.DefusedXMLParser(target=target, forbid_dtd=True)
    part = info.filename
    try:
        for chunk in _chunks(place, archive, info):
            parser.feed(chunk)
        parser.close()
    except ParseError as error:
        if not target.started:
            return  # not XML (an image, a binary part): openpyxl does not parse it either
        problems.add(
            part, None, None, _("the XML is not well-formed ({error})").format(error=error)
        )
    except common.DefusedXmlException as error:
        problems.add(
            part,
            None,
            None,
            _(
                "the XML holds a document type declaration ({type}); a workbook never does: "
                "its entities could expand without bound or read other files"
            ).format(type=type(error).__name__),
        )


class _PartScan:
    """The target of the XML parser for one part: counts, limits and the worksheet checks.

    Long by nature: one callback per XML event, each dispatching on the element's name;
    split further, every cell would pay for extra calls.
    """

    def __init__(self, part: str, problems: _Problems) -> None:
        self.part = part
        self.problems = problems
        self.started = False
        self.depth = 0
        self.root = ""
        self.worksheet = False
        self.tree_elements = 0
        self.in_rows = False
        self.sheets = 0
        self.row = 0
        self.column = 0
        self.cells = 0
        self.cell_type = "n"
        self.cell_ref = ""
        self.text: list[str] | None = None
        self.text_length = 0
        self.value: str | None = None
        self.strings = 0
        self.max_string: tuple[int, int, int] | None = None

    # -- the parser's callbacks ------------------------------------------------------------

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.started = True
        self.depth += 1
        self.text_length = 0
        problems = self.problems
        problems.elements += 1
        if problems.elements > MAX_XML_ELEMENTS:
            self._limit(
                _("the workbook has more than {limit} XML elements").format(limit=MAX_XML_ELEMENTS),
                "MAX_XML_ELEMENTS",
            )
        if self.depth == 1:
            self.root = tag
            self.worksheet = tag == _WORKSHEET
        if not self.in_rows:
            self.tree_elements += 1
            if self.tree_elements > MAX_TREE_ELEMENTS:
                self._limit(
                    (
                        _("the sheet has more than {limit} XML elements outside its rows")
                        if self.worksheet
                        else _("the part has more than {limit} XML elements outside its rows")
                    ).format(limit=MAX_TREE_ELEMENTS),
                    "MAX_TREE_ELEMENTS",
                )
        if self.worksheet:
            self._worksheet_start(tag, attrib)
        elif tag == _SHEET and self.root == _WORKBOOK:
            self.sheets += 1
            if self.sheets > MAX_SHEETS:
                self._limit(
                    _("the workbook lists more than {limit} sheets").format(limit=MAX_SHEETS),
                    "MAX_SHEETS",
                )
            rel = attrib.get(_RELATION_ID)
            if rel is not None:
                entry = (attrib.get("name", ""), rel)
                problems.workbook_sheets.setdefault(self.part, []).append(entry)
        elif tag == _RELATIONSHIP:
            targets = problems.relationships.setdefault(self.part, {})
            targets[attrib.get("Id", "")] = attrib.get("Target", "")
        elif tag == _SI and self.root == _SST:
            self.strings += 1

    def data(self, text: str) -> None:
        self.text_length += len(text)
        if self.text_length > MAX_CELL_CHARACTERS and self.root in _TEXT_ROOTS:
            self._limit(
                (
                    _("the sheet holds a text of more than {limit} characters")
                    if self.worksheet
                    else _("the part holds a text of more than {limit} characters")
                ).format(limit=MAX_CELL_CHARACTERS)
                + self._at(),
                "MAX_CELL_CHARACTERS",
            )
        if self.text is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        self.depth -= 1
        self.text_length = 0
        if not self.worksheet:
            return
        if tag == _V:
            self.value = "".join(self.text or ())
            self.text = None
        elif tag == _C:
            self._cell_end()
        elif tag == _ROW:
            self.cells += self.column
            if self.cells > MAX_GRID_CELLS:
                self._limit(
                    _("the sheet has more than {limit} cells (row {row} passes it)").format(
                        limit=MAX_GRID_CELLS, row=self.row
                    ),
                    "MAX_GRID_CELLS",
                )
        elif tag == _SHEET_DATA:
            self.in_rows = False

    def close(self) -> None:
        if self.root == _SST:
            self.problems.strings += self.strings
        if self.max_string is not None:
            self.problems.string_uses.append((self.part, *self.max_string))

    # -- worksheets ------------------------------------------------------------------------

    def _worksheet_start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag == _C:
            self._cell_start(attrib)
        elif tag == _V:
            self.text = []
        elif tag == _ROW:
            self._row_start(attrib)
        elif tag == _SHEET_DATA:
            self.in_rows = True
        elif tag == _COL:
            self._column_widths(attrib)
        elif tag in _RANGE_ATTRIBUTES:
            name, what = _RANGE_ATTRIBUTES[tag]
            self._ranges(attrib.get(name), what)

    def _row_start(self, attrib: dict[str, str]) -> None:
        text = attrib.get("r")
        if text is None:
            number = self.row + 1
        elif _INDEX.match(text) and int(text) > 0:
            number = int(text)
        else:
            self._problem(
                None, None, _("row number {text!r} is not a number 1 or more").format(text=text)
            )
            number = self.row + 1
        if number <= self.row:
            self._problem(
                number,
                None,
                _(
                    "row {number} comes after row {row}: the rows are out of order or "
                    "repeated (it would be dropped)"
                ).format(number=number, row=self.row),
            )
        if number > MAX_ROW_NUMBER:
            self._limit(
                _("the sheet has a row {number}; the limit is {limit} rows").format(
                    number=number, limit=MAX_ROW_NUMBER
                ),
                "MAX_ROW_NUMBER",
            )
        self.row = max(number, self.row)
        self.column = 0

    def _cell_start(self, attrib: dict[str, str]) -> None:
        ref = attrib.get("r")
        column = self.column + 1
        if ref is not None:
            match = _CELL_REF.match(ref)
            if match is None:
                self._problem(
                    self.row,
                    None,
                    _("cell reference {ref!r} is not a cell (as 'C5')").format(ref=ref),
                )
            else:
                column = _column_index(match[1])
                if int(match[2]) != self.row:
                    self._problem(
                        self.row,
                        None,
                        _("cell {ref} is written inside row {row}").format(ref=ref, row=self.row),
                    )
                if column <= self.column:
                    self._problem(
                        self.row,
                        None,
                        _(
                            "cell {ref} comes after column {column}: the cells of the row "
                            "are out of order or repeated (it would be dropped)"
                        ).format(ref=ref, column=self.column),
                    )
        if column > MAX_COLUMN_NUMBER:
            self._limit(
                _(
                    "the sheet has a cell in column {column} (row {row}); the limit is "
                    "{limit} columns"
                ).format(column=column, row=self.row, limit=MAX_COLUMN_NUMBER),
                "MAX_COLUMN_NUMBER",
            )
        self.column = max(column, self.column)
        self.cell_ref = ref or _("column {number}").format(number=column)
        self.cell_type = attrib.get("t", "n")
        self.value = None
        if self.cell_type not in _CELL_TYPES:
            self._problem(
                self.row, column, _("unknown cell type {type!r}").format(type=self.cell_type)
            )
        style = attrib.get("s")
        if style is not None and not _INDEX.match(style):
            self._problem(
                self.row, column, _("style number {style!r} is not a number").format(style=style)
            )

    def _cell_end(self) -> None:
        value, kind = self.value, self.cell_type
        if value is None or not value:
            return
        if kind == "n" and not _NUMBER.match(value):
            problem = _("the cell is stored as a number but holds {value!r}")
        elif kind == "b" and value not in ("0", "1"):
            problem = _("the cell is stored as true/false but holds {value!r}")
        elif kind == "s" and not _INDEX.match(value):
            problem = _("the cell's shared text number {value!r} is not a number")
        elif kind == "d" and not _iso_date(value):
            problem = _("the cell is stored as a date but holds {value!r}")
        else:
            if kind == "s":
                index = int(value)
                if self.max_string is None or index > self.max_string[0]:
                    self.max_string = (index, self.row, self.column)
            return
        self._problem(self.row, self.column, problem.format(value=value[:40]))

    def _column_widths(self, attrib: dict[str, str]) -> None:
        low, high, width = attrib.get("min"), attrib.get("max"), attrib.get("width")
        if (
            low is None
            or high is None
            or not (_INDEX.match(low) and _INDEX.match(high))
            or not 1 <= int(low) <= int(high) <= 16_384
        ):
            self._problem(
                None,
                None,
                _("column width entry min={low!r} max={high!r} names no columns").format(
                    low=low, high=high
                ),
            )
        elif width is not None and not _NUMBER.match(width):
            self._problem(
                None,
                None,
                _("column width {width!r} is not a number").format(width=width[:40]),
            )

    def _ranges(self, text: str | None, what: str) -> None:
        cell_range = require("openpyxl.worksheet.cell_range", "xlsx", "reading an .xlsx file")
        for item in (text or "").split() or [""]:
            try:
                cell_range.CellRange(item)
            except (ValueError, TypeError):
                self._problem(
                    None,
                    None,
                    _("{what} {item!r} is not a cell range").format(what=_(what), item=item[:40]),
                )
                return

    # -- reporting -------------------------------------------------------------------------

    def _problem(self, row: int | None, column: int | None, message: str) -> None:
        self.problems.add(self.part, row, column, message)

    def _at(self) -> str:
        if not self.row:
            return ""
        return " " + _("(row {row}, {cell})").format(row=self.row, cell=self.cell_ref)

    def _limit(self, message: str, name: str) -> None:
        """Stop at once: a limit is passed (``name`` is the constant's)."""
        self.problems.found.append((self.part, None, None, f"{message} ({name})"))
        raise _Limit


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


def _iso_date(text: str) -> bool:
    dates: Any = require("openpyxl.utils.datetime", "xlsx", "reading an .xlsx file")
    try:
        dates.from_ISO8601(text)
    except (ValueError, TypeError):
        return False
    return True
