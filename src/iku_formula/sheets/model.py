"""A realisasi sheet in memory: its rows, each value checked and exact, and where each came from.

Also what a reader is told and what a template records:

* :class:`ReadOptions`: the number style of the sheet (``"id"``: 1.234,5; ``"en"``: 1,234.5),
  whether new units are accepted, and the columns to ignore (``iku evaluate --angka``,
  ``--unit-baru``, ``--abaikan-kolom``);
* :class:`SheetRecord`: what a template written by this program records about itself (the
  units it was made for, its number style when stated, its data sheet), in the first row of
  a CSV template (:data:`RECORD_MARKER`) or in the custom document property
  :data:`RECORD_PROPERTY` of an XLSX template;
* :class:`PercentCell` and :class:`FormulaCell`: cells as the XLSX reader saw them, for the
  checks of :mod:`.table`.

The limits of reading. A real Kanwil sheet (about 30 units, four quarters, 105 inputs: some
12,000 cells) stays far below each; a file beyond one is refused with a message naming it:

* :data:`MAX_DATA_BYTES` (20,000,000): the largest file read; no more is ever read, whatever
  the file is (``/dev/zero`` included);
* :data:`MAX_ROWS` (200,000): non-blank rows of a sheet, or records of a JSON file;
* :data:`MAX_COLUMNS` (1,000): cells of one row (columns of the header), or keys of a record;
* :data:`MAX_CELLS` (3,000,000): input cells holding a value, over the whole sheet;
* :data:`MAX_FIELD_CHARS` (10,000): characters of one cell;
* :data:`MAX_RECORD_UNITS` (10,000): units a template records.
"""

from __future__ import annotations

__all__ = [
    "CREATOR",
    "DATA_SHEET",
    "DEFAULT_UNIT",
    "FREE_TEXT_COLUMNS",
    "HEADER_SCAN_ROWS",
    "INFO_SHEET",
    "KEY_COLUMNS",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_DATA_BYTES",
    "MAX_FIELD_CHARS",
    "MAX_NAME_WORDS",
    "MAX_RECORD_UNITS",
    "MAX_ROWS",
    "MONTHLY",
    "MONTHLY_HEADERS",
    "NUMBER_STYLES",
    "RECORD_MARKER",
    "RECORD_PROPERTY",
    "TEMPLATE_KEYWORDS",
    "FormulaCell",
    "PercentCell",
    "ReadOptions",
    "Sheet",
    "SheetRecord",
    "SheetRow",
    "TwoReadings",
    "input_users",
    "name_problem",
    "read_number_text",
    "resembling_units",
    "sheet_inputs",
    "unit_key",
]

import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ..model import Input

if TYPE_CHECKING:
    from ..catalog.registry import Catalog

from .._optional import require
from ..errors import Place, SheetError
from ..i18n import _
from ..numbers import exact_text, terminating_places
from ..periods import period_sort_key

CREATOR = "iku-formula"
"""The creator written into the document properties of every workbook this program makes."""
TEMPLATE_KEYWORDS = "iku-formula lembar realisasi"
"""The keywords of a template workbook: a sheet a person fills in, never taken for a report."""
KEY_COLUMNS = ("unit", "period")
"""Columns that say which unit and period a row is for; every other column is an input."""


DATA_SHEET = "realisasi"
"""The XLSX sheet holding the values."""


INFO_SHEET = "keterangan"
"""The XLSX sheet describing every input."""


DEFAULT_UNIT = "Kanwil Bali"
"""The unit of a template when no units are given."""


MAX_DATA_BYTES = 20_000_000
"""Largest realisasi file read (bytes); reading stops there, whatever the file is."""


MAX_ROWS = 200_000
"""Most non-blank rows of a sheet (or records of a JSON file)."""


MAX_COLUMNS = 1_000
"""Most cells in one row of a sheet (or keys in one JSON record)."""


MAX_CELLS = 3_000_000
"""Most input cells holding a value in one sheet."""


MAX_FIELD_CHARS = 10_000
"""Most characters in one cell."""


MAX_RECORD_UNITS = 10_000
"""Most units a template records."""


FREE_TEXT_COLUMNS = ("keterangan", "catatan", "no", "nomor")
"""Columns people add for their own notes or numbering: ignored (and listed), whatever their
case, a trailing "." ignored ("No.", "Keterangan")."""


NUMBER_STYLES = ("id", "en")
"""How a sheet writes its numbers: "id" 1.234,5 (Indonesian), "en" 1,234.5."""


RECORD_MARKER = "#iku-formula lembar realisasi"
"""The first cell of the first row of a CSV template: the row records the template."""


RECORD_PROPERTY = "iku-formula"
"""The custom document property of an XLSX template recording it (JSON text)."""

MONTHLY_HEADERS = ("bulan",)
"""Names of the period column that say the sheet is monthly: its bare numbers 1-12 are
months (:data:`iku_formula.periods.MONTH`), as ``periode: bulan`` in a template's record."""

MONTHLY = "bulan"
"""The value of ``periode`` in a template's record that says the template is monthly."""


HEADER_SCAN_ROWS = 10
"""The header row (the one naming the columns) is looked for among this many first rows."""


@attrs.frozen
class PercentCell:
    """A spreadsheet cell shown as a percent: stored 0.9, formatted "90%", seen as 90%.

    The XLSX reader hands such a cell over as it was seen, so that the checks of the
    table (:mod:`.table`) read it as 90 where the input is a percentage or a 0-100 score,
    and refuse it, naming the cell, anywhere else: what the person saw is what is read.
    """

    stored: object
    """The cell's stored value (0.9)."""
    number_format: str
    """The cell's number format ("0%", "0.00%")."""


@attrs.frozen
class FormulaCell:
    """A spreadsheet cell holding a formula whose value was never computed (no cached value).

    The XLSX reader hands it over in place of a value, so that the checks of the table report
    every such cell in the one pass, with the other problems of the sheet.
    """

    formula: str
    """The formula's text ("=SUM(C2:C5)")."""


_REFUSED_IN_NAMES = frozenset("\u200e\u200f\u2028\u2029\ufeff") | frozenset(
    chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
"""Invisible characters that change how a name shows: direction marks and overrides, line and
paragraph separators, the byte-order mark."""


def name_problem(name: str) -> str | None:
    """What is wrong with a unit name (or other key text), or None: control characters, lone
    surrogates, invisible direction overrides are refused, the first one named by its code."""
    if name.isprintable():
        return None  # the usual case: none of the refused characters is printable
    for position, char in enumerate(name, 1):
        category = unicodedata.category(char)
        if category in ("Cc", "Cs", "Co", "Cn") or char in _REFUSED_IN_NAMES:
            what = {"Cs": _("a lone surrogate"), "Co": _("a private-use character")}.get(
                category, _("an invisible control character")
            )
            return _(
                "{name!r} holds {what} (U+{code}) at character {position}; retype the name"
            ).format(name=name[:60], what=what, code=f"{ord(char):04X}", position=position)
    return None


_PHRASES = (
    ("lembaga pembinaan khusus anak", "lpka"),
    ("rumah penyimpanan benda sitaan negara", "rupbasan"),
    ("lembaga pemasyarakatan", "lapas"),
    ("rumah tahanan negara", "rutan"),
    ("rumah tahanan", "rutan"),
    ("balai pemasyarakatan", "bapas"),
    ("kantor imigrasi", "kanim"),
    ("kantor wilayah", "kanwil"),
)
"""Long forms of unit kinds, read as their short form."""
_WORDS = {
    "kls": "kelas",
    "kl": "kelas",
    "klas": "kelas",
    "lp": "lapas",
    "kab": "kabupaten",
    "1": "i",
    "2": "ii",
    "3": "iii",
    "2a": "iia",
    "2b": "iib",
}
"""Abbreviations and spellings of one word, read as the word."""
_DISTINCT = frozenset(
    [
        "lapas",
        "rutan",
        "bapas",
        "rupbasan",
        "lpka",
        "kanim",
        "kanwil",
        "imigrasi",
        "utara",
        "selatan",
        "timur",
        "barat",
        "tengah",
        "utama",
        "pria",
        "wanita",
        "perempuan",
        "anak",
        "khusus",
        "narkotika",
        "terbuka",
    ]
)
"""Words that tell units apart: never taken for a slip of another word (Bapas and Lapas)."""
_ROMAN_CLASS = re.compile(r"[ivx]+[ab]?\Z")
_SEPARATORS_RE = re.compile(r"[\s.,;:()\[\]/_\-]+")
MAX_NAME_WORDS = 12
"""Names of more words are compared only as wholes (case, spaces, punctuation, abbreviations)."""
_ABBREVIATION_BUCKET = 64
"""Abbreviations are sought among at most this many names that differ in the same word."""
_MAX_PAIRS = 1_000
"""Resembling pairs sought at most (a sheet of real units has a handful at most)."""


def unit_key(name: str) -> str:
    """The unit name as compared: case, spaces, punctuation, unit kinds' long forms and
    abbreviations ("Kls" for "Kelas", "2A" for "IIA") do not count."""
    text = " " + _SEPARATORS_RE.sub(" ", unicodedata.normalize("NFKC", name).casefold()) + " "
    for long, short in _PHRASES:
        text = text.replace(f" {long} ", f" {short} ")
    return " ".join(_WORDS.get(word, word) for word in text.split())


def _slip(first: str, second: str) -> bool:
    """Whether two different words are one typed for the other: one letter added, dropped,
    changed or two swapped (words of 4 letters or more), or an abbreviation of 2-3 letters
    ("dps" for "denpasar": same first letter, its letters in order)."""
    short, long = sorted((first, second), key=len)
    if len(long) - len(short) > 1 or len(short) < 4:
        if not 2 <= len(short) <= 3 or len(long) < 4 or short[0] != long[0]:
            return False
        letters = iter(long)
        return all(letter in letters for letter in short)
    if len(short) == len(long):
        differ = [index for index, (a, b) in enumerate(zip(short, long, strict=True)) if a != b]
        if len(differ) == 1:
            return True
        return (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and short[differ[0]] == long[differ[1]]
            and short[differ[1]] == long[differ[0]]
        )
    return any(long[:index] + long[index + 1 :] == short for index in range(len(long)))


def _eligible(word: str) -> bool:
    return word.isalpha() and word not in _DISTINCT and not _ROMAN_CLASS.match(word)


def _slips_in(words: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of the different ``words`` (of names otherwise equal) that are slips."""
    found: set[tuple[str, str]] = set()
    variants: dict[str, list[str]] = {}
    for word in words:
        if len(word) >= 4:
            for variant in {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}:
                variants.setdefault(variant, []).append(word)
    for sharing in variants.values():
        for index, first in enumerate(sharing):
            for second in sharing[index + 1 :]:
                if _slip(first, second):
                    found.add((min(first, second), max(first, second)))
                    if len(found) >= _MAX_PAIRS:
                        return sorted(found)
    if len(words) <= _ABBREVIATION_BUCKET:
        for index, first in enumerate(words):
            for second in words[index + 1 :]:
                if min(len(first), len(second)) <= 3 and _slip(first, second):
                    found.add((min(first, second), max(first, second)))
    return sorted(found)


def resembling_units(names: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs of different unit names that look like one unit written two ways.

    Two names resemble each other when their :func:`unit_key` is the same ("Lapas Kerobokan"
    and "LAPAS  Kerobokan", "Bapas Kls I Denpasar" and "Bapas Kelas I Denpasar"), or when
    their keys have the same words but one, and that word is a slip of the other (see
    :func:`_slip`: "Kerobokan" and "Kerobokn"). Words that tell units apart (the unit kinds,
    the points of the compass, "Wanita", ...), class numerals ("IIA", "IIB") and words with
    digits are never slips, so "Lapas Kelas IIA Denpasar" and "Bapas Kelas IIA Denpasar" do
    not resemble. The work is linear in the names: names are grouped by all their words but
    one, and only names of at most :data:`MAX_NAME_WORDS` words are compared word by word.
    """
    keyed: dict[str, list[str]] = {}
    for name in dict.fromkeys(names):
        keyed.setdefault(unit_key(name), []).append(name)
    pairs = [(group[0], other) for group in keyed.values() for other in group[1:]]
    buckets: dict[tuple[int, tuple[str, ...]], dict[str, str]] = {}
    for key in keyed:
        words = key.split()
        if len(words) > MAX_NAME_WORDS:
            continue
        for index, word in enumerate(words):
            if _eligible(word):
                rest = (*words[:index], "", *words[index + 1 :])
                buckets.setdefault((index, rest), {})[word] = key
    for bucket in buckets.values():
        if len(bucket) > 1:
            for first, second in _slips_in(list(bucket)):
                pairs.append((keyed[bucket[first]][0], keyed[bucket[second]][0]))
                if len(pairs) >= _MAX_PAIRS:
                    return pairs
    return pairs


@attrs.frozen
class ReadOptions:
    """What the reader of a sheet is told (``iku evaluate --angka``, ``--unit-baru``,
    ``--abaikan-kolom``)."""

    number_style: str | None = attrs.field(
        default=None, validator=attrs.validators.optional(attrs.validators.in_(NUMBER_STYLES))
    )
    """"id" (1.234,5) or "en" (1,234.5): how a text number with two readings is read; None:
    such a number is refused (unless the template records the style)."""
    new_units: bool = False
    """Accept units that resemble another unit, or that the template does not list."""
    ignore_columns: tuple[str, ...] = ()
    """Names of columns (JSON keys) to ignore besides :data:`FREE_TEXT_COLUMNS`."""


@attrs.frozen
class SheetRecord:
    """What a template written by this program records about itself.

    In a CSV template it is the first row: :data:`RECORD_MARKER`, then a cell ``angka: id``
    (when the number style is stated), a cell ``periode: bulan`` (a monthly template) and a
    cell ``unit: NAME`` per unit. In an XLSX template it is the custom document property
    :data:`RECORD_PROPERTY`, the JSON text
    ``{"sheet": "realisasi", "units": [...], "angka": "id", "periode": "bulan"}``.
    """

    units: tuple[str, ...]
    """The units the template was made for, in order."""
    number_style: str | None = None
    """"id" or "en" when the template states it, else None."""
    sheet: str = DATA_SHEET
    """The data sheet of an XLSX template."""
    monthly: bool = False
    """Whether the template has a row per month: its bare period numbers 1-12 are months."""

    def to_cells(self) -> list[str]:
        """The CSV record row."""
        style = [] if self.number_style is None else [f"angka: {self.number_style}"]
        period = [f"periode: {MONTHLY}"] if self.monthly else []
        return [RECORD_MARKER, *style, *period, *(f"unit: {unit}" for unit in self.units)]

    def to_json(self) -> str:
        """The XLSX document property's text."""
        data: dict[str, object] = {
            "sheet": self.sheet,
            "units": list(self.units),
            "angka": self.number_style,
        }
        if self.monthly:
            data["periode"] = MONTHLY
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_cells(cls, cells: Sequence[object], place: Place) -> SheetRecord:
        """The record of a CSV template's first row (its first cell is RECORD_MARKER)."""
        units: list[str] = []
        style: str | None = None
        monthly = False
        for cell in cells[1:]:
            text = "" if cell is None else str(cell).strip()
            key, _colon, value = text.partition(":")
            if not text:
                continue
            if key.strip() == "unit" and value.strip():
                units.append(value.strip())
            elif key.strip() == "angka" and value.strip() in NUMBER_STYLES:
                style = value.strip()
            elif key.strip() == "periode" and value.strip() == MONTHLY:
                monthly = True
            else:
                raise SheetError.at(
                    place,
                    _(
                        "the template's record row holds {text!r}, neither 'unit: NAME' nor "
                        "'angka: id' or 'angka: en'; restore the row from the template or "
                        "delete it"
                    ).format(text=text[:60]),
                )
        return attrs.evolve(cls.checked(units, style, DATA_SHEET, place), monthly=monthly)

    @classmethod
    def from_json(cls, text: str, place: Place) -> SheetRecord:
        """The record of an XLSX template's document property :data:`RECORD_PROPERTY`."""
        refused = SheetError.at(
            place,
            _(
                "the workbook's document property {property!r} is not the record of a "
                "template this program wrote; delete the property or make the template again"
            ).format(property=RECORD_PROPERTY),
        )
        if len(text) > MAX_RECORD_UNITS * (MAX_FIELD_CHARS // 100):
            raise refused
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise refused from None
        if not isinstance(data, dict):
            raise refused
        units, style, sheet = data.get("units"), data.get("angka"), data.get("sheet", DATA_SHEET)
        if not isinstance(units, list) or not all(isinstance(unit, str) for unit in units):
            raise refused
        if (style is not None and style not in NUMBER_STYLES) or not isinstance(sheet, str):
            raise refused
        period = data.get("periode")
        if period not in (None, MONTHLY):
            raise refused
        return attrs.evolve(cls.checked(units, style, sheet, place), monthly=period == MONTHLY)

    @classmethod
    def checked(
        cls, units: Sequence[str], style: str | None, sheet: str, place: Place
    ) -> SheetRecord:
        """A record of these units (repeats dropped), refused (SheetError at ``place``) when
        they are too many or a name holds characters no unit name may hold."""
        if len(units) > MAX_RECORD_UNITS:
            raise SheetError.at(
                place,
                _(
                    "the template records {count} units; the limit is MAX_RECORD_UNITS ({limit})"
                ).format(count=len(units), limit=MAX_RECORD_UNITS),
            )
        for unit in units:
            problem = name_problem(unit)
            if problem is not None:
                raise SheetError.at(
                    place, _("a unit the template records: {problem}").format(problem=problem)
                )
        return cls(tuple(dict.fromkeys(units)), style, sheet)


# --------------------------------------------------------------------------- text numbers


_SEPARATOR_RE = re.compile(r"[.,]")
_NUMBER_CHARS_RE = re.compile(r"[+-]?[0-9][0-9.,]*\Z")
_FRACTION_RE = re.compile(r"([+-]?)([0-9]+)/([0-9]+)\Z")
_MAX_NUMBER_CHARS = 80
"""Longer texts are no numbers (the value limits allow 30 digits each side)."""
_DECIMAL = {"id": ",", "en": "."}


def _style_hint() -> str:
    return _(
        "give the sheet's number style (iku evaluate --angka id for 1.234,5 or --angka en "
        "for 1,234.5), or write the number without a thousands separator"
    )


def _separator_name(separator: str) -> str:
    return _("decimal comma") if separator == "," else _("decimal point")


@attrs.frozen
class TwoReadings:
    """A text number with two readings (:func:`read_number_text`): ``decimal`` with its
    separator as the decimal separator, ``thousands`` with it separating thousands."""

    text: str
    separator: str
    decimal: Fraction
    thousands: Fraction

    def message(self, notes: tuple[str, str] = ("", "")) -> str:
        """The message; ``notes`` say what the input thinks of each reading ("" for nothing)."""
        separator = self.separator
        first, second = (f"; {note}" if note else "" for note in notes)
        return _(
            "{text!r} has two readings: {decimal} (if {separator!r} is the {name}{first}) or "
            "{thousands} (if {separator!r} separates thousands{second}); {hint}"
        ).format(
            text=self.text,
            decimal=exact_text(self.decimal),
            separator=separator,
            name=_separator_name(separator),
            first=first,
            thousands=exact_text(self.thousands),
            second=second,
            hint=_style_hint(),
        )


def _grouped(text: str, digits: list[str], separator: str) -> int:
    """The integer of thousands groups ("1.234.567"); ValueError when they are not groups."""
    first, *rest = digits
    if not 1 <= len(first) <= 3 or first[0] == "0" or any(len(group) != 3 for group in rest):
        raise ValueError(
            _(
                "{text!r} is not a number: {separator!r} separating thousands needs groups of "
                "three digits (1.234.567)"
            ).format(text=text, separator=separator)
        )
    return int("".join(digits))


def _fraction_text(text: str, match: re.Match[str]) -> Fraction:
    """ "61/3" as this program writes a value without a finite decimal, nothing else."""
    sign, top, bottom = match.groups()
    numerator, denominator = int(top), int(bottom)
    if denominator == 0:
        raise ValueError(_("{text!r} divides by zero").format(text=text))
    value = Fraction(-numerator if sign == "-" else numerator, denominator)
    if str(numerator) != top or str(denominator) != bottom or math.gcd(numerator, denominator) > 1:
        raise ValueError(
            _("{text!r}: write the fraction in lowest terms ({value})").format(
                text=text, value=exact_text(value)
            )
        )
    if terminating_places(value) is not None:
        raise ValueError(
            _("{text!r} has a finite decimal; write {value}").format(
                text=text, value=exact_text(value)
            )
        )
    return value


def read_number_text(text: str, style: str | None = None) -> str | Fraction | TwoReadings:
    """A stripped cell text read by the grammar of :mod:`.table`'s docstring.

    Returns the text itself when :func:`~iku_formula.evaluation.coerce_value` reads it as it
    stands (no separator, or one decimal separator, and texts that are no number at all, which
    it refuses with its message), :class:`TwoReadings` for a text with two readings while
    ``style`` is None, else the exact value. Raises ValueError, saying why and what to write,
    for a text contradicting ``style``, bad thousands groups, and a fraction not written as
    this program writes it.
    """
    if len(text) > _MAX_NUMBER_CHARS:
        return text
    fraction = _FRACTION_RE.match(text)
    if fraction is not None:
        return _fraction_text(text, fraction)
    if not _NUMBER_CHARS_RE.match(text):
        return text
    separators = _SEPARATOR_RE.findall(text)
    if not separators:
        return text
    sign = text[0] if text[0] in "+-" else ""
    digits = _SEPARATOR_RE.split(text[len(sign) :])
    if not all(digits):
        return text  # "12." or "1..2": no number; coerce_value says so
    decimal = None if style is None else _DECIMAL[style]
    if len(separators) == 1:
        (separator,), (left, right) = separators, digits
        if len(right) != 3 or not 1 <= len(left) <= 3 or left[0] == "0":
            return text  # one reading: the decimal separator
        if decimal is None:
            as_decimal = Fraction(f"{sign}{left}.{right}")
            return TwoReadings(text, separator, as_decimal, Fraction(int(sign + left + right)))
        return text if separator == decimal else Fraction(int(sign + left + right))
    last = separators[-1]
    if all(separator == last for separator in separators):
        if last == decimal:
            raise ValueError(
                _(
                    "{text!r} is not a number in the sheet's number style {style!r}: there "
                    "{separator!r} is the {name}, which a number has once"
                ).format(text=text, style=style, separator=last, name=_separator_name(last))
            )
        return Fraction(int(sign + str(_grouped(text, digits, last))))
    if separators.count(last) != 1:
        raise ValueError(
            _("{text!r} is not a number: {separator!r} appears twice after a separator").format(
                text=text, separator=last
            )
        )
    if decimal is not None and last != decimal:
        raise ValueError(
            _(
                "{text!r} is not a number in the sheet's number style {style!r}: there "
                "{separator!r} is the {name} (give the sheet's number style (iku evaluate "
                "--angka id for 1.234,5 or --angka en for 1,234.5))"
            ).format(text=text, style=style, separator=decimal, name=_separator_name(decimal))
        )
    whole = _grouped(text, digits[:-1], separators[0])
    places = digits[-1]
    return Fraction(int(f"{sign}{whole}{places}"), 10 ** len(places))


@attrs.frozen
class SheetRow:
    """One row of a sheet: its unit, period and the values given (empty cells left out)."""

    number: int
    """The row number a spreadsheet program shows (CSV line, XLSX row) or the JSON record."""
    unit: str | None
    period: str | None
    """The period, normalised: "TW1" to "TW4", a year ("2024"), or None."""
    values: Mapping[str, Fraction]

    @property
    def label(self) -> str:
        """ "Lapas Kerobokan, TW2" (or an empty string)."""
        return ", ".join(text for text in (self.unit, self.period) if text)


@attrs.frozen
class Sheet:
    """The rows of a realisasi file, each value checked and exact."""

    path: Path
    kind: str
    """"csv", "xlsx" or "json"."""
    sheet_name: str | None
    """The XLSX sheet read (None for CSV and JSON)."""
    columns: tuple[str, ...]
    """The input columns of the file, in file order."""
    missing: tuple[str, ...]
    """The catalog's inputs that have no column: indicators needing them are not evaluated."""
    rows: tuple[SheetRow, ...]
    """The rows with at least one value, in file order."""
    empty_rows: tuple[int, ...] = ()
    """Rows that name a unit or period but give no value (an unfilled template row)."""
    positions: Mapping[str, int] = attrs.field(factory=dict)
    """The 1-based column of each named column (none for JSON)."""
    ignored: tuple[str, ...] = ()
    """Columns (JSON keys) that are no input and were ignored, in file order: the usual
    free-text columns (:data:`FREE_TEXT_COLUMNS`) and those named by ``ignore_columns``."""
    number_style: str | None = None
    """The number style text numbers were read in ("id", "en"), or None when not known."""
    record: SheetRecord | None = None
    """What the template this sheet was made from records (None: not made from one)."""

    def place(self, row: SheetRow | int | None = None, column: str | None = None) -> Place:
        """Where ``row`` (and ``column``) is, for messages."""
        number = row.number if isinstance(row, SheetRow) else row
        if self.kind == "json":
            return Place(str(self.path), record=number)
        index = None if column is None else self.positions.get(column)
        return Place(str(self.path), self.sheet_name, number, index, column if index else None)

    def where(self, row: SheetRow) -> str:
        """ "realisasi.xlsx: sheet 'realisasi', row 5 (Lapas Kerobokan, TW2)"."""
        label = f" ({row.label})" if row.label else ""
        return f"{self.place(row)}{label}"

    @property
    def units(self) -> tuple[str | None, ...]:
        """The units, in order of first appearance."""
        return tuple(dict.fromkeys(row.unit for row in self.rows))

    @property
    def periods(self) -> tuple[str | None, ...]:
        """The periods, quarters in calendar order first."""
        seen = dict.fromkeys(row.period for row in self.rows)
        return tuple(sorted(seen, key=period_sort_key))

    def to_frame(self, *, exact: bool = False) -> Any:
        """The rows as a pandas DataFrame: ``unit``, ``period``, then one column per input.

        The input columns are floats with NaN for an empty cell, ready for
        :meth:`Catalog.aggregate` and :meth:`Catalog.evaluate_frame`; with ``exact`` they
        hold the exact :class:`~fractions.Fraction` values instead (dtype object, None for
        an empty cell). Needs pandas (the ``frames`` extra).
        """
        pandas = require("pandas", "frames", "a DataFrame")
        keys = pandas.DataFrame(
            {"unit": [row.unit for row in self.rows], "period": [row.period for row in self.rows]},
            dtype=object,
        )
        columns: dict[str, Any] = {}
        for name in self.columns:
            cells = [row.values.get(name) for row in self.rows]
            if exact:
                columns[name] = pandas.Series(cells, dtype=object)
            else:
                columns[name] = pandas.Series(
                    [float("nan") if cell is None else float(cell) for cell in cells],
                    dtype="float64",
                )
        return pandas.concat([keys, pandas.DataFrame(columns)], axis=1)


def sheet_inputs(catalog: Catalog) -> tuple[Input, ...]:
    """The catalog's inputs in sheet order: by the first indicator using them, then the rest."""
    order: dict[str, Input] = {}
    for indicator in catalog:
        for spec in indicator.input_specs:
            order.setdefault(spec.name, catalog.inputs[spec.name])
    for name, spec in catalog.inputs.items():
        order.setdefault(name, spec)
    return tuple(order.values())


def input_users(catalog: Catalog, name: str) -> list[int]:
    return [indicator.number for indicator in catalog if name in indicator.inputs]
