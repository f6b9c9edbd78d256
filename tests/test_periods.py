"""The one period grammar: every entry point accepts and refuses exactly the same labels.

One table of labels (accepted, with their period; refused) is run through the parser,
the sheet reader (a CSV with that period), pandas (``period_order``, ``Catalog.roll_up``)
and the CLI (``iku evaluate`` on a CSV): the verdicts must be the same everywhere.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from iku_formula import Catalog, InputError, load_catalog
from iku_formula.cli import main
from iku_formula.errors import PeriodError, SheetError
from iku_formula.periods import (
    KINDS,
    MONTH,
    MONTHS,
    QUARTER,
    QUARTERS,
    SEMESTER,
    SEMESTERS,
    YEAR,
    Period,
    PeriodKind,
    normalise_period,
    one_calendar,
    parse_period,
    period_sort_key,
    within,
)
from iku_formula.rollup.frames import period_order
from iku_formula.sheets import read_sheet

from .conftest import HEADER, indicator_toml

# (label, its canonical label): every spelling accepted, in text as a CSV cell holds it
ACCEPTED_TEXT = [
    *(
        (f"{word}{gap}{number}", f"TW{index}")
        for word in ("TW", "tw", "Triwulan", "TRIWULAN", "trw", "Q", "q", "Kuartal", "quarter")
        for gap in ("", " ", "-", "_", ".", " - ")
        for index, number in ((1, "1"), (2, "II"), (3, "iii"), (4, "IV"))
    ),
    ("TW IV", "TW4"),
    ("Triwulan III", "TW3"),
    ("  tw 2  ", "TW2"),
    ("1", "TW1"),  # bare numbers and roman numerals: pandas users write them
    ("4", "TW4"),
    ("I", "TW1"),
    ("ii", "TW2"),
    ("IV", "TW4"),
    ("2024", "2024"),
    (" 1999 ", "1999"),
    ("2099", "2099"),
]

MONTH_NAMES = [
    ("Januari", "Jan", "January", "JANUARI", " jan "),
    ("Februari", "Feb", "February", "Pebruari", "Peb"),
    ("Maret", "Mar", "March"),
    ("April", "Apr", "april"),
    ("Mei", "May"),
    ("Juni", "Jun", "June"),
    ("Juli", "Jul", "July"),
    ("Agustus", "Agu", "Agt", "Ags", "Agus", "Aug", "August"),
    ("September", "Sep", "Sept"),
    ("Oktober", "Okt", "Oct", "October"),
    ("November", "Nov", "Nopember", "Nop"),
    ("Desember", "Des", "Dec", "December"),
]
"""Every month's Indonesian and English names and abbreviations, the label first."""

ACCEPTED_MONTHS = [
    *((name, names[0]) for names in MONTH_NAMES for name in names),
    *(
        (f"{word}{gap}{index}", MONTH_NAMES[index - 1][0])
        for word in ("bulan", "Bln")
        for gap in ("", " ", "-")
        for index in (1, 7, 12)
    ),
    ("2024-01", "2024-01"),
    ("2024-1", "2024-01"),
    ("2024-12", "2024-12"),
]

ACCEPTED_SEMESTERS = [
    *(
        (f"{word}{gap}{number}", f"S{index}")
        for word in ("S", "s", "Semester", "SEMESTER", "smt", "SMT", "Sem")
        for gap in ("", " ", "-", ".")
        for index, number in ((1, "1"), (2, "2"), (1, "I"), (2, "ii"))
    ),
]

ACCEPTED_TEXT += [*ACCEPTED_MONTHS, *ACCEPTED_SEMESTERS]

REFUSED_TEXT = [
    "TW5",
    "5",
    "0",
    "-1",
    "TW0",
    "Q0",
    "TW01",
    "01",
    "TW-5",
    "V",
    "TW V",
    "2.5",
    "1.0",
    "-2",  # once read by pandas as a separator and triwulan 2
    "_3",
    "T W1",
    "TW--1",
    "TW1a",
    "Triwulan",
    "Januarii",
    "Jan.",
    "Semester",
    "Semester 3",
    "S3",
    "S0",
    "SIII",
    "bulan 13",
    "bulan 0",
    "bulan",
    "2024-13",
    "2024-00",
    "2024-001",
    "1899-01",
    "24-01",
    "2024/01",
    "2024 TW1",
    "1899",
    "2100",
    "True",
]

# values of other types, as spreadsheet cells and pandas columns hold them
ACCEPTED_VALUES: list[tuple[object, str]] = [
    (1, "TW1"),
    (4, "TW4"),
    (2024, "2024"),
    (2024.0, "2024"),
    (3.0, "TW3"),
    (Decimal("2"), "TW2"),
    (Decimal("2024.0"), "2024"),
    (Fraction(4), "TW4"),
    (np.int64(2), "TW2"),
    (np.float64(2024.0), "2024"),
]

REFUSED_VALUES: list[object] = [
    5,
    0,
    -1,
    2.5,
    2024.5,
    Decimal("2024.5"),
    float("inf"),
    True,
    False,
    np.bool_(True),
    datetime.date(2024, 3, 31),
    [1],
]

MESSAGE = (
    "is not a quarter: write TW1, TW2, TW3 or TW4 (or a month, Januari to Desember) "
    "(or a semester, S1 or S2) (or a year, such as 2024, for a row covering the whole year)"
)


# --------------------------------------------------------------------------- the parser


@pytest.mark.parametrize(("raw", "label"), [*ACCEPTED_TEXT, *ACCEPTED_VALUES])
def test_every_accepted_spelling_reads_as_its_period(raw: object, label: str) -> None:
    period = parse_period(raw)
    assert period is not None
    assert period.label == label
    assert normalise_period(raw) == label
    if label.startswith("TW"):
        assert (period.kind, period.index, period.year) == (QUARTER, int(label[2]), None)
        assert period.within_year
    elif label in MONTHS:
        assert (period.kind, period.index, period.year) == (MONTH, MONTHS.index(label) + 1, None)
    elif label in SEMESTERS:
        assert (period.kind, period.index) == (SEMESTER, int(label[1]))
    elif "-" in label:
        assert (period.kind, period.index, period.year) == (MONTH, int(label[5:]), 2024)
        assert period.within_year
    else:
        assert (period.kind, period.index, period.year) == (YEAR, 1, int(label))
        assert not period.within_year
    assert parse_period(period.label) == period  # the canonical label reads back


@pytest.mark.parametrize("raw", [*REFUSED_TEXT, *REFUSED_VALUES])
def test_every_refused_label_raises_a_period_error(raw: object) -> None:
    with pytest.raises(PeriodError, match="is not a quarter") as raised:
        parse_period(raw)
    assert str(raised.value).endswith(MESSAGE)
    assert raised.value.label is raw
    assert isinstance(raised.value, InputError)  # an IkuError, and so a ValueError
    with pytest.raises(ValueError, match="is not a quarter"):
        normalise_period(raw)


def test_the_message_names_the_label() -> None:
    with pytest.raises(PeriodError) as raised:
        parse_period(" TW5 ")
    assert str(raised.value) == f"period 'TW5' {MESSAGE}"
    with pytest.raises(PeriodError) as raised:
        parse_period(np.float64(2.5))
    assert str(raised.value) == f"period 2.5 {MESSAGE}"  # not np.float64(2.5)


@pytest.mark.parametrize("raw", [None, "", "   ", "\t"])
def test_an_empty_label_is_no_period(raw: object) -> None:
    assert parse_period(raw) is None
    assert normalise_period(raw) is None


def test_the_one_order() -> None:
    labels = ["2024", None, "TW3", "2023", "TW1", "TW4", "TW2"]
    assert sorted(labels, key=period_sort_key) == [
        "TW1",
        "TW2",
        "TW3",
        "TW4",
        None,
        "2023",
        "2024",
    ]
    periods = [parse_period(label) for label in ("2024", "IV", "tw 1", "Triwulan III")]
    assert [p.label for p in sorted(p for p in periods if p)] == ["TW1", "TW3", "TW4", "2024"]
    assert period_sort_key(parse_period("q2")) == period_sort_key("TW2")
    # a label made by hand that is no period sorts after every period
    assert sorted(["Jan-Mar", "2024", "TW1"], key=period_sort_key) == ["TW1", "2024", "Jan-Mar"]
    assert QUARTERS == ("TW1", "TW2", "TW3", "TW4")
    assert KINDS == (QUARTER, MONTH, SEMESTER, YEAR)
    # months, quarters and semesters by where they end in the year; then the years
    mixed = ["2024", "S2", "Desember", "TW4", "S1", "Juni", "TW2", "Januari", "TW1", "Maret"]
    assert sorted(mixed, key=period_sort_key) == [
        "Januari",
        "Maret",
        "TW1",
        "Juni",
        "TW2",
        "S1",
        "Desember",
        "TW4",
        "S2",
        "2024",
    ]
    assert sorted(["2024-02", "2024-01", "2024"], key=period_sort_key) == [
        "2024-01",
        "2024-02",
        "2024",
    ]
    assert MONTHS[0] == "Januari"
    assert MONTHS[-1] == "Desember"
    assert SEMESTERS == ("S1", "S2")


def test_a_new_kind_is_a_row_of_the_table() -> None:
    """A kind is a row: a two-month kind (for the test) reads with no new code."""
    bimonth = PeriodKind(
        name="bimonth",
        per_year=6,
        label="B{index}",
        spoken="bimonth {index}",
        hint="B1 to B6",
        words=("b",),
    )
    assert parse_period("b 6", (bimonth, YEAR)) == Period(bimonth, 6)
    assert parse_period(6, (bimonth, YEAR), numbers=bimonth) == Period(bimonth, 6)
    with pytest.raises(PeriodError, match="period 'b7' is not a bimonth: write B1 to B6"):
        parse_period("b7", (bimonth, YEAR))


@pytest.mark.parametrize(
    ("raw", "label"),
    [(number, MONTHS[number - 1]) for number in range(1, 13)]
    + [(str(number), MONTHS[number - 1]) for number in range(1, 13)]
    + [(7.0, "Juli"), (Decimal("12"), "Desember"), (2024, "2024"), ("TW2", "TW2"), ("S1", "S1")],
)
def test_bare_numbers_are_months_where_the_sheet_is_monthly(raw: object, label: str) -> None:
    assert normalise_period(raw, numbers=MONTH) == label


@pytest.mark.parametrize("raw", [0, 13, "13", "0", "01", 2.5, True, "XII"])
def test_a_monthly_sheet_refuses_other_numbers(raw: object) -> None:
    with pytest.raises(PeriodError, match="is not a month: write a month, Januari to Desember"):
        parse_period(raw, numbers=MONTH)


def test_bare_numbers_stay_quarters_by_default() -> None:
    assert normalise_period(3) == "TW3"
    with pytest.raises(PeriodError, match="is not a quarter"):
        parse_period(5)  # no month: a quarterly sheet says 1-4 only


def test_within() -> None:
    assert within(Period(MONTH, 5), QUARTER) == Period(QUARTER, 2)
    assert within(Period(MONTH, 12), SEMESTER) == Period(SEMESTER, 2)
    assert within(Period(MONTH, 3, 2024), QUARTER) == Period(QUARTER, 1, 2024)
    assert within(Period(QUARTER, 3), SEMESTER) == Period(SEMESTER, 2)
    assert within(Period(SEMESTER, 1), QUARTER) is None  # a semester spans two quarters
    assert within(Period(YEAR, 1, 2024), QUARTER) is None


def test_one_calendar() -> None:
    def read(*labels: str) -> list[Period]:
        return [period for label in labels if (period := parse_period(label)) is not None]

    assert one_calendar(read("Januari", "Februari", "2024")) is None
    assert one_calendar(read("TW1", "2024", "TW2")) is None
    assert one_calendar(read("Januari", "TW1")) == (Period(MONTH, 1), Period(QUARTER, 1))
    assert one_calendar(read("S1", "Juli")) is not None
    assert one_calendar(read("2024-01", "Februari")) is not None  # with and without a year
    assert one_calendar(read("2024-01", "2024-02")) is None


# --------------------------------------------------------------------------- every entry point


@pytest.fixture
def catalog_path(write_catalog: Callable[[str], Path]) -> Path:
    return write_catalog(HEADER + indicator_toml(1))  # persen(a, b)


@pytest.fixture
def catalog(catalog_path: Path) -> Catalog:
    return load_catalog(catalog_path)


def _csv_verdict(tmp_path: Path, catalog: Catalog, label: str) -> str:
    path = tmp_path / "r.csv"
    path.write_text(f"unit,period,a,b\nLapas A,{label},1,2\n", encoding="utf-8")
    try:
        (row,) = read_sheet(path, catalog).rows
    except SheetError as error:
        return f"refused: {error}"
    return str(row.period)


def _pandas_verdict(catalog: Catalog, label: object) -> str:
    frame = pd.DataFrame({"unit": ["Lapas A"], "period": [label], "a": [1], "b": [2]})
    try:
        order = period_order(frame["period"])
    except InputError as error:
        with pytest.raises(InputError, match="is not a quarter"):
            catalog.roll_up(frame)
        return f"refused: {error}"
    assert catalog.roll_up(frame)[1].item() == 50.0
    (category,) = order.categories
    period = parse_period(category)
    assert period is not None
    return period.label


def _cli_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], catalog_path: Path, label: str
) -> str:
    path = tmp_path / "r.csv"
    path.write_text(f"unit,period,a,b\nLapas A,{label},1,2\n", encoding="utf-8")
    code = main(["evaluate", str(path), "--catalog", str(catalog_path), "--json", "--by", "row"])
    out, err = capsys.readouterr()
    if code == 2:
        return f"refused: {err}"
    assert code == 0, err
    return str(json.loads(out)["sections"][0]["period"])


def _verdict(found: str, refusal: str) -> str:
    """``found`` if it is a label; "refused" if it is a refusal saying ``refusal``."""
    if not found.startswith("refused: "):
        return found
    assert refusal in found
    return "refused"


@pytest.mark.parametrize(
    ("label", "expected"),
    [*ACCEPTED_TEXT, *((label, "refused") for label in REFUSED_TEXT)],
)
def test_every_entry_point_gives_the_same_verdict(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    catalog_path: Path,
    catalog: Catalog,
    label: str,
    expected: str,
) -> None:
    try:
        parsed = parse_period(label)
        assert parsed is not None
        parser = parsed.label
    except PeriodError:
        parser = "refused"
    in_sheet = f"row 2, column B (period): period {label.strip()!r} {MESSAGE}"
    verdicts = {
        "parser": parser,
        "sheet": _verdict(_csv_verdict(tmp_path, catalog, label), in_sheet),
        "pandas": _verdict(_pandas_verdict(catalog, label), f"period {label!r} is not a quarter"),
        "cli": _verdict(_cli_verdict(tmp_path, capsys, catalog_path, label), in_sheet),
    }
    assert verdicts == dict.fromkeys(verdicts, expected)


@pytest.mark.parametrize(("value", "label"), ACCEPTED_VALUES)
def test_pandas_and_sheet_cells_accept_the_same_numbers(
    catalog: Catalog, value: object, label: str
) -> None:
    assert _verdict(_pandas_verdict(catalog, value), "") == label


@pytest.mark.parametrize("value", [5, 0, -1, 2.5, 2024.5, True, False])
def test_pandas_refuses_the_numbers_sheets_refuse(catalog: Catalog, value: object) -> None:
    """roll_up read any integer as a triwulan (5, 0, -1) and sorted any number."""
    verdict = _verdict(_pandas_verdict(catalog, value), f"period {value!r} is not")
    assert verdict == "refused"
    with pytest.raises(PeriodError):
        parse_period(value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"period": 3, "a": 1, "b": 2}', "TW3"),
        ('{"period": "Triwulan II", "a": 1, "b": 2}', "TW2"),
        ('{"period": 2024, "a": 1, "b": 2}', "2024"),
        ('{"period": 2024.0, "a": 1, "b": 2}', "2024"),
        ('{"period": 2024.5, "a": 1, "b": 2}', "refused"),  # was read as 2024
        ('{"period": 2.7, "a": 1, "b": 2}', "refused"),  # would have been read as TW2
        ('{"period": 5, "a": 1, "b": 2}', "refused"),
        ('{"period": true, "a": 1, "b": 2}', "refused"),
    ],
)
def test_json_periods(catalog: Catalog, tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "r.json"
    path.write_text(text, encoding="utf-8")
    if expected == "refused":
        with pytest.raises(SheetError, match=f"r.json: the record: period .* {re.escape(MESSAGE)}"):
            read_sheet(path, catalog)
        return
    (row,) = read_sheet(path, catalog).rows
    assert row.period == expected


def test_xlsx_period_cells(catalog: Catalog, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    for cell, expected in (
        (3, "TW3"),
        (2024, "2024"),
        (2.5, None),
        (datetime.date(2024, 1, 1), None),
    ):
        book = openpyxl.Workbook()
        book.active.title = "realisasi"
        book.active.append(["unit", "period", "a", "b"])
        book.active.append(["Lapas A", cell, 1, 2])
        path = tmp_path / "r.xlsx"
        book.save(path)
        if expected is None:
            with pytest.raises(
                SheetError, match=r"column B \(period\): period .* is not a quarter"
            ):
                read_sheet(path, catalog)
        else:
            (row,) = read_sheet(path, catalog).rows
            assert row.period == expected


# --------------------------------------------------------------------------- pandas specifics


def test_period_order_reads_every_label_with_the_grammar() -> None:
    categorical = period_order(pd.Series(["Triwulan III", "tw 1", "IV", 2]))
    assert list(categorical.categories) == ["tw 1", 2, "Triwulan III", "IV"]  # labels kept
    assert list(period_order(pd.Series([2024, 2023])).categories) == [2023, 2024]
    assert list(period_order(pd.Series([3.0, 1.0])).categories) == [1.0, 3.0]
    with pytest.raises(InputError, match="'TW1' and 'I' both mean triwulan 1"):
        period_order(pd.Series(["TW1", "I"]))
    with pytest.raises(InputError, match="'2024' and 2024 both mean the year 2024"):
        period_order(pd.Series(["2024", 2024], dtype=object))
    with pytest.raises(InputError, match="row 1 has no period"):
        period_order(pd.Series(["TW1", ""]))  # empty, as in a sheet
    with pytest.raises(InputError, match=r"period 5, 0 are not a quarter"):
        period_order(pd.Series([1, 5, 0]))
    with pytest.raises(InputError, match="period True, False are not a quarter"):
        period_order(pd.Series([True, False]))


def test_pandas_periods_of_quarters_and_years() -> None:
    quarters = pd.Series(pd.period_range("2024Q1", periods=4, freq="Q")[::-1])
    assert [str(p) for p in period_order(quarters).categories] == [
        "2024Q1",
        "2024Q2",
        "2024Q3",
        "2024Q4",
    ]
    two_years = pd.Series(pd.period_range("2023Q3", periods=4, freq="Q")[::-1])
    assert [str(p) for p in period_order(two_years).categories] == [
        "2023Q3",
        "2023Q4",
        "2024Q1",
        "2024Q2",
    ]
    years = pd.Series(pd.period_range("2022", periods=3, freq="Y")[::-1])
    assert [str(p) for p in period_order(years).categories] == ["2022", "2023", "2024"]
    months = pd.Series(pd.period_range("2024-01", periods=12, freq="M")[::-1])
    assert [str(p) for p in period_order(months).categories] == [
        f"2024-{month:02d}" for month in range(1, 13)
    ]
    weeks = pd.Series(pd.period_range("2024-01-01", periods=2, freq="W"))
    with pytest.raises(InputError, match="period Period\\('2024-01-01/2024-01-07'"):
        period_order(weeks)


def test_dates_are_no_periods() -> None:
    """Dates were sorted as they came; the grammar has no dates (months will come as a kind)."""
    with pytest.raises(InputError, match="period Timestamp"):
        period_order(pd.Series(pd.to_datetime(["2024-03-31", "2024-06-30"])))


def test_an_ordered_categorical_is_read_by_the_grammar() -> None:
    """An ordered Categorical's labels are periods of the grammar like any others (no
    labels of one's own that a sheet would refuse), put in time order."""
    series = pd.Series(pd.Categorical(["TW2", "TW1"], categories=["TW2", "TW1"], ordered=True))
    assert list(period_order(series).categories) == ["TW1", "TW2"]
    assert list(period_order(series)) == ["TW2", "TW1"]
    in_order = pd.Series(pd.Categorical(["II", "I"], categories=["I", "II"], ordered=True))
    assert list(period_order(in_order).categories) == ["I", "II"]
    own = pd.Series(pd.Categorical(["Apr-Jun"], categories=["Jan-Mar", "Apr-Jun"], ordered=True))
    with pytest.raises(InputError, match="period 'Jan-Mar', 'Apr-Jun' are not a quarter"):
        period_order(own)


@pytest.mark.parametrize(
    ("period", "until", "expected"),
    [
        ("TW1", "TW3", True),
        ("TW3", "TW3", True),
        ("TW4", "TW3", False),
        ("2024", "TW4", True),
        ("2024", "TW3", False),
        ("TW4", "2024", True),
    ],
)
def test_is_up_to(period: str, until: str, expected: bool) -> None:
    from iku_formula.periods import is_up_to

    first, last = parse_period(period), parse_period(until)
    assert first is not None
    assert last is not None
    assert is_up_to(first, last) is expected
