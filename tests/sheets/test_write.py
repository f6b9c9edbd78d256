"""Writing input sheets: templates (CSV, XLSX) and sheets with values."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from pathlib import Path

import pytest

from iku_formula import Catalog, InputError, load_catalog
from iku_formula.errors import SheetError
from iku_formula.periods import QUARTERS
from iku_formula.report import build_report
from iku_formula.sheets import DATA_SHEET, INFO_SHEET, read_sheet, sheet_inputs, write_sheet

from .conftest import HEADER, need


def test_sheet_inputs_follow_the_indicators() -> None:
    catalog = load_catalog()
    names = [spec.name for spec in sheet_inputs(catalog)]
    assert sorted(names) == sorted(catalog.inputs)
    assert names[:2] == ["nilai_total_survei_internal", "penerimaan_pnbp_ahu"]
    assert names.index("pemenuhan_makanan") < names.index("jumlah_tahanan")


def test_csv_template(catalog: Catalog, tmp_path: Path) -> None:
    path = write_sheet(catalog, tmp_path / "t.csv", units=["Lapas A", "Rutan B"])
    record, *rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert record == ["#iku-formula lembar realisasi", "unit: Lapas A", "unit: Rutan B"]
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
    record, header, *rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert record == ["#iku-formula lembar realisasi", "unit: Kanwil Bali"]
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
