"""Monthly sheets: months roll up into quarters, semesters and the year by each input's rules.

One monthly sheet (three units: A reports everything, B no survey, C only the survey) is
rolled up per quarter, semester and year by the exact engine (the CLI's), by pandas and
through ``iku evaluate``, against figures worked out by hand: flows added, stocks at the
last month, scores averaged, weighted means by their weights, silent units left out.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from iku_formula import Catalog
from iku_formula.cli import main
from iku_formula.errors import SheetError
from iku_formula.periods import MONTH, MONTHS, QUARTER, SEMESTER, Period, parse_period, within
from iku_formula.report import build_report
from iku_formula.rollup.exact import roll_up_rows
from iku_formula.sheets import read_sheet, write_sheet

from .conftest import HEADER, SHEET_CATALOG, need


def _month_rows(label: object = None) -> list[str]:
    """The CSV rows of the three units, month m written as ``label(m)`` (default: its name)."""
    lines = []
    for month in range(1, 13):
        shown = MONTHS[month - 1] if label is None else label(month)  # type: ignore[operator]
        skor = 2 if month <= 6 else 4
        lines.append(f"A,{shown},{month},20,1,2,{skor},10")  # makan = m: a rising stock
        lines.append(f"B,{shown},5,10,1,1,,")  # no survey: silent in skor and responden
        lines.append(f"C,{shown},,,,,4,30")  # only the survey
    return lines


def _write(tmp_path: Path, lines: list[str], header: str = HEADER, name: str = "m.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


# (periods, input, value): worked out by hand from _month_rows
EXPECTED = [
    ("TW1", "makan", 8),  # stock: A's Maret (3) + B's (5)
    ("TW2", "makan", 11),
    ("TW3", "makan", 14),
    ("TW4", "makan", 17),
    ("S1", "makan", 11),
    ("year", "makan", 17),
    ("TW1", "tahanan", 30),
    ("year", "tahanan", 30),
    ("TW1", "masuk", 9),  # flow: A 3 x 2 + B 3 x 1
    ("S2", "masuk", 18),
    ("year", "masuk", 36),
    ("TW3", "selesai", 6),
    ("year", "selesai", 24),
    ("TW1", "responden", 120),  # A 30 + C 90; B silent
    ("year", "responden", 480),
    ("TW1", "skor", Fraction(7, 2)),  # (2 x 30 + 4 x 90) / 120
    ("TW3", "skor", 4),
    ("S1", "skor", Fraction(7, 2)),
    ("year", "skor", Fraction(15, 4)),  # A's mean 3 x 120 + C's 4 x 360, over 480
]


def _months_of(selection: str) -> set[str]:
    if selection == "year":
        return set(MONTHS)
    wanted = parse_period(selection)
    assert wanted is not None
    found = set()
    for label in MONTHS:
        month = parse_period(label)
        assert month is not None
        if within(month, wanted.kind) == wanted:
            found.add(label)
    return found


@pytest.mark.parametrize(("selection", "name", "expected"), EXPECTED)
def test_months_roll_up_by_each_inputs_rule_in_both_engines(
    tmp_path: Path, catalog: Catalog, selection: str, name: str, expected: Fraction
) -> None:
    sheet = read_sheet(_write(tmp_path, _month_rows()), catalog)
    months = _months_of(selection)
    rows = [row for row in sheet.rows if row.period in months]
    assert roll_up_rows(catalog, rows).values[name] == expected
    frame = sheet.to_frame()
    frame = frame[frame["period"].isin(months)]
    assert catalog.aggregate(frame)[name].item() == pytest.approx(float(expected), rel=1e-15)


def test_a_gap_in_a_month_makes_the_quarter_and_the_year_missing(
    tmp_path: Path, catalog: Catalog
) -> None:
    lines = _month_rows()
    lines[3] = "A,Februari,2,20,1,,2,10"  # A's masuk empty in Februari: a gap
    sheet = read_sheet(_write(tmp_path, lines), catalog)
    report = build_report(catalog, sheet, "period")
    by_title = {section.period: section for section in report.sections}
    assert "masuk" not in by_title["2024"].values
    assert "masuk" not in by_title["TW1"].values
    assert by_title["TW2"].values["masuk"] == 9  # the other quarters are whole
    assert any("masuk has no value in Februari" in note for note in by_title["TW1"].notes)
    frame = sheet.to_frame()
    assert frame.pipe(catalog.aggregate)["masuk"].isna().item()


def test_by_period_on_a_monthly_sheet_shows_the_quarters(tmp_path: Path, catalog: Catalog) -> None:
    sheet = read_sheet(_write(tmp_path, _month_rows()), catalog)
    report = build_report(catalog, sheet, "period")
    assert [section.period for section in report.sections] == ["2024", "TW1", "TW2", "TW3", "TW4"]
    assert [len(section.rows) for section in report.sections] == [36, 9, 9, 9, 9]
    assert report.sections[1].values["makan"] == 8
    # a quarter lacking months says which it has
    partial = read_sheet(_write(tmp_path, _month_rows()[:15], name="p.csv"), catalog)
    titles = [section.period for section in build_report(catalog, partial, "period").sections]
    assert titles == ["2024 s.d. Mei", "TW1", "TW2 (April, Mei)"]


@pytest.mark.parametrize(
    ("header", "record", "label"),
    [
        ("bulan", "", str),  # the period column named 'bulan': bare numbers are months
        ("Bulan", "", lambda month: f" {month} "),
        ("period", "#iku-formula lembar realisasi,periode: bulan,unit: A,unit: B,unit: C\n", str),
        ("period", "", lambda month: f"2024-{month:02d}"),
        (
            "period",
            "",
            lambda month: (
                "Jan",
                "Feb",
                "Mar",
                "Apr",
                "May",
                "Jun",
                "Jul",
                "Aug",
                "Sep",
                "Oct",
                "Nov",
                "Dec",
            )[month - 1],
        ),
        ("period", "", lambda month: f"bulan {month}"),
    ],
)
def test_a_monthly_sheet_written_many_ways(
    tmp_path: Path, catalog: Catalog, header: str, record: str, label: object
) -> None:
    path = tmp_path / "m.csv"
    lines = _month_rows(label)
    path.write_text(
        record + "\n".join([HEADER.replace("period", header), *lines]) + "\n", encoding="utf-8"
    )
    sheet = read_sheet(path, catalog)
    kinds = {parse_period(row.period).kind for row in sheet.rows}  # type: ignore[union-attr]
    assert kinds == {MONTH}
    assert roll_up_rows(catalog, sheet.rows).values["skor"] == Fraction(15, 4)


def test_bare_numbers_in_a_quarterly_sheet_stay_quarters(tmp_path: Path, catalog: Catalog) -> None:
    path = _write(tmp_path, ["A,5,1,2,,,,"])
    with pytest.raises(
        SheetError, match=r"row 2, column B \(period\): period '5' is not a quarter"
    ):
        read_sheet(path, catalog)


def test_months_beside_quarters_are_refused_with_their_place(
    tmp_path: Path, catalog: Catalog
) -> None:
    path = _write(tmp_path, ["A,TW1,1,2,,,,", "A,April,1,2,,,,", "B,Mei,1,2,,,,"])
    sheet = read_sheet(path, catalog)  # every row alone is fine ...
    assert len(build_report(catalog, sheet, "row").sections) == 3
    with pytest.raises(SheetError) as raised:  # ... but they do not roll up
        build_report(catalog, sheet)
    assert str(raised.value) == (
        f"{path}: row 3, column B (period): periods 'TW1' and 'April' are of two calendars "
        "(quarter and month): rolling them up would count the same time twice; give every "
        "row the same kind of period (months, quarters or semesters), written the same way "
        "(the first is row 2); or use --by row"
    )
    with pytest.raises(Exception, match="are of two calendars"):
        catalog.aggregate(sheet.to_frame())


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_the_monthly_template_reads_back(
    tmp_path: Path, catalog: Catalog, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if suffix == ".xlsx":
        need("openpyxl")
    catalog_path = tmp_path / "lembar.toml"
    catalog_path.write_text(SHEET_CATALOG, encoding="utf-8")
    path = tmp_path / f"bulanan{suffix}"
    code = main(
        ["template", str(path), "--bulanan", "--units", "A,B", "--catalog", str(catalog_path)]
    )
    assert code == 0
    assert "2 unit(s) x 12 months" in capsys.readouterr().out
    _fill(path)  # as a person would: the template's own rows, two columns filled in
    sheet = read_sheet(path, catalog)
    assert sheet.record is not None
    assert sheet.record.monthly
    assert [row.period for row in sheet.rows][:12] == list(MONTHS)
    assert [row.unit for row in sheet.rows] == ["A"] * 12 + ["B"] * 12
    assert roll_up_rows(catalog, sheet.rows).values == {"masuk": 48, "selesai": 24}
    assert roll_up_rows(catalog, sheet.rows, until="TW3").values == {"masuk": 36, "selesai": 18}
    # the rows' periods are the template's, written back as the reader normalises them
    rows = [{"unit": row.unit, "period": row.period, **row.values} for row in sheet.rows]
    again = write_sheet(catalog, tmp_path / f"lagi{suffix}", rows)
    back = read_sheet(again, catalog).rows
    assert [(r.unit, r.period, r.values) for r in back] == [
        (r.unit, r.period, r.values) for r in sheet.rows
    ]


def _fill(path: Path) -> None:
    """Fill masuk = 2 and selesai = 1 in every row of a template."""
    if path.suffix == ".csv":
        lines = path.read_text(encoding="utf-8").splitlines()
        header = lines[1].split(",")
        filled = []
        for line in lines[2:]:
            cells = line.split(",")
            cells[header.index("masuk")], cells[header.index("selesai")] = "2", "1"
            filled.append(",".join(cells))
        path.write_text("\n".join([*lines[:2], *filled]) + "\n", encoding="utf-8")
        return
    openpyxl = need("openpyxl")
    book = openpyxl.load_workbook(path)
    sheet = book["realisasi"]
    names = [cell.value for cell in sheet[4]]
    for row in range(5, sheet.max_row + 1):
        if sheet.cell(row, 1).value:
            sheet.cell(row, names.index("masuk") + 1, 2)
            sheet.cell(row, names.index("selesai") + 1, 1)
    book.save(path)


def test_a_monthly_csv_template_records_it(tmp_path: Path, catalog: Catalog) -> None:
    path = write_sheet(catalog, tmp_path / "t.csv", periods=MONTHS, units=("A",))
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "#iku-formula lembar realisasi,periode: bulan,unit: A"
    # a bare number typed into it is a month
    text = path.read_text(encoding="utf-8").replace("A,Januari,", "A,1,")
    text = text.replace("A,1,,", "A,1,3,4,", 1)
    path.write_text(text, encoding="utf-8")
    (row,) = read_sheet(path, catalog).rows
    assert row.period == "Januari"


def test_semesters_roll_up_into_the_year(tmp_path: Path, catalog: Catalog) -> None:
    path = _write(tmp_path, ["A,S1,3,4,3,6,2,10", "A,Semester II,5,4,3,6,4,30"])
    sheet = read_sheet(path, catalog)
    rolled = roll_up_rows(catalog, sheet.rows)
    assert rolled.values == {
        "makan": 5,
        "tahanan": 4,
        "masuk": 12,
        "selesai": 6,
        "skor": 3,  # the mean of the semesters
        "responden": 40,
    }
    report = build_report(catalog, sheet, "period")
    assert [section.period for section in report.sections] == ["2024", "S1", "S2"]
    assert build_report(catalog, sheet, until="TW2").sections[0].period == "2024 s.d. S1"
    assert Period(SEMESTER, 1).end == Period(QUARTER, 2).end


def test_iku_evaluate_on_a_monthly_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog_path = tmp_path / "lembar.toml"
    catalog_path.write_text(SHEET_CATALOG, encoding="utf-8")
    path = _write(tmp_path, _month_rows())
    code = main(["evaluate", str(path), "--catalog", str(catalog_path), "--json", "--by", "period"])
    out, err = capsys.readouterr()
    assert code == 0, err
    sections = json.loads(out)["sections"]
    assert [section["period"] for section in sections] == ["2024", "TW1", "TW2", "TW3", "TW4"]


@pytest.mark.parametrize("header", ["bulan", "period"])
def test_an_xlsx_sheet_of_month_numbers(tmp_path: Path, catalog: Catalog, header: str) -> None:
    """Spreadsheet cells hold numbers: 1-12 are months under a column named 'bulan' only."""
    openpyxl = need("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "realisasi"
    book.active.append(HEADER.replace("period", header).split(","))
    for month in range(1, 13):
        book.active.append(["A", month, None, None, 1, 2, None, None])
    path = tmp_path / "m.xlsx"
    book.save(path)
    if header == "period":
        with pytest.raises(
            SheetError, match=r"row 6, column B \(period\): period 5 is not a quarter"
        ):
            read_sheet(path, catalog)
        return
    sheet = read_sheet(path, catalog)
    assert [row.period for row in sheet.rows] == list(MONTHS)
    assert roll_up_rows(catalog, sheet.rows, until="S1").values == {"selesai": 6, "masuk": 12}
