"""Period labels: the one grammar and the one order of the periods a row covers.

Every entry point reads period labels here: the sheet reader (CSV, XLSX, JSON, and so
the ``iku`` command), the pandas roll-ups (:func:`iku_formula.rollup.frames.period_order`)
and the reports. They accept and refuse exactly the same labels.

A label is read as a :class:`Period`: a kind (a row of :data:`KINDS`), its position in
the year and, for a whole year, the year. Today there are two kinds:

* a quarter (triwulan): a word ``tw``, ``triwulan``, ``trw``, ``q``, ``kuartal`` or
  ``quarter``, then the number 1-4 or I-IV, with case, spaces and one ``-``, ``_`` or
  ``.`` between them ignored ("TW1", "tw 2", "Triwulan III", "TW-IV", "q4"); or the number
  alone ("2", "IV", the integer 3). Its label is "TW1" to "TW4";
* a year, 1900 to 2099 ("2024", the integer 2024): a row covering the whole year.

Nothing else is a period: not "TW5", 5, 0, -1, "TW0", "TW01", 2.5 or True. The empty
label (None, "") is no period (None). :func:`parse_period` raises :class:`PeriodError`
otherwise, whose message says what to write.

The order (:func:`period_sort_key`): periods within a year first, in the year's order
(TW1 before TW2), then the years in order.

Adding a kind (months next, then semesters) is a row of :data:`KINDS`, not a new code
path: a :class:`PeriodKind` says how many periods it has in a year (12), its label
("M{index:02d}" or a name), the words written before its number (``bulan``), whether the
number may be roman (no) or stand alone, and whole-word names of its periods
(``names``: "januari" and "jan" -> 1). A sheet of months passes ``kinds=(MONTH, YEAR)`` to
:func:`parse_period`, which then reads the bare numbers 1-12 as months instead of
quarters (the first kind in ``kinds`` taking bare numbers wins). A spelling that no field
covers yet ("2024-01": a year, then the month) would be one more field of
:class:`PeriodKind`, read by :func:`parse_period` for every kind.
"""

from __future__ import annotations

__all__ = [
    "KINDS",
    "QUARTER",
    "QUARTERS",
    "YEAR",
    "Period",
    "PeriodKind",
    "is_up_to",
    "normalise_period",
    "parse_period",
    "period_sort_key",
    "refused",
]

import numbers
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from .errors import PeriodError

_ROMAN_DIGITS = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(number: int) -> str:
    """The roman numeral of 1 <= number < 40, in lower case: 4 -> "iv"."""
    text = ""
    for value, digits in _ROMAN_DIGITS:
        count, number = divmod(number, value)
        text += digits * count
    return text


_SEPARATORS = "-_."
"""One of these may stand between a kind's word and its number ("TW-1", "tw_2", "Q.3")."""


@attrs.frozen(eq=False)
class PeriodKind:
    """A kind of period: how its labels are written and how many make a year.

    Kinds are compared by identity: each is one row of :data:`KINDS`.
    """

    name: str
    """"quarter", "year"."""
    per_year: int
    """Periods of this kind in a year: 4 quarters; 1 for the year itself, named by its number."""
    label: str
    """The canonical label, a format of ``index`` and ``year``: "TW{index}", "{year}"."""
    spoken: str
    """How messages name one period: "triwulan {index}", "the year {year}"."""
    hint: str
    """What to write, for messages: "TW1, TW2, TW3 or TW4"."""
    words: tuple[str, ...] = ()
    """Words written before the number, in lower case: "tw", "triwulan"."""
    roman: bool = False
    """Whether the number may be a roman numeral (I-IV)."""
    bare: bool = False
    """Whether the number alone is a label of this kind ("2", "IV", the integer 3)."""
    names: tuple[tuple[str, int], ...] = ()
    """Whole-word names of the periods, in lower case, with their index (months: "jan", 1)."""

    @property
    def whole_year(self) -> bool:
        """Whether a period of this kind is the whole year (then it is named by its year)."""
        return self.per_year == 1

    def number(self, token: str) -> Period | None:
        """The period numbered ``token`` (lower case, stripped): "2", "iv", "2024"; or None."""
        if token.isascii() and token.isdigit() and not token.startswith("0"):
            value = int(token)
            if self.whole_year:
                return (
                    Period(self, 1, value) if len(token) == 4 and token[:2] in _CENTURIES else None
                )
            return Period(self, value) if 1 <= value <= self.per_year else None
        if self.roman and not self.whole_year:
            for index in range(1, self.per_year + 1):
                if token == _roman(index):
                    return Period(self, index)
        return None

    def read(self, text: str) -> Period | None:
        """The period ``text`` (lower case, stripped) writes in this kind's spellings, or None."""
        for name, index in self.names:
            if text == name:
                return Period(self, index)
        if self.bare and (found := self.number(text)) is not None:
            return found
        for word in self.words:
            if not text.startswith(word):
                continue
            rest = text[len(word) :].lstrip()
            if rest[:1] and rest[0] in _SEPARATORS:
                rest = rest[1:].lstrip()
            if rest and (found := self.number(rest)) is not None:
                return found
        return None


_CENTURIES = ("19", "20")
"""A year is 19xx or 20xx."""


@attrs.frozen(order=False)
class Period:
    """One period: a kind, its position in the year (1 for a year) and, for a year, the year.

    A quarter has no year (a sheet's quarters are those of the catalog's year), except
    one read from a pandas ``Period`` ("2024Q1"), which says its year.
    """

    kind: PeriodKind
    index: int
    """1 to ``kind.per_year``: the quarter; 1 for a year."""
    year: int | None = None

    @property
    def label(self) -> str:
        """The canonical label: "TW1" to "TW4", "2024" (a quarter of a given year: "2024 TW1")."""
        text = self.kind.label.format(index=self.index, year=self.year)
        if self.year is not None and not self.kind.whole_year:
            return f"{self.year} {text}"
        return text

    @property
    def spoken(self) -> str:
        """How messages name it: "triwulan 2", "the year 2024"."""
        return self.kind.spoken.format(index=self.index, year=self.year)

    @property
    def within_year(self) -> bool:
        """Whether it is a part of a year (a quarter), not a whole year."""
        return not self.kind.whole_year

    @property
    def sort_key(self) -> tuple[int, int, int, int, str]:
        """See :func:`period_sort_key`."""
        return (0, self.year or 0, -self.kind.per_year, self.index, "")

    def __lt__(self, other: Period) -> bool:
        return self.sort_key < other.sort_key


QUARTER = PeriodKind(
    name="quarter",
    per_year=4,
    label="TW{index}",
    spoken="triwulan {index}",
    hint="TW1, TW2, TW3 or TW4",
    words=("tw", "triwulan", "trw", "q", "kuartal", "quarter"),
    roman=True,
    bare=True,
)
"""Triwulan I to IV: "TW1", "tw 2", "Triwulan III", "TW-IV", "Q4", "2", "IV"."""

YEAR = PeriodKind(
    name="year",
    per_year=1,
    label="{year}",
    spoken="the year {year}",
    hint="a year, such as 2024, for a row covering the whole year",
    bare=True,
)
"""A whole year, 1900 to 2099: "2024"."""

KINDS: tuple[PeriodKind, ...] = (QUARTER, YEAR)
"""The kinds of period accepted, in order: within a year first, then the year."""

QUARTERS = tuple(Period(QUARTER, index).label for index in range(1, QUARTER.per_year + 1))
"""The periods of a sheet: triwulan I to IV, "TW1" to "TW4"."""


def _shown(raw: object) -> str:
    if isinstance(raw, str):
        return repr(raw.strip())
    if isinstance(raw, numbers.Number | Decimal) and not isinstance(raw, bool):
        return str(raw)  # 2.5, not np.float64(2.5)
    return repr(raw)


def refused(raws: Sequence[object], kinds: Sequence[PeriodKind] = KINDS) -> PeriodError:
    """The one refusal of labels that are no period: every entry point words it so."""
    first, *others = kinds
    more = "".join(f" (or {kind.hint})" for kind in others)
    shown = ", ".join(_shown(raw) for raw in raws[:5])
    if len(raws) > 5:
        shown += f" and {len(raws) - 5} more"
    verb = "is" if len(raws) == 1 else "are"
    return PeriodError(
        f"period {shown} {verb} not a {first.name}: write {first.hint}{more}", label=raws[0]
    )


def _whole_number(raw: object) -> int | None:
    """An integer, or a number equal to one (2024.0, Decimal("3")); None for anything else."""
    if isinstance(raw, bool) or type(raw).__name__ == "bool_":
        return None  # True is no period, though Python counts it as 1
    if isinstance(raw, numbers.Integral):
        return int(raw)
    if isinstance(raw, numbers.Rational):
        return int(raw.numerator) if raw.denominator == 1 else None
    if isinstance(raw, Decimal):
        return int(raw) if raw.is_finite() and raw == raw.to_integral_value() else None
    if isinstance(raw, numbers.Real):
        value = float(raw)
        return int(value) if value.is_integer() else None  # inf and NaN are not integers
    return None


def parse_period(raw: object, kinds: Sequence[PeriodKind] = KINDS) -> Period | None:
    """The period a label names, or None for an empty one (None, "", spaces).

    ``raw`` is text, or a whole number (an int, or a float or Decimal equal to one, as
    spreadsheet cells hold them). Raises :class:`PeriodError` for anything else: a label
    that no kind of ``kinds`` reads, a fraction (2.5), True or False, another type.
    """
    if raw is None:
        return None
    if isinstance(raw, str):
        text = raw.strip().lower()
        if not text:
            return None
    else:
        number = _whole_number(raw)
        if number is None:
            raise refused([raw], kinds)
        text = str(number)
    for kind in kinds:
        found = kind.read(text)
        if found is not None:
            return found
    raise refused([raw], kinds)


def normalise_period(raw: object) -> str | None:
    """A period cell as a sheet period: its canonical label ("TW1" to "TW4", "2024") or None.

    Accepts what :func:`parse_period` accepts; raises :class:`PeriodError` (a ValueError)
    for anything else.
    """
    period = parse_period(raw)
    return None if period is None else period.label


_NO_PERIOD = (0, 0, 0, 0, "")
"""Where a row without a period sorts: after the periods within a year, before the years."""


def is_up_to(period: Period, until: Period) -> bool:
    """Whether ``period`` ends no later than ``until`` does, within one year.

    TW2 is up to TW3, TW3 up to TW3, the year up to nothing but the year. Periods of
    another kind compare by where they end in the year (a month, once months exist, is up
    to the quarter it ends in or any later one).
    """
    if period.year is not None and until.year is not None and period.year != until.year:
        return period.year < until.year
    return Fraction(period.index, period.kind.per_year) <= Fraction(
        until.index, until.kind.per_year
    )


def period_sort_key(period: Period | str | None) -> tuple[int, int, int, int, str]:
    """The one order of periods: within a year first, in the year's order, then the years.

    Takes a :class:`Period` or a label ("TW2", "2024"; None for no period). A label that is
    no period (a row made by hand) sorts after every period, by its text.
    """
    if period is None:
        return _NO_PERIOD
    if isinstance(period, Period):
        return period.sort_key
    try:
        parsed = parse_period(period)
    except PeriodError:
        return (1, 0, 0, 0, period)
    return _NO_PERIOD if parsed is None else parsed.sort_key
