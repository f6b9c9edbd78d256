"""The exact roll-up engine: rows of units and quarters in Fractions, by each input's rules."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from iku_formula import Catalog, load_catalog
from iku_formula.report import build_report
from iku_formula.report.csv import render_csv
from iku_formula.report.text import render_text
from iku_formula.rollup.exact import roll_up_rows
from iku_formula.sheets import read_sheet

from ..sheets.conftest import HEADER, SAMPLE_QUARTERLY, SHEET_CATALOG, need


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
    assert "Incomplete data:" in render_text(report)
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
