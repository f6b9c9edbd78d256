"""Reports built from sheets: roll-ups at every level, and what cannot be rolled up."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from iku_formula import Catalog
from iku_formula.errors import SheetError
from iku_formula.periods import QUARTERS
from iku_formula.report import KANWIL, build_report
from iku_formula.report.csv import render_csv
from iku_formula.report.json import report_json
from iku_formula.report.markdown import render_markdown
from iku_formula.report.text import render_text
from iku_formula.report.xlsx import write_xlsx
from iku_formula.sheets import read_sheet, write_sheet

from ..sheets.conftest import QUARTERLY, fill_csv, need


def table_rows(text: str) -> dict[int, list[str]]:
    """A terminal table's rows by indicator number, cells split on runs of 2+ spaces."""
    rows: dict[int, list[str]] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().split("  ") if cell.strip()]
        if cells and cells[0].isdigit() and len(cells) >= 6:
            rows[int(cells[0])] = cells[
                :6
            ]  # up to Status (Predikat: tests/report/test_predikat.py)
    return rows


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
    assert text.startswith(f"== {KANWIL}, 2024 ==\n(2 units, 8 rows rolled up")
    rows = table_rows(text)
    assert rows[1] == ["1", "Persentase pemenuhan layanan makanan", "92.00", "85%", "108.24",
                       "tercapai"]  # fmt: skip
    assert rows[2][2:] == ["86.67", "90%", "96.30", "tidak tercapai"]
    assert rows[3][2:] == ["3.13", "3,1 Indeks", "101.08", "tercapai"]
    assert "met: 2, not met: 1, undefined: 0" in text
    assert "== Data errors in rows ==" in text
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
    assert "## Data errors in rows" in markdown

    data = report_json(report)
    (section,) = data["sections"]
    assert [r["value_exact"] for r in section["results"]] == ["92", "260/3", "47/15"]
    assert data["row_problems"][0]["rule"] == "makan <= tahanan"

    openpyxl = need("openpyxl")
    book = openpyxl.load_workbook(write_xlsx(report, tmp_path / "laporan.xlsx"))
    results = [list(row) for row in book["hasil"].iter_rows(values_only=True)]
    assert results[0][:11] == [
        "Level",
        "Unit",
        "Period",
        "No",
        "Indicator",
        "Realisasi",
        "Target",
        "Target (number)",
        "Target unit",
        "Capaian (%)",
        "Status",
    ]
    assert [row[3] for row in results[1:]] == [1, 2, 3]
    assert results[2][5] == pytest.approx(86.67)
    assert results[2][10] == "tidak tercapai"
    exact = [list(row) for row in book["nilai tepat"].iter_rows(values_only=True)]
    assert exact[2][4] == "260/3"
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
    assert "== Inputs without a column: 3 ==\n  masuk, skor, responden" in text
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
