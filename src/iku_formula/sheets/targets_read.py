"""Reading a target sheet: the file's rows, the header, every row checked in one pass.

See :mod:`.targets` for what a target sheet is; :func:`~.targets.load_targets` is the entry
point. Every problem of the file is collected (grouped by kind, :data:`KINDS`) before one
:class:`~iku_formula.errors.SheetError` is raised.
"""

from __future__ import annotations

__all__ = ["KINDS", "read_targets"]

import csv
import difflib
import io
import itertools
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ..errors import DefinitionError, Place, SheetError
from ..evaluation import MAX_VALUE_DIGITS
from ..i18n import _
from ..model import Indicator, Target, TargetPart, parse_target
from ..periods import QUARTER, Period
from .csv import unescape_cell
from .files import read_text
from .model import (
    FREE_TEXT_COLUMNS,
    HEADER_SCAN_ROWS,
    MAX_COLUMNS,
    MAX_FIELD_CHARS,
    MAX_ROWS,
    FormulaCell,
    PercentCell,
)
from .targets import (
    INDICATOR_COLUMN,
    KIND_COLUMN,
    NAME_COLUMN,
    TARGET_COLUMNS,
    TARGET_SHEET,
    Accumulation,
    IndicatorTargets,
    PeriodTargets,
    adds_up,
    parsed_period,
    read_accumulation,
    target_text,
)
from .xlsx import xlsx_rows

if TYPE_CHECKING:
    import os

    from ..catalog.registry import Catalog


HEADER, INDICATORS, CELLS, PERIODS, REPEATED = KINDS = (
    "header",
    "unknown indicators",
    "bad targets",
    "missing periods",
    "repeated rows",
)
"""The kinds of problems, in the order a SheetError lists them."""


def read_targets(path: str | os.PathLike[str], catalog: Catalog) -> PeriodTargets:
    """Read and check the target sheet at ``path`` (.csv, .xlsx or .xlsm).

    Raises one :class:`~iku_formula.errors.SheetError` listing every problem, each
    located: an unknown column, a period column missing or given twice, periods of two
    kinds, an unknown indicator (with the closest number or key), a row given twice, a
    target that is no target, a target whose unit is not the indicator's, a row missing
    the target of a period, a ``sifat`` that is neither ``per periode`` nor ``kumulatif``,
    a cumulative target of a flow that falls. XLSX needs openpyxl (the ``xlsx`` extra).
    """
    source = Path(path)
    suffix = source.suffix.lower()
    if suffix == ".csv":
        text = read_text(source)
        delimiter = ";" if _first_line(text).count(";") > _first_line(text).count(",") else ","
        rows = _csv_rows(source, text, delimiter)
        return _read(source, None, rows, catalog)
    if suffix in (".xlsx", ".xlsm"):
        found = xlsx_rows(source, TARGET_SHEET)
        return _read(source, found.sheet, list(found.rows), catalog)
    raise SheetError.at(
        Place(str(source)),
        _("unknown file type {suffix!r}; give a .csv or .xlsx target sheet").format(
            suffix=source.suffix or "(none)"
        ),
    )


def _first_line(text: str) -> str:
    return next((line for line in text[: MAX_FIELD_CHARS * 2].splitlines() if line.strip()), "")


def _csv_rows(path: Path, text: str, delimiter: str) -> list[tuple[int, Sequence[object]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, Sequence[object]]] = []
    try:
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise SheetError.at(
                    Place(str(path), row=reader.line_num),
                    _("more rows than allowed; the limit is MAX_ROWS ({limit:,})").format(
                        limit=MAX_ROWS
                    ),
                )
            if any(len(cell) > MAX_FIELD_CHARS for cell in row):
                raise SheetError.at(
                    Place(str(path), row=reader.line_num),
                    _("a cell is longer than the limit MAX_FIELD_CHARS ({limit:,})").format(
                        limit=MAX_FIELD_CHARS
                    ),
                )
            if "".join(row).strip():
                rows.append((reader.line_num, [unescape_cell(cell) for cell in row]))
    except csv.Error as error:
        raise SheetError.at(
            Place(str(path), row=reader.line_num + 1),
            _("not valid CSV: {error}").format(error=error),
        ) from None
    return rows


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


@attrs.frozen
class _Header:
    number: int
    positions: Mapping[str, int]
    """0-based position of each named column (key columns)."""
    periods: tuple[tuple[int, Period], ...]
    """0-based position and period of each period column, in the year's order."""


class _Checks:
    def __init__(self, path: Path, sheet: str | None) -> None:
        self.path = path
        self.sheet = sheet
        self.problems: list[tuple[Place, str, str]] = []
        self.names: dict[int, str] = {}
        self.sought = 0
        self._keys: dict[str, Indicator] | None = None

    def keys(self, catalog: Catalog) -> dict[str, Indicator]:
        """The catalog's indicators by key, built once (``Catalog.by_key`` seeks a
        did-you-mean for every miss)."""
        if self._keys is None:
            self._keys = {indicator.key: indicator for indicator in catalog}
        return self._keys

    def suggest(self) -> bool:
        """Whether to look for a did-you-mean: for the first rows only (a message lists a
        few per kind; difflib over every row of a hostile file would take minutes)."""
        self.sought += 1
        return self.sought <= SheetError.MAX_PER_KIND * 2

    def place(self, row: int | None = None, column: int | None = None) -> Place:
        name = None if column is None else self.names.get(column)
        return Place(str(self.path), self.sheet, row, None if column is None else column + 1, name)

    def add(self, kind: str, place: Place, message: str) -> None:
        self.problems.append((place, message, kind))

    def raise_any(self) -> None:
        if self.problems:
            ordered = sorted(self.problems, key=lambda problem: KINDS.index(problem[2]))
            raise SheetError(ordered)


def _find_header(rows: Sequence[tuple[int, Sequence[object]]]) -> int | None:
    for index, (_number, cells) in enumerate(rows[:HEADER_SCAN_ROWS]):
        if any(_text(cell).casefold() == INDICATOR_COLUMN for cell in cells):
            return index
    return None


def _header(checks: _Checks, number: int, cells: Sequence[object]) -> _Header:
    positions: dict[str, int] = {}
    periods: dict[str, tuple[int, Period]] = {}
    for position, cell in enumerate(cells[:MAX_COLUMNS]):
        name = _text(cell)
        folded = name.casefold()
        if not name:
            continue
        checks.names[position] = name
        place = checks.place(number, position)
        if folded in TARGET_COLUMNS:
            if folded in positions:
                checks.add(
                    HEADER,
                    place,
                    _("column {name!r} appears twice in the header").format(name=name),
                )
            positions[folded] = position
            continue
        if folded.rstrip(".") in FREE_TEXT_COLUMNS:
            continue
        period = parsed_period(name)
        if period is not None and period.within_year:
            if period.label in periods:
                checks.add(
                    HEADER,
                    place,
                    _("column {name!r} is period {period}, which an earlier column has").format(
                        name=name, period=period.label
                    ),
                )
            periods[period.label] = (position, period)
            continue
        known = [*TARGET_COLUMNS, *(Period(QUARTER, i).label for i in range(1, 5))]
        close = difflib.get_close_matches(name, known, n=1)
        hint = _("; did you mean {name!r}?").format(name=close[0]) if close else ""
        checks.add(
            HEADER,
            place,
            _(
                "unknown column {name!r}{hint} (a target sheet has the columns indikator, "
                "nama, target, sifat and one per period: TW1, TW2, TW3, TW4)"
            ).format(name=name, hint=hint),
        )
    found = sorted(periods.values(), key=lambda item: item[1].sort_key)
    kinds = {period.kind.name for _position, period in found}
    row_place = checks.place(number)
    if not found:
        checks.add(
            PERIODS,
            row_place,
            _("the header names no period; add a column per period: TW1, TW2, TW3, TW4"),
        )
    elif len(kinds) > 1:
        checks.add(
            HEADER,
            row_place,
            _("the period columns are of two kinds ({kinds}); give the periods of one kind").format(
                kinds=", ".join(sorted(kinds))
            ),
        )
    else:
        kind = found[0][1].kind
        given = {period.index for _position, period in found}
        for index in range(1, kind.per_year + 1):
            if index not in given:
                checks.add(
                    PERIODS,
                    row_place,
                    _("the sheet has no column for period {period}; add it ({hint})").format(
                        period=Period(kind, index).label, hint=_(kind.hint)
                    ),
                )
    if KIND_COLUMN not in positions:
        checks.add(
            HEADER,
            row_place,
            _(
                "the header has no column 'sifat'; add it and say in every row whether the "
                "targets are 'per periode' or 'kumulatif'"
            ),
        )
    return _Header(number, positions, tuple(found))


def _read(
    path: Path, sheet: str | None, rows: Sequence[tuple[int, Sequence[object]]], catalog: Catalog
) -> PeriodTargets:
    checks = _Checks(path, sheet)
    index = _find_header(rows)
    if index is None:
        raise SheetError.at(
            Place(str(path), sheet),
            _(
                "no header row naming the column 'indikator' among the first {count} rows; "
                "`iku template FILE --target` writes a target sheet"
            ).format(count=HEADER_SCAN_ROWS),
        )
    header = _header(checks, rows[index][0], rows[index][1])
    checks.raise_any()  # without a sound header no row can be read
    kind = header.periods[0][1].kind
    labels = tuple(period.label for _position, period in header.periods)
    seen: dict[int, int] = {}
    indicators: dict[int, IndicatorTargets] = {}
    for number, cells in rows[index + 1 :]:
        found = _row(checks, catalog, header, labels, number, cells, seen)
        if found is not None:
            indicators[found.number] = found
    checks.raise_any()
    return PeriodTargets(str(path), kind, labels, dict(sorted(indicators.items())))


def _cell(cells: Sequence[object], position: int | None) -> object:
    if position is None or position >= len(cells):
        return None
    return cells[position]


def _row(
    checks: _Checks,
    catalog: Catalog,
    header: _Header,
    labels: tuple[str, ...],
    number: int,
    cells: Sequence[object],
    seen: dict[int, int],
) -> IndicatorTargets | None:
    """One row checked: its indicator, its targets; problems noted, None when unusable."""
    at = header.positions.get(INDICATOR_COLUMN)
    indicator = _indicator(checks, catalog, header, number, cells)
    given = [
        (label, pos, _cell(cells, pos))
        for (pos, _p), label in zip(header.periods, labels, strict=True)
    ]
    filled = [(label, pos, cell) for label, pos, cell in given if _text_or_cell(cell)]
    if indicator is None:
        return None
    first = seen.setdefault(indicator.number, number)
    if first != number:
        checks.add(
            REPEATED,
            checks.place(number, at),
            _(
                "a second row for indicator {number} (the first is row {first}); give each "
                "indicator one row"
            ).format(number=indicator.number, first=first),
        )
        return None
    if not filled:
        return None  # no targets: the catalog's yearly target stays
    ok = True
    for label, pos, cell in given:
        if not _text_or_cell(cell):
            ok = False
            checks.add(
                PERIODS,
                checks.place(number, pos),
                _(
                    "IKU {number}: no target for {period}; give a target for every period, or "
                    "leave all of the row's periods empty to keep the yearly target {target}"
                ).format(number=indicator.number, period=label, target=indicator.target.text),
            )
    targets: dict[str, Target] = {}
    for label, pos, cell in filled:
        read = _target(indicator, cell)
        if isinstance(read, str):
            ok = False
            checks.add(CELLS, checks.place(number, pos), f"IKU {indicator.number}, {label}: {read}")
        else:
            targets[label] = read
    kind_at = header.positions.get(KIND_COLUMN)
    written_kind = _text(_cell(cells, kind_at))
    accumulation = read_accumulation(written_kind)
    if accumulation is None:
        ok = False
        checks.add(
            CELLS,
            checks.place(number, kind_at),
            _(
                "IKU {number}: sifat {written!r} is neither 'per periode' nor 'kumulatif'; say "
                "whether the row's targets are each period's own or from the first period on"
            ).format(number=indicator.number, written=written_kind),
        )
    if not ok or accumulation is None:
        return None
    return _combined(checks, indicator, accumulation, labels, targets, header, number)


def _text_or_cell(cell: object) -> bool:
    if cell is None:
        return False
    return not (isinstance(cell, str) and not cell.strip())


def _indicator(
    checks: _Checks, catalog: Catalog, header: _Header, number: int, cells: Sequence[object]
) -> Indicator | None:
    at = header.positions.get(INDICATOR_COLUMN)
    raw = _cell(cells, at)
    text = _text(raw)
    name = _text(_cell(cells, header.positions.get(NAME_COLUMN)))
    place = checks.place(number, at)
    if not text:
        checks.add(
            INDICATORS,
            place,
            _("the row names no indicator; write its number in column 'indikator'"),
        )
        return None
    if isinstance(raw, bool | PercentCell | FormulaCell):
        text = "?"
    if text.isascii() and text.isdigit() and len(text) <= 9:
        wanted = int(text)
        if wanted in catalog:
            return catalog[wanted]
        hint = _closest_by_name(catalog, name) if checks.suggest() else ""
        numbers = [indicator.number for indicator in catalog]
        checks.add(
            INDICATORS,
            place,
            _("no indicator {wanted} in the catalog (numbers {low} to {high}){hint}").format(
                wanted=wanted, low=min(numbers), high=max(numbers), hint=hint
            ),
        )
        return None
    keys = checks.keys(catalog)
    if text in keys:
        return keys[text]
    sought = len(text) <= 100 and checks.suggest()
    close = difflib.get_close_matches(text, list(keys), n=1) if sought else []
    hint = (
        _("; did you mean {key!r} (IKU {number})?").format(
            key=close[0], number=keys[close[0]].number
        )
        if close
        else _closest_by_name(catalog, name)
        if sought
        else ""
    )
    checks.add(
        INDICATORS,
        place,
        _("no indicator {text!r}: give an indicator number or key{hint}").format(
            text=text[:60], hint=hint
        ),
    )
    return None


def _closest_by_name(catalog: Catalog, name: str) -> str:
    if not name:
        return ""
    names = {indicator.display_name.casefold(): indicator for indicator in catalog}
    names.update({indicator.name.casefold(): indicator for indicator in catalog})
    close = difflib.get_close_matches(name.casefold()[:200], list(names), n=1, cutoff=0.5)
    if not close:
        return ""
    found = names[close[0]]
    return _("; did you mean {number} ({name})?").format(
        number=found.number, name=found.display_name
    )


def _cell_text(indicator: Indicator, cell: object) -> str:
    """A target cell as text: a number takes the indicator's unit, a percent cell is "N%"."""
    if isinstance(cell, PercentCell):
        stored = cell.stored
        if isinstance(stored, int | float) and not isinstance(stored, bool):
            value = Fraction(stored) if isinstance(stored, int) else Fraction(repr(stored))
            return target_text([TargetPart(value * 100, "%")])
    if isinstance(cell, int | float) and not isinstance(cell, bool):
        value = Fraction(cell) if isinstance(cell, int) else Fraction(repr(cell))
        return target_text([TargetPart(value, indicator.target.unit)])
    return _text(cell)


_DIGITS_RE = re.compile(r"[0-9]+")


def _target(indicator: Indicator, cell: object) -> Target | str:
    """The target a cell writes, read by the catalog's parser; or the message saying why not."""
    if isinstance(cell, FormulaCell):
        return _("the cell holds a formula whose value was never computed; type the target")
    if not isinstance(cell, str | int | float | PercentCell) or isinstance(cell, bool):
        return _("{cell!r} is no target; write one as in the catalog, such as {example!r}").format(
            cell=cell, example=indicator.target.text
        )
    text = _cell_text(indicator, cell)
    if any(len(digits) > MAX_VALUE_DIGITS for digits in _DIGITS_RE.findall(text)):
        return _(
            "{text!r} has a number of more than {limit} digits before or after the decimal "
            "comma; write the target as in the catalog, such as {example!r}"
        ).format(text=text[:30] + "...", limit=MAX_VALUE_DIGITS, example=indicator.target.text)
    expected = indicator.target.parts
    pieces = text.split(" / ")
    if len(pieces) != len(expected):
        return _(
            "{text!r} has {given} part(s), the target of IKU {number} has {wanted} ({example}); "
            "write it as in the catalog"
        ).format(
            text=text[:60],
            given=len(pieces),
            number=indicator.number,
            wanted=len(expected),
            example=indicator.target.text,
        )
    parts: list[TargetPart] = []
    for piece, wanted in zip(pieces, expected, strict=True):
        try:
            (part,) = parse_target(piece, wanted.unit)
        except (DefinitionError, ValueError) as error:
            return _(
                "{text!r} is no target ({reason}); write one as in the catalog, such as {example!r}"
            ).format(text=text[:60], reason=error, example=indicator.target.text)
        if part.unit.casefold() != wanted.unit.casefold():
            return _(
                "{text!r} is in {unit!r}, but the target of IKU {number} is in {wanted!r} "
                "({example}); write the target in {wanted!r}"
            ).format(
                text=text[:60],
                unit=part.unit,
                number=indicator.number,
                wanted=wanted.unit,
                example=indicator.target.text,
            )
        parts.append(TargetPart(part.value, wanted.unit))
    return Target(target_text(parts), tuple(parts))


def _combined(
    checks: _Checks,
    indicator: Indicator,
    accumulation: Accumulation,
    labels: tuple[str, ...],
    written: Mapping[str, Target],
    header: _Header,
    number: int,
) -> IndicatorTargets | None:
    """The per-period and cumulative targets of a row, by :func:`adds_up` for each part."""
    count = len(indicator.target.parts)
    own: dict[str, list[TargetPart]] = {label: [] for label in labels}
    upto: dict[str, list[TargetPart]] = {label: [] for label in labels}
    ok = True
    for part in range(count):
        values = [written[label].parts[part].value for label in labels]
        unit = indicator.target.parts[part].unit
        if not adds_up(indicator, part):
            own_values = upto_values = values
        elif accumulation is Accumulation.PER_PERIOD:
            own_values = values
            upto_values = [sum(values[: i + 1], Fraction(0)) for i in range(len(values))]
        else:
            upto_values = values
            own_values = [values[0], *(b - a for a, b in itertools.pairwise(values))]
            for i, value in enumerate(own_values):
                if value < 0:
                    ok = False
                    position = header.periods[i][0]
                    checks.add(
                        CELLS,
                        checks.place(number, position),
                        _(
                            "IKU {number}: the cumulative target falls from {before} in "
                            "{previous} to {after} in {period}; a cumulative target of a flow "
                            "never falls (or is the row 'per periode'?)"
                        ).format(
                            number=indicator.number,
                            before=target_text([TargetPart(values[i - 1], unit)]),
                            previous=labels[i - 1],
                            after=target_text([TargetPart(values[i], unit)]),
                            period=labels[i],
                        ),
                    )
        for label, a, b in zip(labels, own_values, upto_values, strict=True):
            own[label].append(TargetPart(a, unit))
            upto[label].append(TargetPart(b, unit))
    if not ok:
        return None

    def targets(parts: Mapping[str, list[TargetPart]]) -> dict[str, Target]:
        return {label: Target(target_text(p), tuple(p)) for label, p in parts.items()}

    adds = tuple(adds_up(indicator, part) for part in range(count))
    return IndicatorTargets(
        indicator.number, accumulation, dict(written), targets(own), targets(upto), adds, number
    )
