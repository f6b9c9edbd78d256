"""Consistency rules over DataFrames: every broken rule, per row and indicator, exactly."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from iku_formula import Catalog, InputError, load_catalog

from .conftest import indicator_toml

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

SAMPLE = Path(__file__).parents[1] / "examples" / "contoh-realisasi-2024-triwulan.csv"

RULES = """
[[rules]]
rule = "a <= b"

[[rules]]
rule = "c <= d"

[[rules]]
rule = "b <= d"

[[rules]]
rule = "a + c == d"
"""


@pytest.fixture
def catalog(make_catalog: Callable[..., Catalog]) -> Catalog:
    return make_catalog(
        indicator_toml(1),
        indicator_toml(2, formula="persen(c, d)", inputs=["c", "d"]),
        extra=RULES,
    )


def test_each_broken_rule_is_reported_per_row_and_indicator(catalog: Catalog) -> None:
    frame = pd.DataFrame(
        {
            "unit": ["X", "Y", "Z", "W"],
            "a": [1, 5, 2, np.nan],
            "b": [2, 4, 2, 3],
            "c": [3, 1, 9, 1],
            "d": [4, 6, 10, 2],
        },
        index=[10, 11, 12, 13],
    )
    before = frame.copy()
    found = catalog.check_frame(frame)
    assert list(found.columns) == ["unit", "indicator", "rule", "left", "right", "inputs"]
    rows = [
        (index, row.unit, row.indicator, row.rule, row.left, row.right, row.inputs)
        for index, row in found.iterrows()
    ]
    assert rows == [
        # Y: a above b; the rule belongs to indicator 1 (both its inputs)
        (11, "Y", 1, "a <= b", Fraction(5), Fraction(4), "a = 5, b = 4"),
        # Z: a + c == d spans both indicators, so it is reported for each
        (12, "Z", 1, "a + c == d", Fraction(11), Fraction(10), "a = 2, c = 9, d = 10"),
        (12, "Z", 2, "a + c == d", Fraction(11), Fraction(10), "a = 2, c = 9, d = 10"),
        # W: a is missing, so the rules naming a are not checked; b <= d is broken
        (13, "W", 1, "b <= d", Fraction(3), Fraction(2), "b = 3, d = 2"),
        (13, "W", 2, "b <= d", Fraction(3), Fraction(2), "b = 3, d = 2"),
    ]
    pd.testing.assert_frame_equal(frame, before)  # nothing dropped or changed


def test_nothing_broken_gives_an_empty_frame_with_the_columns(catalog: Catalog) -> None:
    frame = pd.DataFrame({"a": [1], "b": [2], "c": [3], "d": [4]})
    found = catalog.check_frame(frame)
    assert found.empty
    assert list(found.columns) == ["indicator", "rule", "left", "right", "inputs"]


def test_rules_need_all_their_columns(catalog: Catalog) -> None:
    assert catalog.check_frame(pd.DataFrame({"a": [5], "b": [4]}))["rule"].tolist() == ["a <= b"]
    assert catalog.check_frame(pd.DataFrame({"a": [5], "c": [4]})).empty


def test_float_rounding_neither_invents_nor_hides_a_violation(
    make_catalog: Callable[..., Catalog],
) -> None:
    extra = """
[inputs.x]
label = "X"
unit = "rupiah"
kind = "amount"

[inputs.y]
label = "Y"
unit = "rupiah"
kind = "amount"

[[rules]]
rule = "rupiah + x <= y"
"""
    catalog = make_catalog(
        indicator_toml(1, formula="persen(rupiah + x, y)", inputs=["rupiah", "x", "y"]),
        extra=extra,
    )
    # 0.1 + 0.2 is 0.30000000000000004 in floats, exactly 3/10 on the exact path
    frame = pd.DataFrame({"rupiah": [0.1, 0.1], "x": [0.2, 0.2], "y": [0.3, "0,2999999999"]})
    found = catalog.check_frame(frame)
    assert found.index.tolist() == [1]
    assert found["right"].item() == Fraction(2999999999, 10**10)


def test_an_undefined_side_is_not_checked(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(indicator_toml(1), extra='\n[[rules]]\nrule = "persen(a, b) <= 100"\n')
    frame = pd.DataFrame({"a": [3, 3], "b": [0, 2]})
    assert catalog.check_frame(frame)["left"].tolist() == [Fraction(150)]


def test_bad_cells_are_input_errors(catalog: Catalog) -> None:
    with pytest.raises(InputError, match="column 'a'"):
        catalog.check_frame(pd.DataFrame({"a": ["lima"], "b": [4]}))


def test_the_sample_data_has_one_broken_rule_where_the_report_shows_it() -> None:
    catalog = load_catalog()
    frame = pd.read_csv(SAMPLE)
    found = catalog.check_frame(frame)
    assert found[["unit", "period", "indicator", "rule"]].values.tolist() == [
        ["Lapas Kelas IIA Kerobokan", "TW3", 35, "narapidana_remisi <= narapidana_syarat_remisi"]
    ]
    assert found.index.tolist() == [18]  # the 19th data row: row 20 of the sheet
    assert found["inputs"].item() == "narapidana_remisi = 1250, narapidana_syarat_remisi = 1180"
    # after the roll-up the year still breaks it: the evaluation carries the warning too
    year = catalog.aggregate(frame)
    assert catalog.check_frame(year)["indicator"].tolist() == [35]
