"""The catalog loader's wording of a problem: type words, bounds, suggestions, and the
check of what names a catalog.

Read by :mod:`.load` (kept apart so that the loader stays under the size limit); every
text goes through :func:`~iku_formula.i18n._`.
"""

from __future__ import annotations

__all__ = [
    "catalog_path",
    "describe",
    "enum_message",
    "names",
    "not_a_table",
    "not_defined",
    "suggest",
    "type_word",
    "value_problem",
]

import difflib
import enum
import math
import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import CatalogError, Problem
from ..i18n import N_, _
from . import schema

_TYPE_WORDS: dict[type, str] = {
    str: N_("text"),
    int: N_("an integer"),
    float: N_("a number"),
    list: N_("a list"),
    dict: N_("a table"),
    bool: N_("true or false"),
}

_ITEM_WORDS: dict[type, str] = {str: N_("strings")}


def type_word(kind: type) -> str:
    word = _TYPE_WORDS.get(kind)
    return kind.__name__ if word is None else _(word)


def not_a_table(value: object) -> str:
    return _("must be a table, got {value}").format(value=describe(value))


def not_defined(field: str, name: str) -> str:
    return _("field {key!r}: {name!r} is not defined under [inputs]").format(key=field, name=name)


def value_problem(field: schema.Field, value: object) -> str | None:
    """What is wrong with ``value`` of the right type for ``field`` (after "field 'key'")."""
    if isinstance(value, str) and not value.strip() and not field.may_be_empty:
        return _("may not be empty")
    if (
        field.items is not None
        and isinstance(value, list)
        and not all(isinstance(item, field.items) for item in value)
    ):
        return _("must be a list of {items}").format(items=_(_ITEM_WORDS[field.items]))
    if isinstance(value, float) and not math.isfinite(value):
        return _("must be a finite number, got {value}").format(value=value)
    low, high = field.bounds
    if isinstance(value, int) and (low is not None or high is not None):
        if low is not None and high is not None and not low <= value <= high:
            return _("must be between {low} and {high}, got {value}").format(
                low=low, high=high, value=value
            )
        if high is None and low is not None and value < low:
            return _("must be {low} or more, got {value}").format(low=low, value=value)
        if low is None and high is not None and value > high:
            return _("must be {high} or less, got {value}").format(high=high, value=value)
    return None


def describe(value: object) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    word = type_word(type(value))
    shown = repr(value)
    return f"{word} {shown[:40]}{'...' if len(shown) > 40 else ''}"


def names(names: list[str]) -> str:
    return ", ".join(repr(name) for name in names)


def suggest(name: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    return " " + _("(did you mean {other!r}?)").format(other=close[0]) if close else ""


def enum_message(error: ValueError, field: str, enum_type: type[enum.Enum]) -> str:
    allowed = ", ".join(repr(member.value) for member in enum_type)
    return _("field {key!r}: {error}; use one of {allowed}").format(
        key=field, error=error, allowed=allowed
    )


def catalog_path(source: object) -> Path:
    """``source`` as a Path; CatalogError if it is no path (bytes, a number, an open file)."""
    if isinstance(source, str):
        return Path(source)
    if isinstance(source, os.PathLike):
        name = os.fspath(source)
        if isinstance(name, str):
            return Path(name)
    raise CatalogError(
        [
            Problem(
                "load_catalog",
                "",
                _("a catalog is named by a path (text or a Path), got {type}").format(
                    type=type(source).__name__
                ),
            )
        ]
    )
