"""The XLSX report (issue 11, item 6): numbers a spreadsheet can use, parts in their own
columns, colours, exact values on their own sheet, Indonesian headers, inert text."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from iku_formula import load_catalog
from iku_formula.cli import main
from iku_formula.report.xlsx import EXACT_SHEET

openpyxl = pytest.importorskip("openpyxl")

REPO = Path(__file__).resolve().parents[2]
QUARTERLY = REPO / "examples" / "contoh-realisasi-2024-triwulan.csv"

HEADERS = [
    "Tingkat", "Unit", "Periode", "No", "Indikator", "Realisasi", "Target", "Target (angka)",
    "Satuan target", "Capaian (%)", "Status", "Predikat", "Keterangan",
    "Realisasi bagian 1", "Target bagian 1 (angka)", "Satuan target bagian 1",
    "Capaian bagian 1 (%)", "Realisasi bagian 2", "Target bagian 2 (angka)",
    "Satuan target bagian 2", "Capaian bagian 2 (%)",
]  # fmt: skip
EXACT_HEADERS = [
    "Tingkat", "Unit", "Periode", "No", "Realisasi (tepat)", "Target (tepat)",
    "Capaian (tepat)", "Realisasi bagian 1 (tepat)", "Capaian bagian 1 (tepat)",
    "Realisasi bagian 2 (tepat)", "Capaian bagian 2 (tepat)",
]  # fmt: skip


@pytest.fixture
def book(tmp_path: Path, indonesian: None) -> Any:
    path = tmp_path / "laporan.xlsx"
    assert main(["evaluate", str(QUARTERLY), "--by", "unit", "-o", str(path)]) == 0
    return openpyxl.load_workbook(path)


def rows_by_number(sheet: Any, unit: str) -> dict[int, dict[str, Any]]:
    """The sheet's rows of ``unit`` by indicator number: {header: cell}."""
    headers = [cell.value for cell in sheet[1]]
    found = {}
    for row in sheet.iter_rows(min_row=2):
        cells = dict(zip(headers, row, strict=True))
        if cells["Unit"].value == unit:
            found[cells["No"].value] = cells
    return found


def test_sheets_and_indonesian_headers(book: Any) -> None:
    assert book.sheetnames == ["ringkasan", "hasil", EXACT_SHEET, "catatan"]
    assert [cell.value for cell in book["hasil"][1]] == HEADERS
    assert [cell.value for cell in book[EXACT_SHEET][1]] == EXACT_HEADERS
    assert [cell.value for cell in book["catatan"][1]] == [
        "Jenis", "Unit", "Periode", "Baris", "IKU", "Keterangan",
    ]  # fmt: skip
    summary = [cell.value for cell in book["ringkasan"][4]]
    assert summary[:4] == ["Unit", "Periode", "Baris digabung", "Tercapai"]
    assert str(book["ringkasan"]["A1"].value).startswith("Laporan IKU: ")
    assert str(book["ringkasan"]["A2"].value).startswith("Sumber: ")


@pytest.mark.parametrize(
    ("number", "written", "target", "unit", "target_format"),
    [
        (1, "3.1 Indeks", 3.1, "Indeks", "#,##0.0"),
        (23, "85%", 85, "%", "#,##0"),
        (21, "3.14", 3.14, None, "#,##0.00"),
        (8, "20 Orang", 20, "Orang", "#,##0"),
    ],
)
def test_numeric_target_beside_the_written_one(
    book: Any, number: int, written: str, target: float, unit: str | None, target_format: str
) -> None:
    catalog = load_catalog()
    row = rows_by_number(book["hasil"], "Kantor Wilayah")[number]
    assert row["Target"].value == written == catalog[number].target.text
    assert row["Target (angka)"].value == pytest.approx(target)
    assert row["Target (angka)"].number_format == target_format
    part = catalog[number].target.parts[0]
    assert row["Satuan target"].value == (part.unit or None)
    assert unit is None or part.unit == unit
    for column in ("Realisasi", "Capaian (%)"):
        assert isinstance(row[column].value, int | float)  # a real number, not text
        assert row[column].number_format in ("#,##0", "#,##0.00")


def test_every_number_is_a_number_with_a_format(book: Any) -> None:
    numeric = ["Realisasi", "Target (angka)", "Capaian (%)", "Realisasi bagian 1"]
    for row in rows_by_number(book["hasil"], "Kantor Wilayah").values():
        for column in numeric:
            cell = row[column]
            if cell.value is not None:
                assert isinstance(cell.value, int | float), (column, cell.value)
                assert cell.number_format.startswith("#,##0"), (column, cell.number_format)


def test_each_part_of_a_multi_part_target_has_its_columns(book: Any) -> None:
    row = rows_by_number(book["hasil"], "Kantor Wilayah")[13]
    assert row["Target"].value == "1 Kegiatan / 1 Rekomendasi Kebijakan"
    assert row["Realisasi"].value is None  # two numbers: in their own columns
    assert row["Target (angka)"].value is None
    parts = [
        (
            row[f"Realisasi bagian {n}"].value,
            row[f"Target bagian {n} (angka)"].value,
            row[f"Satuan target bagian {n}"].value,
            row[f"Capaian bagian {n} (%)"].value,
        )
        for n in (1, 2)
    ]
    assert parts == [(2, 1, "Kegiatan", 200), (1, 1, "Rekomendasi Kebijakan", 100)]
    assert row["Capaian (%)"].value == 100  # the lowest part's
    assert "2 bagian" in str(row["Keterangan"].value)
    single = rows_by_number(book["hasil"], "Kantor Wilayah")[1]
    assert single["Realisasi bagian 1"].value is None


def test_status_and_predikat_are_coloured(book: Any) -> None:
    fills = {"tercapai": "C6EFCE", "tidak tercapai": "FFC7CE", "tidak terdefinisi": "FFEB9C"}
    catalog = load_catalog()
    seen = set()
    for number, row in rows_by_number(book["hasil"], "Kantor Wilayah").items():
        status = row["Status"]
        assert str(status.fill.fgColor.rgb)[-6:] == fills[status.value]
        seen.add(status.value)
        predikat = row["Predikat"]
        if predikat.value not in (None, "-"):
            colour = str(predikat.fill.fgColor.rgb)[-6:]
            scale = catalog.predikat_scale_for(catalog[number])
            assert scale is not None
            band = next(b for b in scale.bands if str(predikat.value).startswith(f"{b.code} "))
            assert "#" + colour.lower() == band.colour.lower()
    assert {"tercapai", "tidak tercapai"} <= seen


def test_exact_values_on_their_own_sheet(book: Any) -> None:
    exact = rows_by_number(book[EXACT_SHEET], "Kantor Wilayah")
    shown = rows_by_number(book["hasil"], "Kantor Wilayah")
    assert set(exact) == set(shown)
    for number, row in exact.items():
        text = row["Capaian (tepat)"].value
        if text:
            value = Fraction(text)
            assert float(round(value, 2)) == pytest.approx(shown[number]["Capaian (%)"].value)
    assert exact[13]["Target (tepat)"].value == "1 / 1"
    assert exact[13]["Realisasi bagian 2 (tepat)"].value == "1"


def test_hostile_text_stays_inert(tmp_path: Path) -> None:
    sheet = tmp_path / "r.csv"
    sheet.write_text(
        'unit,period,pemenuhan_makanan,jumlah_tahanan\n"=HYPERLINK(""http://x"")",TW1,85,100\n'
        '"@SUM(A1)",TW1,5,10\n',
        encoding="utf-8",
    )
    path = tmp_path / "laporan.xlsx"
    assert main(["evaluate", str(sheet), "--by", "unit", "--unit-baru", "-o", str(path)]) == 0
    book = openpyxl.load_workbook(path)
    for name in book.sheetnames:
        for row in book[name].iter_rows():
            for cell in row:
                assert cell.data_type != "f", (name, cell.coordinate, cell.value)
    units = {cell.value for cell in book["hasil"]["B"]}
    assert '=HYPERLINK("http://x")' in units
    assert "@SUM(A1)" in units
