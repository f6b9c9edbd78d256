"""Period labels: the one grammar and the one order of the periods a row covers.

Every entry point reads period labels here: the sheet reader (CSV, XLSX, JSON, and so
the ``iku`` command), the pandas roll-ups (:func:`iku_formula.rollup.frames.period_order`)
and the reports. They accept and refuse exactly the same labels.

A label is read as a :class:`Period`: a kind (a row of :data:`KINDS`), its position in
the year and, for a whole year (or a month written with its year), the year. The kinds:

* a quarter (triwulan): a word ``tw``, ``triwulan``, ``trw``, ``q``, ``kuartal`` or
  ``quarter``, then the number 1-4 or I-IV, with case, spaces and one ``-``, ``_`` or
  ``.`` between them ignored ("TW1", "tw 2", "Triwulan III", "TW-IV", "q4"); or the number
  alone ("2", "IV", the integer 3). Its label is "TW1" to "TW4";
* a month (bulan): its Indonesian or English name or abbreviation ("Januari", "jan",
  "January", "Agustus", "Agt", "Aug", "Des", "Dec"), ``bulan``/``bln`` and its number
  ("bulan 7"), or the year and its number ("2024-01", "2024-1"). Its label is "Januari"
  to "Desember" ("2024-01" when written with its year). The number alone (1-12) is a
  month only where the sheet says it is monthly (``numbers=MONTH``, see
  :func:`parse_period`); elsewhere bare 1-4 stay quarters;
* a semester: ``semester``, ``smt``, ``sem`` or ``s``, then 1-2 or I-II ("S1",
  "Semester II", "SMT 2"). Its label is "S1" or "S2";
* a year, 1900 to 2099 ("2024", the integer 2024): a row covering the whole year.

Nothing else is a period: not "TW5", 5, 0, -1, "TW0", "TW01", "S3", 2.5 or True. The empty
label (None, "") is no period (None). :func:`parse_period` raises :class:`PeriodError`
otherwise, whose message says what to write.

The order (:func:`period_sort_key`): periods within a year first, by where they end in the
year (Maret and TW1 end together), then the years in order. :func:`is_up_to` compares
periods by where they end; :func:`up_to` is the one filter of rows "to date"
(``--sampai``) every entry point uses; :func:`one_calendar` refuses rows that mix kinds of
period within a year (months beside quarters); :func:`within` names the quarter (or
semester) a month lies in.

Adding a kind is a row of :data:`KINDS`, not a new code path: a :class:`PeriodKind` says
how many periods it has in a year (a divisor of 12), its label, the words written before
its number, whether the number may be roman or stand alone, whole-word names of its
periods, and whether it may be written after the year ("2024-01").
"""

from __future__ import annotations

__all__ = [
    "KINDS",
    "MONTH",
    "MONTHS",
    "QUARTER",
    "QUARTERS",
    "SEMESTER",
    "SEMESTERS",
    "YEAR",
    "Period",
    "PeriodKind",
    "calendars_refused",
    "is_up_to",
    "normalise_period",
    "one_calendar",
    "parse_period",
    "parse_until",
    "period_sort_key",
    "refused",
    "up_to",
    "within",
]

import numbers
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

from .errors import PeriodError
from .i18n import N_, _, ngettext

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


@attrs.frozen(eq=False, repr=False)
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
    labels: tuple[str, ...] = ()
    """The canonical label of each period, when ``label`` formats ``{name}``: "Januari"."""
    dated: bool = False
    """Whether the year, ``-`` and the number name a period ("2024-01": a month)."""

    def __repr__(self) -> str:
        return f"PeriodKind({self.name!r})"

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

    def read(self, text: str, bare: bool | None = None) -> Period | None:
        """The period ``text`` (lower case, stripped) writes in this kind's spellings, or None.

        ``bare`` overrides :attr:`bare`: whether the number alone is a period of this kind.
        """
        for name, index in self.names:
            if text == name:
                return Period(self, index)
        if (self.bare if bare is None else bare) and (found := self.number(text)) is not None:
            return found
        if self.dated and (match := _DATED_RE.fullmatch(text)) is not None:
            year, number = int(match[1]), int(match[2])
            if match[1][:2] in _CENTURIES and 1 <= number <= self.per_year:
                return Period(self, number, year)
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

_DATED_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})", re.ASCII)
"""A period after its year: "2024-01", "2024-1"."""

_TWELFTHS = 12
"""Every kind's periods end on a month's end: ``per_year`` divides 12."""


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
        """The canonical label: "TW1" to "TW4", "Januari", "S1", "2024" (a month of a given
        year: "2024-01"; a quarter of a given year, from pandas: "2024 TW1")."""
        if self.year is not None and self.kind.dated:
            return f"{self.year}-{self.index:02d}"  # as written, so that it reads back
        name = self.kind.labels[self.index - 1] if self.kind.labels else ""
        text = self.kind.label.format(index=self.index, year=self.year, name=name)
        if self.year is not None and not self.kind.whole_year:
            return f"{self.year} {text}"
        return text

    @property
    def spoken(self) -> str:
        """How messages name it: "triwulan 2", "the year 2024"."""
        name = self.kind.labels[self.index - 1] if self.kind.labels else ""
        return self.kind.spoken.format(index=self.index, year=self.year, name=name)

    @property
    def within_year(self) -> bool:
        """Whether it is a part of a year (a quarter), not a whole year."""
        return not self.kind.whole_year

    @property
    def end(self) -> Fraction:
        """Where it ends in the year: 1/4 for TW1 and for Maret, 1 for the year."""
        return Fraction(self.index, self.kind.per_year)

    @property
    def sort_key(self) -> tuple[int, int, int, int, str]:
        """See :func:`period_sort_key`."""
        month = self.index * _TWELFTHS // self.kind.per_year  # the month it ends in
        return (0, self.year or 0, month - _TWELFTHS - 1, -self.kind.per_year, "")

    def __lt__(self, other: Period) -> bool:
        return self.sort_key < other.sort_key


QUARTER = PeriodKind(
    name=N_("quarter"),
    per_year=4,
    label="TW{index}",
    spoken="triwulan {index}",
    hint=N_("TW1, TW2, TW3 or TW4"),
    words=("tw", "triwulan", "trw", "q", "kuartal", "quarter"),
    roman=True,
    bare=True,
)
"""Triwulan I to IV: "TW1", "tw 2", "Triwulan III", "TW-IV", "Q4", "2", "IV"."""

YEAR = PeriodKind(
    name=N_("year"),
    per_year=1,
    label="{year}",
    spoken="the year {year}",
    hint=N_("a year, such as 2024, for a row covering the whole year"),
    bare=True,
)
"""A whole year, 1900 to 2099: "2024"."""

_MONTH_NAMES = (
    ("januari", "jan", "january"),
    ("februari", "feb", "pebruari", "peb", "february"),
    ("maret", "mar", "march"),
    ("april", "apr"),
    ("mei", "may"),
    ("juni", "jun", "june"),
    ("juli", "jul", "july"),
    ("agustus", "agu", "agt", "ags", "agus", "aug", "august"),
    ("september", "sep", "sept"),
    ("oktober", "okt", "oct", "october"),
    ("november", "nov", "nopember", "nop"),
    ("desember", "des", "dec", "december"),
)
"""Each month's Indonesian and English names and abbreviations, the canonical one first."""

MONTH = PeriodKind(
    name=N_("month"),
    per_year=12,
    label="{name}",
    spoken="{name}",
    hint=N_("a month, Januari to Desember"),
    words=("bulan", "bln"),
    names=tuple((name, index) for index, names in enumerate(_MONTH_NAMES, 1) for name in names),
    labels=tuple(names[0].capitalize() for names in _MONTH_NAMES),
    dated=True,
)
"""A month: "Januari", "jan", "January", "bulan 7", "2024-01"; the number alone only in a
monthly sheet (``numbers=MONTH``)."""

SEMESTER = PeriodKind(
    name=N_("semester"),
    per_year=2,
    label="S{index}",
    spoken="semester {index}",
    hint=N_("a semester, S1 or S2"),
    words=("semester", "smt", "sem", "s"),
    roman=True,
)
"""Semester I and II: "S1", "Semester II", "SMT 2", "sem-1"."""

KINDS: tuple[PeriodKind, ...] = (QUARTER, MONTH, SEMESTER, YEAR)
"""The kinds of period accepted, in order: within a year first, then the year."""

QUARTERS = tuple(Period(QUARTER, index).label for index in range(1, QUARTER.per_year + 1))
"""The periods of a sheet: triwulan I to IV, "TW1" to "TW4"."""

MONTHS = tuple(Period(MONTH, index).label for index in range(1, MONTH.per_year + 1))
"""The periods of a monthly sheet: "Januari" to "Desember"."""

SEMESTERS = tuple(Period(SEMESTER, index).label for index in range(1, SEMESTER.per_year + 1))
"""The semesters: "S1", "S2"."""


def _shown(raw: object) -> str:
    if isinstance(raw, str):
        return repr(raw.strip())
    if isinstance(raw, numbers.Number | Decimal) and not isinstance(raw, bool):
        return str(raw)  # 2.5, not np.float64(2.5)
    return repr(raw)


def refused(raws: Sequence[object], kinds: Sequence[PeriodKind] = KINDS) -> PeriodError:
    """The one refusal of labels that are no period: every entry point words it so."""
    first, *others = kinds
    more = "".join(" " + _("(or {hint})").format(hint=_(kind.hint)) for kind in others)
    shown = ", ".join(_shown(raw) for raw in raws[:5])
    if len(raws) > 5:
        shown += " " + _("and {count} more").format(count=len(raws) - 5)
    message = ngettext(
        "period {shown} is not a {kind}: write {hint}",
        "period {shown} are not a {kind}: write {hint}",
        len(raws),
    ).format(shown=shown, kind=_(first.name), hint=_(first.hint))
    return PeriodError(message + more, label=raws[0])


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


def parse_period(
    raw: object, kinds: Sequence[PeriodKind] = KINDS, *, numbers: PeriodKind | None = None
) -> Period | None:
    """The period a label names, or None for an empty one (None, "", spaces).

    ``raw`` is text, or a whole number (an int, or a float or Decimal equal to one, as
    spreadsheet cells hold them). Raises :class:`PeriodError` for anything else: a label
    that no kind of ``kinds`` reads, a fraction (2.5), True or False, another type.
    ``numbers`` is the kind the number alone names (a monthly sheet: MONTH, so 7 is Juli);
    by default, the kinds whose :attr:`PeriodKind.bare` says so (1-4: quarters). A year
    (2024) is always a year.
    """
    if numbers is not None:
        kinds = [numbers, *(kind for kind in kinds if kind is not numbers)]
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
        bare = None if numbers is None or kind.whole_year else kind is numbers
        found = kind.read(text, bare)
        if found is not None:
            return found
    raise refused([raw], kinds)


def normalise_period(raw: object, *, numbers: PeriodKind | None = None) -> str | None:
    """A period cell as a sheet period: its canonical label ("TW1", "Januari", "S1", "2024")
    or None.

    Accepts what :func:`parse_period` accepts (``numbers``: the kind bare numbers name);
    raises :class:`PeriodError` (a ValueError) for anything else.
    """
    period = parse_period(raw, numbers=numbers)
    return None if period is None else period.label


_NO_PERIOD = (0, 0, 0, 0, "")
"""Where a row without a period sorts: after the periods within a year, before the years."""


def is_up_to(period: Period, until: Period) -> bool:
    """Whether ``period`` ends no later than ``until`` does, within one year.

    TW2 is up to TW3, TW3 up to TW3, the year up to nothing but the year. Periods of
    another kind compare by where they end in the year: Maret is up to TW1, Juni to S1,
    TW2 to Juni, but TW2 not to Mei (it ends after Mei).
    """
    if period.year is not None and until.year is not None and period.year != until.year:
        return period.year < until.year
    return period.end <= until.end


def parse_until(until: Period | str | int) -> Period:
    """The last period of a "to date" figure (``--sampai TW3``): a Period, or a label read by
    the grammar ("TW3", "Juni", "S1", "2024"; bare numbers are quarters).

    Raises :class:`PeriodError` for a label that is no period, or an empty one.
    """
    if isinstance(until, Period):
        return until
    period = parse_period(until)
    if period is None:
        raise refused([until])
    return period


def up_to(until: Period | str | int | None) -> Callable[[Period | str | None], bool]:
    """The one rule of figures "to date": which rows' periods are kept, up to ``until``.

    A row is kept when its period :func:`is_up_to` ``until``; a row without a period (or
    with a label that is no period, a row made by hand) only when ``until`` is a whole year.
    With ``until`` None every row is kept. Takes Periods or labels.
    """
    if until is None:
        return lambda period: True
    last = parse_until(until)

    def keeps(period: Period | str | None) -> bool:
        if not isinstance(period, Period):
            try:
                period = parse_period(period)
            except PeriodError:
                period = None
        if period is None:
            return last.kind.whole_year
        return is_up_to(period, last)

    return keeps


def one_calendar(periods: Iterable[Period]) -> tuple[Period, Period] | None:
    """Two periods within a year that belong to two calendars, or None when all agree.

    Rolling up adds the periods of a unit: months beside quarters (or a month written with
    its year beside one without) would count the same time twice, so every entry point
    refuses them, naming the two this returns. (Quarters of several years, from pandas,
    are one calendar.)
    """
    first: Period | None = None
    for period in periods:
        if not period.within_year:
            continue
        if first is None:
            first = period
        elif period.kind is not first.kind or (period.year is None) != (first.year is None):
            return first, period
    return None


def calendars_refused(first: Period, other: Period) -> PeriodError:
    """The one refusal of rows mixing calendars (:func:`one_calendar`'s two periods)."""
    return PeriodError(
        _(
            "periods {first} and {other} are of two calendars ({first_kind} and "
            "{other_kind}): rolling them up would count the same time twice; give every row "
            "the same kind of period (months, quarters or semesters), written the same way"
        ).format(
            first=repr(first.label),
            other=repr(other.label),
            first_kind=_kind_text(first),
            other_kind=_kind_text(other),
        ),
        label=other.label,
    )


def _kind_text(period: Period) -> str:
    if period.year is None:
        return _(period.kind.name)
    return _("{kind} with its year").format(kind=_(period.kind.name))


def within(period: Period, kind: PeriodKind) -> Period | None:
    """The period of ``kind`` that ``period`` lies in (Mei: TW2, S1), or None when it lies in
    none (a semester is in no quarter; a year in no month)."""
    if not period.within_year or kind.whole_year or period.kind.per_year % kind.per_year:
        return None
    index = -(-period.index * kind.per_year // period.kind.per_year)  # rounded up
    return Period(kind, index, period.year)


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
