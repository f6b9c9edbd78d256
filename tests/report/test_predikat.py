"""The Predikat column in every report form, through the real ``iku evaluate -o FILE``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from iku_formula.cli import main

SHEET = (
    "unit,ikm_keimigrasian,pemenuhan_makanan,jumlah_tahanan,kesehatan_preventif_berkualitas\n"
    "Kanwil,3.5324,60,100,0\n"
)
"""IKU 20 at the lower bound of A (its mutu), IKU 23 at 60/85 = 70.59% capaian ("S"),
IKU 24 at 0% capaian ("SR")."""

EXPECTED = {
    20: ("A", "Sangat Baik", "#1a9850"),
    23: ("S", "Sedang", "#fee08b"),
    24: ("SR", "Sangat Rendah", "#d73027"),
}


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    path = tmp_path / "realisasi.csv"
    path.write_text(SHEET, encoding="utf-8")
    return path


def evaluate(sheet: Path, suffix: str, capsys: pytest.CaptureFixture[str]) -> tuple[Path, str]:
    output = sheet.with_name(f"laporan{suffix}")
    code = main(["evaluate", str(sheet), "-o", str(output)])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert output.is_file()
    return output, out


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_text_and_markdown_have_a_predikat_column(
    sheet: Path, suffix: str, capsys: pytest.CaptureFixture[str]
) -> None:
    output, _ = evaluate(sheet, suffix, capsys)
    text = output.read_text(encoding="utf-8")
    header = next(line for line in text.splitlines() if "Capaian (%)" in line)
    assert header.rstrip(" |").endswith("Predikat")
    for number, (code, label, _colour) in EXPECTED.items():
        line = next(
            line for line in text.splitlines() if line.lstrip("| ").startswith(f"{number} ")
        )
        assert line.rstrip(" |").endswith(f"{code} ({label})"), line


def test_csv_has_code_label_and_colour(sheet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output, _ = evaluate(sheet, ".csv", capsys)
    with output.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["status"] in ("met", "not_met")]
    found = {
        int(row["number"]): (row["predikat"], row["predikat_label"], row["predikat_colour"])
        for row in rows
    }
    assert found == EXPECTED


def test_json_has_code_label_and_colour(sheet: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output, _ = evaluate(sheet, ".json", capsys)
    report = json.loads(output.read_text(encoding="utf-8"))
    found = {
        result["number"]: tuple(result["predikat"][key] for key in ("code", "label", "colour"))
        for result in report["sections"][0]["results"]
    }
    assert found == EXPECTED


def test_xlsx_predikat_cells_are_filled_with_their_colour(
    sheet: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    output, _ = evaluate(sheet, ".xlsx", capsys)
    book = openpyxl.load_workbook(output)
    results = book["hasil"]
    headers = [cell.value for cell in results[1]]
    column = headers.index("Predikat") + 1
    number = headers.index("No") + 1
    found = {}
    for row in range(2, results.max_row + 1):
        cell = results.cell(row, column)
        found[results.cell(row, number).value] = (
            cell.value,
            "#" + str(cell.fill.fgColor.rgb)[-6:].lower(),
        )
    assert found == {
        n: (f"{code} ({label})", colour) for n, (code, label, colour) in EXPECTED.items()
    }


HOSTILE_LABELS = ['=HYPERLINK("http://x","klik")', "<b>Baik</b> | x", "@SUM(A1)"]


@pytest.mark.parametrize("label", HOSTILE_LABELS)
def test_a_hostile_band_label_stays_inert_in_every_form(
    tmp_path: Path, label: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from ..conftest import HEADER, indicator_toml

    escaped = label.replace("\\", "\\\\").replace('"', '\\"').replace("\x1b", "\\u001b")
    catalog = tmp_path / "katalog.toml"
    catalog.write_text(
        HEADER.replace("year = 2024\n", 'year = 2024\npredikat = "s"\n', 1)
        + f'[predikat.s]\nbasis = "capaian"\n\n[[predikat.s.bands]]\ncode = "A"\n'
        f'label = "{escaped}"\ncolour = "#000000"\n' + indicator_toml(1),
        encoding="utf-8",
    )
    sheet = tmp_path / "realisasi.csv"
    sheet.write_text("a,b\n1,2\n", encoding="utf-8")
    written = {}
    for suffix in (".txt", ".md", ".csv", ".json", ".xlsx"):
        output = tmp_path / f"laporan{suffix}"
        assert main(["evaluate", str(sheet), "--catalog", str(catalog), "-o", str(output)]) == 0
        written[suffix] = output
    capsys.readouterr()
    text = written[".txt"].read_text(encoding="utf-8")
    assert "\x1b" not in text
    markdown = written[".md"].read_text(encoding="utf-8")
    assert "<b>" not in markdown
    assert "\x1b" not in markdown
    with written[".csv"].open(encoding="utf-8", newline="") as handle:
        (row,) = [row for row in csv.DictReader(handle) if row["number"] == "1"]
    assert not row["predikat_label"].startswith("=")
    assert (
        json.loads(written[".json"].read_text(encoding="utf-8"))["sections"][0]["results"][0][
            "predikat"
        ]["label"]
        == label
    )  # JSON holds the text as it is, quoted
    openpyxl = pytest.importorskip("openpyxl")
    results = openpyxl.load_workbook(written[".xlsx"])["hasil"]
    cell = results.cell(2, [c.value for c in results[1]].index("Predikat") + 1)
    assert cell.data_type == "s"
    assert "\x1b" not in str(cell.value)
