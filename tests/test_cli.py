"""The ``iku`` command: list, show, evaluate, and its error messages (exit code 2)."""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

import iku_formula
from iku_formula import load_catalog
from iku_formula.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLE_CSV = REPO / "examples" / "contoh-realisasi-2024.csv"
SAMPLE_JSON = REPO / "examples" / "contoh-realisasi-2024.json"
QUARTERLY_CSV = REPO / "examples" / "contoh-realisasi-2024-triwulan.csv"
QUARTERLY_XLSX = REPO / "examples" / "contoh-realisasi-2024-triwulan.xlsx"

CLI_CATALOG = """
[catalog]
title = "Katalog uji CLI"
year = 2024

[[objectives]]
id = "sk01"
name = "Sasaran pertama"

[[objectives]]
id = "sk02"
name = "Sasaran kedua"

[inputs.makan]
label = "Tahanan yang terpenuhi makanannya"
unit = "orang"
kind = "count"

[inputs.tahanan]
label = "Jumlah tahanan"
unit = "orang"
kind = "count"

[inputs.skor]
label = "Skor survei"
unit = "indeks"
kind = "score"
minimum = 1
maximum = 4
note = "Skala 1-4 diasumsikan."

[inputs.a]
label = "A"
unit = "orang"
kind = "count"

[inputs.b]
label = "B"
unit = "orang"
kind = "count"

[inputs.c]
label = "C"
unit = "orang"
kind = "count"

[inputs.d]
label = "D"
unit = "orang"
kind = "count"

[components.pa]
label = "Bagian A"
formula = "persen(a, b)"

[components.pc]
label = "Bagian C"
formula = "persen(c, d)"

[[indicators]]
number = 1
key = "makanan"
name = "Persentase pemenuhan layanan makanan bagi Tahanan /Narapidana/Anak sesuai standar"
objective = "sk01"
target = "85%"
polarity = "maximize"
formula = "persen(makan, tahanan)"
source_formula = "Jumlah makan dibagi Jumlah Tahanan \u2013 dikali 100%"
inputs = ["makan", "tahanan"]
notes = ["Catatan pertama tentang makanan."]

[[indicators]]
number = 2
key = "indeks"
name = "Indeks kepuasaan"
label = "Indeks kepuasan"
objective = "sk02"
target = "3,1 Indeks"
polarity = "maximize"
formula = "skor"
inputs = ["skor"]

[[indicators]]
number = 3
key = "gabungan"
name = "Gabungan dua persentase"
objective = "sk02"
target = "90%"
polarity = "maximize"
formula = "rata_rata(pa, pc)"
inputs = ["a", "b", "c", "d"]
undefined_parts = "skip"

[[indicators]]
number = 4
key = "dua_bagian"
name = "Jumlah kegiatan dan rekomendasi"
objective = "sk02"
target = "1 Kegiatan / 2 Rekomendasi"
polarity = "maximize"
formula = "a"
target_part_formulas = ["b"]
inputs = ["a", "b"]
"""


Run = tuple[int, str, str]


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> Run:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def flat(text: str) -> str:
    """``text`` with line wrapping undone (runs of whitespace as one space)."""
    return " ".join(text.split())


def table_rows(out: str) -> dict[int, list[str]]:
    """The evaluate table's rows by indicator number, cells split on runs of 2+ spaces."""
    rows: dict[int, list[str]] = {}
    for line in out.splitlines():
        cells = [cell for cell in line.strip().split("  ") if cell.strip()]
        if cells and cells[0].strip().isdigit() and len(cells) >= 6:
            # up to Status; the Predikat column has its own tests (tests/report/test_predikat.py)
            rows[int(cells[0])] = [cell.strip() for cell in cells][:6]
    return rows


@pytest.fixture
def catalog_path(tmp_path: Path) -> Path:
    path = tmp_path / "uji.toml"
    path.write_text(CLI_CATALOG, encoding="utf-8")
    return path


@pytest.fixture
def data(tmp_path: Path) -> Any:
    """Write a data file into tmp_path: data("x.csv", text) -> path."""

    def write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


# --------------------------------------------------------------------------- list


@pytest.mark.usefixtures("indonesian")
def test_list_groups_by_sasaran(capsys: pytest.CaptureFixture[str], catalog_path: Path) -> None:
    code, out, err = run(capsys, "list", "--catalog", catalog_path)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Katalog uji CLI (4 indikator)"
    first = lines.index("Sasaran: Sasaran pertama")
    second = lines.index("Sasaran: Sasaran kedua")
    assert first < second
    assert lines[first + 1].startswith("  1  Persentase pemenuhan layanan makanan")
    assert "[target 85%]" in out
    # the corrected label is what people read; the target as written
    assert "  2  Indeks kepuasan  [target 3,1 Indeks]" in lines[second + 1 :]
    assert "  4  Jumlah kegiatan dan rekomendasi  [target 1 Kegiatan / 2 Rekomendasi]" in lines


@pytest.mark.usefixtures("indonesian")
def test_list_bundled_catalog(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    catalog = load_catalog()
    assert f"({len(catalog)} indikator)" in out
    assert out.count("Sasaran: ") == len(catalog.objectives)
    last = "55  Jumlah UPT Rehabilitasi/Renovasi Lapas/Rutan/Bapas/LPKA/Rupbasan  [target 2 UPT]"
    assert last in out
    assert "23  Persentase pemenuhan layanan makanan" in out


# --------------------------------------------------------------------------- show


@pytest.mark.parametrize(
    ("number", "expected", "absent"),
    [
        pytest.param(
            "1",
            [
                "IKU 1: Persentase pemenuhan layanan makanan bagi Tahanan /Narapidana/Anak",
                "Sasaran    : Sasaran pertama",
                "Target     : 85%  (dibaca: 85 %)",
                "Polaritas  : maximize (semakin tinggi semakin baik)",
                "Formula    : persen(makan, tahanan)",
                "Formula sumber (apa adanya):",
                "  Jumlah makan dibagi Jumlah Tahanan \u2013 dikali 100%",
                "makan    Tahanan yang terpenuhi makanannya  orang   count",
                "tahanan  Jumlah tahanan",
                "  - Catatan pertama tentang makanan.",
            ],
            ["tersusun", "ejaan diperbaiki", "tidak ada formula"],
            id="normal",
        ),
        pytest.param(
            "indeks",  # by key
            [
                "IKU 2: Indeks kepuasaan",
                "(ejaan diperbaiki: Indeks kepuasan)",
                "Target     : 3,1 Indeks  (dibaca: 3,1 Indeks)",
                "Formula sumber: (tidak ada formula di sumber)",
                "skor  Skor survei  indeks  score  1..4",
                "* skor: Skala 1-4 diasumsikan.",
            ],
            ["apa adanya", "Catatan"],
            id="no-source-formula",
        ),
        pytest.param(
            "3",
            [
                "Formula    : rata_rata(persen(a, b), persen(c, d))",
                "  tersusun: rata_rata(pa, pc)",
                "Formula sumber: (tidak ada formula di sumber)",
            ],
            [],
            id="composite",
        ),
        pytest.param(
            "4",
            [
                "Target     : 1 Kegiatan / 2 Rekomendasi  (dibaca: 1 Kegiatan; 2 Rekomendasi)",
                "Formula    : a",
                "  bagian 2 (Rekomendasi): b",
            ],
            ["tersusun"],
            id="multi-part-target",
        ),
    ],
)
@pytest.mark.usefixtures("indonesian")
def test_show(
    capsys: pytest.CaptureFixture[str],
    catalog_path: Path,
    number: str,
    expected: list[str],
    absent: list[str],
) -> None:
    code, out, err = run(capsys, "show", number, "--catalog", catalog_path)
    assert (code, err) == (0, "")
    for text in expected:
        assert text in out
    for text in absent:
        assert text not in out


@pytest.mark.usefixtures("indonesian")
def test_show_bundled_indicators(capsys: pytest.CaptureFixture[str]) -> None:
    catalog = load_catalog()
    code, out, _ = run(capsys, "show", "23")
    assert code == 0
    indicator = catalog[23]
    assert f"IKU 23: {indicator.name}" in out
    assert "Formula    : persen(pemenuhan_makanan, jumlah_tahanan)" in out
    assert indicator.source_formula is not None
    assert flat(indicator.source_formula) in flat(out)  # word for word, wrapped
    assert "Target     : 85%" in out
    for number in (i.number for i in catalog if i.source_formula is None):
        code, out, _ = run(capsys, "show", str(number))
        assert code == 0
        assert "Formula sumber: (tidak ada formula di sumber)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "99"], "no indicator number 99 in this catalog (numbers: 1 to 4)"),
        (["show", "gabugan"], "no indicator 'gabugan'"),
        (["show", "gabugan"], "did you mean 'gabungan'?"),
    ],
)
def test_show_unknown_indicator(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, argv: list[str], message: str
) -> None:
    code, out, err = run(capsys, *argv, "--catalog", catalog_path)
    assert code == 2
    assert out == ""
    assert err.startswith("iku: error: ")
    assert message in err


# --------------------------------------------------------------------------- evaluate


def test_evaluate_csv_table(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, data: Any
) -> None:
    path = data(
        "realisasi.csv",
        "unit,period,makan,tahanan,skor,a,b,c,d\n"
        'Rutan A,2024,850,1000,"3,2",9,10,5,0\n'
        "Rutan B,2024,2,3,,,,,\n"
        "Rutan C,2024,5,0,1.5,,,,\n"
        "Rutan D,2024,12,10,,,,,\n",
    )
    code, out, err = run(capsys, "evaluate", path, "--by", "row", "--catalog", catalog_path)
    assert (code, err) == (0, "")
    records = out.split("== ")[1:]
    assert [record.splitlines()[0] for record in records] == [
        "Rutan A, 2024 ==",
        "Rutan B, 2024 ==",
        "Rutan C, 2024 ==",
        "Rutan D, 2024 ==",
    ]
    a, b, c, d = records

    rows = table_rows(a)
    assert rows[1] == ["1", "Persentase pemenuhan layanan makanan bagi...", "85.00", "85%",
                       "100.00", "tercapai"]  # fmt: skip
    assert rows[2] == ["2", "Indeks kepuasan", "3.20", "3,1 Indeks", "103.23", "tercapai"]
    assert rows[3][2:] == ["90.00", "90%", "100.00", "tercapai"]
    assert rows[4][2:] == ["9.00 / 10.00", "1 Kegiatan / 2 Rekomendasi", "500.00", "tercapai"]
    # the skipped part of the mean is a warning under the table, never hidden
    assert (
        "[3] warning: mean taken over the 1 defined of 2 parts; "
        "left out: persen(c, d) (the denominator d is 0)"
    ) in flat(a)
    assert "met: 4, not met: 0, undefined: 0" in a
    assert "not evaluated" not in a

    rows = table_rows(b)
    assert rows[1][2:] == ["66.67", "85%", "78.43", "tidak tercapai"]
    assert set(rows) == {1}
    assert "not evaluated (missing inputs): 3" in b
    assert "none of their inputs given: 2-4" in b

    rows = table_rows(c)
    assert rows[1][2:] == ["-", "85%", "-", "tidak terdefinisi"]
    assert rows[2][2:] == ["1.50", "3,1 Indeks", "48.39", "tidak tercapai"]
    assert "[1] undefined: the denominator tahanan is 0" in flat(c)
    assert "met: 0, not met: 1, undefined: 1" in c

    rows = table_rows(d)
    assert rows[1][2:] == ["120.00", "85%", "141.18", "tercapai"]
    assert (
        "[1] warning: the numerator makan = 12 exceeds the denominator tahanan = 10; check the data"
    ) in flat(d)


def test_evaluate_json_output_is_exact(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, data: Any
) -> None:
    path = data(
        "realisasi.json",
        json.dumps(
            [
                {"unit": "Rutan B", "period": 2024, "makan": 2, "tahanan": 3, "skor": 3.25},
                {"makan": 5, "tahanan": 0, "a": 1, "b": 2, "skor": None},
            ]
        ),
    )
    code, out, err = run(
        capsys, "evaluate", path, "--json", "--by", "row", "--catalog", catalog_path
    )
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert (report["file"], report["level"]) == (str(path), "row")
    sections = report["sections"]
    assert [(r["unit"], r["period"]) for r in sections] == [("Rutan B", "2024"), (None, None)]
    assert [r["records"] for r in sections] == [[1], [2]]
    first, second = sections
    assert first["not_evaluated"] == [3, 4]
    assert first["missing_inputs"] == {"3": ["a", "b", "c", "d"], "4": ["a", "b"]}
    assert first["violations"] == []
    makanan, indeks = first["results"]
    assert makanan == {
        "number": 1,
        "key": "makanan",
        "name": "Persentase pemenuhan layanan makanan bagi Tahanan /Narapidana/Anak sesuai standar",
        "value": "66.67",
        "value_exact": "200/3",
        "target": "85%",
        "target_value": "85",
        "target_unit": "%",
        "achievement": "78.43",
        "achievement_exact": "4000/51",
        "status": "not_met",
        "status_label": "tidak tercapai",
        "met": False,
        "reason": None,
        "numerator": "2",
        "denominator": "3",
        "warnings": [],
        "predikat": None,  # this catalog declares no predikat scale
    }
    # a JSON number is read exactly (3.25, not a binary float)
    assert (indeks["value_exact"], indeks["target_value"]) == ("13/4", "3.1")
    assert indeks["name"] == "Indeks kepuasan"
    assert indeks["status"] == "met"

    assert second["not_evaluated"] == [2, 3]
    undefined, parts = second["results"]
    assert undefined["status"] == "undefined"
    assert undefined["value"] is None
    assert undefined["achievement_exact"] is None
    assert undefined["met"] is False
    assert undefined["reason"] == "the denominator tahanan is 0"
    assert parts["number"] == 4
    assert parts["status"] == "met"
    assert [(p["target"], p["value_exact"], p["met"]) for p in parts["parts"]] == [
        ("1 Kegiatan", "1", True),
        ("2 Rekomendasi", "2", True),
    ]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("semicolons.csv", "unit;makan;tahanan;skor\nRutan A;850;1000;3,2\n"),
        ("excel.csv", '\ufeffunit,makan,tahanan,skor\r\nRutan A,850,1000,"3,2"\r\n\r\n'),
        ("object.json", '{"unit": "Rutan A", "makan": 850, "tahanan": 1000, "skor": "3,2"}'),
        ("list.json", '[{"unit": "Rutan A", "makan": 850, "tahanan": 1000, "skor": 3.2}]'),
        ("UPPER.JSON", '{"unit": "Rutan A", "makan": 850, "tahanan": 1000, "skor": 3.2}'),
    ],
)
def test_evaluate_formats_agree(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, data: Any, name: str, text: str
) -> None:
    code, out, err = run(capsys, "evaluate", data(name, text), "--catalog", catalog_path)
    assert (code, err) == (0, "")
    assert out.startswith("== Rutan A ==")
    rows = table_rows(out)
    assert rows[1][2:] == ["85.00", "85%", "100.00", "tercapai"]
    assert rows[2][2:] == ["3.20", "3,1 Indeks", "103.23", "tercapai"]
    assert "not evaluated (missing inputs): 2" in out


def test_evaluate_sample_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "evaluate", SAMPLE_CSV)
    assert (code, err) == (0, "")
    assert out.startswith("== Kanwil Bali, 2024 ==")
    rows = table_rows(out)
    assert sorted(rows) == list(range(1, 56))
    assert rows[23][2:] == ["100.00", "85%", "117.65", "tercapai"]
    assert rows[4][2:] == ["3.20", "3,1 Indeks", "103.23", "tercapai"]  # from "3,2"
    assert rows[6][2:] == ["14.05", "17%", "82.64", "tidak tercapai"]
    assert rows[13][2:] == ["2.00 / 1.00", "1 Kegiatan / 1 Rekomendasi Kebijakan", "100.00",
                            "tercapai"]  # fmt: skip
    assert rows[41][2:] == ["90.00", "90%", "100.00", "tercapai"]  # exactly on target
    assert "met: 47, not met: 8, undefined: 0" in out
    assert "not evaluated" not in out
    assert "warning" not in out


def test_sample_has_every_input_once() -> None:
    catalog = load_catalog()
    with SAMPLE_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) == 2
    header, values = rows
    assert header[:2] == ["unit", "period"]
    assert values[:2] == ["Kanwil Bali", "2024"]
    assert sorted(header[2:]) == sorted(catalog.inputs)
    assert "3,2" in values  # a decimal comma, as Indonesian reports write it
    record = json.loads(SAMPLE_JSON.read_text(encoding="utf-8"))
    assert sorted(record) == sorted(header)
    results = catalog.evaluate(dict(zip(header[2:], values[2:], strict=True)))
    assert len(results) == len(catalog)


def test_sample_json_matches_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, from_csv, _ = run(capsys, "evaluate", SAMPLE_CSV, "--json")
    assert code == 0
    code, from_json, _ = run(capsys, "evaluate", SAMPLE_JSON, "--json")
    assert code == 0
    from_csv_report, from_json_report = json.loads(from_csv), json.loads(from_json)
    assert from_csv_report["file"] == str(SAMPLE_CSV)
    for section in from_csv_report["sections"]:
        assert section.pop("rows") == [2]  # the row under the header
    for section in from_json_report["sections"]:
        assert section.pop("records") == [1]
    assert from_csv_report["sections"] == from_json_report["sections"]
    (record,) = from_csv_report["sections"]
    assert (record["unit"], record["period"]) == ("Kanwil Bali", "2024")
    assert record["not_evaluated"] == []
    by_number = {result["number"]: result for result in record["results"]}
    assert by_number[23]["value_exact"] == "100"
    assert by_number[23]["numerator"] == by_number[23]["denominator"] == "3200"
    assert by_number[21]["value"] == "3.19"
    assert by_number[21]["value_exact"] == "1322/415"
    statuses = [result["status"] for result in record["results"]]
    assert (statuses.count("met"), statuses.count("not_met")) == (47, 8)


def test_python_m_runs_the_command() -> None:
    package_root = Path(iku_formula.__file__).resolve().parents[1]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(package_root), env.get("PYTHONPATH")]))
    env["PYTHONIOENCODING"] = "ascii"
    done = subprocess.run(
        [sys.executable, "-m", "iku_formula", "evaluate", str(SAMPLE_CSV)],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "met: 47, not met: 8" in done.stdout
    assert done.stderr == ""


def test_output_degrades_to_ascii(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.TextIOWrapper(io.BytesIO(), encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["show", "1", "--catalog", str(catalog_path)]) == 0
    stream.seek(0)
    assert "Jumlah makan dibagi Jumlah Tahanan - dikali 100%" in stream.read()


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("name", "text", "messages"),
    [
        pytest.param(
            "r.csv",
            "unit,makan,tahanann\nA,1,2\n",
            ["r.csv: row 1, column C: unknown column 'tahanann'", "did you mean 'tahanan'?"],
            id="unknown-column",
        ),
        pytest.param(
            "r.csv",
            "unit,periode,makan\nA,2024,1\n",
            ["r.csv: row 1, column B: unknown column 'periode'", "did you mean 'period'?"],
            id="unknown-label-column",
        ),
        pytest.param(
            "r.csv",
            "unit,makan,tahanan\nA,850,1000\nB,abc,1000\n",
            ["r.csv: row 3, column B (makan): input 'makan' (indicator 1): 'abc' is not a number"],
            id="bad-number",
        ),
        pytest.param(
            "r.csv",
            "makan,tahanan\n1.200,1000\n",
            ["r.csv: row 2, column A (makan):", "not a whole number", "separates thousands"],
            id="thousands-dot",
        ),
        pytest.param(
            "r.csv",
            "makan,tahanan,skor\n1,2,5\n",
            ["r.csv: row 2, column C (skor):", "outside the score's range 1 to 4"],
            id="score-out-of-range",
        ),
        pytest.param(
            "r.csv",
            "makan,tahanan\n-1,2\n",
            ["input 'makan'", "negative"],
            id="negative-count",
        ),
        pytest.param(
            "r.csv",
            "makan,tahanan\n1,2,3\n",
            ["r.csv: row 2, column C: the cell has a value but its column has no name"],
            id="extra-cell",
        ),
        pytest.param(
            "r.csv",
            "makan,makan\n1,2\n",
            ["r.csv: row 1, column B: column 'makan' appears twice in the header (also column A)"],
            id="duplicate-column",
        ),
        pytest.param("r.csv", "\n\n", ["r.csv: the file is empty"], id="empty-csv"),
        pytest.param(
            "r.csv", "makan,tahanan\n", ["r.csv: no rows below the header row"], id="header-only"
        ),
        pytest.param(
            "r.json",
            '{"makan": 1, "tahanan": 2,',
            ["r.json: not valid JSON"],
            id="bad-json",
        ),
        pytest.param(
            "r.json",
            '{"makan": 1, "tahanann": 2}',
            ["r.json: unknown key 'tahanann'", "did you mean 'tahanan'?"],
            id="json-unknown-key",
        ),
        pytest.param(
            "r.json",
            '[{"unit": "A", "makan": 1, "tahanan": 2},\n'
            ' {"unit": "B", "makan": true, "tahanan": 2}]',
            ["r.json: record 2:", "input 'makan'", "is not a number"],
            id="json-boolean",
        ),
        pytest.param(
            "r.json",
            '{"makan": [1], "tahanan": 2}',
            ["r.json: the record: input 'makan' must be a number, got a list"],
            id="json-nested",
        ),
        pytest.param(
            "r.json",
            '{"makan": NaN, "tahanan": 2}',
            ["r.json: NaN is not a number"],
            id="json-nan",
        ),
        pytest.param(
            "r.json",
            '{"makan": 1e100000000, "tahanan": 2}',
            ["r.json: the number 1e100000000 is out of range"],
            id="json-huge-exponent",
        ),
        pytest.param(
            "r.json",
            '{"makan": 1, "tahanan": 2, "skor": 1.5e-70}',
            ["r.json: the number 1.5e-70 is out of range"],
            id="json-tiny",
        ),
        pytest.param(
            "r.json",
            "[1, 2]",
            ["r.json: record 1 must be an object {input: number}, got a number"],
            id="json-not-objects",
        ),
        pytest.param("r.json", '"x"', ["r.json: the JSON must be an object"], id="json-text"),
        pytest.param(
            "r.txt",
            "makan\n1\n",
            ["r.txt: unknown file type '.txt'; give a .csv, .xlsx, .xlsm or .json file"],
            id="unknown-extension",
        ),
    ],
)
def test_evaluate_errors(
    capsys: pytest.CaptureFixture[str],
    catalog_path: Path,
    data: Any,
    name: str,
    text: str,
    messages: list[str],
) -> None:
    path = data(name, text)
    code, out, err = run(capsys, "evaluate", path, "--catalog", catalog_path)
    assert code == 2
    assert out == ""
    assert err.startswith("iku: error: ")
    assert str(path.parent) in err
    for message in messages:
        assert message in err


def test_evaluate_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "tidak-ada.csv"
    code, out, err = run(capsys, "evaluate", missing)
    assert code == 2
    assert out == ""
    assert f"iku: error: {missing}: cannot read the file: No such file or directory" in err


def test_evaluate_not_utf8(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("unit,makan,tahanan\nK\xe9robokan,1,2\n".encode("latin-1"))
    code, _, err = run(capsys, "evaluate", path, "--catalog", catalog_path)
    assert code == 2
    assert f"{path}: not UTF-8 text" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[catalog\n", "not valid TOML"),
        ("[catalog]\ntitle = 'x'\nyear = 2024\n", "the catalog has no indicators"),
    ],
)
@pytest.mark.parametrize("command", [["list"], ["show", "1"], ["evaluate", "SAMPLE"]])
def test_bad_catalog(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    text: str,
    message: str,
    command: list[str],
) -> None:
    path = tmp_path / "rusak.toml"
    path.write_text(text, encoding="utf-8")
    argv = [str(SAMPLE_CSV) if arg == "SAMPLE" else arg for arg in command]
    code, out, err = run(capsys, *argv, "--catalog", path)
    assert code == 2
    assert out == ""
    assert err.startswith("iku: error: invalid catalog")
    assert str(path) in err
    assert message in err


def test_missing_catalog(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "tidak-ada.toml"
    code, _, err = run(capsys, "list", "--catalog", path)
    assert code == 2
    assert f"{path}: cannot read the file" in err


@pytest.mark.parametrize(
    ("argv", "code", "stream", "text"),
    [
        ([], 2, "err", "usage: iku"),
        (["--help"], 0, "out", "evaluate"),
        (["--version"], 0, "out", f"iku {iku_formula.__version__}"),
        (["evaluate"], 2, "err", "the following arguments are required: FILE"),
        (["frobnicate"], 2, "err", "invalid choice: 'frobnicate'"),
    ],
)
def test_usage(
    capsys: pytest.CaptureFixture[str], argv: list[str], code: int, stream: str, text: str
) -> None:
    got, out, err = run(capsys, *argv)
    assert got == code
    assert text in (out if stream == "out" else err)


# --------------------------------------------------------------------------- quarterly sample


def test_quarterly_sample_kanwil(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "evaluate", QUARTERLY_CSV)
    assert (code, err) == (0, "")
    assert out.startswith("== Kantor Wilayah, 2024 ==\n(10 units, 40 rows rolled up: rows 2-41)\n")
    rows = table_rows(out)
    assert sorted(rows) == list(range(1, 56))
    assert rows[42][2:] == ["-", "100%", "-", "tidak terdefinisi"]
    assert rows[35][2:] == ["102.83", "100%", "102.83", "tercapai"]  # 2 546 of 2 476
    flat_out = flat(out)
    assert "[42] undefined: the denominator basan_inkracht is 0" in flat_out
    assert (
        "Consistency rules broken: - rule narapidana_remisi <= "
        "narapidana_syarat_remisi is broken: narapidana_remisi = 2,546, "
        "narapidana_syarat_remisi = 2,476; check the data (IKU 35)"
    ) in flat_out
    assert (
        "== Data errors in rows == - row 20 (Lapas Kelas IIA "
        "Kerobokan, TW3): rule narapidana_remisi <= narapidana_syarat_remisi is broken: "
        "narapidana_remisi = 1,250, narapidana_syarat_remisi = 1,180"
    ) in flat_out
    assert "met: 49, not met: 5, undefined: 1" in out
    assert "not evaluated" not in out
    assert "incomplete" not in out


def test_quarterly_sample_by_unit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "evaluate", QUARTERLY_CSV, "--by", "unit")
    assert code == 0
    titles = [line for line in out.splitlines() if line.startswith("== ") and "2024" in line]
    assert len(titles) == 11
    rutan = out.split("== Rutan Kelas IIB Gianyar, 2024 ==")[1].split("\n== ")[0]
    rows = table_rows(rutan)
    assert rows[25][2:] == ["-", "98%", "-", "tidak terdefinisi"]
    assert rows[29][2:] == ["100.00", "90%", "111.11", "tercapai"]  # HIV only: no TB
    assert (
        "[29] warning: mean taken over the 1 defined of 2 parts; left out: "
        "persen(narapidana_tb_sembuh, narapidana_tb_positif) (the denominator "
        "narapidana_tb_positif is 0)"
    ) in flat(rutan)


def test_quarterly_sample_xlsx_matches_csv(capsys: pytest.CaptureFixture[str]) -> None:
    need("openpyxl")
    reports = []
    for path in (QUARTERLY_CSV, QUARTERLY_XLSX):
        code, out, _ = run(capsys, "evaluate", path, "--json", "--by", "period")
        assert code == 0
        report = json.loads(out)
        for section in report["sections"]:
            section.pop("rows")  # the XLSX has labels above the header row
        for problem in report["row_problems"]:
            problem.pop("row")
        reports.append({key: report[key] for key in ("sections", "row_problems")})
    assert reports[0] == reports[1]
    assert [s["period"] for s in reports[0]["sections"]] == ["2024", "TW1", "TW2", "TW3", "TW4"]


def test_quarterly_sample_is_up_to_date() -> None:
    need("openpyxl")
    package_root = Path(iku_formula.__file__).resolve().parents[1]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(package_root), env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, str(REPO / "examples" / "buat_contoh.py"), "--check"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == "up to date\n"


# --------------------------------------------------------------------------- template


def need(module: str) -> Any:
    """Import an optional dependency; skip without it, but fail when CI is set (CI has all)."""
    if os.environ.get("CI"):
        return importlib.import_module(module)
    return pytest.importorskip(module)


def test_template_csv(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "isian.csv"
    code, out, err = run(
        capsys, "template", path, "--units", "Lapas A, Rutan B", "--catalog", catalog_path
    )
    assert (code, err) == (0, "")
    assert out == f"wrote {path}: 2 units x 4 quarters, 7 inputs\n"
    record, *rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert record == ["#iku-formula lembar realisasi", "unit: Lapas A", "unit: Rutan B"]
    assert rows[0] == ["unit", "period", "makan", "tahanan", "skor", "a", "b", "c", "d"]
    assert [row[:2] for row in rows[1:]] == [
        [unit, quarter]
        for unit in ("Lapas A", "Rutan B")
        for quarter in ("TW1", "TW2", "TW3", "TW4")
    ]


def test_template_units_file_and_default(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, tmp_path: Path
) -> None:
    units = tmp_path / "unit.txt"
    units.write_text("# UPT Bali\nLapas Kerobokan, Blok Wanita\n\nRutan Gianyar\n", "utf-8")
    path = tmp_path / "isian.csv"
    code, _, _ = run(capsys, "template", path, "--units-file", units, "--catalog", catalog_path)
    assert code == 0
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert [row[0] for row in rows[2::4]] == ["Lapas Kerobokan, Blok Wanita", "Rutan Gianyar"]
    default = tmp_path / "kanwil.csv"
    code, out, _ = run(capsys, "template", default)  # the bundled catalog
    assert code == 0
    assert "1 unit x 4 quarters, 105 inputs" in out
    rows = list(csv.reader(io.StringIO(default.read_text(encoding="utf-8"))))
    assert [row[:2] for row in rows[2:]] == [["Kanwil Bali", f"TW{n}"] for n in range(1, 5)]


def test_template_xlsx(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, tmp_path: Path
) -> None:
    openpyxl = need("openpyxl")
    path = tmp_path / "isian.xlsx"
    code, _, _ = run(capsys, "template", path, "--units", "Lapas A", "--catalog", catalog_path)
    assert code == 0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["realisasi", "keterangan"]
    header = [cell.value for cell in book["realisasi"][4]]
    assert header == ["unit", "period", "makan", "tahanan", "skor", "a", "b", "c", "d"]


def test_template_overwrites_only_with_force(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "isian.csv"
    path.write_text("sudah diisi\n", encoding="utf-8")
    code, out, err = run(capsys, "template", path, "--catalog", catalog_path)
    assert (code, out) == (2, "")
    assert f"iku: error: {path}: the file exists; give --force to overwrite it" in err
    assert path.read_text(encoding="utf-8") == "sudah diisi\n"
    code, _, _ = run(capsys, "template", path, "--force", "--catalog", catalog_path)
    assert code == 0
    assert path.read_text(encoding="utf-8").startswith(
        "#iku-formula lembar realisasi,unit: Kanwil Bali\nunit,period,makan"
    )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["isian.ods"], "isian.ods: unknown file type '.ods'; give a .csv or .xlsx file name"),
        (["isian.csv", "--units", " , "], "--units names no unit"),
        (["isian.csv", "--units", "A,B,A"], "unit 'A' is given twice"),
        (["isian.csv", "--units-file", "tidak-ada.txt"], "tidak-ada.txt: cannot read the file"),
    ],
)
def test_template_errors(
    capsys: pytest.CaptureFixture[str],
    catalog_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "template", *argv, "--catalog", catalog_path)
    assert (code, out) == (2, "")
    assert message in err
    assert not (tmp_path / "isian.csv").exists()


def test_template_fill_evaluate_round_trip(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """iku template -> a filled sheet -> iku evaluate, with the bundled catalog."""
    openpyxl = need("openpyxl")
    sheet_path = tmp_path / "isian.xlsx"
    code, _, _ = run(capsys, "template", sheet_path, "--units", "Lapas A,Rutan B")
    assert code == 0
    book = openpyxl.load_workbook(sheet_path)
    sheet = book["realisasi"]
    header = [cell.value for cell in sheet[4]]
    fed, held = header.index("pemenuhan_makanan") + 1, header.index("jumlah_tahanan") + 1
    figures = {"Lapas A": ([90, 95, 97, 98], 100), "Rutan B": ([40, 45, 48, 40], 50)}
    for row in range(5, 13):
        unit, quarter = sheet.cell(row, 1).value, sheet.cell(row, 2).value
        quarters, population = figures[unit]
        sheet.cell(row, fed, quarters[int(quarter[-1]) - 1])
        sheet.cell(row, held, population)
    book.save(sheet_path)

    code, out, err = run(capsys, "evaluate", sheet_path, "--by", "unit")
    assert (code, err) == (0, "")
    kanwil, lapas, rutan = out.split("== ")[1:4]
    assert kanwil.startswith("Kantor Wilayah, 2024 ==\n(2 units, 8 rows rolled up")
    assert table_rows(kanwil)[23][2:] == ["92.00", "85%", "108.24", "tercapai"]  # 138 of 150
    assert table_rows(lapas)[23][2:] == ["98.00", "85%", "115.29", "tercapai"]
    assert table_rows(rutan)[23][2:] == ["80.00", "85%", "94.12", "tidak tercapai"]
    assert "none of their inputs given: 1-22, 25-55" in flat(kanwil)
    assert (
        "[24] Persentase Tahanan /Narapidana/Anak...: missing kesehatan_preventif_berkualitas"
        in (flat(kanwil))
    )

    report_path = tmp_path / "laporan.xlsx"
    code, _, _ = run(capsys, "evaluate", sheet_path, "--by", "unit", "-o", report_path)
    assert code == 0
    results = list(openpyxl.load_workbook(report_path)["hasil"].iter_rows(values_only=True))
    assert [(row[1], row[3], row[5], row[10]) for row in results[1:]] == [
        ("Kantor Wilayah", 23, 92.0, "tercapai"),
        ("Lapas A", 23, 98.0, "tercapai"),
        ("Rutan B", 23, 80.0, "tidak tercapai"),
    ]


# --------------------------------------------------------------------------- report formats


ONE_RECORD = 'unit,period,makan,tahanan,skor,a,b,c,d\nRutan A,2024,5,0,"3,2",12,10,1,2\n'


def test_evaluate_markdown(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, data: Any
) -> None:
    path = data("r.csv", ONE_RECORD)
    code, out, err = run(
        capsys, "evaluate", path, "--format", "markdown", "--catalog", catalog_path
    )
    assert (code, err) == (0, "")
    assert out.startswith("# IKU report: Katalog uji CLI\n")
    assert "## Rutan A, 2024" in out
    assert "| No | Indicator | Realisasi | Target | Capaian (%) | Status |" in out
    assert "| 1 | Persentase pemenuhan layanan makanan bagi Tahanan /Narapidana/Anak sesuai " in out
    assert "| - | 85% | - | **tidak terdefinisi** |" in out
    assert "| 2 | Indeks kepuasan | 3.20 | 3,1 Indeks | 103.23 | tercapai |" in out
    assert "### Undefined\n\n- **IKU 1**: the denominator tahanan is 0" in out
    assert "### Warnings" in out
    assert "the numerator a = 12 exceeds the denominator b = 10" in out
    assert "met: 2, not met: 1, undefined: 1, not evaluated: 0" in out


def test_evaluate_csv_report(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, data: Any
) -> None:
    path = data("r.csv", ONE_RECORD)
    code, out, err = run(capsys, "evaluate", path, "--format", "csv", "--catalog", catalog_path)
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [row["number"] for row in rows] == ["1", "2", "3", "4"]
    first, second, third, _ = rows
    assert (first["status"], first["value"], first["reason"]) == (
        "undefined",
        "",
        "the denominator tahanan is 0",
    )
    assert (second["value"], second["value_exact"], second["achievement_exact"]) == (
        "3.20",
        "16/5",
        "3200/31",
    )
    assert (second["level"], second["unit"], second["period"]) == ("kanwil", "Rutan A", "2024")
    assert "exceeds the denominator b = 10" in third["warnings"]


def test_evaluate_output_files(
    capsys: pytest.CaptureFixture[str], catalog_path: Path, data: Any, tmp_path: Path
) -> None:
    path = data("r.csv", ONE_RECORD)
    for name, start in (("laporan.md", "# IKU report"), ("laporan.csv", "level,unit,period"),
                        ("laporan.json", "{"), ("laporan.txt", "== Rutan A, 2024 ==")):  # fmt: skip
        target = tmp_path / name
        code, out, err = run(capsys, "evaluate", path, "-o", target, "--catalog", catalog_path)
        assert (code, out, err) == (0, f"wrote {target}\n", "")
        assert target.read_text(encoding="utf-8").startswith(start)
    need("openpyxl")
    target = tmp_path / "laporan.xlsx"
    code, out, _ = run(capsys, "evaluate", path, "--output", target, "--catalog", catalog_path)
    assert (code, out) == (0, f"wrote {target}\n")
    import openpyxl

    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["ringkasan", "hasil", "nilai tepat", "catatan"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "xlsx"], "--format xlsx writes a file: give --output PATH.xlsx"),
        (["--json", "--format", "csv"], "--json and --format csv contradict each other"),
        (["--output", "laporan.odt"], "laporan.odt: cannot tell the format from '.odt'"),
        (["--by", "semua"], "argument --by: invalid choice: 'semua'"),
    ],
)
def test_evaluate_option_errors(
    capsys: pytest.CaptureFixture[str],
    catalog_path: Path,
    data: Any,
    argv: list[str],
    message: str,
) -> None:
    path = data("r.csv", ONE_RECORD)
    code, out, err = run(capsys, "evaluate", path, *argv, "--catalog", catalog_path)
    assert (code, out) == (2, "")
    assert message in err


# --------------------------------------------------------------------------- README


def test_readme_python_examples_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The README's Python blocks run, in order, in one namespace, from the repository root."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first, *rest = [part.split("```", 1)[0] for part in readme.split("```python\n")[1:]]
    namespace: dict[str, Any] = {}
    exec(compile(first, "README.md", "exec"), namespace)
    result = namespace["result"]
    assert result.value == Fraction(725, 8)
    assert result.achievement == Fraction(3625, 34)
    assert (result.status.value, result.status.label) == ("met", "tercapai")
    assert str(result.display_value()) == "90.63"
    assert sorted(namespace["everything"]) == [23]
    assert "target 85%" in capsys.readouterr().out

    if not rest:
        return
    pytest.importorskip("pandas")
    monkeypatch.chdir(REPO)
    frames_block, *more = rest
    exec(compile(frames_block, "README.md", "exec"), namespace)
    data = namespace["data"]
    assert list(data.columns[:2]) == ["unit", "period"]
    for block in more:  # targets per period and the matrices
        exec(compile(block, "README.md", "exec"), namespace)
    assert len(namespace["targets"]) == 55


def test_readme_quickstart_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert (
        "```\npython -m pip install . && iku evaluate examples/contoh-realisasi-2024-triwulan.csv\n"
        "python -m pip install '.[test]' && python -m pytest\n```"
    ) in readme


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["show"], ["penggunaan: iku show", "iku show: galat: argumen berikut wajib diberikan: N"]),
        (["lisst"], ["penggunaan: iku", "iku: galat: argumen COMMAND: pilihan tidak sah: 'lisst'"]),
        (["list", "extra"], ["iku: galat: argumen tidak dikenal: extra"]),
        (["evaluate", "x.csv", "--by", "foo"], ["argumen --by: pilihan tidak sah: 'foo' (pilih"]),
    ],
)
@pytest.mark.usefixtures("indonesian")
def test_usage_errors_are_in_indonesian(
    capsys: pytest.CaptureFixture[str], args: list[str], said: list[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    for text in said:
        assert text in err
    assert "usage:" not in err
    assert "error:" not in err


@pytest.mark.usefixtures("indonesian")
def test_help_is_in_indonesian(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "-h"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("penggunaan: iku show")
    assert "\nargumen posisi:\n" in out
    assert "\nopsi:\n" in out
    assert "menampilkan pesan bantuan ini lalu keluar" in out
    assert "show this help message" not in out


def test_usage_errors_in_english_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "show"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: iku show")
    assert "iku show: error: the following arguments are required: N" in err
