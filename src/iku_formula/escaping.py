"""Text from strangers made inert where it goes: spreadsheet cells, CSV, Markdown, terminals.

Unit names, labels, indicator names, notes and reasons come from sheets, JSON files,
the command line and catalogs. Every writer passes them through one of these
functions, so that none becomes a live spreadsheet formula, raw HTML or a terminal
control sequence, whatever it contains:

* :func:`csv_field`: a CSV cell that starts like a formula (``=``, ``+``, ``-``, ``@``,
  tab, carriage return) gets a leading apostrophe, as spreadsheet programs expect
  (the OWASP advice); a number (``-5``, ``+3,2``) stays a number;
* :func:`inert_workbook`: every cell of an openpyxl workbook that would be a formula
  becomes a text cell, and text that starts like a formula is marked "quote prefix",
  so that it stays text even when someone edits the cell;
* :func:`markdown_text`: ``<``, ``>`` and ``&`` as HTML entities, ``|`` and ``\\``
  escaped, line breaks as spaces;
* :func:`cell_text`: the same escapes for a workbook cell, which cannot hold control
  characters at all;
* :func:`terminal_text`: control characters (escape sequences, bells, backspaces,
  bidirectional overrides) shown as ``\\x1b``-style escapes; line breaks stay.
"""

from __future__ import annotations

__all__ = [
    "FORMULA_STARTS",
    "cell_text",
    "csv_field",
    "inert_workbook",
    "markdown_text",
    "starts_like_formula",
    "terminal_text",
]

import re
from typing import Any

from .numbers import NUMBER_TEXT_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet program read a cell as a formula."""

_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


_FRACTION_RE = re.compile(r"-[0-9]+/[0-9]+\Z")
"""An exact value as the reports write it ("-200/3"): digits and one slash, nothing to run."""


def starts_like_formula(text: str) -> bool:
    """Whether a spreadsheet program would read ``text`` as a formula (numbers excepted,
    exact fractions "-200/3" too: a sign, digits and a slash cannot call anything)."""
    return (
        text.startswith(FORMULA_STARTS)
        and not NUMBER_TEXT_RE.match(text)
        and not _FRACTION_RE.match(text)
    )


def csv_field(value: object) -> object:
    """``value`` for a CSV cell: text that starts like a formula gets a leading ``'``."""
    if isinstance(value, str) and starts_like_formula(value):
        return "'" + value
    return value


def inert_workbook(book: Any) -> None:
    """Make every cell of an openpyxl workbook inert text or a number, never a formula.

    The writers of this package never mean to write a formula; this pass, just before
    saving, holds that for any text that reached a cell (openpyxl turns a string that
    starts with ``=`` into a formula).
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                if cell.data_type == "f":
                    cell.data_type = "s"
                if starts_like_formula(value):
                    cell.quotePrefix = True


def markdown_text(text: str) -> str:
    """``text`` for a Markdown table cell or line: no raw HTML, no broken table."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("\r", " ")
        .replace("\n", " ")
    )


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_text(text: str) -> str:
    """``text`` for a terminal: control characters shown as escapes, line breaks kept."""
    return _CONTROL_RE.sub(_escape, text)


def cell_text(value: object) -> object:
    """``value`` for a workbook cell: text with its control characters shown as escapes
    (a workbook cannot hold them; openpyxl refuses them), anything else as it is."""
    return terminal_text(value) if isinstance(value, str) else value
