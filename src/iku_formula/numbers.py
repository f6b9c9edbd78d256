"""Numbers as text: the one home of exact text, display rounding and Indonesian separators.

Values stay exact (:class:`~fractions.Fraction`) everywhere; these functions are
where a number becomes something a person or a file reads. Every writer (messages,
explanations, reports, the docs site) takes its number text from here, so "3.1",
"200/3", "90.63" and "1.234,5" are spelled one way.
"""

from __future__ import annotations

__all__ = [
    "NUMBER_TEXT_RE",
    "display",
    "english",
    "exact_decimal",
    "exact_indonesian",
    "exact_latex",
    "exact_localized",
    "exact_text",
    "indonesian",
    "localized",
    "spreadsheet_format",
    "terminating_places",
    "too_long_to_write",
    "with_unit",
]

import re
import sys
from decimal import Decimal
from fractions import Fraction

from .i18n import _, language

NUMBER_TEXT_RE = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?\Z")
"""A number as people write it in a cell: digits, a decimal point or comma ("3,2", "-5")."""

_NUMERAL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")


def terminating_places(value: Fraction) -> int | None:
    """Decimals needed to write ``value`` exactly, or None when it does not terminate (1/3)."""
    denominator = value.denominator
    twos = fives = 0
    while denominator % 2 == 0:
        denominator //= 2
        twos += 1
    while denominator % 5 == 0:
        denominator //= 5
        fives += 1
    return max(twos, fives) if denominator == 1 else None


def exact_decimal(value: Fraction) -> str | None:
    """``value`` as a finite decimal ("90.625", "-0.5", "850"), or None when it has none (2/3)."""
    places = terminating_places(value)
    if places is None:
        return None
    scaled = abs(value) * 10**places
    digits = str(int(scaled)).rjust(places + 1, "0")
    text = digits if not places else f"{digits[:-places]}.{digits[-places:]}"
    return ("-" if value < 0 else "") + text


def exact_text(value: Fraction) -> str:
    """``value`` written exactly: a decimal ("3.1", "850") when it has one, else "p/q".

    A number too long for the interpreter to write (``sys.get_int_max_str_digits``) is
    said by its size instead ("a number of about 5000 digits"): a message never fails.
    """
    if too_long_to_write(value):
        return _("a number of about {digits} digits").format(digits=localized(_digits(value)))
    text = exact_decimal(value)
    return f"{value.numerator}/{value.denominator}" if text is None else text


def too_long_to_write(value: Fraction) -> bool:
    """Whether the numerator or denominator has more digits than ``str()`` may write."""
    limit = sys.get_int_max_str_digits()
    return bool(limit) and _digits(value) > limit - 1


def _digits(value: Fraction) -> int:
    """About how many decimal digits the longer of numerator and denominator has."""
    bits = max(abs(value.numerator).bit_length(), value.denominator.bit_length())
    return int(bits * 0.30103) + 1


def exact_latex(value: Fraction) -> str:
    """``value`` written exactly in LaTeX: a decimal, else ``\\frac{p}{q}``."""
    text = exact_decimal(value)
    if text is not None:
        return text
    sign = "-" if value < 0 else ""
    return rf"{sign}\frac{{{abs(value.numerator)}}}{{{value.denominator}}}"


def display(value: Fraction, places: int, *, half_up: bool = True, count: bool = False) -> Decimal:
    """``value`` rounded for people: ``places`` decimals, half up or truncated.

    Half up rounds ties away from zero (2.345 -> 2.35, -2.345 -> -2.35); truncation
    drops the extra digits toward zero (2.349 -> 2.34). Exact: no float on the way.
    A whole ``count`` reads as it is ("24", not "24.00").
    """
    if count and value.denominator == 1:
        return Decimal(value.numerator)
    scale = 10**places
    scaled = abs(value) * scale
    whole = int(scaled + (Fraction(1, 2) if half_up else 0))
    sign = "-" if value < 0 and whole else ""
    digits = str(whole).rjust(places + 1, "0")
    text = digits if not places else f"{digits[:-places]}.{digits[-places:]}"
    return Decimal(sign + text)


def indonesian(text: str) -> str:
    """A decimal numeral ("-1234.50") with Indonesian separators ("-1.234,50")."""
    sign = "-" if text.startswith("-") else ""
    integer, _point, decimals = text.lstrip("-").partition(".")
    grouped = f"{int(integer):,}".replace(",", ".")
    return sign + grouped + (f",{decimals}" if decimals else "")


def english(text: str) -> str:
    """A decimal numeral ("-1234.50") with English separators ("-1,234.50")."""
    sign = "-" if text.startswith("-") else ""
    integer, point, decimals = text.lstrip("-").partition(".")
    return sign + f"{int(integer):,}" + point + decimals


def localized(number: Decimal | int | str) -> str:
    """A number as people of the language shown read it: "1.234,5" (id) or "1,234.5" (en).

    The one place a number in a message, a text or Markdown report or the CLI gets its
    separators; machine forms (CSV, JSON fields) keep ``str(number)``.
    """
    text = str(number)
    if not _NUMERAL.match(text):
        return text  # "NaN", "1E+5": nothing a person should have to read, shown as it is
    return indonesian(text) if language() == "id" else english(text)


def exact_localized(value: Fraction) -> str:
    """``value`` exactly, with the language's separators: "1.234,5" (id); "200/3" if infinite."""
    if too_long_to_write(value):
        return exact_text(value)
    text = exact_decimal(value)
    return exact_text(value) if text is None else localized(text)


def spreadsheet_format(places: int) -> str:
    """The number format of a spreadsheet cell holding a real number shown to ``places``
    decimals, with thousands grouped: "#,##0.00". The spreadsheet program shows it with the
    reader's separators (1.234,56 in an Indonesian Excel or LibreOffice), the cell stays a
    number."""
    return "#,##0" + ("." + "0" * places if places > 0 else "")


def exact_indonesian(value: Fraction) -> str:
    """``value`` exactly, with Indonesian separators: "1.234,5", or "200/3" when not finite."""
    text = exact_decimal(value)
    return f"{value.numerator}/{value.denominator}" if text is None else indonesian(text)


def with_unit(text: str, unit: str | None, *, space: str = " ", percent: str = "%") -> str:
    """``text`` followed by its unit: "85%" for a percentage, "3.1 Indeks" otherwise.

    ``space`` goes between a number and a word unit, ``percent`` stands for the unit "%"
    (the docs site passes ``&nbsp;`` and ``&nbsp;%``, to keep a number and its unit on
    one line).
    """
    if not unit:
        return text
    return f"{text}{percent}" if unit == "%" else f"{text}{space}{unit}"
