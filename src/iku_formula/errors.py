"""The one error hierarchy of iku-formula.

Every error is an :class:`IkuError`, itself a :class:`ValueError`, so callers that
already catch ``ValueError`` for bad data keep working. Messages name where the
problem is (file, indicator, field, input, column) and what to do about it.
"""

from __future__ import annotations

__all__ = [
    "CatalogError",
    "FormulaError",
    "IkuError",
    "InputError",
    "Problem",
    "UnknownIndicatorError",
]

from collections.abc import Sequence

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


class UnknownIndicatorError(IkuError, KeyError):
    """No indicator with that number or key; also a KeyError, as for any mapping."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""
