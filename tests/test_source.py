"""The catalog against its source: every verbatim text matches the official table.

The table in ``catalog/source/`` is kept byte for byte as received. Its rows are
tab separated: sasaran, indicator (rows 1-17 hold "N name" in one cell, later rows
hold the number and the name in two cells), target and formula. A blank sasaran
cell continues the sasaran above.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest

from iku_formula import Catalog, load_catalog

from .conftest import REPO

SOURCE = REPO / "catalog" / "source" / "iku-kanwil-bali-2024.txt"
CATALOG = REPO / "catalog" / "iku-kanwil-bali-2024.toml"


@attrs.frozen
class Row:
    number: int
    objective: str
    name: str
    target: str
    formula: str


def read_source(path: Path) -> list[Row]:
    rows: list[Row] = []
    objective = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 4:
            sasaran, numbered, target, formula = cells
            match = re.fullmatch(r"(\d+) (.+)", numbered)
            if match is None:
                continue  # the header row
            number, name = int(match.group(1)), match.group(2)
        elif len(cells) == 5:
            sasaran, number_text, name, target, formula = cells
            number = int(number_text)
        else:
            continue
        objective = sasaran or objective
        rows.append(Row(number, objective, name, target, formula))
    return rows


ROWS = read_source(SOURCE)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(CATALOG)


def test_source_has_55_rows_in_order() -> None:
    assert [row.number for row in ROWS] == list(range(1, 56))


def test_catalog_has_every_indicator_in_source_order(catalog: Catalog) -> None:
    assert len(catalog) == 55
    assert [indicator.number for indicator in catalog] == list(range(1, 56))


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"IKU{row.number}")
def test_verbatim_texts_match_the_source(catalog: Catalog, row: Row) -> None:
    indicator = catalog[row.number]
    assert indicator.name == row.name
    assert indicator.target.text == row.target
    assert indicator.objective.name == row.objective
    expected_formula = row.formula or None
    assert indicator.source_formula == expected_formula


def test_objectives_are_the_distinct_sasaran_in_source_order(catalog: Catalog) -> None:
    distinct = list(dict.fromkeys(row.objective for row in ROWS))
    assert [objective.name for objective in catalog.objectives] == distinct
    # The issue speaks of 26 sasaran; the table itself names 24 distinct ones.
    assert len(distinct) == 24


def test_source_formulas_absent_exactly_where_the_source_has_none(catalog: Catalog) -> None:
    absent = [indicator.number for indicator in catalog if indicator.source_formula is None]
    assert absent == [4, 5, 6]


def test_bundled_catalog_is_this_file(catalog: Catalog) -> None:
    bundled = load_catalog()
    assert bundled.path is not None
    assert bundled.path.read_bytes() == CATALOG.read_bytes()
    assert bundled.source_path is not None
    assert bundled.source_path.read_bytes() == SOURCE.read_bytes()
