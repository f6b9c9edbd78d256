"""Roll-ups over triwulan and work units, checked against numbers worked out by hand."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from iku_formula import Catalog, InputError, RollUp, TimeRule, UnitRule, load_catalog
from iku_formula.periods import MONTHS, normalise_period
from iku_formula.rollup import exact, rules
from iku_formula.rollup import frames as aggregation
from iku_formula.rollup.exact import evaluate_rolled_up, mean_of_units, roll_up_rows
from iku_formula.rollup.frames import period_order, roll_up
from iku_formula.sheets import SheetRow

from ..conftest import indicator_toml

RULES = """
[inputs.stok]
label = "Stok"
unit = "orang"
kind = "count"
over_time = "last"

[inputs.stok_total]
label = "Stok total"
unit = "orang"
kind = "count"
over_time = "last"

[inputs.nilai]
label = "Nilai survei"
unit = "indeks"
kind = "score"
minimum = 1
maximum = 4
over_time = "mean"
over_units = "weighted_mean"
weight = "responden"

[inputs.responden]
label = "Responden"
unit = "orang"
kind = "count"

[inputs.i1]
label = "Sub-indeks 1"
unit = "indeks"
kind = "score"
minimum = 0
maximum = 100
over_time = "mean"
over_units = "mean"

[inputs.i2]
label = "Sub-indeks 2"
unit = "indeks"
kind = "score"
minimum = 0
maximum = 100
over_time = "mean"
over_units = "mean"

[inputs.i3]
label = "Sub-indeks 3"
unit = "indeks"
kind = "score"
minimum = 0
maximum = 100
over_time = "mean"
over_units = "weighted_mean"
weight = "responden"
"""


@pytest.fixture
def catalog(make_catalog: Callable[..., Catalog]) -> Catalog:
    return make_catalog(
        indicator_toml(1),  # persen(a, b): flows, sum over time and units
        indicator_toml(2, formula="persen(stok, stok_total)", inputs=["stok", "stok_total"]),
        indicator_toml(3, formula="nilai", inputs=["nilai"], target="3 Indeks"),
        indicator_toml(
            4, formula="rata_rata(i1, i2, i3)", inputs=["i1", "i2", "i3"], target="83 Indeks"
        ),
        extra=RULES,
    )


def _quarters(**columns: list[Any]) -> Any:
    return pd.DataFrame(columns)


FLOWS = {
    "unit": ["X", "X", "Y", "Y"],
    "period": ["TW1", "TW2", "TW1", "TW2"],
    "a": [1, 3, 0, 5],
    "b": [2, 4, 10, 4],
}


def test_a_ratio_rolls_up_as_a_ratio_of_sums_not_a_mean_of_ratios(catalog: Catalog) -> None:
    frame = pd.DataFrame(FLOWS)
    year = catalog.aggregate(frame)
    assert year[["a", "b"]].to_dict("records") == [{"a": 9.0, "b": 20.0}]
    realisasi = catalog.evaluate_frame(year)[1].item()
    assert realisasi == pytest.approx(45.0)  # 9 / 20, not (50 + 75 + 0 + 125) / 4 = 62.5

    per_unit = catalog.evaluate_frame(catalog.aggregate(frame, over="time"))
    assert per_unit.index.name == "unit"
    assert per_unit.loc["X", 1] == pytest.approx(400 / 6)
    assert per_unit.loc["Y", 1] == pytest.approx(500 / 14)

    per_quarter = catalog.evaluate_frame(catalog.aggregate(frame, over="units"))
    assert list(per_quarter.index) == ["TW1", "TW2"]
    assert per_quarter[1].tolist() == pytest.approx([100 / 12, 100.0])


def test_quarter_to_date_accumulates_flows(catalog: Catalog) -> None:
    frame = pd.DataFrame(FLOWS)
    to_date = catalog.aggregate(frame, to_date=True)
    assert list(to_date.index) == ["TW1", "TW2"]
    assert to_date["a"].tolist() == [1.0, 9.0]
    assert to_date["b"].tolist() == [12.0, 20.0]
    assert catalog.evaluate_frame(to_date)[1].tolist() == pytest.approx([100 / 12, 45.0])
    per_unit = catalog.aggregate(frame, over="time", to_date=True)
    assert per_unit.index.names == ["unit", "period"]
    assert per_unit["a"].tolist() == [1.0, 4.0, 0.0, 5.0]
    long = catalog.evaluate_frame(per_unit, layout="long")
    assert long.index.names == ["unit", "period"]
    assert long.loc[("Y", "TW2"), "realisasi"] == pytest.approx(500 / 14)


STOCKS = {
    "unit": ["X", "Y", "X", "Y", "X", "Y", "X", "Y"],
    "period": ["IV", "IV", "I", "I", "III", "III", "II", "II"],  # rows out of order
    "stok": [15, 4, 5, 1, 7, 1, 6, 1],
    "stok_total": [20, 5, 10, 3, 11, 3, 12, 3],
}


def test_last_takes_the_stock_at_the_end_of_the_period_in_each_unit(catalog: Catalog) -> None:
    frame = pd.DataFrame(STOCKS)
    year = catalog.aggregate(frame)
    assert year[["stok", "stok_total"]].to_dict("records") == [
        {"stok": 19.0, "stok_total": 25.0}  # X and Y in triwulan IV, not the sums 33 and 67
    ]
    assert catalog.evaluate_frame(year)[2].item() == pytest.approx(76.0)
    to_date = catalog.aggregate(frame, to_date=True)
    assert list(to_date.index) == ["I", "II", "III", "IV"]
    assert to_date["stok"].tolist() == [6.0, 7.0, 8.0, 19.0]
    assert to_date["stok_total"].tolist() == [13.0, 15.0, 14.0, 25.0]
    assert catalog.evaluate_frame(to_date).loc["III", 2] == pytest.approx(800 / 14)


@pytest.mark.parametrize(
    "labels",
    [
        [4, 4, 1, 1, 3, 3, 2, 2],
        ["TW4", "TW4", "TW1", "TW1", "TW3", "TW3", "TW2", "TW2"],
        ["tw 4", "tw 4", "Tw 1", "Tw 1", "TW-3", "TW-3", "tw2", "tw2"],
        [f"Triwulan {roman}" for roman in ("IV", "IV", "I", "I", "III", "III", "II", "II")],
        ["Q4", "Q4", "Q1", "Q1", "Q3", "Q3", "Q2", "Q2"],
        ["4", "4", "1", "1", "3", "3", "2", "2"],
    ],
)
def test_periods_may_be_written_many_ways(catalog: Catalog, labels: list[Any]) -> None:
    frame = pd.DataFrame({**STOCKS, "period": labels})
    assert catalog.aggregate(frame)["stok"].tolist() == [19.0]
    to_date = catalog.aggregate(frame, to_date=True)
    assert to_date["stok"].tolist() == [6.0, 7.0, 8.0, 19.0]


def test_an_ordered_categorical_period_is_read_by_the_grammar(catalog: Catalog) -> None:
    order = ["Triwulan I", "Triwulan II", "Triwulan III", "Triwulan IV"]
    labels = [order[3]] * 2 + [order[0]] * 2 + [order[2]] * 2 + [order[1]] * 2
    frame = pd.DataFrame(
        {**STOCKS, "period": pd.Categorical(labels, categories=order, ordered=True)}
    )
    assert catalog.aggregate(frame)["stok"].tolist() == [19.0]
    assert list(catalog.aggregate(frame, to_date=True).index) == order


def test_period_order() -> None:
    categorical = period_order(pd.Series(["III", "I", "IV", "II"]))
    assert list(categorical.categories) == ["I", "II", "III", "IV"]
    assert categorical.ordered
    assert list(period_order(pd.Series([3, 1, 2])).categories) == [1, 2, 3]
    with pytest.raises(InputError, match="periods 'Januari' and 'TW1' are of two calendars"):
        period_order(pd.Series(["Januari", "I"]))  # a month beside a quarter: counted twice
    with pytest.raises(InputError, match="'TW1' and 1 both mean triwulan 1"):
        period_order(pd.Series(["TW1", 1], dtype=object))
    with pytest.raises(InputError, match="row 1 has no period"):
        period_order(pd.Series(["TW1", None]))
    ordered = pd.Categorical(["TW2", None, "TW1"], categories=["TW1", "TW2"], ordered=True)
    with pytest.raises(InputError, match="row 1 has no period"):
        period_order(pd.Series(ordered))


WEIGHTED = {
    "unit": ["X", "X", "Y", "Y", "Z", "Z"],
    "period": [1, 2, 1, 2, 1, 2],
    "nilai": [3.0, 3.5, 2.0, 2.0, np.nan, np.nan],  # Z had no respondents, so no score
    "responden": [10, 30, 0, 20, 0, 0],
}


def test_a_weighted_mean_over_units_weighs_each_unit_by_its_respondents(
    catalog: Catalog,
) -> None:
    frame = pd.DataFrame(WEIGHTED)
    per_unit = catalog.aggregate(frame, over="time")
    assert per_unit.loc["X"].tolist() == [3.25, 40.0]  # mean over time; respondents add up
    assert per_unit.loc["Y"].tolist() == [2.0, 20.0]
    year = catalog.aggregate(frame)
    expected = (3.25 * 40 + 2.0 * 20) / 60  # 2.8333..., the unweighted mean is 2.625
    assert year["nilai"].item() == pytest.approx(expected)
    assert year["responden"].item() == 60.0
    assert catalog.evaluate_frame(year)[3].item() == pytest.approx(expected)
    per_quarter = catalog.aggregate(frame, over="units")
    assert per_quarter["nilai"].tolist() == pytest.approx([3.0, (3.5 * 30 + 2.0 * 20) / 50])
    to_date = catalog.aggregate(frame, over="time", to_date=True)
    assert to_date.loc["X", "nilai"].tolist() == [3.0, 3.25]  # the mean up to each quarter
    assert to_date.loc["X", "responden"].tolist() == [10.0, 40.0]
    year_to_date = catalog.aggregate(frame, to_date=True)
    assert year_to_date["nilai"].tolist() == pytest.approx([3.0, expected])


def test_weights_adding_up_to_zero_give_a_missing_value(catalog: Catalog) -> None:
    frame = pd.DataFrame({**WEIGHTED, "responden": [0] * 6})
    year = catalog.aggregate(frame)
    assert math.isnan(year["nilai"].item())
    long = catalog.evaluate_frame(year, layout="long")
    assert long.set_index("indicator").loc[3, "reason"] == "missing input nilai"


def test_a_weighted_input_needs_its_weight_column(catalog: Catalog) -> None:
    frame = pd.DataFrame(WEIGHTED).drop(columns="responden")
    with pytest.raises(InputError, match="weighted by 'responden'; add a column 'responden'"):
        catalog.aggregate(frame)
    per_unit = catalog.aggregate(frame, over="time")  # no units combined: no weight needed
    assert per_unit["nilai"].tolist()[:2] == [3.25, 2.0]


IPPW = {
    "unit": ["Lapas", "Rutan"],
    "i1": [80.0, 60.0],
    "i2": [90.0, 70.0],
    "i3": [70.0, 100.0],
    "responden": [40, 20],
}


def test_ippw_across_units_averages_its_sub_indices_first(catalog: Catalog) -> None:
    frame = pd.DataFrame(IPPW)
    kanwil = catalog.aggregate(frame, period=None, over="units")
    assert kanwil[["i1", "i2", "i3"]].to_dict("records") == [
        {"i1": 70.0, "i2": 80.0, "i3": pytest.approx((70 * 40 + 100 * 20) / 60)}
    ]
    ippw = catalog.evaluate_frame(kanwil)[4].item()
    assert ippw == pytest.approx((70 + 80 + 80) / 3)  # 76.67; the mean of unit IPPWs is 78.33
    long = catalog.evaluate_frame(kanwil, layout="long").set_index("indicator")
    assert long.loc[4, "capaian"] == pytest.approx(ippw / 83 * 100)
    assert not long.loc[4, "met"]


def test_bundled_ippw_rolls_up_by_the_catalogs_rules() -> None:
    bundled = load_catalog()
    ippw = bundled[22]
    rows = 3
    frame = pd.DataFrame({"unit": [f"upt{i}" for i in range(rows)]})
    for number, name in enumerate(ippw.inputs):
        frame[name] = [50.0 + number + 10 * i for i in range(rows)]
        weight = bundled.inputs[name].weight
        if weight is not None:
            frame[weight] = [1, 2, 3]
    kanwil = bundled.aggregate(frame, period=None, over="units")
    sub_indices = []
    for number, name in enumerate(ippw.inputs):
        values = np.array([50.0 + number + 10 * i for i in range(rows)])
        spec = bundled.inputs[name]
        if spec.over_units.value == "sum":
            expected = values.sum()
        elif spec.over_units.value == "mean":
            expected = values.mean()
        else:
            expected = np.average(values, weights=[1, 2, 3])
        assert kanwil[name].item() == pytest.approx(expected)
        sub_indices.append(expected)
    realisasi = bundled.evaluate_frame(kanwil)[22].item()
    assert realisasi == pytest.approx(sum(sub_indices) / len(sub_indices))


def test_a_missing_value_is_never_skipped(catalog: Catalog) -> None:
    frame = pd.DataFrame({**FLOWS, "a": [1, np.nan, 0, 5]})
    year = catalog.aggregate(frame)
    assert math.isnan(year["a"].item())
    assert year["b"].item() == 20.0
    long = catalog.evaluate_frame(year, layout="long").set_index("indicator")
    assert long.loc[1, "reason"] == "missing input a"
    to_date = catalog.aggregate(frame, to_date=True)
    assert to_date["a"].tolist()[0] == 1.0
    assert math.isnan(to_date["a"].tolist()[1])


def test_a_unit_that_never_reports_an_input_is_left_out_of_it(catalog: Catalog) -> None:
    # Z (an Imigrasi office, say) has no detainees: its stock and score columns stay empty
    frame = pd.DataFrame(
        {
            "unit": ["X", "X", "Y", "Y", "Z", "Z"],
            "period": ["TW1", "TW2", "TW1", "TW2", "TW1", "TW2"],
            "a": [1, 3, 0, 5, 2, 2],
            "b": [2, 4, 10, 4, 2, 2],
            "stok": [5, 6, 1, 2, np.nan, np.nan],
            "stok_total": [10, 10, 4, 4, np.nan, np.nan],
            "i1": [80, 90, 60, 70, np.nan, np.nan],
            "nilai": [3.0, 3.5, 2.0, 2.0, np.nan, np.nan],
            "responden": [10, 30, 0, 20, np.nan, np.nan],
        }
    )
    year = catalog.aggregate(frame).iloc[0]
    assert year["a"] == 13.0  # Z reports the flows: it counts
    assert year["stok"] == 8.0  # X's TW2 stock + Y's; Z left out
    assert year["stok_total"] == 14.0
    assert year["i1"] == pytest.approx((85 + 65) / 2)  # mean over the 2 reporting units
    assert year["nilai"] == pytest.approx((3.25 * 40 + 2.0 * 20) / 60)
    assert year["responden"] == 60.0
    per_quarter = catalog.aggregate(frame, over="units")
    assert per_quarter["stok"].tolist() == [6.0, 8.0]
    assert per_quarter["i1"].tolist() == pytest.approx([70.0, 80.0])
    to_date = catalog.aggregate(frame, to_date=True)
    assert to_date["a"].tolist() == [3.0, 13.0]
    assert to_date["stok"].tolist() == [6.0, 8.0]

    # no unit reports it: missing; a unit that reports it in some quarters only: missing
    nobody = catalog.aggregate(frame.assign(i1=np.nan))
    assert math.isnan(nobody["i1"].item())
    gap = catalog.aggregate(frame.assign(i1=[80, np.nan, 60, 70, np.nan, np.nan]))
    assert math.isnan(gap["i1"].item())
    # a unit that reports a score but not its weight makes the weighted mean missing
    no_weight = catalog.aggregate(frame.assign(responden=[10, 30, np.nan, np.nan, np.nan, np.nan]))
    assert math.isnan(no_weight["nilai"].item())


def test_mean_of_units_leaves_out_units_that_do_not_report(
    make_catalog: Callable[..., Catalog],
) -> None:
    catalog = make_catalog(indicator_toml(1, roll_up="mean_of_units"))
    frame = pd.DataFrame(
        {
            "unit": ["X", "Y", "Z"],
            "period": [1, 1, 1],
            "a": [1, 3, np.nan],
            "b": [2, 4, np.nan],
        }
    )
    assert roll_up(catalog, frame)[1].item() == pytest.approx((50 + 75) / 2)
    long = roll_up(catalog, frame.assign(a=np.nan, b=np.nan), layout="long")
    assert math.isnan(long["realisasi"].item())
    assert long["reason"].item() == "missing input a, b: no unit reports it"


def test_by_keeps_other_keys_apart(catalog: Catalog) -> None:
    first = pd.DataFrame({**FLOWS, "tahun": 2023})
    second = pd.DataFrame({**FLOWS, "tahun": 2024, "a": [2, 3, 0, 5]})
    frame = pd.concat([first, second], ignore_index=True)
    year = catalog.aggregate(frame, by="tahun")
    assert year.index.name == "tahun"
    assert year["a"].to_dict() == {2023: 9.0, 2024: 10.0}
    per_unit = catalog.aggregate(frame, by=["tahun"], over="time")
    assert per_unit.index.names == ["tahun", "unit"]
    long = catalog.evaluate_frame(year, layout="long")
    assert list(long.index) == [2023, 2024]
    assert long["realisasi"].tolist() == pytest.approx([45.0, 50.0])


def test_a_frame_without_units_or_periods(catalog: Catalog) -> None:
    frame = pd.DataFrame({"period": [1, 2], "a": [1, 2], "b": [2, 2]})
    year = catalog.aggregate(frame, unit=None, over="time")
    assert year[["a", "b"]].to_dict("records") == [{"a": 3.0, "b": 4.0}]
    assert catalog.evaluate_frame(year)[1].item() == 75.0


def test_mean_of_units_averages_per_unit_realisasi(make_catalog: Callable[..., Catalog]) -> None:
    catalog = make_catalog(
        indicator_toml(1, roll_up="mean_of_units"),
        indicator_toml(2, formula="persen(c, d)", inputs=["c", "d"]),
        indicator_toml(3, formula="persen(a, b)", roll_up="mean_of_units", undefined_parts="skip"),
    )
    frame = pd.DataFrame(
        {
            "unit": ["X", "X", "Y", "Y"],
            "period": [1, 2, 1, 2],
            "a": [1, 0, 2, 1],
            "b": [1, 1, 3, 1],
            "c": [1, 0, 2, 1],
            "d": [1, 1, 3, 1],
        }
    )
    rolled = roll_up(catalog, frame)
    assert rolled[1].item() == pytest.approx((50 + 75) / 2)  # X 1/2, Y 3/4 over the year
    assert rolled[2].item() == pytest.approx(100 * 4 / 6)  # inputs: ratio of sums
    assert rolled[3].item() == pytest.approx(62.5)
    with pytest.warns(
        UserWarning, match="indicator 1, 3 rolls up as the mean of per-unit"
    ) as warned:
        aggregated = catalog.aggregate(frame)
    assert "use Catalog.roll_up to evaluate it" in str(warned[0].message)  # was a gone module
    assert catalog.evaluate_frame(aggregated)[2].item() == rolled[2].item()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        catalog.aggregate(frame, over="time")  # units kept: nothing to warn about

    per_quarter = roll_up(catalog, frame, over="units")
    assert per_quarter[1].tolist() == pytest.approx([(100 + 200 / 3) / 2, (0 + 100) / 2])
    long = roll_up(catalog, frame, layout="long").set_index("indicator")
    assert long.loc[1, "capaian"] == pytest.approx(62.5 / 90 * 100)

    undefined = pd.concat(
        [
            frame,
            pd.DataFrame({"unit": ["Z"], "period": [1], "a": [0], "b": [0], "c": [0], "d": [0]}),
        ]
    )
    long = roll_up(catalog, undefined, layout="long").set_index("indicator")
    assert math.isnan(long.loc[1, "realisasi"])
    assert long.loc[1, "reason"] == ("the mean over units is undefined: undefined in 1 of 3 units")
    assert long.loc[3, "realisasi"] == pytest.approx(62.5)  # skip: the defined units
    assert long.loc[2, "realisasi"] == pytest.approx(100 * 4 / 6)

    missing = frame.assign(a=[1, np.nan, 2, 1])
    long = roll_up(catalog, missing, layout="long").set_index("indicator")
    assert math.isnan(long.loc[3, "realisasi"])
    assert long.loc[3, "reason"] == "missing input a in a unit"


def test_roll_up_equals_evaluate_frame_of_aggregate_for_inputs_indicators(
    catalog: Catalog,
) -> None:
    frame = pd.DataFrame({**STOCKS, "a": range(8), "b": 7})
    for over in ("time", "units", "both"):
        expected = catalog.evaluate_frame(catalog.aggregate(frame, over=over))
        pd.testing.assert_frame_equal(roll_up(catalog, frame, over=over), expected)


@pytest.mark.parametrize(
    ("change", "arguments", "message"),
    [
        ({"period": ["TW1", "TW1", "TW1", "TW2"]}, {}, "row 1 repeats unit = 'X', period = 'TW1'"),
        ({"jumlah": [1, 2, 3, 4]}, {}, "column 'jumlah' is neither an input"),
        ({"aa": [1, 2, 3, 4]}, {}, "column 'aa' (did you mean 'a'?)"),
        ({}, {"unit": "satker"}, "no column 'satker'; name the unit column with unit="),
        (
            {"period": ["TW1", "TW2", "Jan", "TW2"]},
            {},
            "periods 'TW1' and 'Januari' are of two calendars",
        ),
        ({"a": [1, -1, 0, 5]}, {}, "column 'a' (indicator 1), row 1: -1.0 is negative"),
    ],
)
def test_bad_frames(
    catalog: Catalog, change: dict[str, Any], arguments: dict[str, Any], message: str
) -> None:
    frame = pd.DataFrame({**FLOWS, **change})
    with pytest.raises(InputError) as raised:
        catalog.aggregate(frame, **arguments)
    assert message in str(raised.value)


# Defect (issue 10): these were plain ValueErrors and TypeErrors ("unhashable type: 'list'"
# from pandas); every one is an InputError now (still a ValueError), naming the argument.
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"over": "all"}, "over must be one of 'time', 'units', 'both', got 'all'"),
        ({"over": ["time"]}, "over must be one of 'time', 'units', 'both', got list"),
        ({"over": "units", "to_date": True}, "to_date needs"),
        ({"to_date": "yes"}, "to_date must be True or False, got str"),
        ({"period": None}, "give the period column"),
        ({"unit": None, "over": "units"}, "give the unit column"),
        ({"by": "unit"}, "by= lists"),
        ({"by": {"tahun"}}, "by= names a column (its name, or None), got set"),
        ({"by": [["tahun"]]}, "by= names a column (its name, or None), got list"),
        ({"unit": ["unit"]}, "unit= names a column (its name, or None), got list"),
        ({"period": {"p": 1}}, "period= names a column (its name, or None), got dict"),
    ],
)
def test_bad_arguments(catalog: Catalog, arguments: dict[str, Any], message: str) -> None:
    frame = pd.DataFrame(FLOWS)
    for function in (catalog.aggregate, catalog.roll_up):
        with pytest.raises(InputError) as raised:
            function(frame, **arguments)
        assert message in str(raised.value)


def test_bad_layout_and_frame(catalog: Catalog) -> None:
    frame = pd.DataFrame(FLOWS)
    for layout in ("tall", 5):
        with pytest.raises(InputError, match="layout must be 'wide' or 'long'"):
            roll_up(catalog, frame, layout=layout)  # type: ignore[arg-type]
    for bad in (FLOWS, 5, None):
        with pytest.raises(InputError, match="DataFrame"):
            catalog.aggregate(bad)


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("unit", ["Lapas"], "row 1: column 'unit' holds ['Lapas']; a unit, a period or a key"),
        ("unit", {"nama": "Lapas"}, "row 1: column 'unit' holds {'nama': 'Lapas'}"),
        ("period", ["TW1"], "row 1: column 'period' holds ['TW1']"),
        ("period", {"TW1"}, "row 1: column 'period' holds {'TW1'}"),
    ],
)
def test_a_key_cell_that_is_no_key(
    catalog: Catalog, column: str, cell: object, message: str
) -> None:
    frame = pd.DataFrame(FLOWS)
    frame[column] = frame[column].astype(object)
    frame.at[1, column] = cell
    for function in (catalog.aggregate, catalog.roll_up):
        with pytest.raises(InputError) as raised:
            function(frame)
        assert message in str(raised.value)


def test_an_empty_frame(catalog: Catalog) -> None:
    frame = pd.DataFrame(FLOWS).iloc[:0]
    assert len(catalog.aggregate(frame)) == 0
    assert len(catalog.aggregate(frame, over="time")) == 0


# --- one specification, two engines ----------------------------------------------------------


@pytest.mark.parametrize("engine", [exact, aggregation], ids=["exact", "vectorised"])
def test_every_engine_implements_every_rule_of_the_specification(engine: Any) -> None:
    assert set(rules.OVER_TIME) == set(TimeRule)
    assert set(rules.OVER_UNITS) == set(UnitRule)
    assert set(rules.ROLL_UPS) == set(RollUp)
    assert set(engine.OVER_TIME) == set(rules.OVER_TIME)
    assert set(engine.OVER_UNITS) == set(rules.OVER_UNITS)
    assert set(engine.ROLL_UPS) == set(rules.ROLL_UPS)
    for table in (rules.OVER_TIME, rules.OVER_UNITS, rules.ROLL_UPS):
        for rule, spec in table.items():
            assert spec.rule is rule
            assert spec.meaning


def test_an_engine_lacking_a_rule_is_refused() -> None:
    with pytest.raises(TypeError, match=r"the test roll-up engine .* lacking \['mean'\]"):
        rules.check_engine("test", {TimeRule.SUM, TimeRule.LAST}, set(UnitRule), set(RollUp))
    with pytest.raises(TypeError, match=r"lacking \[\], not in the specification \['x'\]"):
        rules.check_engine("test", set(TimeRule), set(UnitRule), {*RollUp, "x"})  # type: ignore[arg-type]


# each rule of the specification by hand (docs/rollup.md's examples): a rule without a case
# here fails, so a new rule comes with one
OVER_TIME_CASES = {
    TimeRule.SUM: ([5, 8, 6, 6], Fraction(25)),  # flows added up
    TimeRule.LAST: ([3150, 3240, 3190, 3200], Fraction(3200)),  # a stock at the end
    TimeRule.MEAN: ([Fraction(17, 5), Fraction(18, 5), Fraction(7, 2), Fraction(37, 10)],
                    Fraction(71, 20)),  # a level averaged: 3.55
}  # fmt: skip
OVER_UNITS_CASES = {  # units A (3.6, 40 respondents) and B (3.0, 10 respondents)
    UnitRule.SUM: Fraction(33, 5),
    UnitRule.MEAN: Fraction(33, 10),
    UnitRule.WEIGHTED_MEAN: Fraction(87, 25),  # (3.6 x 40 + 3.0 x 10) / 50 = 3.48, not 3.3
}


def _one_input(make_catalog: Callable[..., Catalog], **rules_: str) -> Catalog:
    fields = "".join(f'{key} = "{value}"\n' for key, value in rules_.items())
    extra = (
        '[inputs.x]\nlabel = "X"\nunit = "rupiah"\nkind = "amount"\n' + fields + "\n"
        '[inputs.w]\nlabel = "W"\nunit = "orang"\nkind = "count"\n'
    )
    return make_catalog(
        indicator_toml(1, formula="x", inputs=["x"], target="1 rupiah"), extra=extra
    )


def _exact_and_floats(columns: dict[str, Any]) -> tuple[list[SheetRow], Any]:
    """Sheet rows of the exact values, and the frame of their floats."""
    exact = pd.DataFrame(columns)
    floats = exact.assign(x=[float(value) for value in exact["x"]])
    return _sheet_rows(exact), floats


@pytest.mark.parametrize("rule", list(TimeRule))
def test_each_rule_over_time_by_hand_in_both_engines(
    make_catalog: Callable[..., Catalog], rule: TimeRule
) -> None:
    values, expected = OVER_TIME_CASES[rule]
    catalog = _one_input(make_catalog, over_time=rule.value)
    rows, frame = _exact_and_floats({"unit": "A", "period": list(QUARTER_LABELS), "x": values})
    assert roll_up_rows(catalog, rows).values["x"] == expected
    assert catalog.aggregate(frame)["x"].item() == pytest.approx(float(expected), rel=1e-15)


@pytest.mark.parametrize("rule", list(UnitRule))
def test_each_rule_over_units_by_hand_in_both_engines(
    make_catalog: Callable[..., Catalog], rule: UnitRule
) -> None:
    weight = {"weight": "w"} if rules.OVER_UNITS[rule].weighted else {}
    catalog = _one_input(make_catalog, over_units=rule.value, **weight)
    rows, frame = _exact_and_floats(
        {"unit": ["A", "B"], "period": "TW1", "x": [Fraction(18, 5), Fraction(3)], "w": [40, 10]}
    )
    assert roll_up_rows(catalog, rows).values["x"] == OVER_UNITS_CASES[rule]
    aggregated = catalog.aggregate(frame)["x"].item()
    assert aggregated == pytest.approx(float(OVER_UNITS_CASES[rule]), rel=1e-15)


QUARTER_LABELS = ("TW1", "TW2", "TW3", "TW4")


GAP_AT_ZERO_WEIGHT = {
    "unit": ["X", "X", "Y", "Y"],
    "period": ["TW1", "TW2", "TW1", "TW2"],
    "nilai": [3.0, 4.0, 2.0, np.nan],  # Y's score has a gap ...
    "responden": [10, 10, 0, 0],  # ... but Y weighs 0: it does not count
    "a": [1, 1, 1, np.nan],
    "b": [2, 2, 2, 2],
}


def _sheet_rows(frame: Any) -> list[SheetRow]:
    """The frame's rows as the sheet reader gives them: periods read, values exact."""
    names = [name for name in frame.columns if name not in ("unit", "period")]
    return [
        SheetRow(
            number=position + 2,
            unit=row["unit"],
            period=normalise_period(row["period"]),
            values={name: Fraction(row[name]) for name in names if not pd.isna(row[name])},
        )
        for position, (_, row) in enumerate(frame.iterrows())
    ]


def test_a_unit_weighing_0_does_not_count_even_with_a_gap(catalog: Catalog) -> None:
    """The exact engine made the weighted mean missing (with a note); pandas did not."""
    frame = pd.DataFrame(GAP_AT_ZERO_WEIGHT)
    rolled = roll_up_rows(catalog, _sheet_rows(frame))
    assert rolled.values["nilai"] == Fraction(7, 2)  # X alone: Y weighs 0
    assert catalog.aggregate(frame)["nilai"].item() == 3.5
    assert "a" not in rolled.values  # a plain gap still makes the input missing
    assert rolled.notes == (
        "Y: a has no value in TW2 (row 5); adding it over the quarters needs every quarter "
        "(write 0 where there was none)",
    )  # no note for nilai: its gap does not count
    assert rolled.gaps == {"Y": frozenset({"a", "nilai"})}
    weighing = frame.assign(responden=[10, 10, 5, 5])
    rolled = roll_up_rows(catalog, _sheet_rows(weighing))
    assert "nilai" not in rolled.values
    assert math.isnan(catalog.aggregate(weighing)["nilai"].item())
    assert any(note.startswith("Y: nilai has no value in TW2") for note in rolled.notes)


def test_mean_of_units_with_a_gap_in_a_unit_is_missing(
    make_catalog: Callable[..., Catalog],
) -> None:
    """The exact engine left a unit with a gap out of the mean; pandas made it missing."""
    averaged = make_catalog(indicator_toml(1, roll_up="mean_of_units"))
    frame = pd.DataFrame(GAP_AT_ZERO_WEIGHT)[["unit", "period", "a", "b"]]
    rolled = roll_up_rows(averaged, _sheet_rows(frame))
    assert mean_of_units(averaged[1], rolled.units, rolled.gaps) is None
    assert 1 not in evaluate_rolled_up(averaged, rolled)
    long = roll_up(averaged, frame, layout="long")
    assert math.isnan(long["realisasi"].item())
    assert long["reason"].item() == "missing input a in a unit"
    # a unit that does not report the inputs at all is left out, in both
    silent = frame.assign(a=[1, 1, np.nan, np.nan], b=[2, 2, np.nan, np.nan])
    rolled = roll_up_rows(averaged, _sheet_rows(silent))
    result = evaluate_rolled_up(averaged, rolled)[1]
    assert result.value == 50
    assert roll_up(averaged, silent)[1].item() == 50.0


def test_mean_of_units_of_one_unit_is_that_units_result(
    make_catalog: Callable[..., Catalog],
) -> None:
    """The exact engine took it through the weighted mean over units (missing at weight 0)."""
    averaged = make_catalog(
        indicator_toml(
            3, formula="nilai", inputs=["nilai"], target="3 Indeks", roll_up="mean_of_units"
        ),
        extra=RULES,
    )
    frame = pd.DataFrame({"unit": ["X"], "period": ["TW1"], "nilai": [2.5], "responden": [0]})
    rolled = roll_up_rows(averaged, _sheet_rows(frame))
    assert "nilai" not in rolled.values  # over units: weights adding up to 0
    result = evaluate_rolled_up(averaged, rolled)[3]
    assert (result.value, result.warnings) == (Fraction(5, 2), ())  # X's own realisasi
    assert averaged.roll_up(frame)[3].item() == 2.5


# --- the float roll-up equals the exact one ---------------------------------------------------

PROPERTY_INPUTS = ("a", "b", "stok", "stok_total", "nilai", "responden", "i1", "i3")

SPELLINGS = (  # quarter q written as ..., one way per frame
    lambda q: f"TW{q}",
    lambda q: q,
    lambda q: ("I", "II", "III", "IV")[q - 1],
    lambda q: f"Triwulan {('I', 'II', 'III', 'IV')[q - 1]}",
    lambda q: f"q-{q}",
)


MONTH_SPELLINGS = (  # month m written as ..., one way per frame
    lambda m: MONTHS[m - 1],
    lambda m: f"2024-{m:02d}",
    lambda m: ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")[
        m - 1
    ],
    lambda m: f"bulan {m}",
)

CALENDARS = ((4, SPELLINGS), (12, MONTH_SPELLINGS))
"""Quarters or months: periods in a year, and their spellings."""


@st.composite
def unit_quarter_frames(draw: st.DrawFn) -> Any:
    """Units x TW1..TW4 (or months) with some inputs left empty by whole units, values exact
    in floats.

    Weights are often 0 (a unit without respondents), periods are written in any spelling
    of the period grammar, and units may lack a period.
    """
    units = draw(st.integers(1, 4))
    per_year, spellings = draw(st.sampled_from(CALENDARS))
    quarters = draw(st.integers(1, per_year))
    spelling = draw(st.sampled_from(spellings))
    rows: list[dict[str, Any]] = []
    silent = {
        name: draw(st.sets(st.integers(0, units - 1), max_size=units)) for name in PROPERTY_INPUTS
    }
    gaps = draw(  # single empty cells: the unit reports the input, but not every quarter
        st.sets(
            st.tuples(
                st.integers(0, units - 1),
                st.integers(1, quarters),
                st.sampled_from(PROPERTY_INPUTS),
            ),
            max_size=2,
        )
    )
    lacking = draw(st.sets(st.tuples(st.integers(0, units - 1), st.integers(1, quarters))))
    for unit in range(units):
        for quarter in range(1, quarters + 1):
            if (unit, quarter) in lacking and quarters > 1:
                continue  # the unit has no row for that quarter
            row: dict[str, Any] = {"unit": f"U{unit}", "period": spelling(quarter)}
            for name in PROPERTY_INPUTS:
                if unit in silent[name] or (unit, quarter, name) in gaps:
                    row[name] = np.nan
                elif name == "nilai":
                    row[name] = draw(st.integers(4, 16)) / 4  # 1..4 in quarters: exact floats
                elif name in ("i1", "i3"):
                    row[name] = draw(st.integers(0, 100))
                elif name == "responden":
                    row[name] = draw(st.sampled_from([0, 0, 1, 3, 20]))
                else:
                    row[name] = draw(st.integers(0, 50))
            rows.append(row)
    assume(rows)
    return pd.DataFrame(rows)


def _agrees(exact_value: Fraction | None, value: float, what: object) -> None:
    if exact_value is None:
        assert math.isnan(value), what
    else:
        assert value == pytest.approx(float(exact_value), rel=1e-12), what


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(frame=unit_quarter_frames())
def test_aggregate_equals_the_exact_roll_up(catalog: Catalog, frame: Any) -> None:
    """Catalog.aggregate (floats, pandas) = roll_up_rows (exact, the CLI's), gaps and all.

    The inputs of the whole, and of each unit over time; flows, stocks, means, weighted means
    (with units weighing 0), silent units, gaps and units lacking a quarter.
    """
    rolled = roll_up_rows(catalog, _sheet_rows(frame))
    whole = catalog.aggregate(frame).iloc[0]
    per_unit = catalog.aggregate(frame, over="time")
    for name in PROPERTY_INPUTS:
        _agrees(rolled.values.get(name), whole[name], name)
        for unit, values in rolled.units.items():
            _agrees(values.get(name), per_unit.loc[unit, name], (unit, name))


@pytest.fixture
def averaged(make_catalog: Callable[..., Catalog]) -> Catalog:
    """Indicators rolled up both ways: on the inputs, and as the mean over units."""
    return make_catalog(
        indicator_toml(1),
        indicator_toml(2, formula="persen(stok, stok_total)", inputs=["stok", "stok_total"]),
        indicator_toml(3, formula="nilai", inputs=["nilai"], target="3 Indeks"),
        indicator_toml(5, formula="persen(a, b)", roll_up="mean_of_units"),
        indicator_toml(
            6,
            formula="persen(stok, stok_total)",
            inputs=["stok", "stok_total"],
            roll_up="mean_of_units",
            undefined_parts="skip",
        ),
        indicator_toml(
            7, formula="nilai", inputs=["nilai"], target="3 Indeks", roll_up="mean_of_units"
        ),
        extra=RULES,
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(frame=unit_quarter_frames())
def test_roll_up_equals_the_exact_roll_up(averaged: Catalog, frame: Any) -> None:
    """Catalog.roll_up = the exact results of the CLI, mean_of_units indicators included."""
    columns = [
        name for name in frame.columns if name in averaged.inputs or name in ("unit", "period")
    ]
    frame = frame[columns]
    results = evaluate_rolled_up(averaged, roll_up_rows(averaged, _sheet_rows(frame)))
    rolled = averaged.roll_up(frame)
    for indicator in averaged:
        result = results.get(indicator.number)
        _agrees(
            None if result is None else result.value,
            rolled[indicator.number].item(),
            indicator.number,
        )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(frame=unit_quarter_frames(), seed=st.integers(0, 2**32 - 1))
def test_rows_in_any_order_give_the_same_roll_up_bit_for_bit(
    catalog: Catalog, frame: Any, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows in time order take the one-pass route (check and combine by chunk); others sort."""
    monkeypatch.setattr(aggregation, "CHUNK_GROUPS", 1)  # many chunks even on a few rows
    in_order = catalog.aggregate(frame, over="time")
    shuffled = frame.sample(frac=1, random_state=seed % 2**32)
    pd.testing.assert_frame_equal(catalog.aggregate(shuffled, over="time"), in_order)
    pd.testing.assert_frame_equal(catalog.aggregate(shuffled), catalog.aggregate(frame))


@pytest.mark.parametrize("row", [0, 3, 6, 7])
def test_a_bad_value_in_any_chunk_is_found(
    catalog: Catalog, row: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aggregation, "CHUNK_GROUPS", 1)
    counts = [1.0] * 8
    counts[row] = 0.5
    frame = pd.DataFrame(
        {
            "unit": ["X"] * 4 + ["Y"] * 4,
            "period": ["TW1", "TW2", "TW3", "TW4"] * 2,
            "a": counts,
            "b": [2.0] * 8,
        }
    )
    with pytest.raises(InputError, match=rf"column 'a' \(indicator 1\), row {row}: 0.5 is not"):
        catalog.aggregate(frame)
