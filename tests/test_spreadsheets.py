"""Input sheets and reports: template -> filled sheet -> report, and every bad file."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from iku_formula import Catalog, InputError, load_catalog
from iku_formula.errors import SheetError, column_letter
from iku_formula.periods import QUARTERS
from iku_formula.report import KANWIL, build_report
from iku_formula.report.csv import render_csv
from iku_formula.report.json import report_json
from iku_formula.report.markdown import render_markdown
from iku_formula.report.text import render_text
from iku_formula.report.xlsx import write_xlsx
from iku_formula.rollup.exact import roll_up_rows
from iku_formula.sheets import DATA_SHEET, INFO_SHEET, read_sheet, sheet_inputs, write_sheet

REPO = Path(__file__).resolve().parents[1]
SAMPLE_QUARTERLY = REPO / "examples" / "contoh-realisasi-2024-triwulan.csv"
SAMPLE_XLSX = REPO / "examples" / "contoh-realisasi-2024-triwulan.xlsx"


def need(module: str) -> Any:
    """Import an optional dependency; skip without it, but fail when CI is set (CI has all)."""
    if os.environ.get("CI"):
        return importlib.import_module(module)
    return pytest.importorskip(module)


SHEET_CATALOG = """
[catalog]
title = "Katalog uji lembar kerja"
year = 2024

[[objectives]]
id = "sk01"
name = "Sasaran uji"

[inputs.makan]
label = "Tahanan yang terpenuhi makanannya"
unit = "orang"
kind = "count"
over_time = "last"

[inputs.tahanan]
label = "Jumlah tahanan"
unit = "orang"
kind = "count"
over_time = "last"

[inputs.masuk]
label = "Pengaduan yang masuk"
unit = "pengaduan"
kind = "count"

[inputs.selesai]
label = "Pengaduan yang diselesaikan"
unit = "pengaduan"
kind = "count"

[inputs.skor]
label = "Nilai survei kepuasan"
unit = "indeks"
kind = "score"
minimum = 1
maximum = 4
over_time = "mean"
over_units = "weighted_mean"
weight = "responden"

[inputs.responden]
label = "Responden survei"
unit = "orang"
kind = "count"

[[rules]]
rule = "makan <= tahanan"

[[indicators]]
number = 1
key = "makanan"
name = "Persentase pemenuhan layanan makanan"
objective = "sk01"
target = "85%"
polarity = "maximize"
formula = "persen(makan, tahanan)"
inputs = ["makan", "tahanan"]

[[indicators]]
number = 2
key = "pengaduan"
name = "Persentase pengaduan yang diselesaikan"
objective = "sk01"
target = "90%"
polarity = "maximize"
formula = "persen(selesai, masuk)"
inputs = ["selesai", "masuk"]

[[indicators]]
number = 3
key = "kepuasan"
name = "Indeks kepuasan"
objective = "sk01"
target = "3,1 Indeks"
polarity = "maximize"
formula = "skor"
inputs = ["skor"]
"""

HEADER = "unit,period,makan,tahanan,selesai,masuk,skor,responden"


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    path = tmp_path / "lembar.toml"
    path.write_text(SHEET_CATALOG, encoding="utf-8")
    return load_catalog(path)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def xlsx_file(path: Path, rows: list[list[object]], title: str = DATA_SHEET) -> Path:
    """A workbook whose first sheet holds ``rows`` from A1."""
    openpyxl = need("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


# --------------------------------------------------------------------------- small parts


@pytest.mark.parametrize(
    ("index", "letter"), [(1, "A"), (2, "B"), (26, "Z"), (27, "AA"), (52, "AZ"), (703, "AAA")]
)
def test_column_letter(index: int, letter: str) -> None:
    assert column_letter(index) == letter


def test_sheet_inputs_follow_the_indicators() -> None:
    catalog = load_catalog()
    names = [spec.name for spec in sheet_inputs(catalog)]
    assert sorted(names) == sorted(catalog.inputs)
    assert names[:2] == ["nilai_total_survei_internal", "penerimaan_pnbp_ahu"]
    assert names.index("pemenuhan_makanan") < names.index("jumlah_tahanan")


# --------------------------------------------------------------------------- templates


def test_csv_template(catalog: Catalog, tmp_path: Path) -> None:
    path = write_sheet(catalog, tmp_path / "t.csv", units=["Lapas A", "Rutan B"])
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert rows[0] == HEADER.split(",")
    assert [row[:2] for row in rows[1:]] == [
        [unit, quarter] for unit in ("Lapas A", "Rutan B") for quarter in QUARTERS
    ]
    assert all(cell == "" for row in rows[1:] for cell in row[2:])
    with pytest.raises(SheetError, match="no values found: every row below the header is empty"):
        read_sheet(path, catalog)


def test_bundled_csv_template_lists_every_input(tmp_path: Path) -> None:
    catalog = load_catalog()
    path = write_sheet(catalog, tmp_path / "t.csv")
    header, *rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert header[:2] == ["unit", "period"]
    assert sorted(header[2:]) == sorted(catalog.inputs)
    assert [row[:2] for row in rows] == [["Kanwil Bali", quarter] for quarter in QUARTERS]


def test_xlsx_template(catalog: Catalog, tmp_path: Path) -> None:
    openpyxl = need("openpyxl")
    path = write_sheet(catalog, tmp_path / "t.xlsx", units=["Lapas A", "Rutan B"])
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [DATA_SHEET, INFO_SHEET]
    sheet = book[DATA_SHEET]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:4] == [
        "Unit kerja (UPT)",
        "Triwulan",
        "Tahanan yang terpenuhi makanannya",
        "Jumlah tahanan",
    ]
    assert rows[1][2] == "orang"
    assert rows[1][6] == "indeks (1 sampai 4)"  # a score's range
    assert rows[2][2:5] == ["IKU 1", "IKU 1", "IKU 2"]
    assert rows[3] == HEADER.split(",")
    assert [row[:2] for row in rows[4:]] == [
        [unit, quarter] for unit in ("Lapas A", "Rutan B") for quarter in QUARTERS
    ]
    assert sheet.freeze_panes == "C5"
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    assert validations["B5"].type == "list"
    assert validations["C5"].type == "whole"
    assert (validations["G5"].formula1, validations["G5"].formula2) == ("1.0", "4.0")
    info = [list(row) for row in book[INFO_SHEET].iter_rows(values_only=True)]
    assert info[0][:3] == ["input", "label", "satuan"]
    by_name = {row[0]: row for row in info[1:]}
    assert by_name["skor"][3:9] == [
        "score",
        "1 sampai 4",
        "mean",
        "weighted_mean",
        "responden",
        "3",
    ]
    assert by_name["tahanan"][5] == "last"
    with pytest.raises(SheetError, match="no values found"):
        read_sheet(path, catalog)


def test_template_rejects_other_file_types(catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"unknown file type '\.ods'"):
        write_sheet(catalog, tmp_path / "t.ods")


def test_write_sheet_checks_values(catalog: Catalog, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"row 1: input 'makan': -1 is negative"):
        write_sheet(catalog, tmp_path / "x.csv", [{"unit": "A", "period": "TW1", "makan": -1}])
    with pytest.raises(InputError, match="unknown input 'makann'; did you mean 'makan'"):
        write_sheet(catalog, tmp_path / "x.csv", [{"makann": 1}])


# --------------------------------------------------------------------------- reading


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
    assert f"{path}: sheet 'realisasi', row 2, column D:" in message
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


# --------------------------------------------------------------------------- bad files


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
        "unit,period,makan,tahanan\nA,TW1,1.200,100\nA,TW2,-1,x\n",
        [
            "r.csv: 3 problems:",
            "row 2, column C (makan): input 'makan' (indicator 1): '1.200' is not a whole "
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


# --------------------------------------------------------------------------- round trip


def table_rows(text: str) -> dict[int, list[str]]:
    """A terminal table's rows by indicator number, cells split on runs of 2+ spaces."""
    rows: dict[int, list[str]] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().split("  ") if cell.strip()]
        if cells and cells[0].isdigit() and len(cells) >= 6:
            rows[int(cells[0])] = cells
    return rows


QUARTERLY = {
    # unit: one tuple per quarter: makan, tahanan, selesai, masuk, skor, responden
    "Lapas A": [
        (90, 100, 9, 10, "3", 10),
        (95, 100, 5, 5, "3,2", 10),
        (97, 100, 0, 0, "3,4", 10),
        (98, 100, 4, 5, "3,4", 10),
    ],
    "Rutan B": [
        (40, 50, 1, 2, "2,8", 5),
        (45, 50, 2, 2, "2,8", 5),
        (52, 50, 2, 2, "3", 5),  # 52 fed of 50 held: a broken rule, in TW3 only
        (40, 50, 3, 4, "3", 5),
    ],
}
"""Yearly, Lapas A: makan 98 of 100 (last), 18 of 20 complaints (sum), skor 3.25 (mean) from
40 respondents; Rutan B: 40 of 50, 8 of 10, 2.9 from 20. The Kantor Wilayah: 138 of 150 = 92 %,
26 of 30 = 86.67 %, skor (3.25 x 40 + 2.9 x 20) / 60 = 47/15 = 3.13."""


def fill_csv(path: Path, rows: dict[str, list[tuple[object, ...]]] = QUARTERLY) -> Path:
    """Fill a CSV template (as someone would in a spreadsheet program, saved with ';')."""
    header, *keys = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    lines = [";".join(header)]
    for unit, period, *_ in keys:
        values = rows[unit][QUARTERS.index(period)]
        lines.append(";".join([unit, period, *map(str, values)]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fill_xlsx(path: Path, rows: dict[str, list[tuple[object, ...]]] = QUARTERLY) -> Path:
    """Fill an XLSX template: numbers as numbers, and a decimal comma typed as text."""
    openpyxl = need("openpyxl")
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    for row in sheet.iter_rows(min_row=5):
        unit, period = row[0].value, row[1].value
        values = rows[unit][QUARTERS.index(period)]
        for cell, value in zip(row[2:], values, strict=True):
            cell.value = value if not isinstance(value, str) or "," in value else int(value)
    book.save(path)
    return path


@pytest.fixture(params=["csv", "xlsx"])
def filled(request: pytest.FixtureRequest, catalog: Catalog, tmp_path: Path) -> Path:
    """A template for Lapas A and Rutan B, filled with QUARTERLY."""
    if request.param == "xlsx":
        need("openpyxl")
    template = write_sheet(
        catalog, tmp_path / f"isian.{request.param}", units=["Lapas A", "Rutan B"]
    )
    return fill_csv(template) if request.param == "csv" else fill_xlsx(template)


def test_round_trip_rows(catalog: Catalog, filled: Path) -> None:
    sheet = read_sheet(filled, catalog)
    assert len(sheet.rows) == 8
    assert sheet.missing == ()
    report = build_report(catalog, sheet, "row")
    assert [section.title for section in report.sections[:2]] == ["Lapas A, TW1", "Lapas A, TW2"]
    first = report.sections[0]
    assert first.results[1].value == 90
    assert first.results[3].value == 3
    rutan_tw3 = report.sections[6]
    assert rutan_tw3.results[1].value == Fraction(104)
    assert [v.rule.text for v in rutan_tw3.violations] == ["makan <= tahanan"]
    assert report.row_problems == ()  # at the row level, the sections are the rows


def test_round_trip_kanwil(catalog: Catalog, filled: Path, tmp_path: Path) -> None:
    report = build_report(catalog, read_sheet(filled, catalog))
    (kanwil,) = report.sections
    assert (kanwil.unit, kanwil.period, kanwil.level) == (KANWIL, "2024", "kanwil")
    assert kanwil.values["makan"] == 138
    assert kanwil.values["tahanan"] == 150
    assert kanwil.values["masuk"] == 30
    assert kanwil.values["skor"] == Fraction(47, 15)
    makanan, pengaduan, kepuasan = (kanwil.results[n] for n in (1, 2, 3))
    assert (makanan.value, makanan.met) == (92, True)
    assert (pengaduan.value, pengaduan.met) == (Fraction(260, 3), False)
    assert (kepuasan.value, kepuasan.met) == (Fraction(47, 15), True)
    assert kanwil.violations == ()  # the roll-up takes TW4's stock: the rule holds ...
    (problem,) = report.row_problems  # ... but the broken row is listed
    assert (problem.row.unit, problem.row.period) == ("Rutan B", "TW3")
    assert (
        problem.text == "rule makan <= tahanan is broken: makan = 52, tahanan = 50; check the data"
    )

    text = render_text(report)
    assert text.startswith(f"== {KANWIL}, 2024 ==\n(2 unit, 8 baris digabung")
    rows = table_rows(text)
    assert rows[1] == ["1", "Persentase pemenuhan layanan makanan", "92.00", "85%", "108.24",
                       "tercapai"]  # fmt: skip
    assert rows[2][2:] == ["86.67", "90%", "96.30", "tidak tercapai"]
    assert rows[3][2:] == ["3.13", "3,1 Indeks", "101.08", "tercapai"]
    assert "tercapai: 2, tidak tercapai: 1, tidak terdefinisi: 0" in text
    assert "== Periksa data per baris / data errors in rows ==" in text
    assert "(Rutan B, TW3): rule makan <= tahanan is broken" in text

    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert [(row["number"], row["value"], row["value_exact"], row["status"]) for row in rows] == [
        ("1", "92.00", "92", "met"),
        ("2", "86.67", "260/3", "not_met"),
        ("3", "3.13", "47/15", "met"),
        ("1", "", "", "rule_violation"),
    ]
    assert rows[-1]["level"] == "row"
    assert "Rutan B, TW3" in rows[-1]["reason"] or "row" in rows[-1]["reason"]

    markdown = render_markdown(report)
    assert f"## {KANWIL}, 2024" in markdown
    assert (
        "| 2 | Persentase pengaduan yang diselesaikan | 86.67 | 90% | 96.30 | **tidak tercapai** |"
        in markdown
    )
    assert "## Periksa data per baris / data errors in rows" in markdown

    data = report_json(report)
    (section,) = data["sections"]
    assert [r["value_exact"] for r in section["results"]] == ["92", "260/3", "47/15"]
    assert data["row_problems"][0]["rule"] == "makan <= tahanan"

    openpyxl = need("openpyxl")
    book = openpyxl.load_workbook(write_xlsx(report, tmp_path / "laporan.xlsx"))
    results = [list(row) for row in book["hasil"].iter_rows(values_only=True)]
    assert results[0][:9] == [
        "Tingkat",
        "Unit",
        "Periode",
        "No",
        "Indikator",
        "Realisasi",
        "Target",
        "Capaian (%)",
        "Status",
    ]
    assert [row[3] for row in results[1:]] == [1, 2, 3]
    assert results[2][5] == pytest.approx(86.67)
    assert results[2][8] == "tidak tercapai"
    assert results[2][10] == "260/3"
    notes = [list(row) for row in book["catatan"].iter_rows(values_only=True)]
    assert notes[1][0] == "aturan dilanggar"
    assert "makan <= tahanan" in notes[1][5]


def test_round_trip_by_unit_and_period(catalog: Catalog, filled: Path) -> None:
    sheet = read_sheet(filled, catalog)
    by_unit = build_report(catalog, sheet, "unit")
    assert [s.title for s in by_unit.sections] == [
        f"{KANWIL}, 2024",
        "Lapas A, 2024",
        "Rutan B, 2024",
    ]
    _, lapas, rutan = by_unit.sections
    assert (lapas.results[1].value, lapas.results[2].value, lapas.results[3].value) == (
        98,
        90,
        Fraction(13, 4),
    )
    assert (rutan.results[1].value, rutan.results[2].value, rutan.results[3].value) == (
        80,
        80,
        Fraction(29, 10),
    )
    by_period = build_report(catalog, sheet, "period")
    assert [s.title for s in by_period.sections] == [f"{KANWIL}, 2024"] + [
        f"{KANWIL}, {quarter}" for quarter in QUARTERS
    ]
    tw1 = by_period.sections[1]
    assert tw1.results[1].value == Fraction(260, 3)  # 130 of 150
    assert tw1.results[3].value == Fraction(3 * 10 + Fraction(28, 10) * 5, 15)
    tw3 = by_period.sections[3]
    assert tw3.values["makan"] == 97 + 52  # Rutan B's error is hidden in the sum ...
    assert tw3.violations == ()
    assert [p.row.label for p in by_period.row_problems] == ["Rutan B, TW3"]  # ... not here


def test_year_to_date(catalog: Catalog, tmp_path: Path) -> None:
    first_half = {unit: rows[:2] for unit, rows in QUARTERLY.items()}
    path = tmp_path / "semester.csv"
    write_sheet(catalog, path, units=["Lapas A", "Rutan B"], periods=QUARTERS[:2])
    fill_csv(path, first_half)
    (kanwil,) = build_report(catalog, read_sheet(path, catalog)).sections
    assert kanwil.period == "2024 s.d. TW2"
    assert kanwil.values["makan"] == 95 + 45


def test_missing_column_is_reported(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    path = write("r.csv", "unit,period,makan,tahanan,selesai\nLapas A,2024,90,100,3\n")
    sheet = read_sheet(path, catalog)
    assert sheet.missing == ("masuk", "skor", "responden")
    report = build_report(catalog, sheet)
    (section,) = report.sections
    assert section.not_evaluated == {2: ("masuk",), 3: ("skor",)}
    text = render_text(report)
    assert "[2] Persentase pengaduan yang diselesaikan: missing masuk" in text
    assert "none of their inputs given: 3" in text
    assert "== Kolom tidak ada / inputs without a column: 3 ==\n  masuk, skor, responden" in text
    markdown = render_markdown(report)
    assert "- `masuk` (Pengaduan yang masuk; IKU 2)" in markdown
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert [(row["number"], row["status"]) for row in rows] == [
        ("1", "met"),
        ("2", "not_evaluated"),
        ("3", "not_evaluated"),
        ("2", "missing_column"),
        ("3", "missing_column"),
        ("", "missing_column"),
    ]


def test_mixed_year_and_quarters(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    path = write("r.csv", "unit,period,makan\nLapas A,2024,90\nLapas A,TW1,80\nRutan B,TW1,5\n")
    sheet = read_sheet(path, catalog)
    with pytest.raises(
        SheetError,
        match=r"row 2, column B \(period\): unit 'Lapas A' has a row "
        r"for period '2024' and another \(row 3, period 'TW1'\)",
    ):
        build_report(catalog, sheet)
    assert len(build_report(catalog, sheet, "row").sections) == 3


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


# --------------------------------------------------------------------------- exact roll-up


def test_roll_up_agrees_with_catalog_aggregate() -> None:
    """The exact roll-up gives Catalog.aggregate's numbers (floats) on the sample data."""
    need("pandas")
    import math

    catalog = load_catalog()
    sheet = read_sheet(SAMPLE_QUARTERLY, catalog)
    combined = roll_up_rows(catalog, sheet.rows)
    assert combined.notes == ()
    per_unit = catalog.aggregate(sheet.to_frame(), over="time")
    for unit, values in combined.units.items():
        for name in sheet.columns:
            expected = per_unit.loc[unit, name]
            if name in values:
                assert float(values[name]) == pytest.approx(expected, rel=1e-12), (unit, name)
            else:
                assert math.isnan(expected), (unit, name)  # the unit does not report it
    # the whole Kanwil: units that leave an input empty in every row are left out of it
    kanwil = catalog.aggregate(sheet.to_frame())
    assert len(kanwil) == 1
    for name in sheet.columns:
        assert float(combined.values[name]) == pytest.approx(kanwil[name].item(), rel=1e-12), name
    per_quarter = catalog.aggregate(sheet.to_frame(), over="units")
    for period in per_quarter.index:
        rows = [row for row in sheet.rows if row.period == period]
        exact = roll_up_rows(catalog, rows).values
        for name in sheet.columns:
            expected = per_quarter.loc[period, name]
            if name in exact:
                assert float(exact[name]) == pytest.approx(expected, rel=1e-12), (period, name)
            else:
                assert math.isnan(expected), (period, name)


def test_roll_up_rules_by_hand(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    path = write(
        "r.csv",
        f"{HEADER}\n"
        "A,TW1,8,10,1,2,3,10\n"
        "A,TW2,9,10,2,2,4,30\n"
        "B,TW1,1,5,0,1,2,0\n"  # B's survey had no respondents in TW1 ...
        "B,TW2,4,6,1,1,1,0\n",  # ... nor TW2: its score does not count
    )
    combined = roll_up_rows(catalog, read_sheet(path, catalog).rows)
    assert combined.units["A"] == {"makan": 9, "tahanan": 10, "selesai": 3, "masuk": 4,
                                   "skor": Fraction(7, 2), "responden": 40}  # fmt: skip
    assert combined.values == {
        "makan": 13,  # last quarter of each unit, added up
        "tahanan": 16,
        "selesai": 4,
        "masuk": 6,
        "skor": Fraction(7, 2),  # weighted by respondents: B weighs 0
        "responden": 40,
    }
    assert combined.notes == ()


@pytest.mark.parametrize(
    ("text", "absent", "note"),
    [
        pytest.param(
            "A,TW1,8,10,1,2,,\nA,TW2,9,10,,2,,\n",
            "selesai",
            "A: selesai has no value in TW2 (row 3); adding it over the quarters needs every "
            "quarter (write 0 where there was none)",
            id="flow-missing-a-quarter",
        ),
        pytest.param(
            "A,TW1,8,10,,,,\nA,TW2,,10,,,,\n",
            "makan",
            "A: makan has no value in TW2 (row 3), its last period; a stock is taken at the end "
            "of the period",
            id="stock-missing-the-last-quarter",
        ),
        pytest.param(
            "A,TW1,,,,,3,\nA,TW2,,,,,2,\n",
            "skor",
            "A: skor is averaged over units weighted by responden, which has no value",
            id="weight-missing",
        ),
        pytest.param(
            "A,TW1,,,,,3,0\nA,TW2,,,,,2,0\n",
            "skor",
            "skor is averaged over units weighted by responden, which add up to 0",
            id="weights-zero",
        ),
    ],
)
def test_roll_up_says_what_it_cannot_do(
    catalog: Catalog, write: Callable[[str, str], Path], text: str, absent: str, note: str
) -> None:
    sheet = read_sheet(write("r.csv", f"{HEADER}\n{text}"), catalog)
    report = build_report(catalog, sheet)
    (section,) = report.sections
    assert absent not in section.values
    assert section.notes == (note,)
    assert "Data tidak lengkap / incomplete data:" in render_text(report)
    assert note.split(" (")[0] in " ".join(render_text(report).split())
    rows = list(csv.DictReader(io.StringIO(render_csv(report))))
    assert [row["reason"] for row in rows if row["status"] == "incomplete"] == [note]


def test_unit_without_a_quarter(catalog: Catalog, write: Callable[[str, str], Path]) -> None:
    path = write("r.csv", f"{HEADER}\nA,TW1,8,10,,,,\nA,TW2,9,10,,,,\nB,TW1,4,5,,,,\n")
    (section,) = build_report(catalog, read_sheet(path, catalog)).sections
    assert section.values["makan"] == 9 + 4  # B's stock is its TW1 figure ...
    assert section.notes == ("B has no row with values for TW2: its figures cover TW1 only",)


MEAN_OF_UNITS = """
[[indicators]]
number = 4
key = "rata_unit"
name = "Rata-rata persentase per unit"
objective = "sk01"
target = "90%"
polarity = "maximize"
formula = "persen(selesai, masuk)"
inputs = ["selesai", "masuk"]
roll_up = "mean_of_units"
"""


def test_mean_of_units(tmp_path: Path, write: Callable[[str, str], Path]) -> None:
    path = tmp_path / "rata.toml"
    path.write_text(SHEET_CATALOG + MEAN_OF_UNITS, encoding="utf-8")
    catalog = load_catalog(path)
    sheet = read_sheet(
        write(
            "r.csv", f"{HEADER}\nA,TW1,,,9,10,,\nA,TW2,,,10,10,,\nB,TW1,,,1,2,,\nB,TW2,,,0,0,,\n"
        ),
        catalog,
    )
    (section,) = build_report(catalog, sheet).sections
    ratio, mean = section.results[2], section.results[4]
    assert ratio.value == Fraction(20, 22) * 100  # a ratio of sums
    assert mean.value == (95 + 50) / Fraction(2)  # the mean of A's 95 % and B's 50 %
    assert (mean.met, mean.status.value) == (False, "not_met")
    assert mean.warnings == ("the mean over 2 units of their realisasi (roll_up mean_of_units)",)
    undefined = build_report(
        catalog,
        read_sheet(write("s.csv", f"{HEADER}\nA,TW1,,,9,10,,\nB,TW1,,,0,0,,\n"), catalog),
        "period",
    ).sections[0]
    assert undefined.results[4].reason == (
        "the mean over units is undefined: undefined in 1 of 2 units"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "unit,period,makan\nLapas A,TW1,90\nRutan B,2024,5\n",
            r"row 3, column B \(period\): period '2024' covers a whole year, but other rows are "
            r"quarters \(e\.g\. row 2, TW1\)",
        ),
        (
            "unit,period,makan\nLapas A,2023,90\nRutan B,2024,5\n",
            r"r\.csv: the rows cover different years \(2023, 2024\); roll up one year per file",
        ),
    ],
)
def test_periods_that_do_not_roll_up(
    catalog: Catalog, write: Callable[[str, str], Path], text: str, message: str
) -> None:
    sheet = read_sheet(write("r.csv", text), catalog)
    with pytest.raises(SheetError, match=message):
        build_report(catalog, sheet)
    assert len(build_report(catalog, sheet, "row").sections) == 2
