"""Text layout for terminals: aligned tables, wrapped notes, shortened names."""

from __future__ import annotations

__all__ = ["NAME_WIDTH", "WRAP_WIDTH", "shorten", "table", "wrap"]

import textwrap
from collections.abc import Iterable, Sequence

NAME_WIDTH = 48
"""Indicator names longer than this are shortened in terminal tables."""


WRAP_WIDTH = 100


def table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Iterable[int], indent: str = ""
) -> list[str]:
    """A plain-text table: columns padded, ``right`` columns right-aligned."""
    aligned = set(right)
    widths = [max(len(row[c]) for row in [headers, *rows]) for c in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.rjust(width) if column in aligned else cell.ljust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return (indent + "  ".join(padded)).rstrip()

    return [line(headers), indent + "  ".join("-" * w for w in widths), *map(line, rows)]


def wrap(text: str, *, indent: str, first: str = "") -> list[str]:
    """``text`` wrapped: ``first`` before the first line, ``indent`` before the others."""
    return textwrap.wrap(
        text,
        width=WRAP_WIDTH,
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [first]


def shorten(text: str, width: int = NAME_WIDTH) -> str:
    """``text`` cut to ``width`` characters at a word boundary, marked with "..."."""
    if len(text) <= width:
        return text
    cut = text[: width - 3]
    if text[width - 3] != " " and " " in cut[width // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "..."
