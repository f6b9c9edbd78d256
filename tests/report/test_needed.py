"""What is still needed, rendered: the text table for people and the JSON for machines."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from iku_formula import Catalog, load_catalog
from iku_formula.needed import Needed
from iku_formula.report.needed import needed_json, render_needed_json, render_needed_text
from iku_formula.sheets import read_sheet

SAMPLE = Path(__file__).resolve().parents[2] / "examples" / "contoh-realisasi-2024-triwulan.csv"


@pytest.fixture(scope="module")
def needed() -> Needed:
    catalog: Catalog = load_catalog()
    return catalog.needed(read_sheet(SAMPLE, catalog), until="TW3")


def test_text_shows_each_indicator_not_met_with_its_inputs(needed: Needed) -> None:
    text = render_needed_text(needed, where="Kanwil \x1b[31mBali")
    assert text.startswith("== ")
    assert "\x1b" not in text  # strangers' text is inert on a terminal
    assert "2024 s.d. TW3" in text
    lines = text.splitlines()
    (row,) = [line for line in lines if line.strip().startswith("jumlah_narapidana ")]
    assert row.split()[1:4] == ["1,735", "1,323", "-412"]  # English separators (IKU_LANG=en)
    assert any(line.strip().startswith("* permohonan_bantuan_hukum_nonlitigasi:") for line in lines)
    met = [number for number, result in needed.results.items() if result.met]
    assert f"IKU {', '.join(map(str, met))}"[:40] in " ".join(lines)


@pytest.mark.usefixtures("indonesian")
def test_text_numbers_have_indonesian_separators(needed: Needed) -> None:
    lines = render_needed_text(needed).splitlines()
    (row,) = [line for line in lines if line.strip().startswith("jumlah_narapidana ")]
    assert row.split()[1:4] == ["1.735", "1.323", "-412"]  # Indonesian separators, signed


def test_json_has_exact_values_beside_rounded_ones(needed: Needed) -> None:
    rows = json.loads(render_needed_json(needed))
    assert rows == needed_json(needed)
    assert len(rows) == len(needed)
    for row, need in zip(rows, needed, strict=True):
        assert row["indicator"] == need.number
        assert row["input"] == need.name
        assert Fraction(row["now_exact"]) == need.now
        assert row["possible"] is need.possible
        for field in ("needed", "more"):
            value = getattr(need, field)
            assert (row[f"{field}_exact"] is None) is (value is None)
            if value is not None:
                assert Fraction(row[f"{field}_exact"]) == value
                assert abs(Fraction(row[field]) - value) <= Fraction(1, 200)
