"""Reading realisasi sheets: CSV, XLSX and JSON, and every bad file located."""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from iku_formula import Catalog, InputError
from iku_formula.errors import SheetError
from iku_formula.sheets import DATA_SHEET, read_sheet

from .conftest import HEADER, need, xlsx_file


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
