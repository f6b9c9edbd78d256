"""JSON realisasi: an object {input: number} or a list of them, numbers read exactly."""

from __future__ import annotations

__all__ = [
    "MAX_EXPONENT",
    "read_json",
]


import difflib
import json
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import PeriodError, Place, SheetError
from ..evaluation import (
    coerce_value,
)
from ..periods import normalise_period
from .files import read_text
from .model import (
    KEY_COLUMNS,
    Sheet,
    SheetRow,
    input_users,
)
from .table import check_duplicates

if TYPE_CHECKING:
    from ..catalog.registry import Catalog


MAX_EXPONENT = 30
"""JSON numbers above 10**30, or with more than 60 decimals, are refused: exact arithmetic
on 1e100000000 would take forever."""


class _BadNumberError(ValueError):
    """A JSON number that is refused; the message says why."""


def _reject_constant(name: str) -> Any:
    raise _BadNumberError(f"{name} is not a number")


def _json_number(text: str) -> Decimal:
    number = Decimal(text)
    exponent = number.as_tuple().exponent
    too_big = bool(number) and number.adjusted() > MAX_EXPONENT
    too_fine = isinstance(exponent, int) and exponent < -2 * MAX_EXPONENT
    if too_big or too_fine:
        raise _BadNumberError(f"the number {text} is out of range; write it in plain digits")
    return number


def _json_type(value: object) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "null"
    return "a number"


def _json_record(
    item: Mapping[str, Any],
    file: str,
    place: Place,
    where: str,
    catalog: Catalog,
    columns: dict[str, None],
) -> tuple[dict[str, str | None], dict[str, Fraction]]:
    """One JSON record's unit and period and its values, checked; adds its keys to ``columns``."""
    labels: dict[str, str | None] = {"unit": None, "period": None}
    values: dict[str, Fraction] = {}
    for name, value in item.items():
        if name not in catalog.inputs and name not in KEY_COLUMNS:
            close = difflib.get_close_matches(name, [*catalog.inputs, *KEY_COLUMNS], n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise SheetError.at(
                Place(file),
                f"unknown key {name!r}: it is no input of the catalog{hint} (allowed: the "
                "catalog's input names, and 'unit' and 'period')",
                inputs=[name],
            )
        if name in KEY_COLUMNS:
            if value is not None and not isinstance(value, str | int | Decimal):
                raise SheetError.at(
                    Place(file), f"{where}: {name!r} must be text, got {_json_type(value)}"
                )
            if name == "period":
                try:
                    labels[name] = normalise_period(value)  # 2024.5 is no year
                except PeriodError as error:
                    raise SheetError.at(Place(file), f"{where}: {error}") from None
            else:
                labels[name] = None if value is None else str(value).strip() or None
            continue
        columns[name] = None
        if value is None:
            continue  # null: no value, like an empty cell
        if isinstance(value, dict | list):
            raise SheetError.at(
                Place(file),
                f"{where}: input {name!r} must be a number, got {_json_type(value)}",
                inputs=[name],
            )
        try:
            values[name] = coerce_value(value, catalog.inputs[name])
        except ValueError as error:
            users = ", ".join(map(str, input_users(catalog, name))) or "none"
            raise SheetError.at(
                place, f"input {name!r} (indicator {users}): {error}", inputs=[name]
            ) from None
    return labels, values


def read_json(path: Path, catalog: Catalog) -> Sheet:
    file = str(path)
    text = read_text(path)
    try:
        data = json.loads(text, parse_float=_json_number, parse_constant=_reject_constant)
    except _BadNumberError as error:
        raise SheetError.at(Place(file), str(error)) from None
    except (json.JSONDecodeError, ValueError, RecursionError) as error:
        raise SheetError.at(Place(file), f"not valid JSON: {error}") from None
    if isinstance(data, dict):
        items: list[Any] = [data]
        single = True
    elif isinstance(data, list):
        items = data
        single = False
    else:
        raise SheetError.at(
            Place(file),
            "the JSON must be an object {input: number} or a list of such objects, "
            f"got {_json_type(data)}",
        )
    rows: list[SheetRow] = []
    empty: list[int] = []
    columns: dict[str, None] = {}
    for position, item in enumerate(items, 1):
        place = Place(file) if single else Place(file, record=position)
        where = "the record" if single else f"record {position}"
        if not isinstance(item, dict):
            raise SheetError.at(
                Place(file), f"{where} must be an object {{input: number}}, got {_json_type(item)}"
            )
        labels, values = _json_record(item, file, place, where, catalog, columns)
        if values:
            rows.append(SheetRow(position, labels["unit"], labels["period"], values))
        else:
            empty.append(position)
    if not rows:
        raise SheetError.at(Place(file), "no records with values found")
    sheet = Sheet(
        path=path,
        kind="json",
        sheet_name=None,
        columns=tuple(name for name in catalog.inputs if name in columns),
        missing=tuple(name for name in catalog.inputs if name not in columns),
        rows=tuple(rows),
        empty_rows=tuple(empty),
    )
    check_duplicates(sheet)
    return sheet
