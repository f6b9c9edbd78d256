"""JSON realisasi: an object {input: number} or a list of them, numbers read exactly.

Every record is read and every problem collected before one SheetError lists them all,
grouped by kind (see :mod:`.table`): unknown keys (with the input name they resemble), a key
repeated in one object (JSON would keep only the last value), values that are no number or
that their input refuses, text numbers by the grammar of :func:`.model.read_number_text`,
periods (``2024.5`` is no year), unit names, and two records for the same unit and period.
Keys that are usual free-text columns (``keterangan``, ``catatan``, ``no``) or named in
``ignore_columns`` are ignored and listed.

Limits, beside those of every sheet (:mod:`.model`: bytes, records as rows, keys per record
as columns, values as cells): a number's text may have at most :data:`MAX_NUMBER_CHARS`
characters, and its size is bounded by :data:`MAX_EXPONENT` (exact arithmetic on
``1e100000000`` would take forever); nesting deeper than the interpreter's recursion limit is
refused (a realisasi is two levels deep).
"""

from __future__ import annotations

__all__ = [
    "MAX_EXPONENT",
    "MAX_NUMBER_CHARS",
    "read_json",
]


import decimal
import difflib
import json
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PeriodError, Place, SheetError
from ..i18n import _
from ..numbers import localized
from ..periods import normalise_period
from .files import read_text
from .model import (
    FREE_TEXT_COLUMNS,
    KEY_COLUMNS,
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_ROWS,
    ReadOptions,
    Sheet,
    SheetRow,
    input_users,
)
from .table import CELLS, HEADER, UNKNOWN, CellReader, Reading, RowChecks, cell_result

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


MAX_EXPONENT = 30
"""JSON numbers above 10**30, or with more than 60 decimals, are refused: exact arithmetic
on 1e100000000 would take forever."""
MAX_NUMBER_CHARS = 100
"""Most characters of one JSON number."""

_NUMBER_RE = re.compile(r"-?[0-9]+(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?\Z")


class _BadNumberError(ValueError):
    """A JSON number that is refused; the message says why."""


class _Object(dict[str, Any]):
    """A JSON object, knowing the keys it was given more than once."""

    repeated: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    result = _Object(pairs)
    if len(result) < len(pairs):
        seen: set[str] = set()
        repeated: dict[str, None] = {}
        for key, _value in pairs:
            if key in seen:
                repeated[key] = None
            seen.add(key)
        result.repeated = tuple(repeated)
    return result


def _reject_constant(name: str) -> Any:
    raise _BadNumberError(_("{value} is not a number").format(value=name))


def _out_of_range(text: str) -> _BadNumberError:
    shown = (
        text
        if len(text) <= 40
        else f"{text[:20]}..." + _("({count} characters)").format(count=len(text))
    )
    return _BadNumberError(
        _("the number {number} is out of range; write it in plain digits").format(number=shown)
    )


def _json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _out_of_range(text)
    return int(text)


def _json_number(text: str) -> Decimal:
    match = _NUMBER_RE.match(text)
    if len(text) > MAX_NUMBER_CHARS or match is None or len(match.group(2) or "") > 6:
        raise _out_of_range(text)
    try:
        number = Decimal(text)
    except decimal.DecimalException:
        raise _out_of_range(text) from None
    exponent = number.as_tuple().exponent
    too_big = bool(number) and number.adjusted() > MAX_EXPONENT
    too_fine = isinstance(exponent, int) and exponent < -2 * MAX_EXPONENT
    if too_big or too_fine:
        raise _out_of_range(text)
    return number


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return _("an object")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return _("a number")


def _parse(path: Path) -> Any:
    file = str(path)
    text = read_text(path)
    try:
        return json.loads(
            text,
            parse_float=_json_number,
            parse_int=_json_int,
            parse_constant=_reject_constant,
            object_pairs_hook=_object,
        )
    except _BadNumberError as error:
        raise SheetError.at(Place(file), str(error)) from None
    except RecursionError:
        raise SheetError.at(
            Place(file),
            _("not valid JSON: nested too deep (a realisasi is a list of objects of numbers)"),
        ) from None
    except (json.JSONDecodeError, ValueError) as error:
        raise SheetError.at(Place(file), _("not valid JSON: {error}").format(error=error)) from None


class _Records:
    """The records of one JSON file read into rows, their problems in ``checks``."""

    def __init__(self, path: Path, catalog: Catalog, options: ReadOptions, single: bool) -> None:
        self.file = str(path)
        self.catalog = catalog
        self.options = options
        self.single = single
        self.checks = RowChecks(self.place, "record", options, None)
        self.cells = CellReader(options.number_style)
        self.readers: dict[str, Callable[[object], Reading]] = {}
        self.columns: dict[str, None] = {}
        self.ignored: dict[str, None] = {}
        self.unknown: set[str] = set()
        self.refused: set[str] = set()
        """Inputs with a refused value."""
        self.values_read = 0

    def place(self, number: int, column: str | None = None) -> Place:
        return Place(self.file) if self.single else Place(self.file, record=number)

    @property
    def prefix(self) -> str:
        return _("the record: ") if self.single else ""

    def read(self, position: int, item: dict[str, Any]) -> SheetRow | None:
        """One record's row (None when it gives no value), its problems noted."""
        checks, place, prefix = self.checks, self.place(position), self.prefix
        if len(item) > MAX_COLUMNS:
            raise SheetError.at(
                place,
                _("the record has {count} keys; the limit is MAX_COLUMNS ({limit})").format(
                    count=localized(len(item)), limit=localized(MAX_COLUMNS)
                ),
            )
        for key in getattr(item, "repeated", ()):
            checks.add(
                HEADER,
                place,
                prefix
                + _(
                    "key {key!r} appears twice in the record; JSON keeps only the last "
                    "value: give each input once"
                ).format(key=key),
            )
        labels: dict[str, str | None] = {"unit": None, "period": None}
        values: dict[str, Fraction] = {}
        for name, value in item.items():
            if name in KEY_COLUMNS:
                labels[name] = self._key(position, name, value)
            elif name in self.catalog.inputs:
                self.columns[name] = None
                result = self._value(position, name, value)
                if result is not None:
                    values[name] = result
            elif name.casefold().rstrip(".").strip() in FREE_TEXT_COLUMNS or (
                name in self.options.ignore_columns
            ):
                self.ignored[name] = None
            elif name not in self.unknown:
                self.unknown.add(name)
                close = difflib.get_close_matches(name, [*self.catalog.inputs, *KEY_COLUMNS], n=1)
                hint = _("; did you mean {name!r}?").format(name=close[0]) if close else ""
                checks.add(
                    UNKNOWN,
                    place,
                    _(
                        "unknown key {name!r}: it is no input of the catalog{hint} (allowed: the "
                        "catalog's input names, and 'unit' and 'period')"
                    ).format(name=name, hint=hint),
                )
        if not values:
            return None
        self.values_read += len(values)
        if self.values_read > MAX_CELLS:
            raise SheetError.at(
                place,
                _("more values than allowed; the limit is MAX_CELLS ({limit})").format(
                    limit=localized(MAX_CELLS)
                ),
            )
        return SheetRow(position, labels["unit"], labels["period"], values)

    def _key(self, position: int, name: str, value: object) -> str | None:
        place, prefix = self.place(position), self.prefix
        if value is not None and not isinstance(value, str | int | Decimal):
            self.checks.add(
                CELLS,
                place,
                prefix
                + _("{name!r} must be text, got {type}").format(name=name, type=_json_type(value)),
            )
            return None
        if name == "period":
            try:
                return normalise_period(value)  # 2024.5 is no year
            except PeriodError as error:
                self.checks.add(CELLS, place, f"{prefix}{error}")
                return None
        return self.checks.unit(value, position, None)

    def _value(self, position: int, name: str, value: object) -> Fraction | None:
        if value is None:
            return None  # null: no value, like an empty cell
        place, prefix = self.place(position), self.prefix
        if isinstance(value, dict | list):
            self.checks.add(
                CELLS,
                place,
                prefix
                + _("input {name!r} must be a number, got {type}").format(
                    name=name, type=_json_type(value)
                ),
            )
            return None
        read = self.readers.get(name)
        if read is None:
            read = self.readers[name] = self.cells.reader(self.catalog.inputs[name])
        result = cell_result(read(value))
        if isinstance(result, str):
            self.refused.add(name)
            users = ", ".join(map(str, input_users(self.catalog, name))) or _("none")
            self.checks.add(
                CELLS,
                place,
                _("input {name!r} (indicator {numbers}): {problem}").format(
                    name=name, numbers=users, problem=result
                ),
            )
            return None
        return result


def read_json(path: Path, catalog: Catalog, options: ReadOptions | None = None) -> Sheet:
    file = str(path)
    data = _parse(path)
    if isinstance(data, dict):
        items: list[Any] = [data]
    elif isinstance(data, list):
        items = data
    else:
        raise SheetError.at(
            Place(file),
            _(
                "the JSON must be an object {{input: number}} or a list of such objects, got {type}"
            ).format(type=_json_type(data)),
        )
    if len(items) > MAX_ROWS:
        raise SheetError.at(
            Place(file),
            _("{count} records; the limit is MAX_ROWS ({limit})").format(
                count=localized(len(items)), limit=localized(MAX_ROWS)
            ),
        )
    records = _Records(path, catalog, options or ReadOptions(), isinstance(data, dict))
    rows: list[SheetRow] = []
    empty: list[int] = []
    for position, item in enumerate(items, 1):
        if not isinstance(item, dict):  # not a realisasi at all: nothing else is said
            raise SheetError.at(
                Place(file),
                _("record {position} must be an object {{input: number}}, got {type}").format(
                    position=position, type=_json_type(item)
                ),
            )
        row = records.read(position, item)
        if row is None:
            empty.append(position)
        else:
            rows.append(row)
            records.checks.row(row, None)
    records.checks.finish(rows, {})  # records may leave out the unit or period: no check
    if records.checks.problems:
        inputs = sorted(records.unknown | records.refused)
        raise records.checks.error(inputs)
    if not rows:
        raise SheetError.at(Place(file), _("no records with values found"))
    return Sheet(
        path=path,
        kind="json",
        sheet_name=None,
        columns=tuple(name for name in catalog.inputs if name in records.columns),
        missing=tuple(name for name in catalog.inputs if name not in records.columns),
        rows=tuple(rows),
        empty_rows=tuple(empty),
        ignored=tuple(records.ignored),
        number_style=options.number_style if options else None,
    )
