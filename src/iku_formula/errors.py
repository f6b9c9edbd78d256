"""The one error hierarchy of iku-formula.

Every error is an :class:`IkuError`, itself a :class:`ValueError`, so callers that
already catch ``ValueError`` for bad data keep working. Messages name where the
problem is (file, indicator, field, input, column) and what to do about it.
"""

from __future__ import annotations

__all__ = [
    "MAX_PROBLEMS",
    "CatalogError",
    "CommandError",
    "DefinitionError",
    "FormulaError",
    "IkuError",
    "InputError",
    "MissingDependencyError",
    "PeriodError",
    "Place",
    "Problem",
    "SheetError",
    "UnknownIndicatorError",
    "column_letter",
]

from collections.abc import Sequence
from typing import Any

import attrs


class IkuError(ValueError):
    """Base class of every error raised by iku-formula."""


class FormulaError(IkuError):
    """A formula text was rejected by the formula language.

    ``column`` is 1-based and points at the offending token; ``token`` is its text.
    """

    def __init__(
        self,
        message: str,
        *,
        text: str = "",
        column: int | None = None,
        token: str | None = None,
    ) -> None:
        self.reason = message
        self.text = text
        self.column = column
        self.token = token
        super().__init__(self._render())

    def _render(self) -> str:
        if self.column is None:
            return self.reason
        where = f"{self.reason} (column {self.column})"
        shown = self.text if len(self.text) <= 120 else None
        if shown is None or "\n" in shown:
            return where
        width = max(1, len(self.token or ""))
        caret = " " * (self.column - 1) + "^" * min(width, max(1, len(shown) - self.column + 1))
        return f"{where}\n    {shown}\n    {caret}"


@attrs.frozen
class Problem:
    """One thing wrong with a catalog: where it is and what is wrong."""

    file: str
    location: str
    message: str

    def __str__(self) -> str:
        location = f" {self.location}:" if self.location else ""
        return f"{self.file}:{location} {self.message}"


class CatalogError(IkuError):
    """A catalog file is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"invalid catalog ({head}):\n{lines}")


class DefinitionError(IkuError, TypeError):
    """A definition (an Input, an Indicator, a Target, an AchievementRule) built from a value
    it cannot hold: a wrong type or a value out of its range. Also a TypeError, as attrs
    validators raise for a wrong type; the catalog loader turns it into a located problem."""


class InputError(IkuError):
    """Realised values (realisasi inputs) given to an evaluation are unusable.

    ``indicator`` is the indicator's number (or None outside one), ``inputs`` the
    names of the offending inputs.
    """

    def __init__(
        self, message: str, *, indicator: int | None = None, inputs: Sequence[str] = ()
    ) -> None:
        self.indicator = indicator
        self.inputs = tuple(inputs)
        super().__init__(message)


class PeriodError(InputError):
    """A period label that the period grammar refuses (:func:`iku_formula.periods.parse_period`).

    ``label`` is the value as given (text, a number, anything else); the message names it
    and says what to write. Readers add where it is (a :class:`SheetError` with its place).
    """

    def __init__(self, message: str, *, label: object) -> None:
        self.label = label
        super().__init__(message)


class CommandError(IkuError):
    """A command of the ``iku`` program cannot be carried out as asked (conflicting
    options, a file that cannot be written); the message is worded for people."""


class UnknownIndicatorError(IkuError, KeyError):
    """No indicator with that number or key; also a KeyError, as for any mapping."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


MAX_PROBLEMS = 20
"""Most bad cells listed in one error."""


def column_letter(index: int) -> str:
    """The spreadsheet letter of the 1-based column ``index``: 1 -> "A", 28 -> "AB"."""
    if index < 1:
        raise ValueError(f"column index must be 1 or more, got {index}")
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@attrs.frozen
class Place:
    """Where something is in a file, as a spreadsheet program shows it."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: int | None = None
    name: str | None = None
    """The column's name (its header cell)."""
    record: int | None = None
    """For JSON: the record's 1-based position (None for a single object)."""

    def __str__(self) -> str:
        return self.file + (f": {self.inner}" if self.inner else "")

    @property
    def inner(self) -> str:
        """The place without the file name: "sheet 'realisasi', row 4, column C (nama)"."""
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.record is not None:
            parts.append(f"record {self.record}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            column = f"column {column_letter(self.column)}"
            parts.append(column + (f" ({self.name})" if self.name else ""))
        return ", ".join(parts)


class SheetError(InputError):
    """A realisasi file is unusable; the message names the file, sheet, row and column.

    ``problems`` are ``(place, message)`` pairs, or ``(place, message, kind)`` triples whose
    ``kind`` ("unknown columns", "bad cells", ...) groups them: problems of several kinds are
    rendered kind by kind, in the order the kinds first appear, each kind listing at most
    :attr:`MAX_PER_KIND` of them and counting the rest (one kind alone lists
    :data:`MAX_PROBLEMS`). ``places`` lists where each problem is (the first is also
    ``place``), ``kinds`` the kind of each ("" when none was given).
    """

    MAX_PER_KIND = 10
    """Most problems listed for each kind when a sheet has problems of several kinds."""

    def __init__(
        self,
        problems: Sequence[tuple[Place, str] | tuple[Place, str, str]],
        *,
        inputs: Sequence[str] = (),
        indicator: int | None = None,
    ) -> None:
        self.places = tuple(problem[0] for problem in problems)
        self.problems = tuple((problem[0], problem[1]) for problem in problems)
        self.kinds = tuple(problem[2] if len(problem) > 2 else "" for problem in problems)
        super().__init__(self._render(), indicator=indicator, inputs=inputs)

    def _render(self) -> str:
        place, message = self.problems[0]
        if len(self.problems) == 1:
            return f"{place}: {message}"
        head = Place(place.file, place.sheet)
        groups: dict[str, list[tuple[Place, str]]] = {}
        for problem, kind in zip(self.problems, self.kinds, strict=True):
            groups.setdefault(kind, []).append(problem)
        if len(groups) == 1:
            shown = self.problems[:MAX_PROBLEMS]
            lines = "\n".join(f"  - {_located(where, what)}" for where, what in shown)
            more = len(self.problems) - len(shown)
            tail = f"\n  ... and {more} more" if more else ""
            return f"{head}: {len(self.problems)} problems:\n{lines}{tail}"
        out = [f"{head}: {len(self.problems)} problems of {len(groups)} kinds:"]
        for kind, listed in groups.items():
            out.append(f"  {kind or 'other problems'} ({len(listed)}):")
            out.extend(
                f"    - {_located(where, what)}" for where, what in listed[: self.MAX_PER_KIND]
            )
            if len(listed) > self.MAX_PER_KIND:
                out.append(f"    ... and {len(listed) - self.MAX_PER_KIND} more")
        return "\n".join(out)

    @property
    def place(self) -> Place:
        return self.places[0]

    @classmethod
    def at(cls, place: Place, message: str, **kwargs: Any) -> SheetError:
        """One problem at one place."""
        return cls([(place, message)], **kwargs)


class MissingDependencyError(IkuError):
    """An optional dependency (pandas, openpyxl) is needed and not installed.

    ``extra`` names the extra to install (``python -m pip install 'iku-formula[EXTRA]'``).
    """

    def __init__(self, message: str, *, extra: str | None = None) -> None:
        self.extra = extra
        super().__init__(message)


def _located(place: Place, message: str) -> str:
    """ "row 4, column C: message", or the message alone where the place is the file."""
    return f"{place.inner}: {message}" if place.inner else message
