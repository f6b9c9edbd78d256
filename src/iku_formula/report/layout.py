"""Text layout for terminals: tables and notes that fit the terminal's width.

The width is the terminal's (``shutil.get_terminal_size``, which reads ``COLUMNS``
first), :data:`DEFAULT_WIDTH` when there is no terminal. Tables narrow their columns
by wrapping the text in them (names, targets, statuses) and, when even that cannot
fit, show each row as a block of "header: value" lines; :func:`fit` is the last
guard that no line is longer than the width, whatever a stranger's text holds.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_WIDTH",
    "MIN_WIDTH",
    "NAME_WIDTH",
    "WRAP_WIDTH",
    "fit",
    "said_once",
    "shorten",
    "table",
    "terminal_width",
    "wrap",
]

import re
import shutil
import textwrap
from collections.abc import Iterable, Mapping, Sequence

NAME_WIDTH = 48
"""Indicator names longer than this are shortened in terminal tables."""


WRAP_WIDTH = 100
"""Prose (notes, reasons) is wrapped at most this wide, even on a wider terminal."""


DEFAULT_WIDTH = 100
"""The width when there is no terminal and ``COLUMNS`` is not set (a pipe, a file)."""


MIN_WIDTH = 40
"""The narrowest layout: a terminal narrower than this is laid out for this width."""


_GAP = "  "

_LONGEST_UNBROKEN = 14
"""A word longer than this (a stranger's name without spaces) may be broken in a table cell."""


def terminal_width() -> int:
    """The width to lay text out for: the terminal's (or ``COLUMNS``), at least MIN_WIDTH."""
    columns = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return max(MIN_WIDTH, columns if columns > 0 else DEFAULT_WIDTH)


def _width(width: int | None) -> int:
    return terminal_width() if width is None else max(MIN_WIDTH, width)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    right: Iterable[int],
    indent: str = "",
    width: int | None = None,
    keep: Iterable[int] = (),
) -> list[str]:
    """A plain-text table at most ``width`` wide: ``right`` columns right-aligned.

    Columns not in ``keep`` (numbers stay whole) may wrap their text over several lines,
    the widest first, and every header may wrap at its spaces; when the table still does
    not fit, each row becomes a block of
    "header: value" lines instead.
    """
    room = _width(width) - len(indent)
    aligned, whole = set(right), set(keep)
    count = len(headers)
    natural = [max(len(row[c]) for row in [headers, *rows]) for c in range(count)]
    least = [
        max(
            max((len(row[c]) for row in rows), default=1) if c in whole else 4,
            min(_LONGEST_UNBROKEN, _longest_word([headers[c], *(r[c] for r in rows)])),
        )
        for c in range(count)
    ]
    for gap in (_GAP, " "):  # one space between columns before giving up the table
        widths = _narrowed(natural, least, room - len(gap) * (count - 1), [headers, *rows])
        if widths is not None:
            break
    else:
        return _blocks(headers, rows, indent, room)

    def lines(cells: Sequence[str]) -> list[str]:
        wrapped = [_cell_lines(cell, w) for cell, w in zip(cells, widths, strict=True)]
        height = max(len(cell) for cell in wrapped)
        out = []
        for index in range(height):
            padded = [
                (part[index] if index < len(part) else "").rjust(w)
                if column in aligned
                else (part[index] if index < len(part) else "").ljust(w)
                for column, (part, w) in enumerate(zip(wrapped, widths, strict=True))
            ]
            out.append((indent + gap.join(padded)).rstrip())
        return out

    out = lines(headers)
    out.append(indent + gap.join("-" * w for w in widths))
    for row in rows:
        out.extend(lines(row))
    return out


def _narrowed(
    natural: list[int], least: list[int], room: int, cells: Sequence[Sequence[str]]
) -> list[int] | None:
    """Column widths summing to at most ``room``, or None when even the least do not fit.

    Each step narrows, by one character, the column where that wraps the fewest cells
    (a long target in one row gives way before every indicator name does), the widest
    of those first.
    """
    if sum(least) > room:
        return None
    widths = list(natural)
    lengths = [sorted((len(row[c]) for row in cells), reverse=True) for c in range(len(widths))]
    for _ in range(sum(widths) - room):
        candidates = [c for c in range(len(widths)) if widths[c] > least[c]]
        narrowest_cost = min(
            candidates, key=lambda c: (_wrapped(lengths[c], widths[c] - 1), -widths[c])
        )
        widths[narrowest_cost] -= 1
    return widths


def _wrapped(lengths: list[int], width: int) -> int:
    """How many cells (their lengths sorted longest first) are longer than ``width``."""
    return next((index for index, length in enumerate(lengths) if length <= width), len(lengths))


_WORD_BREAK = re.compile(r"(\s+|(?<=/)(?=[^\s/]))")
"""Where a table cell may break: at spaces, and after a slash ("Tahanan/Narapidana/Anak")."""


class _CellWrapper(textwrap.TextWrapper):
    wordsep_simple_re = _WORD_BREAK


def _longest_word(texts: Iterable[str]) -> int:
    return max((len(word.strip()) for text in texts for word in _WORD_BREAK.split(text)), default=1)


def _cell_lines(text: str, width: int) -> list[str]:
    if len(text) <= width:
        return [text]
    return _CellWrapper(width=width, break_on_hyphens=False).wrap(text) or [""]


def _blocks(
    headers: Sequence[str], rows: Sequence[Sequence[str]], indent: str, room: int
) -> list[str]:
    """Each row as "header: value" lines, for a table that cannot fit even narrowed."""
    label = max(len(header) for header in headers)
    out: list[str] = []
    for row in rows:
        for header, cell in zip(headers, row, strict=True):
            first = f"{indent}{header.ljust(label)}: "
            out.extend(wrap(cell, first=first, indent=" " * len(first), width=room + len(indent)))
        out.append("")
    return out[:-1]


def wrap(text: str, *, indent: str, first: str = "", width: int | None = None) -> list[str]:
    """``text`` wrapped: ``first`` before the first line, ``indent`` before the others.

    At most :data:`WRAP_WIDTH` wide, and never wider than the terminal: a word longer
    than a line (a formula, a path) is broken.
    """
    return textwrap.wrap(
        text,
        width=min(_width(width), WRAP_WIDTH),
        initial_indent=first,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [first.rstrip()]


def fit(lines: Iterable[str], width: int | None = None) -> list[str]:
    """Every line at most ``width`` long: a longer one is wrapped under its own indentation.

    The last guard of a text form, after strangers' text has been made inert (an escape
    written as ``\\x1b`` is four characters wide).
    """
    limit = _width(width)
    out: list[str] = []
    for line in lines:
        if len(line) <= limit:
            out.append(line)
            continue
        lead = " " * min(len(line) - len(line.lstrip(" ")), limit // 2)
        out.extend(
            textwrap.wrap(
                line.strip(),
                width=limit,
                initial_indent=lead,
                subsequent_indent=lead + "  ",
                break_long_words=True,
                break_on_hyphens=False,
                drop_whitespace=True,
            )
        )
    return out


def shorten(text: str, width: int = NAME_WIDTH) -> str:
    """``text`` cut to ``width`` characters at a word boundary, marked with "..."."""
    if len(text) <= width:
        return text
    cut = text[: width - 3]
    if text[width - 3] != " " and " " in cut[width // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "..."


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"(])")


def said_once(notes: Mapping[str, str]) -> list[tuple[tuple[str, ...], str]]:
    """Notes by name with every sentence said once: ``[(names, text), ...]``.

    A sentence that several names' notes share (an input "reported by the Kantor Wilayah
    itself", nine subindices "measured per UPT") is given once with all their names, after
    each name's own sentences, grouped by the names that share them.
    """
    sentences = {name: _SENTENCE_END.split(note.strip()) for name, note in notes.items()}
    owners: dict[str, list[str]] = {}
    for name, parts in sentences.items():
        for sentence in parts:
            if sentence and name not in owners.setdefault(sentence, []):
                owners[sentence].append(name)
    own: list[tuple[tuple[str, ...], str]] = []
    for name, parts in sentences.items():
        alone = [sentence for sentence in parts if sentence and owners[sentence] == [name]]
        if alone:
            own.append(((name,), " ".join(alone)))
    shared: dict[tuple[str, ...], list[str]] = {}
    for sentence, names in owners.items():
        if len(names) > 1:
            shared.setdefault(tuple(names), []).append(sentence)
    return [*own, *((names, " ".join(texts)) for names, texts in shared.items())]
