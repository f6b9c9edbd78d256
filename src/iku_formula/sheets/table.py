"""The checks every tabular sheet gets: the header row, every cell, the key columns, the units.

A file reader (:mod:`.csv`, :mod:`.xlsx`) hands over its non-blank rows, each with the row
number a spreadsheet program shows, and :func:`read_table` reads them in one pass, collecting
every problem of every kind before it raises one :class:`~iku_formula.errors.SheetError`
that lists them grouped by kind (:data:`KINDS`). The JSON reader (:mod:`.json`) shares the
checks of cells, keys, units and repeated rows (:class:`CellReader`, :class:`RowChecks`).

**The header** is the first of the first :data:`~.model.HEADER_SCAN_ROWS` rows naming a key
column or an input; rows above it are labels (the XLSX template's label, unit and indicator
rows), and a row above it holding a value under an input column is an error naming the row.
A column is ``unit``, ``period``, an input name, or ignored and listed: a usual free-text
column (:data:`~.model.FREE_TEXT_COLUMNS`) or one named by ``ignore_columns``. Any other
column is an error, with the input name it resembles.

**Text numbers** (a CSV cell, a text cell of a workbook, a JSON string) are read by one
grammar, :func:`~.model.read_number_text`. A sign, digits, and at most:

* one separator, ``.`` or ``,``: it is the decimal separator ("3,2", "3.25", "1234,567",
  "0,125") unless the text could also be a thousands group: exactly three digits after it
  and one to three digits before it, the first not 0 ("1.234", "12,500", "999.000"). Such a
  text has two readings (1.234 or 1234) and is refused, naming both, unless the sheet's
  number style is known: ``"id"`` (1.234,5: "." separates thousands) or ``"en"`` (1,234.5),
  from :class:`~.model.ReadOptions` (``iku evaluate --angka``) or from the template's record;
* the same separator several times: thousands groups ("1.234.567"; groups of three digits);
* both separators: the last one, once, is the decimal separator ("1.234.567,89");
* or ``p/q``, a fraction as this program writes a value with no finite decimal ("61/3": in
  lowest terms, a denominator with a prime factor other than 2 and 5).

A known style refuses a text that contradicts it ("1.234,5" in style "en"); a text that is
unambiguous by its form is read by its form in either style ("3.25" in style "id").
A trailing ``%`` ("90%") reads the number where the input is a percentage (unit "%") or a
score from 0 to 100, and is an error elsewhere; so is a cell the XLSX reader shows as a
percent (:class:`~.model.PercentCell`: 0.9 shown "90%" reads 90).

**Units** (:func:`~.model.resembling_units`): a unit name holding control characters, lone
surrogates or direction overrides is refused; two names of one sheet that look like one unit
written two ways are an error naming both, unless ``new_units``; a sheet made from a template
names only the template's units, unless ``new_units``.

**Speed.** Cells are checked once per distinct text and kind of input (:class:`CellReader`
keeps what each text reads as, up to :data:`CACHE_ENTRIES`), so that 100,000 rows read in a
few seconds; ``benchmarks/run.py`` (figure 6) measures it.
"""

from __future__ import annotations

__all__ = [
    "CACHE_ENTRIES",
    "CELLS",
    "FORMULAS",
    "HEADER",
    "KEYS",
    "KINDS",
    "KIND_CODES",
    "REPEATED",
    "UNITS",
    "UNKNOWN",
    "CellReader",
    "Reading",
    "RowChecks",
    "Rows",
    "cell_result",
    "check_duplicates",
    "is_filled",
    "percent_input",
    "read_table",
]


import contextlib
import difflib
import gc
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import PeriodError, Place, SheetError, column_letter
from ..i18n import N_, _
from ..numbers import localized
from ..periods import MONTH, PeriodKind, normalise_period
from .cells import (
    CACHE_ENTRIES,
    FORMULA,
    SKIP,
    CellReader,
    Reading,
    cell_result,
    percent_input,
)
from .model import (
    FREE_TEXT_COLUMNS,
    HEADER_SCAN_ROWS,
    KEY_COLUMNS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    MONTHLY_HEADERS,
    FormulaCell,
    PercentCell,
    ReadOptions,
    Sheet,
    SheetRecord,
    SheetRow,
    input_users,
    name_problem,
    resembling_units,
)

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


Rows = list[tuple[int, list[object]]]
"""Non-blank rows, each with the 1-based row number a spreadsheet program shows."""

HEADER, UNKNOWN, FORMULAS, CELLS, KEYS, UNITS, REPEATED = KINDS = (
    N_("header"),
    N_("unknown columns"),
    N_("formula cells"),
    N_("bad cells"),
    N_("unit and period cells"),
    N_("unit names"),
    N_("repeated rows"),
)
"""The kinds of problems, in the order a SheetError lists them (English, translated when
a SheetError is shown)."""

KIND_CODES = {
    HEADER: "sheet-header",
    UNKNOWN: "unknown-column",
    FORMULAS: "formula-cell",
    CELLS: "bad-cell",
    KEYS: "bad-key-cell",
    UNITS: "unit-name",
    REPEATED: "repeated-row",
}
"""The error code (``SheetError.code``) of a sheet whose problems are all of one kind."""


def _words(word: str) -> tuple[str, str]:
    """ "row" or "record", singular and plural, in the language shown."""
    return (_("record"), _("records")) if word == "record" else (_("row"), _("rows"))


def is_filled(cell: object) -> bool:
    if cell is None:
        return False
    return not (isinstance(cell, str) and not cell.strip())


def _header_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, PercentCell):
        cell = cell.stored
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


# --------------------------------------------------------------------------- cells

_LOOKS_NUMERIC_RE = re.compile(r"[+-]?[0-9][0-9.,/]*\s*%?\Z")


# --------------------------------------------------------------------------- keys, units, rows


class RowChecks:
    """The checks of the key cells and of the rows of one sheet, their problems collected.

    ``place(number, column)`` says where a row (and a key column) is; ``word`` is "row" or
    "record". :meth:`unit` and :meth:`period` read key cells, :meth:`row` records each row
    with values (repeated unit and period), :meth:`finish` adds the checks over all rows
    (empty keys among given ones, units written two ways, units the template lacks).
    """

    def __init__(
        self,
        place: Callable[[int, str | None], Place],
        word: str,
        options: ReadOptions,
        record: SheetRecord | None,
    ) -> None:
        self.place = place
        self.word = word
        self.options = options
        self.record = record
        self.problems: list[tuple[Place, str, str]] = []
        self.units: dict[str, list[int]] = {}
        """Each unit's first row and number of rows."""
        self._bad_units: set[str] = set()
        self._refused_periods: set[int] = set()
        self._periods: dict[object, str | PeriodError | None] = {}
        self._first: dict[tuple[str | None, str | None], int] = {}
        self.numbers: PeriodKind | None = MONTH if record is not None and record.monthly else None
        """The kind bare period numbers name: MONTH in a monthly sheet, else the default."""

    def add(self, kind: str, place: Place, message: str) -> None:
        self.problems.append((place, message, kind))

    def error(self, inputs: Sequence[str] = ()) -> SheetError:
        """One SheetError of every problem, kind by kind in the order of :data:`KINDS`."""
        ordered = sorted(self.problems, key=lambda problem: KINDS.index(problem[2]))
        kinds = {problem[2] for problem in ordered}
        code = KIND_CODES[next(iter(kinds))] if len(kinds) == 1 else None
        return SheetError(ordered, inputs=inputs, code=code)

    def unit(self, cell: object, number: int, column: str | None) -> str | None:
        if isinstance(cell, PercentCell | FormulaCell):
            self.add(KEYS, self.place(number, column), _("a unit is text, not a number or formula"))
            return None
        unit = _header_text(cell) or None
        if unit is None:
            return None
        seen = self.units.get(unit)
        if seen is not None:
            seen[1] += 1
            return unit
        if unit in self._bad_units:
            return unit
        problem = name_problem(unit)
        if problem is not None:
            self._bad_units.add(unit)
            self.add(KEYS, self.place(number, column), _("unit {problem}").format(problem=problem))
            return unit
        self.units[unit] = [number, 1]
        return unit

    def period(self, cell: object, number: int, column: str | None) -> str | None:
        key = (cell.__class__, cell) if isinstance(cell, str | int | float) else None
        found = self._periods.get(key, SKIP) if key is not None else SKIP
        if found is SKIP:
            try:
                found = normalise_period(cell, numbers=self.numbers)
            except PeriodError as error:
                found = error
            if key is not None and len(self._periods) < CACHE_ENTRIES:
                self._periods[key] = found
        if isinstance(found, PeriodError):
            self.add(CELLS, self.place(number, column), str(found))
            self._refused_periods.add(number)
            return None
        return found  # type: ignore[return-value]

    def row(self, row: SheetRow, column: str | None) -> None:
        """A row with values: refused when its unit and period are those of an earlier row."""
        key = (row.unit, row.period)
        first = self._first.setdefault(key, row.number)
        if first != row.number:
            unit = repr(row.unit) if row.unit else _("(no unit)")
            period = repr(row.period) if row.period else _("(no period)")
            word = _words(self.word)[0]
            self.add(
                REPEATED,
                self.place(row.number, column),
                _(
                    "a second {word} for unit {unit} and period {period} (the first is {word} "
                    "{first}); give each unit one {word} per quarter"
                ).format(word=word, unit=unit, period=period, first=first),
            )

    def finish(self, rows: Sequence[SheetRow], columns: Mapping[str, str | None]) -> None:
        """The checks over all rows; ``columns`` names the place of "unit" and "period"."""
        for key in KEY_COLUMNS:
            labels = [getattr(row, key) for row in rows]
            if key in columns and any(labels):
                for row, label in zip(rows, labels, strict=True):
                    if not label and not (key == "period" and row.number in self._refused_periods):
                        self.add(
                            KEYS,
                            self.place(row.number, columns[key]),
                            _(
                                "the {key} is empty while other {words} give theirs; fill "
                                "it in ({words} of one {key} repeat its name)"
                            ).format(key=key, words=_words(self.word)[1]),
                        )
        self._check_units(columns.get("unit"))

    def _rows_of(self, unit: str) -> str:
        first, count = self.units[unit]
        word, words = _words(self.word)
        if count == 1:
            return f"{word} {first}"
        return _("{words} {first} and {count} more").format(
            words=words, first=first, count=count - 1
        )

    def _check_units(self, column: str | None) -> None:
        if self.options.new_units:
            return
        known = set(self.record.units) if self.record is not None else set()
        names = [*self.units, *(unit for unit in known if unit not in self.units)]
        partners: dict[str, str] = {}
        for first, second in resembling_units(names):
            if first in known and second in known:
                continue  # the template names both: two units
            if first in known or (second not in known and self._likelier_slip(second, first)):
                suspect, other = second, first
            else:
                suspect, other = first, second
            if suspect in self.units:
                partners.setdefault(suspect, other)
        if self.record is not None:
            self._check_template_units(known, partners, column)
            return
        for unit, other in partners.items():
            self.add(
                UNITS,
                self.place(self.units[unit][0], column),
                _(
                    "unit {unit!r} ({rows}) looks like unit {other!r} ({other_rows}): one unit "
                    "written two ways? Write it the same way in every row; if they are two "
                    "units, give --unit-baru"
                ).format(
                    unit=unit,
                    rows=self._rows_of(unit),
                    other=other,
                    other_rows=self._rows_of(other),
                ),
            )

    def _likelier_slip(self, first: str, second: str) -> bool:
        """Whether ``first`` is the likelier slip: fewer rows, or as many and written later."""
        (first_row, first_count), (second_row, second_count) = (
            self.units[first],
            self.units[second],
        )
        return (first_count, -first_row) < (second_count, -second_row)

    def _check_template_units(
        self, known: set[str], partners: Mapping[str, str], column: str | None
    ) -> None:
        assert self.record is not None
        count = len(self.record.units)
        sought = 0
        for unit, (first, _count) in self.units.items():
            if unit in known:
                continue
            other = partners.get(unit)
            if other is None and sought < SheetError.MAX_PER_KIND * 2:
                sought += 1  # difflib on the first few only: the rest are counted
                close = difflib.get_close_matches(unit, self.record.units[:1000], n=1)
                other = close[0] if close else None
            hint = " " + _("(did you mean {other!r}?)").format(other=other) if other else ""
            self.add(
                UNITS,
                self.place(first, column),
                _(
                    "unit {unit!r} ({rows}) is not one of the {count} units of the template "
                    "this sheet was made from{hint}; correct the name, or give --unit-baru to "
                    "accept a new unit"
                ).format(unit=unit, rows=self._rows_of(unit), count=count, hint=hint),
            )


def check_duplicates(sheet: Sheet) -> None:
    """Raise SheetError when two rows of ``sheet`` are for the same unit and period."""
    column = None if sheet.kind == "json" else "unit"
    word = "record" if sheet.kind == "json" else "row"
    checks = RowChecks(lambda number, name: sheet.place(number, name), word, ReadOptions(), None)
    for row in sheet.rows:
        checks.row(row, column)
    if checks.problems:
        raise checks.error()


# --------------------------------------------------------------------------- the table


def _find_header(rows: Sequence[tuple[int, Sequence[object]]], catalog: Catalog) -> int:
    """The index of the header row: the one naming most key columns and inputs (the first of
    them on a tie; a label row may hold a name too, as a unit "rupiah" above input "rupiah")."""
    known = set(KEY_COLUMNS) | set(MONTHLY_HEADERS) | set(catalog.inputs)
    counts = [sum(_header_text(cell) in known for cell in cells) for _number, cells in rows]
    best = max(counts)
    return counts.index(best) if best else 0  # none: the first row's names are unknown


def _free_text(name: str, options: ReadOptions) -> bool:
    folded = name.casefold().rstrip(".").strip()
    return folded in FREE_TEXT_COLUMNS or name in options.ignore_columns


def _looks_like_value(cell: object) -> bool:
    if isinstance(cell, bool) or cell is None:
        return False
    if isinstance(cell, str):
        return bool(_LOOKS_NUMERIC_RE.match(cell.strip()))
    return isinstance(cell, int | float | Decimal | PercentCell)


class _Header:
    """The header row read: every named column's position, the input and ignored columns."""

    def __init__(
        self,
        checks: RowChecks,
        number: int,
        cells: Sequence[object],
        catalog: Catalog,
        options: ReadOptions,
    ) -> None:
        self.number = number
        self.positions: dict[str, int] = {}
        self.ignored: list[str] = []
        self.unknown: list[str] = []
        self.nameless: list[int] = []
        self.monthly = False
        """Whether the period column is named as a monthly one (``bulan``)."""
        names = [_header_text(cell) for cell in cells]
        row_place = checks.place(number, None)
        for index, name in enumerate(names, 1):
            place = Place(row_place.file, row_place.sheet, number, index)
            if not name:
                self.nameless.append(index - 1)
            elif name in self.positions:
                where = self.positions.get(name)
                also = (
                    " " + _("(also column {letter})").format(letter=column_letter(where))
                    if where
                    else ""
                )
                checks.add(
                    HEADER,
                    place,
                    _("column {name!r} appears twice in the header").format(name=name) + also,
                )
            elif name.casefold() in MONTHLY_HEADERS and "period" not in names:
                self.positions["period"] = index  # the period column, of a monthly sheet
                self.monthly = True
            elif name in catalog.inputs or name in KEY_COLUMNS:
                self.positions[name] = index
                if name in options.ignore_columns:
                    checks.add(
                        HEADER,
                        place,
                        (
                            _(
                                "column {name!r} is an input column; --abaikan-kolom takes only "
                                "columns that are no input"
                            )
                            if name in catalog.inputs
                            else _(
                                "column {name!r} is a key column; --abaikan-kolom takes only "
                                "columns that are no input"
                            )
                        ).format(name=name),
                    )
            elif _free_text(name, options):
                self.ignored.append(name)
                self.positions[name] = index
            else:
                self.unknown.append(name)
                close = difflib.get_close_matches(name, [*catalog.inputs, *KEY_COLUMNS], n=1)
                hint = _("; did you mean {name!r}?").format(name=close[0]) if close else ""
                checks.add(
                    UNKNOWN,
                    place,
                    _(
                        "unknown column {name!r}: it is no input of the catalog{hint} (a column "
                        "is 'unit', 'period' or an input name; `iku template` lists them; a "
                        "column of notes may be named 'keterangan', or left out with "
                        "--abaikan-kolom)"
                    ).format(name=name, hint=hint),
                )
        self.width = len(names)
        self.inputs = [name for name in self.positions if name in catalog.inputs]


def read_table(
    path: Path,
    kind: str,
    sheet_name: str | None,
    rows: Iterable[tuple[int, Sequence[object]]],
    catalog: Catalog,
    *,
    options: ReadOptions | None = None,
    record: SheetRecord | None = None,
    text_cells: bool = False,
) -> Sheet:
    """Check the non-blank ``rows`` of a sheet (row number, cells) and make them a Sheet.

    ``options`` say how to read (number style, new units, ignored columns); ``record`` is
    what the template the sheet was made from records (its units and number style). Raises
    one SheetError listing every problem, grouped by kind. ``rows`` may be an iterator: it is
    read once, and only the first rows are kept while the header is looked for.
    ``text_cells`` says that every cell is a str (CSV), which lets empty cells be skipped
    faster.
    """
    options = options or ReadOptions()
    file = str(path)
    stream = iter(rows)
    head = list(itertools.islice(stream, HEADER_SCAN_ROWS))
    if not head:
        raise SheetError.at(
            Place(file, sheet_name),
            _(
                "the file is empty; the header row must name the columns "
                "(unit, period and the input names)"
            ),
        )
    positions: dict[str, int] = {}

    def place(number: int, column: str | None) -> Place:
        index = positions.get(column) if column else None
        return Place(file, sheet_name, number, index, column if index else None)

    checks = RowChecks(place, "row", options, record)
    index = _find_header(head, catalog)
    header = _Header(checks, head[index][0], head[index][1], catalog, options)
    positions.update(header.positions)
    if header.monthly:
        checks.numbers = MONTH
    for number, cells in head[:index]:
        if any(_looks_like_value(_cell(cells, positions[name] - 1)) for name in header.inputs):
            checks.add(
                HEADER,
                Place(file, sheet_name, number),
                _(
                    "row {number} holds values above the header row (row {header}): they "
                    "would not be read; move the row below the header, or delete it"
                ).format(number=number, header=header.number),
            )
    style = options.number_style or (record.number_style if record else None)
    data = itertools.chain(head[index + 1 :], stream)
    reader = _Cells(header, checks, catalog, CellReader(style), text_cells)
    with _collector_paused():
        sheet_rows, empty, any_rows = _read_rows(data, header, checks, reader)
    checks.finish(sheet_rows, {key: key for key in KEY_COLUMNS if key in positions})
    if checks.problems:
        names = {p.name for p, _message, _kind in checks.problems if p.name}
        names |= set(header.unknown)
        raise checks.error(sorted(names - set(KEY_COLUMNS)))
    if not sheet_rows:
        raise SheetError.at(
            Place(file, sheet_name),
            _("no values found: every row below the header is empty")
            if any_rows
            else _("no rows below the header row"),
        )
    return Sheet(
        path=path,
        kind=kind,
        sheet_name=sheet_name,
        columns=tuple(header.inputs),
        missing=tuple(name for name in catalog.inputs if name not in positions),
        rows=tuple(sheet_rows),
        empty_rows=tuple(empty),
        positions=positions,
        ignored=tuple(header.ignored),
        number_style=style,
        record=record,
    )


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while the rows are built: they make no cycles,
    and its passes over a large sheet's millions of new objects cost a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _limit(place: Place, what: str, name: str, limit: int) -> SheetError:
    return SheetError.at(
        place,
        _("{what}; the limit is {name} ({limit})").format(
            what=what, name=name, limit=localized(limit)
        ),
    )


class _Cells:
    """Reads the input cells of a row, each filled cell once (the loop over every cell)."""

    def __init__(
        self,
        header: _Header,
        checks: RowChecks,
        catalog: Catalog,
        cells: CellReader,
        text_cells: bool,
    ) -> None:
        self.plan: list[tuple[int, str, dict[str, Reading], Callable[[object], Reading]] | None]
        self.plan = [None] * header.width
        for name in header.inputs:
            position = header.positions[name] - 1
            texts, read = cells.cached_reader(catalog.inputs[name])
            self.plan[position] = (position, name, texts, read)
        self.users = {
            name: ", ".join(map(str, input_users(catalog, name))) or _("none")
            for name in header.inputs
        }
        self.checks = checks
        self.text_cells = text_cells

    def values(self, number: int, cells: Sequence[object]) -> dict[str, Fraction]:
        """The row's values; its bad cells noted as problems."""
        values: dict[str, Fraction] = {}
        filled = cells if self.text_cells else [cell is not None and cell != "" for cell in cells]
        for entry in itertools.compress(self.plan, filled):
            if entry is None:
                continue  # a filled cell of a key, ignored or unnamed column
            position, name, texts, read = entry
            cell = cells[position]
            result = texts.get(cell) if self.text_cells else None  # type: ignore[call-overload]
            if result is None:
                result = read(cell)
            if isinstance(result, Fraction):
                values[name] = result
            elif result is FORMULA:
                self.checks.add(
                    FORMULAS,
                    self.checks.place(number, name),
                    _(
                        "the cell holds a formula whose value was never computed; open the file "
                        "in a spreadsheet program and save it, or type the number"
                    ),
                )
            elif result is not SKIP:
                self.checks.add(
                    CELLS,
                    self.checks.place(number, name),
                    _("input {name!r} (indicator {numbers}): {problem}").format(
                        name=name, numbers=self.users[name], problem=result
                    ),
                )
        return values


def _read_rows(
    data: Iterator[tuple[int, Sequence[object]]],
    header: _Header,
    checks: RowChecks,
    reader: _Cells,
) -> tuple[list[SheetRow], list[int], bool]:
    """Every data row checked: the rows with values, the empty rows, whether any row came."""
    unit_at = header.positions.get("unit", 0) - 1
    period_at = header.positions.get("period", 0) - 1
    nameless, width = header.nameless, header.width
    reported: set[int] = set()
    sheet_rows: list[SheetRow] = []
    empty: list[int] = []
    values_read = count = 0
    place = checks.place
    for number, cells in data:
        count += 1
        if count > MAX_ROWS:
            raise _limit(place(number, None), _("more rows than allowed"), "MAX_ROWS", MAX_ROWS)
        size = len(cells)
        if size > MAX_COLUMNS:
            raise _limit(
                place(number, None),
                _("the row has {count} cells").format(count=localized(size)),
                "MAX_COLUMNS",
                MAX_COLUMNS,
            )
        if nameless or size > width:
            for position in [*nameless, *range(width, size)]:
                if position < size and position not in reported and is_filled(cells[position]):
                    reported.add(position)
                    row_place = place(number, None)
                    checks.add(
                        HEADER,
                        Place(row_place.file, row_place.sheet, number, position + 1),
                        _(
                            "the cell has a value but its column has no name in the header "
                            "(row {number}); name the column or delete the value"
                        ).format(number=header.number),
                    )
        values = reader.values(number, cells)
        unit = checks.unit(cells[unit_at], number, "unit") if 0 <= unit_at < size else None
        period = (
            checks.period(cells[period_at], number, "period") if 0 <= period_at < size else None
        )
        if values:
            values_read += len(values)
            if values_read > MAX_CELLS:
                raise _limit(
                    place(number, None),
                    _("more cells with values than allowed"),
                    "MAX_CELLS",
                    MAX_CELLS,
                )
            row = SheetRow(number, unit, period, values)
            sheet_rows.append(row)
            checks.row(row, "unit" if unit_at >= 0 else None)
        else:
            empty.append(number)
    return sheet_rows, empty, count > 0


def _cell(cells: Sequence[object], index: int) -> object:
    return cells[index] if 0 <= index < len(cells) else None
