"""Reading one cell into an exact value for its input, by the grammar of :mod:`.table`.

:class:`CellReader` keeps what each text reads as (up to :data:`CACHE_ENTRIES`), so that a
sheet of repeated counts and scores is read at dictionary speed; the table checks
(:mod:`.table`) and the JSON reader (:mod:`.json`) share it.
"""

from __future__ import annotations

__all__ = [
    "CACHE_ENTRIES",
    "FORMULA",
    "SKIP",
    "CellReader",
    "Reading",
    "cell_result",
    "percent_input",
]

import datetime
from collections.abc import Callable
from fractions import Fraction

from ..evaluation import coerce_value
from ..i18n import _
from ..model import Input, InputKind
from ..numbers import exact_text
from .model import FormulaCell, PercentCell, TwoReadings, read_number_text

CACHE_ENTRIES = 200_000
"""Most distinct cell texts whose reading is kept (beyond it, cells are read one by one)."""


class _Marker:
    """What a cell that is no value reads as."""


SKIP = _Marker()
"""A cell that holds nothing (spaces only)."""
FORMULA = _Marker()
"""A formula cell whose value was never computed."""

Reading = Fraction | str | _Marker
"""What a cell reads as: its value, the message saying why it is refused, or a marker."""


def cell_result(result: Reading) -> Fraction | str | None:
    """A reading as a value, the message of a refusal, or None (the cell holds nothing)."""
    if isinstance(result, Fraction | str):
        return result
    if result is FORMULA:
        return _("the cell holds a formula whose value was never computed")
    return None


def percent_input(spec: Input) -> bool:
    """Whether a value shown as a percent (90%) means 90 in ``spec``."""
    return spec.unit == "%" or (
        spec.kind is InputKind.SCORE and spec.minimum == 0 and spec.maximum == 100
    )


class CellReader:
    """Reads cells into exact values for the inputs of one sheet, each text once per kind.

    The reading of a cell depends only on its text (or number), the input's kind and range,
    and the sheet's number style; it is kept per text and kind of input, for at most
    :data:`CACHE_ENTRIES` texts in all, so that a sheet of repeated counts and scores is
    read at dictionary speed.
    """

    def __init__(self, style: str | None) -> None:
        self.style = style
        self._caches: dict[tuple[object, ...], tuple[dict[str, Reading], dict[object, Reading]]]
        self._caches = {}
        self._room = CACHE_ENTRIES

    def reader(self, spec: Input) -> Callable[[object], Reading]:
        """A function reading one cell of ``spec``'s column (see :data:`Reading`)."""
        return self.cached_reader(spec)[1]

    def cached_reader(self, spec: Input) -> tuple[dict[str, Reading], Callable[[object], Reading]]:
        """The readings of texts kept so far for ``spec``'s kind (a dictionary a caller may
        look a text up in first) and the function reading one cell (keeping its reading)."""
        percent = percent_input(spec)
        kind = (spec.kind, spec.minimum, spec.maximum, spec.unit)  # what a reading depends on
        texts, numbers = self._caches.setdefault(kind, ({}, {}))

        def read(cell: object) -> Reading:
            if isinstance(cell, str):
                text = texts.get(cell)
                if text is None:
                    text = self._read(cell, spec, percent)
                    if self._room > 0:
                        self._room -= 1
                        texts[cell] = text
                return text
            kind = cell.__class__
            if kind is int or kind is float:  # not bool, whose True equals 1
                key = (kind, cell)
                found = numbers.get(key)
                if found is None:
                    found = self._read(cell, spec, percent)
                    if self._room > 0:
                        self._room -= 1
                        numbers[key] = found
                return found
            return self._read(cell, spec, percent)

        return texts, read

    def _read(self, cell: object, spec: Input, percent: bool) -> Reading:
        try:
            if isinstance(cell, str):
                return self._text(cell, spec, percent)
            if isinstance(cell, PercentCell):
                return self._percent(cell, spec, percent)
            if isinstance(cell, FormulaCell):
                return FORMULA
            if isinstance(cell, datetime.date | datetime.time | datetime.timedelta):
                return _(
                    "the cell holds a date or time ({cell}), not a number; format the cell "
                    "as a number"
                ).format(cell=cell)
            return coerce_value(cell, spec)
        except ValueError as error:
            return str(error)

    def _text(self, cell: str, spec: Input, percent: bool) -> Reading:
        text = cell.strip().replace("\u00a0", "").replace("\u202f", "")
        if not text:
            return SKIP
        shown = text
        if text.endswith("%") and len(text) > 1:
            text = text[:-1].rstrip()
            if not percent:
                return _(
                    "{text!r} is a percent, but the input is counted in {unit}, "
                    "not in %; write the number itself"
                ).format(text=shown, unit=spec.unit)
        reading = read_number_text(text, self.style)
        if isinstance(reading, TwoReadings):
            return reading.message((_note(reading.decimal, spec), _note(reading.thousands, spec)))
        try:
            return coerce_value(reading, spec)
        except ValueError as error:
            if isinstance(reading, str) and shown == text:
                raise
            read_as = (
                ""
                if isinstance(reading, str)
                else " " + _("(read as {value})").format(value=exact_text(reading))
            )
            raise ValueError(f"{shown!r}{read_as}: {error}") from None

    def _percent(self, cell: PercentCell, spec: Input, percent: bool) -> Reading:
        stored = cell.stored
        if not percent:
            return _(
                "the cell is shown as a percent ({format}: {stored!r} shows as {percent}%), "
                "but the input is counted in {unit}, not in %; format the cell as a number "
                "and type the number itself"
            ).format(
                format=cell.number_format,
                stored=stored,
                percent=_times_100(stored),
                unit=spec.unit,
            )
        if isinstance(stored, bool) or not isinstance(stored, int | float):
            return _("the cell shown as a percent holds {stored!r}, not a number").format(
                stored=stored
            )
        value = Fraction(stored) if isinstance(stored, int) else Fraction(repr(stored))
        try:
            return coerce_value(value * 100, spec)
        except ValueError as error:
            return _("the cell shown as a percent ({percent}%): {error}").format(
                percent=_times_100(stored), error=error
            )


def _note(value: Fraction, spec: Input) -> str:
    """What ``spec`` says of a reading: "" when it allows it, else why not, briefly."""
    try:
        coerce_value(value, spec)
    except ValueError as error:
        return str(error).split("; ")[0].removeprefix(str(value)).strip().removeprefix("is ")
    return ""


def _times_100(stored: object) -> str:
    if isinstance(stored, int | float) and not isinstance(stored, bool):
        value = Fraction(stored) if isinstance(stored, int) else Fraction(repr(stored))
        return exact_text(value * 100)
    return "?"
