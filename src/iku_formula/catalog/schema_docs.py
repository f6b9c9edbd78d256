"""The catalog format's key tables in Markdown, rendered from :mod:`.schema` (its
:func:`~.schema.markdown`): the words of both languages and how each cell is written."""

from __future__ import annotations

__all__ = ["render"]

import enum
from typing import Any

from .schema import NO_DEFAULT, TABLES, VALUE_DOCS, Field, Language, Shape

_WORDS: dict[str, tuple[str, str]] = {
    "text": ("text", "teks"),
    "integer": ("integer", "bilangan bulat"),
    "number": ("number", "bilangan"),
    "texts": ("list of text", "daftar teks"),
    "yes": ("yes", "ya"),
    "no": ("no", "tidak"),
    "table": ("Table", "Tabel"),
    "key": ("Key", "Kunci"),
    "type": ("Type", "Tipe"),
    "required": ("Required", "Wajib"),
    "default": ("Default", "Bawaan"),
    "values": ("Allowed values", "Nilai yang diizinkan"),
    "meaning": ("Meaning", "Arti"),
    "shape": ("Appears", "Bentuk"),
    "once": ("once", "sekali"),
    "entries": ("an entry per item", "satu entri per butir"),
    "named": ("a table per name", "satu tabel per nama"),
    "in": ("in", "di dalam"),
    "one or more": ("yes, at least one", "ya, paling sedikit satu"),
    "or more": ("or more", "atau lebih"),
    "to": ("to", "sampai"),
}


def _word(name: str, language: Language) -> str:
    english, indonesian = _WORDS[name]
    return english if language == "en" else indonesian


def _type_text(field: Field, language: Language) -> str:
    if field.items is not None:
        return _word("texts", language)
    if float in field.types:
        return _word("number", language)
    return _word("integer" if int in field.types else "text", language)


def _literal(value: Any) -> str:
    """``value`` as TOML writes it."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, str):
        return f'`"{value}"`'
    if isinstance(value, tuple | list):
        return "`[]`" if not value else f"`{list(value)}`"
    return f"`{value}`"


def _allowed(field: Field, language: Language) -> str:
    index = 0 if language == "en" else 1
    if field.choices is not None:
        return "; ".join(
            f"{_literal(member)} ({VALUE_DOCS[member][index]})" for member in field.choices
        )
    low, high = field.bounds
    if low is not None and high is not None:
        return f"{low} {_word('to', language)} {high}"
    if low is not None:
        return f"{low} {_word('or more', language)}"
    return ""


def _required(field: Field, language: Language) -> str:
    if field.required:
        return _word("yes", language)
    if field.required_when is not None:
        return field.required_when[0 if language == "en" else 1]
    return _word("no", language)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def render(language: Language = "id") -> str:
    """The key tables of the format in Markdown: one overview, then one table per table.

    ``docs/catalog-format.md`` holds the Indonesian rendering between two markers.
    """
    index = 0 if language == "en" else 1
    shapes = {Shape.TABLE: "once", Shape.LIST: "entries", Shape.NAMED: "named"}
    headings = ["table", "shape", "required", "meaning"]
    lines = [_row([_word(h, language) for h in headings]), _row(["---"] * len(headings))]
    for table in TABLES:
        required = "no"
        if table.required:
            required = "one or more" if table.shape is Shape.LIST else "yes"
        shape = _word(shapes[table.shape], language)
        if table.parent is not None:
            parent = f"{table.parent}.{'NAMA' if language == 'id' else 'NAME'}"
            shape += f", {_word('in', language)} `[{parent if table.in_each else table.parent}]`"
        doc = (table.doc, table.doc_id)[index]
        lines.append(_row([f"`{table.heading(language)}`", shape, _word(required, language), doc]))
    headings = ["key", "type", "required", "default", "values", "meaning"]
    for table in TABLES:
        lines += ["", f"### `{table.heading(language)}`", ""]
        lines += [_row([_word(h, language) for h in headings]), _row(["---"] * len(headings))]
        for field in table.fields:
            default = table.default(field)
            lines.append(
                _row(
                    [
                        f"`{field.key}`",
                        _type_text(field, language),
                        _required(field, language),
                        "" if default is NO_DEFAULT or default is None else _literal(default),
                        _allowed(field, language),
                        (field.doc, field.doc_id)[index],
                    ]
                )
            )
    return "\n".join(lines) + "\n"
