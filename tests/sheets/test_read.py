"""Reading realisasi sheets: CSV, XLSX and JSON, and every bad file located."""

from __future__ import annotations

import importlib
import json
import os
import re
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from iku_formula import Catalog, InputError, load_catalog
from iku_formula.errors import SheetError
from iku_formula.sheets import DATA_SHEET, read_sheet, write_sheet
from iku_formula.sheets.model import FormulaCell, PercentCell
from iku_formula.sheets.table import read_table

from .conftest import HEADER, SAMPLE_QUARTERLY, need, xlsx_file


def test_read_csv(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    path = write(
        "r.csv",
        f"{HEADER}\n"
        'Lapas A,TW1,90,100,9,10,"3,25",40\n'
        "Lapas A,tw 2,,,,,,\n"  # no value: skipped, and said so
        "Rutan B,Triwulan I,45,50,,,3.5,\n",
    )
    sheet = read_sheet(path, catalog)
    assert (sheet.kind, sheet.sheet_name, sheet.missing) == ("csv", None, ())
    assert sheet.columns == tuple(HEADER.split(",")[2:])
    first, second = sheet.rows
    assert (first.number, first.unit, first.period) == (2, "Lapas A", "TW1")
    assert first.values["skor"] == Fraction(13, 4)  # decimal comma, exact
    assert (second.number, second.unit, second.period) == (4, "Rutan B", "TW1")
    assert second.values == {"makan": 45, "tahanan": 50, "skor": Fraction(7, 2)}
    assert sheet.empty_rows == (3,)
    assert sheet.units == ("Lapas A", "Rutan B")


@pytest.mark.parametrize(
    "text",
    [
        "unit;period;makan;skor\nLapas A;TW1;90;3,25\n",  # as an Indonesian spreadsheet exports
        '\ufeffunit,period,makan,skor\r\nLapas A,TW1,90,"3,25"\r\n\r\n',  # BOM, CRLF
        "unit,period,makan,skor\nLapas A,TW1,90,3.25\n",
        "unit,period,makan,skor\nLapas A,TW1, 90 ,\u00a03.25\n",
    ],
)
def test_csv_dialects_agree(catalog: Catalog, write: Callable[[str, str], Path], text: str) -> None:
    sheet = read_sheet(write("r.csv", text), catalog)
    (row,) = sheet.rows
    assert (row.unit, row.period) == ("Lapas A", "TW1")
    assert row.values == {"makan": 90, "skor": Fraction(13, 4)}
    assert sheet.missing == ("tahanan", "masuk", "selesai", "responden")


def test_label_rows_above_the_header_are_skipped(
    catalog: Catalog, write: Callable[[str, str], Path]
) -> None:
    # the XLSX template saved as CSV: labels, units and indicators above the header row
    path = write(
        "r.csv",
        "Unit kerja (UPT),Triwulan,Tahanan yang terpenuhi makanannya\n"
        "teks,TW1 sampai TW4,orang\n"
        "dipakai IKU,,IKU 1\n"
        "unit,period,makan\n"
        "Lapas A,TW1,90\n",
    )
    (row,) = read_sheet(path, catalog).rows
    assert (row.number, row.values) == (5, {"makan": 90})


def test_read_xlsx(catalog: Catalog, tmp_path: Path) -> None:
    need("openpyxl")
    path = xlsx_file(
        tmp_path / "r.xlsx",
        [
            ["Label", "", "Tahanan"],
            HEADER.split(","),
            ["Lapas A", "TW1", 90, 100.0, None, "", "3,25", 40],
            ["Lapas A", "TW2", 91, 100, 0, 0, 3.2, 10],
        ],
    )
    sheet = read_sheet(path, catalog)
    assert (sheet.kind, sheet.sheet_name) == ("xlsx", DATA_SHEET)
    first, second = sheet.rows
    assert first.number == 3
    assert first.values == {"makan": 90, "tahanan": 100, "skor": Fraction(13, 4), "responden": 40}
    assert second.values["skor"] == Fraction(16, 5)  # the float 3.2 read as the decimal 3.2
    assert second.values["masuk"] == 0


def test_read_xlsx_computed_formula(catalog: Catalog, tmp_path: Path) -> None:
    openpyxl = need("openpyxl")
    path = xlsx_file(
        tmp_path / "r.xlsx", [["unit", "period", "makan", "tahanan"], ["A", "TW1", 90, "=50+50"]]
    )
    with pytest.raises(SheetError) as caught:
        read_sheet(path, catalog)
    message = str(caught.value)
    # the table checks report it (issue 10), naming the column like any other bad cell
    assert f"{path}: sheet 'realisasi', row 2, column D (tahanan):" in message
    assert "formula whose value was never computed" in message
    # a spreadsheet program stores the value it computed beside the formula: simulate it
    book = openpyxl.load_workbook(path)
    book.active["D2"] = 100
    book.save(path)
    (row,) = read_sheet(path, catalog).rows
    assert row.values == {"makan": 90, "tahanan": 100}


def test_read_xlsx_other_sheet_name(catalog: Catalog, tmp_path: Path) -> None:
    need("openpyxl")
    path = xlsx_file(tmp_path / "r.xlsx", [["unit", "makan"], ["A", 1]], title="Sheet1")
    sheet = read_sheet(path, catalog)
    assert sheet.sheet_name == "Sheet1"
    assert sheet.rows[0].values == {"makan": 1}


def test_read_json(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    path = write(
        "r.json",
        json.dumps(
            [
                {"unit": "Lapas A", "period": "TW1", "makan": 90, "skor": "3,25"},
                {"unit": "Lapas A", "period": 2024, "makan": None},
            ]
        ).replace('"3,25"', '"3,25"'),
    )
    sheet = read_sheet(path, catalog)
    (row,) = sheet.rows
    assert row.values == {"makan": 90, "skor": Fraction(13, 4)}
    assert sheet.empty_rows == (2,)
    assert sheet.kind == "json"


def test_to_frame(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    need("pandas")
    import math

    path = write("r.csv", f"{HEADER}\nLapas A,TW1,90,100,,,3.25,\nRutan B,TW1,4,5,,,,\n")
    sheet = read_sheet(path, catalog)
    frame = sheet.to_frame()
    assert list(frame.columns) == HEADER.split(",")
    assert frame["unit"].tolist() == ["Lapas A", "Rutan B"]
    assert frame["makan"].tolist() == [90.0, 4.0]
    assert frame["skor"].iloc[0] == 3.25
    assert math.isnan(frame["skor"].iloc[1])
    # ready for the vectorised path
    wide = catalog.evaluate_frame(frame)
    assert wide[1].tolist() == [90.0, 80.0]
    exact = sheet.to_frame(exact=True)
    assert exact["skor"].iloc[0] == Fraction(13, 4)
    assert exact["skor"].iloc[1] is None


BAD_CSV = [
    pytest.param(
        "unit,period,makan,tahanann\nA,TW1,1,2\n",
        [
            "r.csv: row 1, column D: unknown column 'tahanann'",
            "did you mean 'tahanan'?",
        ],
        id="unknown-column",
    ),
    pytest.param(
        "unit,periode,makan,x\nA,TW1,1,2\n",
        [
            "r.csv: 2 problems:",
            "row 1, column B: unknown column 'periode'",
            "did you mean 'period'?",
            "row 1, column D: unknown column 'x'",
        ],
        id="unknown-columns",
    ),
    pytest.param(
        "unit,period,makan,tahanan\nA,TW1,90,100\nA,TW2,abc,100\n",
        [
            "r.csv: row 3, column C (makan): input 'makan' (indicator 1): 'abc' is not a number",
        ],
        id="text-in-number-cell",
    ),
    pytest.param(
        # "1.20" (not "1.200", which has two readings since issue 10: test_number_texts)
        "unit,period,makan,tahanan\nA,TW1,1.20,100\nA,TW2,-1,x\n",
        [
            "r.csv: 3 problems:",
            "row 2, column C (makan): input 'makan' (indicator 1): '1.20' is not a whole "
            "number; a count has no fraction; if '.' separates thousands",
            "row 3, column C (makan):",
            "negative",
            "row 3, column D (tahanan):",
        ],
        id="several-bad-cells",
    ),
    pytest.param(
        "unit,period,skor\nA,TW1,5\n",
        [
            "r.csv: row 2, column C (skor): input 'skor' (indicator 3): '5' is outside the "
            "score's range 1 to 4"
        ],
        id="score-out-of-range",
    ),
    pytest.param(
        "unit,period,makan\nLapas A,TW1,1\nRutan B,TW1,2\nLapas A,Triwulan I,3\n",
        [
            "r.csv: row 4, column A (unit): a second row for unit 'Lapas A' and period "
            "'TW1' (the first is row 2); give each unit one row per quarter",
        ],
        id="duplicate-unit-quarter",
    ),
    pytest.param(
        "makan\n1\n2\n",
        ["r.csv: row 3: a second row for unit (no unit) and period (no period)"],
        id="duplicate-without-keys",
    ),
    pytest.param(
        "unit,period,makan\nA,TW5,1\n",
        [
            "r.csv: row 2, column B (period): period 'TW5' is not a quarter: write TW1, TW2, "
            "TW3 or TW4"
        ],
        id="bad-period",
    ),
    pytest.param(
        "unit,period,makan\nA,TW1,1,2\n",
        [
            "r.csv: row 2, column D: the cell has a value but its column has no name in the "
            "header (row 1)"
        ],
        id="value-without-column",
    ),
    pytest.param(
        "unit,makan,makan\nA,1,2\n",
        ["r.csv: row 1, column C: column 'makan' appears twice in the header (also column B)"],
        id="duplicate-column",
    ),
    pytest.param(
        "unit,period,makan\nLapas A,TW1,1\n,TW2,2\nLapas A,,3\n",
        [
            "r.csv: 2 problems:",
            "row 3, column A (unit): the unit is empty while other rows give theirs",
            "row 4, column B (period): the period is empty while other rows give theirs",
        ],
        id="empty-unit-or-period-among-named-ones",
    ),
    pytest.param("\n\n", ["r.csv: the file is empty"], id="empty"),
    pytest.param("unit,period,makan\n", ["r.csv: no rows below the header row"], id="header-only"),
    pytest.param('unit,makan\n"A,1\n', ["r.csv: row 2: not valid CSV"], id="bad-quote"),
]


@pytest.mark.parametrize(("text", "messages"), BAD_CSV)
def test_bad_csv(
    catalog: Catalog,
    tmp_path: Path,
    write: Callable[[str, str], Path],
    text: str,
    messages: list[str],
) -> None:
    path = write("r.csv", text)
    with pytest.raises(SheetError) as caught:
        read_sheet(path, catalog)
    message = str(caught.value).replace(str(tmp_path) + os.sep, "")
    for expected in messages:
        assert expected in message
    assert isinstance(caught.value, InputError)
    assert caught.value.place.file == str(path)


@pytest.mark.parametrize(
    ("rows", "messages"),
    [
        pytest.param(
            [["Label"], ["unit", "period", "makan", "tahanann"], ["A", "TW1", 1, 2]],
            [
                "r.xlsx: sheet 'realisasi', row 2, column D: unknown column 'tahanann'",
                "did you mean 'tahanan'?",
            ],
            id="unknown-column",
        ),
        pytest.param(
            [["unit", "period", "makan", "tahanan"], ["A", "TW1", 90, "sembilan puluh"]],
            [
                "r.xlsx: sheet 'realisasi', row 2, column D (tahanan): input 'tahanan' "
                "(indicator 1): 'sembilan puluh' is not a number"
            ],
            id="text-in-number-cell",
        ),
        pytest.param(
            [["unit", "period", "makan"], ["A", "TW1", 1], ["B", "TW1", 2], ["A", "TW1", 3]],
            [
                "r.xlsx: sheet 'realisasi', row 4, column A (unit): a second row for unit 'A' "
                "and period 'TW1' (the first is row 2)"
            ],
            id="duplicate-unit-quarter",
        ),
        pytest.param(
            [["unit", "period", "makan"], ["A", "TW1", True]],
            ["row 2, column C (makan): input 'makan' (indicator 1): True is not a number"],
            id="boolean",
        ),
        pytest.param(
            [["unit", "period", "makan"], ["A", "TW1", "#DIV/0!"]],
            ["row 2, column C (makan):", "'#DIV/0!' is not a number"],
            id="error-value",
        ),
    ],
)
def test_bad_xlsx(
    catalog: Catalog, tmp_path: Path, rows: list[list[object]], messages: list[str]
) -> None:
    path = xlsx_file(tmp_path / "r.xlsx", rows)
    with pytest.raises(SheetError) as caught:
        read_sheet(path, catalog)
    message = str(caught.value).replace(str(tmp_path) + os.sep, "")
    for expected in messages:
        assert expected in message
    assert caught.value.place.sheet == DATA_SHEET


def test_xlsx_date_cell(catalog: Catalog, tmp_path: Path) -> None:
    import datetime

    path = xlsx_file(
        tmp_path / "r.xlsx", [["unit", "period", "makan"], ["A", "TW1", datetime.date(2024, 3, 1)]]
    )
    with pytest.raises(SheetError, match=r"row 2, column C \(makan\): .*holds a date or time"):
        read_sheet(path, catalog)


def test_an_empty_unit_or_period_column_throughout_is_fine(
    catalog: Catalog, write: Callable[[str, str], Path]
) -> None:
    sheet = read_sheet(write("r.csv", "unit,period,makan\n,TW1,1\n,TW2,2\n"), catalog)
    assert [(row.unit, row.period) for row in sheet.rows] == [(None, "TW1"), (None, "TW2")]


def test_not_an_xlsx(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    need("openpyxl")
    path = write("r.xlsx", "unit,makan\nA,1\n")
    with pytest.raises(SheetError, match=r"r\.xlsx: not a readable \.xlsx workbook"):
        read_sheet(path, catalog)


def test_unknown_file_type(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    with pytest.raises(SheetError, match=r"unknown file type '\.ods'; give a \.csv, \.xlsx"):
        read_sheet(write("r.ods", ""), catalog)


def test_missing_file(catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(SheetError, match="cannot read the file: No such file or directory"):
        read_sheet(tmp_path / "tidak-ada.csv", catalog)


def test_importing_needs_neither_pandas_nor_openpyxl() -> None:
    import subprocess
    import sys

    code = (
        "import sys, iku_formula, iku_formula.cli, iku_formula.sheets, iku_formula.report\n"
        "heavy = [m for m in ('pandas', 'numpy', 'openpyxl') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    env = dict(os.environ)
    src = Path(importlib.import_module("iku_formula").__file__ or "").resolve().parents[1]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(src), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


# --------------------------------------------------------------------------- issue 10: numbers

SHOWN = "row 2, column C (rupiah)"


@pytest.mark.parametrize(
    ("text", "style", "expected"),
    [
        # one separator: a decimal unless it could be a thousands group (3 digits after it,
        # 1-3 before it, the first not 0)
        pytest.param("3,2", None, Fraction(16, 5), id="comma-1-decimal"),
        pytest.param("3.25", None, Fraction(13, 4), id="point-2-decimals"),
        pytest.param("3,2500", None, Fraction(13, 4), id="comma-4-decimals"),
        pytest.param("1234,567", None, Fraction(1234567, 1000), id="4-digits-before"),
        pytest.param("0,125", None, Fraction(1, 8), id="leading-zero"),
        pytest.param("012,500", None, Fraction(25, 2), id="leading-zero-3-digits"),
        pytest.param("1.234", None, "two readings", id="1-then-3"),
        pytest.param("12,500", None, "two readings", id="2-then-3"),
        pytest.param("999.000", None, "two readings", id="3-then-3"),
        pytest.param("-1,234", None, "two readings", id="signed"),
        pytest.param("1.234", "id", Fraction(1234), id="id-point-thousands"),
        pytest.param("1,234", "id", Fraction(617, 500), id="id-comma-decimal"),
        pytest.param("1.234", "en", Fraction(617, 500), id="en-point-decimal"),
        pytest.param("1,234", "en", Fraction(1234), id="en-comma-thousands"),
        pytest.param("3.25", "id", Fraction(13, 4), id="id-unambiguous-point"),
        pytest.param("3,25", "en", Fraction(13, 4), id="en-unambiguous-comma"),
        # the same separator repeated: thousands groups
        pytest.param("1.234.567", None, Fraction(1234567), id="groups-point"),
        pytest.param("1,234,567", None, Fraction(1234567), id="groups-comma"),
        pytest.param("1.234.567", "id", Fraction(1234567), id="groups-id"),
        pytest.param("1.234.567", "en", "the decimal point, which a number has once", id="en"),
        pytest.param("1.23.456", None, "groups of three digits", id="short-group"),
        pytest.param("1234.567.890", None, "groups of three digits", id="long-first"),
        pytest.param("0.123.456", None, "groups of three digits", id="zero-first"),
        # both separators: the last one, once, is the decimal separator
        pytest.param("1.234.567,89", None, Fraction(123456789, 100), id="id-form"),
        pytest.param("1,234,567.89", None, Fraction(123456789, 100), id="en-form"),
        pytest.param("1,234.5", None, Fraction(2469, 2), id="en-form-short"),
        pytest.param("1.234,5", "en", "there '.' is the decimal point", id="contradicts-en"),
        pytest.param("1,234.5", "id", "there ',' is the decimal comma", id="contradicts-id"),
        pytest.param("1.234,5,6", None, "appears twice", id="two-decimal-separators"),
        # fractions, as the writer writes a value without a finite decimal
        pytest.param("61/3", None, Fraction(61, 3), id="fraction"),
        pytest.param("122/6", None, "lowest terms (61/3)", id="fraction-not-lowest"),
        pytest.param("061/3", None, "lowest terms", id="fraction-leading-zero"),
        pytest.param("12/5", None, "has a finite decimal; write 2.4", id="fraction-finite"),
        pytest.param("1/0", None, "divides by zero", id="fraction-zero"),
        # no numbers: left to coerce_value, which says so
        pytest.param("12.", None, "12.", id="trailing-point"),
        pytest.param("1 234", None, "1 234", id="space-thousands"),
    ],
)
def test_number_texts(text: str, style: str | None, expected: Fraction | str) -> None:
    """The grammar of text numbers (sheets.table's docstring), at every boundary."""
    from iku_formula.sheets.model import TwoReadings, read_number_text

    if isinstance(expected, Fraction):
        reading = read_number_text(text, style)
        value = Fraction(reading.replace(",", ".")) if isinstance(reading, str) else reading
        assert value == expected
    elif expected == "two readings":
        assert isinstance(read_number_text(text, style), TwoReadings)
    elif expected == text:
        assert read_number_text(text, style) == text  # coerce_value refuses it
    else:
        with pytest.raises(ValueError, match=re.escape(expected)):
            read_number_text(text, style)


@pytest.mark.parametrize(
    ("cell", "column", "fragments"),
    [
        pytest.param(
            "1.234",
            "rupiah",
            [
                f"{SHOWN}: input 'rupiah' (indicator 1): '1.234' has two readings: 1.234 (if "
                "'.' is the decimal point) or 1234 (if '.' separates thousands); give the "
                "sheet's number style (iku evaluate --angka id",
            ],
            id="amount",
        ),
        pytest.param(
            "1.200",
            "jumlah",
            ["1.2 (if '.' is the decimal point; not a whole number) or 1200"],
            id="count-says-which-reading-it-refuses",
        ),
        pytest.param(
            "3,125",
            "skala",
            [
                "3.125 (if ',' is the decimal comma) or 3125 (if ',' separates thousands; "
                "outside the score's range 1 to 4)"
            ],
            id="score-says-which-reading-it-refuses",
        ),
    ],
)
def test_two_readings_are_refused_with_both(
    numbers: Catalog,
    write: Callable[[str, str], Path],
    cell: str,
    column: str,
    fragments: list[str],
) -> None:
    path = write("r.csv", f'unit,period,{column}\nA,TW1,"{cell}"\n')
    with pytest.raises(SheetError) as caught:
        read_sheet(path, numbers)
    for fragment in fragments:
        assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("style", "expected"),
    [("id", {"rupiah": 1234, "skala": Fraction(13, 4)}), ("en", {"rupiah": Fraction(617, 500)})],
)
def test_number_style_stated(
    numbers: Catalog, write: Callable[[str, str], Path], style: str, expected: dict[str, Fraction]
) -> None:
    text = 'unit,period,rupiah,skala\nA,TW1,1.234,"3,25"\n'
    if style == "en":
        text = "unit,period,rupiah\nA,TW1,1.234\n"
    sheet = read_sheet(write("r.csv", text), numbers, number_style=style)
    assert sheet.rows[0].values == expected
    assert sheet.number_style == style


def test_number_style_must_be_known(numbers: Catalog, write: Callable[[str, str], Path]) -> None:
    with pytest.raises(InputError, match="number style 'de': give 'id'"):
        read_sheet(write("r.csv", "unit,rupiah\nA,1\n"), numbers, number_style="de")


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        pytest.param("nilai", "90%", Fraction(90), id="0-100-score"),
        pytest.param("capaian", '"112,5 %"', Fraction(225, 2), id="percentage-input"),
        pytest.param(
            "jumlah", "90%", "'90%' is a percent, but the input is counted in orang", id="count"
        ),
        pytest.param("skala", "90%", "is a percent, but the input is counted in indeks", id="1-4"),
        pytest.param(
            "nilai", "150%", "'150%': '150' is outside the score's range 0 to 100", id="range"
        ),
    ],
)
def test_percent_text(
    numbers: Catalog, write: Callable[[str, str], Path], column: str, cell: str, expected: object
) -> None:
    path = write("r.csv", f"unit,period,{column}\nA,TW1,{cell}\n")
    if isinstance(expected, Fraction):
        assert read_sheet(path, numbers).rows[0].values == {column: expected}
    else:
        with pytest.raises(SheetError, match=re.escape(str(expected))):
            read_sheet(path, numbers)


@pytest.mark.parametrize(
    ("column", "cell", "expected"),
    [
        pytest.param("nilai", PercentCell(0.9, "0%"), Fraction(90), id="score"),
        pytest.param("capaian", PercentCell(1.125, "0.0%"), Fraction(225, 2), id="percentage"),
        pytest.param("nilai", PercentCell(1, "0%"), Fraction(100), id="integer-stored"),
        pytest.param(
            "jumlah",
            PercentCell(0.9, "0%"),
            "row 2, column C (jumlah): input 'jumlah' (indicator 1): the cell is shown as a "
            "percent (0%: 0.9 shows as 90%), but the input is counted in orang, not in %",
            id="count",
        ),
        pytest.param("nilai", PercentCell(1.5, "0%"), "(150%): 150 is outside", id="range"),
        pytest.param("nilai", PercentCell("x", "0%"), "holds 'x', not a number", id="text"),
    ],
)
def test_percent_cells(
    numbers: Catalog, tmp_path: Path, column: str, cell: PercentCell, expected: object
) -> None:
    """What the XLSX reader hands over as PercentCell, through the table checks."""
    rows = [(1, ["unit", "period", column]), (2, ["A", "TW1", cell])]
    path = tmp_path / "r.xlsx"
    if isinstance(expected, Fraction):
        sheet = read_table(path, "xlsx", DATA_SHEET, rows, numbers)
        assert sheet.rows[0].values == {column: expected}
    else:
        with pytest.raises(SheetError, match=re.escape(str(expected))):
            read_table(path, "xlsx", DATA_SHEET, rows, numbers)


# --------------------------------------------------------------------------- issue 10: columns


def test_free_text_columns_are_ignored_and_listed(
    catalog: Catalog, write: Callable[[str, str], Path]
) -> None:
    path = write("r.csv", "No.,unit,period,makan,Keterangan,catatan,nomor\n1,A,TW1,5,naik,x,7\n")
    sheet = read_sheet(path, catalog)
    assert sheet.ignored == ("No.", "Keterangan", "catatan", "nomor")
    assert sheet.rows[0].values == {"makan": 5}
    assert sheet.columns == ("makan",)


def test_columns_ignored_by_name(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    path = write("r.csv", "unit,period,makan,sumber data\nA,TW1,5,SIPP\n")
    with pytest.raises(SheetError, match="unknown column 'sumber data'"):
        read_sheet(path, catalog)
    sheet = read_sheet(path, catalog, ignore_columns=["sumber data"])
    assert sheet.ignored == ("sumber data",)
    assert read_sheet(path, catalog, ignore_columns="sumber data").ignored == ("sumber data",)
    with pytest.raises(SheetError, match="column 'makan' is an input column; --abaikan-kolom"):
        read_sheet(path, catalog, ignore_columns=["makan", "sumber data"])


def test_a_column_resembling_an_input_stays_an_error(
    catalog: Catalog, write: Callable[[str, str], Path]
) -> None:
    path = write("r.csv", "unit,period,makanan,keterangan\nA,TW1,5,x\n")
    with pytest.raises(SheetError, match=r"unknown column 'makanan'.*did you mean 'makan'"):
        read_sheet(path, catalog)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Lapas B,TW1,7\nunit,period,makan\nLapas A,TW1,5\n",
            "r.csv: row 1: row 1 holds values above the header row (row 2): they would not be "
            "read; move the row below the header, or delete it",
            id="a-row-of-values",
        ),
        pytest.param(
            'Lapas B,TW1,"7,5"\nunit,period,makan\nLapas A,TW1,5\n',
            "row 1 holds values above the header row",
            id="a-decimal",
        ),
        pytest.param(
            "Label,,Tahanan\nteks,,orang\nunit,period,makan\nA,TW1,5\n", None, id="labels"
        ),
        pytest.param("Judul,,IKU 1\nunit,period,makan\nA,TW1,5\n", None, id="label-with-digits"),
    ],
)
def test_rows_above_the_header(
    catalog: Catalog, write: Callable[[str, str], Path], text: str, expected: str | None
) -> None:
    path = write("r.csv", text)
    if expected is None:
        assert read_sheet(path, catalog).rows[0].values == {"makan": 5}
    else:
        with pytest.raises(SheetError) as caught:
            read_sheet(path, catalog)
        assert expected in str(caught.value)


# --------------------------------------------------------------------------- issue 10: units


@pytest.mark.parametrize(
    ("first", "second", "resemble"),
    [
        ("Bapas Kls I Denpasar", "Bapas Kelas I Denpasar", True),  # an abbreviation
        ("Lapas Kerobokan", "lapas  kerobokan", True),  # case and spaces
        ("Lapas Kerobokan", "Lapas Kerobokn", True),  # a letter dropped
        ("Rutan Bangli", "Rutan Bangil", True),  # two letters swapped
        ("Rutan Gianyar", "Rutan Gianyor", True),  # a letter changed
        ("Rutan Dps", "Rutan Denpasar", True),  # a short form
        ("Lembaga Pemasyarakatan Kelas IIA Kerobokan", "Lapas Kelas 2A Kerobokan", True),
        ("Rumah Tahanan Negara Gianyar", "Rutan Gianyar", True),
        ("Bapas Kelas I Denpasar", "Lapas Kelas I Denpasar", False),  # kinds tell units apart
        ("Bapas Kelas I Denpasar", "Rupbasan Kelas I Denpasar", False),
        ("Lapas Kelas IIA Denpasar", "Lapas Kelas IIB Denpasar", False),  # class numerals
        ("Kantor Imigrasi Kelas I TPI Denpasar", "Kantor Imigrasi Kelas II TPI Denpasar", False),
        ("Lapas Denpasar", "Lapas Perempuan Denpasar", False),  # a word more is another unit
        ("Kanim Jakarta Utara", "Kanim Jakarta Utama", False),
        ("UPT 00001", "UPT 00002", False),  # words with digits
        ("Lapas Bali", "Lapas Bangli", False),  # 4 letters are no short form
        ("Rutan Negara", "Rutan Gianyar", False),
    ],
)
def test_units_that_resemble(first: str, second: str, resemble: bool) -> None:
    from iku_formula.sheets.model import resembling_units

    assert bool(resembling_units([first, second])) is resemble
    assert bool(resembling_units([second, first])) is resemble


def test_the_sample_units_do_not_resemble() -> None:
    from iku_formula.sheets.model import resembling_units

    sheet = read_sheet(SAMPLE_QUARTERLY, load_catalog())
    assert len(sheet.units) == 10
    assert resembling_units([unit for unit in sheet.units if unit]) == []


def test_unit_typos(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    text = (
        "unit,period,makan\n"
        "Bapas Kelas I Denpasar,TW1,1\nBapas Kelas I Denpasar,TW2,1\n"
        "Bapas Kls I Denpasar,TW3,1\nBapas Kelas I Denpasar,TW4,1\n"
    )
    path = write("r.csv", text)
    with pytest.raises(SheetError) as caught:
        read_sheet(path, catalog)
    assert str(caught.value).endswith(
        "r.csv: row 4, column A (unit): unit 'Bapas Kls I Denpasar' (row 4) looks like unit "
        "'Bapas Kelas I Denpasar' (rows 2 and 2 more): one unit written two ways? Write it the "
        "same way in every row; if they are two units, give --unit-baru"
    )
    sheet = read_sheet(path, catalog, new_units=True)
    assert sheet.units == ("Bapas Kelas I Denpasar", "Bapas Kls I Denpasar")


@pytest.mark.parametrize(
    ("unit", "fragment"),
    [
        (
            "Lapas \x1b[31mMerah",
            "'Lapas \\x1b[31mMerah' holds an invisible control character (U+001B)",
        ),
        ("Rutan\u202eGianyar", "(U+202E) at character 6"),
        ("Rutan\u200fGianyar", "(U+200F)"),
        ("Rutan\x00", "(U+0000)"),
        ("Rutan\u2028Bangli", "(U+2028)"),
        ("Rutan\ue000", "a private-use character (U+E000)"),
    ],
)
def test_unit_names_with_control_characters(
    catalog: Catalog, tmp_path: Path, unit: str, fragment: str
) -> None:
    path = tmp_path / "r.csv"
    path.write_text(f"unit,period,makan\nA,TW1,1\n{unit},TW1,1\n", encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        read_sheet(path, catalog)
    assert "r.csv: row 3, column A (unit): unit " in str(caught.value)
    assert fragment in str(caught.value)


def test_json_unit_names_with_lone_surrogates(
    catalog: Catalog, write: Callable[[str, str], Path]
) -> None:
    path = write("r.json", '[{"unit": "A", "makan": 1}, {"unit": "Rutan \\ud800", "makan": 2}]')
    with pytest.raises(SheetError, match=r"record 2: unit 'Rutan \\ud800' holds a lone surrogate"):
        read_sheet(path, catalog)


def test_template_units_are_checked(catalog: Catalog, tmp_path: Path) -> None:
    template = write_sheet(catalog, tmp_path / "t.csv", units=["Lapas Kerobokan", "Rutan Gianyar"])
    text = template.read_text(encoding="utf-8")
    text = text.replace("Lapas Kerobokan,TW1,", "Lapas Kerobokan,TW1,5", 1)
    text = text.replace("Rutan Gianyar,TW1,", "Rutan Gianjar,TW1,5", 1)
    text = text.replace("Rutan Gianyar,TW2,", "Rutan Tabanan,TW2,5", 1)
    template.write_text(text, encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        read_sheet(template, catalog)
    message = str(caught.value)
    assert "2 problems:" in message
    assert (
        "row 7, column A (unit): unit 'Rutan Gianjar' (row 7) is not one of the 2 units of the "
        "template this sheet was made from (did you mean 'Rutan Gianyar'?); correct the name, or "
        "give --unit-baru to accept a new unit"
    ) in message
    assert (
        "row 8, column A (unit): unit 'Rutan Tabanan' (row 8) is not one of the 2 units" in message
    )
    sheet = read_sheet(template, catalog, new_units=True)
    assert sheet.units == ("Lapas Kerobokan", "Rutan Gianjar", "Rutan Tabanan")
    assert sheet.record is not None
    assert sheet.record.units == ("Lapas Kerobokan", "Rutan Gianyar")


def test_template_units_are_checked_in_xlsx(catalog: Catalog, tmp_path: Path) -> None:
    openpyxl = need("openpyxl")
    template = write_sheet(catalog, tmp_path / "t.xlsx", units=["Lapas A", "Rutan B"])
    book = openpyxl.load_workbook(template)
    book[DATA_SHEET]["A5"] = "Lapas AA"
    book[DATA_SHEET]["C5"] = 5
    book.save(template)
    with pytest.raises(SheetError, match=r"unit 'Lapas AA' .* is not one of the 2 units"):
        read_sheet(template, catalog)
    assert read_sheet(template, catalog, new_units=True).units == ("Lapas AA",)


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ("#iku-formula lembar realisasi,unit: A,warna: biru", "holds 'warna: biru', neither"),
        ("#iku-formula lembar realisasi,angka: de", "holds 'angka: de'"),
        ("#iku-formula lembar realisasi,unit: A\x1bB", "a unit the template records: 'A\\x1bB'"),
    ],
)
def test_a_broken_record_row(
    catalog: Catalog, write: Callable[[str, str], Path], record: str, message: str
) -> None:
    with pytest.raises(SheetError, match=re.escape(message)):
        read_sheet(write("r.csv", f"{record}\nunit,period,makan\nA,TW1,1\n"), catalog)


# --------------------------------------------------------------------------- issue 10: one pass

MIXED = (
    "unit,period,makan,tahanann,keterangan\n"
    "Lapas Kerobokan,TW1,90,1,naik\n"
    "Lapas Kerobokan,TW2,91,1,\n"
    "Lapas Kerobokan,TW2,92,1,\n"  # row 4: a second TW2
    "Lapas Kerobokan,TW3,abc,1,\n"  # row 5: a bad cell
    "Lapas Kerobokn,TW4,93,1,\n"  # row 6: a typo
    "Rutan \x07Bangli,TW1,1,1,\n"  # row 7: a control character
    "Lapas Kerobokan,TW5,1,1,\n"  # row 8: no quarter
)


def test_every_problem_in_one_pass(catalog: Catalog, tmp_path: Path) -> None:
    """Five kinds of mistakes, one run: grouped by kind in a fixed order."""
    path = tmp_path / "r.csv"
    path.write_text(MIXED, encoding="utf-8")
    with pytest.raises(SheetError) as caught:
        read_sheet(path, catalog)
    message = str(caught.value).replace(str(tmp_path) + os.sep, "")
    assert message.splitlines()[0] == "r.csv: 6 problems of 5 kinds:"
    heads = [line.strip() for line in message.splitlines() if not line.startswith("    ")][1:]
    assert heads == [
        "unknown columns (1):",
        "bad cells (2):",
        "unit and period cells (1):",
        "unit names (1):",
        "repeated rows (1):",
    ]
    assert "    - row 1, column D: unknown column 'tahanann'" in message
    assert "    - row 5, column C (makan): input 'makan' (indicator 1): 'abc' is not" in message
    assert "    - row 8, column B (period): period 'TW5' is not a quarter" in message
    assert "    - row 7, column A (unit): unit 'Rutan \\x07Bangli' holds" in message
    assert "    - row 6, column A (unit): unit 'Lapas Kerobokn' (row 6) looks like" in message
    assert (
        "    - row 4, column A (unit): a second row for unit 'Lapas Kerobokan' and period"
        in message
    )
    assert caught.value.kinds[0] == "unknown columns"
    assert "tahanann" in caught.value.inputs


def test_formula_cells_in_the_same_pass(catalog: Catalog, tmp_path: Path) -> None:
    """What the XLSX reader hands over as FormulaCell is one more kind of the one pass."""
    rows: list[tuple[int, list[object]]] = [
        (1, ["unit", "period", "makan", "tahanan"]),
        (2, ["A", "TW1", FormulaCell("=B1*2"), -1]),
    ]
    with pytest.raises(SheetError) as caught:
        read_table(tmp_path / "r.xlsx", "xlsx", DATA_SHEET, rows, catalog)
    message = str(caught.value)
    assert (
        "2 problems of 2 kinds:\n  formula cells (1):\n    - sheet 'realisasi', row 2, "
        "column C (makan): the cell holds a formula whose value was never computed" in message
    )
    assert "bad cells (1):\n    - sheet 'realisasi', row 2, column D (tahanan): " in message


def test_many_problems_are_capped_with_a_count(
    catalog: Catalog, write: Callable[[str, str], Path]
) -> None:
    body = "".join(f"U{n:02d},TW1,x\n" for n in range(30)) + "U00,TW1,1\nU00,TW1,1\n"
    with pytest.raises(SheetError) as caught:
        read_sheet(write("r.csv", f"unit,period,makan\n{body}"), catalog)
    lines = str(caught.value).splitlines()
    assert lines[0].endswith("r.csv: 31 problems of 2 kinds:")  # row 2 has no value
    assert lines[1:3] == [
        "  bad cells (30):",
        "    - row 2, column C (makan): input 'makan' "
        "(indicator 1): 'x' is not a number; write digits with an optional "
        "decimal point or comma",
    ]
    assert "    ... and 20 more" in lines
    assert lines[-2:] == [
        "  repeated rows (1):",
        "    - row 33, column A (unit): a second row for unit 'U00' and period 'TW1' (the first "
        "is row 32); give each unit one row per quarter",
    ]


# --------------------------------------------------------------------------- issue 10: JSON


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param(
            '[{"unit": "A", "makan": 1, "makan": 2}]',
            "r.json: record 1: key 'makan' appears twice in the record; JSON keeps only the last",
            id="repeated-key",
        ),
        pytest.param(
            '{"makan": 1, "makan": 2}', "r.json: the record: key 'makan' appears twice", id="one"
        ),
        pytest.param(
            '{"makan": 1e9999999999999999999999}',
            "r.json: the number 1e9999999999999999999999 is out of range",
            id="huge-exponent",
        ),
        pytest.param(
            '{"makan": 1' + "0" * 5000 + "}",
            "r.json: the number 10000000000000000000...(5001 characters) is out of range",
            id="huge-integer",
        ),
        pytest.param('{"makan": 1.' + "0" * 500 + "}", "is out of range", id="long-decimal"),
        pytest.param(
            "[" * 100_000 + "]" * 100_000, "r.json: not valid JSON: nested too deep", id="deep"
        ),
        pytest.param(
            '[{"unit": "A", "makan": 1, "tahanann": 2, "catatan": "x"}, '
            '{"unit": "A", "makan": "1.234", "tahanan": 1}]',
            "r.json: 3 problems of 3 kinds:",
            id="every-problem",
        ),
    ],
)
def test_bad_json(
    catalog: Catalog, tmp_path: Path, write: Callable[[str, str], Path], text: str, fragment: str
) -> None:
    with pytest.raises(SheetError) as caught:
        read_sheet(write("r.json", text), catalog)
    assert fragment in str(caught.value).replace(str(tmp_path) + os.sep, "")


def test_json_ignores_free_text_keys(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    path = write("r.json", '[{"unit": "A", "makan": 1, "Keterangan": "x", "sumber": 2}]')
    sheet = read_sheet(path, catalog, ignore_columns=["sumber"], number_style="id")
    assert (sheet.ignored, sheet.rows[0].values) == (("Keterangan", "sumber"), {"makan": 1})


# --------------------------------------------------------------------------- issue 10: limits


@pytest.mark.parametrize("size", [10_001, 200_000])
def test_a_long_cell(catalog: Catalog, write: Callable[[str, str], Path], size: int) -> None:
    path = write("r.csv", f"unit,period,makan\nA,TW1,1\n{'x' * size},TW2,1\n")
    with pytest.raises(
        SheetError, match=r"r\.csv: row 3: a cell is longer than the limit MAX_FIELD_CHARS \(10,000"
    ):
        read_sheet(path, catalog)


def test_a_long_cell_over_several_lines(
    catalog: Catalog, write: Callable[[str, str], Path]
) -> None:
    cell = "\n".join(["x" * 100] * 200)
    with pytest.raises(SheetError, match=r"row 3: a cell is longer than the limit MAX_FIELD"):
        read_sheet(write("r.csv", f'unit,period,makan\nA,TW1,1\n"{cell}",TW2,1\n'), catalog)


@pytest.mark.parametrize(
    ("limit", "value", "text", "message"),
    [
        (
            "MAX_ROWS",
            3,
            "unit,makan\nA,1\nB,1\nC,1\nD,1\n",
            "r.csv: row 5: more rows than allowed; the limit is MAX_ROWS (3)",
        ),
        (
            "MAX_COLUMNS",
            4,
            "unit,makan\nA,1,,,,\n",
            "r.csv: row 2: the row has 6 cells; the limit is MAX_COLUMNS (4)",
        ),
        (
            "MAX_CELLS",
            3,
            "unit,makan,tahanan\nA,1,1\nB,1,1\n",
            "r.csv: row 3: more cells with values than allowed; the limit is MAX_CELLS (3)",
        ),
    ],
)
def test_limits_are_named(
    catalog: Catalog,
    tmp_path: Path,
    write: Callable[[str, str], Path],
    monkeypatch: pytest.MonkeyPatch,
    limit: str,
    value: int,
    text: str,
    message: str,
) -> None:
    """Each limit, lowered so that a small file reaches it (the hostile corpus runs the real
    ones in a capped child process)."""
    from iku_formula.sheets import table

    monkeypatch.setattr(table, limit, value)
    with pytest.raises(SheetError) as caught:
        read_sheet(write("r.csv", text), catalog)
    assert str(caught.value).replace(str(tmp_path) + os.sep, "") == message


def test_bytes_are_bounded(
    catalog: Catalog,
    tmp_path: Path,
    write: Callable[[str, str], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from iku_formula.sheets import files

    monkeypatch.setattr(files, "MAX_DATA_BYTES", 10)
    with pytest.raises(
        SheetError, match=r"the file is 18 bytes; the limit is MAX_DATA_BYTES \(10\)"
    ):
        read_sheet(write("r.csv", "unit,makan\nAAAA,1\n"), catalog)
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    with pytest.raises(SheetError, match=r"the file is more than 10 bytes; the limit is MAX_DATA"):
        read_sheet(zero, catalog)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            "unit,makan\nA,1\nK\xe9robokan,2\n".encode("latin-1"),
            "r.csv: not UTF-8 text (invalid continuation byte at byte 16, on line 3); save it "
            "as UTF-8 (in a spreadsheet program: CSV UTF-8)",
        ),
        ("unit,makan\nA,1\n".encode("utf-16"), "r.csv: the file is UTF-16 text"),
    ],
)
def test_wrong_encodings(catalog: Catalog, tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(data)
    with pytest.raises(SheetError) as caught:
        read_sheet(path, catalog)
    assert str(caught.value).replace(str(tmp_path) + os.sep, "").startswith(message)


def test_the_delimiter_follows_the_known_columns(
    catalog: Catalog, write: Callable[[str, str], Path]
) -> None:
    # a record row with commas in the unit names, then a ';' sheet (as a spreadsheet saves it)
    text = (
        "#iku-formula lembar realisasi;unit: Lapas A, Blok 1, Sayap 2;unit: B\n"
        "unit;period;makan\nLapas A, Blok 1, Sayap 2;TW1;5\n"
    )
    sheet = read_sheet(write("r.csv", text), catalog)
    assert sheet.rows[0].unit == "Lapas A, Blok 1, Sayap 2"
