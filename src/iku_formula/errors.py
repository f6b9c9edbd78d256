"""The one error hierarchy of iku-formula.

Every error is an :class:`IkuError`, itself a :class:`ValueError`, so callers that
already catch ``ValueError`` for bad data keep working. Messages name where the
problem is (file, indicator, field, input, column) and what to do about it.
"""

from __future__ import annotations

__all__ = [
    "CODES",
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
    "codes_table",
    "column_letter",
]

from collections.abc import Sequence
from typing import Any

import attrs

from .i18n import _, ngettext

CODES: dict[str, tuple[str, str]] = {
    "iku-error": ("IkuError", "any error of iku-formula (the base class's code)"),
    "formula": ("FormulaError", "a formula text the formula language refuses"),
    "invalid-catalog": ("CatalogError", "a catalog file with problems, each one in `problems`"),
    "invalid-definition": (
        "DefinitionError",
        "an Input, Indicator, Target or rule built from a value it cannot hold",
    ),
    "invalid-input": ("InputError", "realised values given to an evaluation are unusable"),
    "invalid-period": ("PeriodError", "a period label the period grammar refuses"),
    "invalid-sheet": ("SheetError", "a realisasi file is unusable, each problem in `problems`"),
    "command": ("CommandError", "an `iku` command cannot be carried out as asked"),
    "cannot-write": ("CommandError", "the file a command writes cannot be written"),
    "unknown-indicator": ("UnknownIndicatorError", "no indicator with that number or key"),
    "sheet-header": ("SheetError", "the header row: a column twice, values above it or unnamed"),
    "unknown-column": ("SheetError", "a column that is no input, key or free-text column"),
    "formula-cell": ("SheetError", "a cell holding a formula whose value was never computed"),
    "bad-cell": ("SheetError", "a cell that is no admissible value of its input or period"),
    "bad-key-cell": ("SheetError", "a unit or period cell that is empty, a number or refused"),
    "unit-name": ("SheetError", "a unit written two ways, or not one of the template's units"),
    "repeated-row": ("SheetError", "two rows for the same unit and period"),
    "missing-dependency": (
        "MissingDependencyError",
        "an optional dependency (an extra) is not installed",
    ),
}
"""Every error code: the stable English name a program tests (``exc.code``), the class
raised with it and its meaning.

The message (``str(exc)``) is in the language shown (:mod:`iku_formula.i18n`) and may change
wording; the code does not. Each class has its code; a raise may name a finer one (listed
here too, ``tests/test_errors.py`` holds every code of the source to this table).
"""


class IkuError(ValueError):
    """Base class of every error raised by iku-formula.

    ``code`` is a stable English name of the kind of problem (:data:`CODES`), for programs;
    the message (``str(exc)``, also ``exc.message``) is worded for people, in the language
    shown when it was raised (Indonesian unless ``IKU_LANG=en`` or ``set_language("en")``).
    """

    code: str = "iku-error"

    def __init__(self, *args: Any, code: str | None = None) -> None:
        super().__init__(*args)
        if code is not None:
            self.code = code

    @property
    def message(self) -> str:
        """The localized message (the same as ``str(self)``)."""
        return str(self)


class FormulaError(IkuError):
    """A formula text was rejected by the formula language.

    ``column`` is 1-based and points at the offending token; ``token`` is its text.
    """

    code = "formula"

    def __init__(
        self,
        message: str,
        *,
        text: str = "",
        column: int | None = None,
        token: str | None = None,
        code: str | None = None,
    ) -> None:
        self.reason = message
        self.text = text
        self.column = column
        self.token = token
        super().__init__(self._render(), code=code)

    def _render(self) -> str:
        if self.column is None:
            return self.reason
        where = _("{reason} (column {column})").format(reason=self.reason, column=self.column)
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

    code = "invalid-catalog"

    def __init__(self, problems: Sequence[Problem], *, code: str | None = None) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = ngettext(
            "invalid catalog ({count} problem)", "invalid catalog ({count} problems)", count
        )
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(head.format(count=count) + f":\n{lines}", code=code)


class DefinitionError(IkuError, TypeError):
    """A definition (an Input, an Indicator, a Target, an AchievementRule) built from a value
    it cannot hold: a wrong type or a value out of its range. Also a TypeError, as attrs
    validators raise for a wrong type; the catalog loader turns it into a located problem."""

    code = "invalid-definition"


class InputError(IkuError):
    """Realised values (realisasi inputs) given to an evaluation are unusable.

    ``indicator`` is the indicator's number (or None outside one), ``inputs`` the
    names of the offending inputs.
    """

    code = "invalid-input"

    def __init__(
        self,
        message: str,
        *,
        indicator: int | None = None,
        inputs: Sequence[str] = (),
        code: str | None = None,
    ) -> None:
        self.indicator = indicator
        self.inputs = tuple(inputs)
        super().__init__(message, code=code)


class PeriodError(InputError):
    """A period label that the period grammar refuses (:func:`iku_formula.periods.parse_period`).

    ``label`` is the value as given (text, a number, anything else); the message names it
    and says what to write. Readers add where it is (a :class:`SheetError` with its place).
    """

    code = "invalid-period"

    def __init__(self, message: str, *, label: object, code: str | None = None) -> None:
        self.label = label
        super().__init__(message, code=code)


class CommandError(IkuError):
    """A command of the ``iku`` program cannot be carried out as asked (conflicting
    options, a file that cannot be written); the message is worded for people."""

    code = "command"

    @classmethod
    def cannot_write(cls, path: object, error: OSError) -> CommandError:
        """The file at ``path`` cannot be written: the one wording of every command."""
        return cls(
            _("{file}: cannot write the file: {reason}").format(
                file=path, reason=error.strerror or error
            ),
            code="cannot-write",
        )


class UnknownIndicatorError(IkuError, KeyError):
    """No indicator with that number or key; also a KeyError, as for any mapping."""

    code = "unknown-indicator"

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
            parts.append(_("sheet {name!r}").format(name=self.sheet))
        if self.record is not None:
            parts.append(_("record {number}").format(number=self.record))
        if self.row is not None:
            parts.append(_("row {number}").format(number=self.row))
        if self.column is not None:
            column = _("column {letter}").format(letter=column_letter(self.column))
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

    code = "invalid-sheet"

    def __init__(
        self,
        problems: Sequence[tuple[Place, str] | tuple[Place, str, str]],
        *,
        inputs: Sequence[str] = (),
        indicator: int | None = None,
        code: str | None = None,
    ) -> None:
        self.places = tuple(problem[0] for problem in problems)
        self.problems = tuple((problem[0], problem[1]) for problem in problems)
        self.kinds = tuple(problem[2] if len(problem) > 2 else "" for problem in problems)
        super().__init__(self._render(), indicator=indicator, inputs=inputs, code=code)

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
            tail = "\n  " + _and_more(more) if more else ""
            count = _("{count} problems").format(count=len(self.problems))
            return f"{head}: {count}:\n{lines}{tail}"
        heading = _("{count} problems of {kinds} kinds").format(
            count=len(self.problems), kinds=len(groups)
        )
        out = [f"{head}: {heading}:"]
        for kind, listed in groups.items():
            label = _(kind) if kind else _("other problems")
            out.append(f"  {label} ({len(listed)}):")
            out.extend(
                f"    - {_located(where, what)}" for where, what in listed[: self.MAX_PER_KIND]
            )
            if len(listed) > self.MAX_PER_KIND:
                out.append("    " + _and_more(len(listed) - self.MAX_PER_KIND))
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

    code = "missing-dependency"

    def __init__(self, message: str, *, extra: str | None = None, code: str | None = None) -> None:
        self.extra = extra
        super().__init__(message, code=code)


def _and_more(count: int) -> str:
    """ "... and 5 more": the problems not listed."""
    return _("... and {count} more").format(count=count)


def _located(place: Place, message: str) -> str:
    """ "row 4, column C: message", or the message alone where the place is the file."""
    return f"{place.inner}: {message}" if place.inner else message


def codes_table() -> str:
    """The error codes as a Markdown table (pasted into docs/api/errors.md; a test holds it)."""
    rows = ["| code | raised as | meaning |", "| --- | --- | --- |"]
    rows += [f"| `{code}` | `{owner}` | {meaning} |" for code, (owner, meaning) in CODES.items()]
    return "\n".join(rows)


if __name__ == "__main__":
    print(codes_table())
