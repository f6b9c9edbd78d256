"""Figures to date (``until=``, ``iku evaluate --sampai``): one filter in every entry point.

Each entry point (the exact roll-up, the pandas ``Catalog.aggregate`` and ``Catalog.roll_up``,
the report build the CLI uses) keeps the rows whose period :func:`periods.is_up_to` the
last period, and rolls them up by each input's rules.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from iku_formula import Catalog
from iku_formula.errors import InputError, PeriodError
from iku_formula.periods import (
    MONTH,
    MONTHS,
    QUARTERS,
    SEMESTERS,
    Period,
    normalise_period,
    parse_period,
    up_to,
)
from iku_formula.rollup.exact import evaluate_rolled_up, roll_up_rows
from iku_formula.sheets import SheetRow

from ..conftest import indicator_toml
from .test_rollup import PROPERTY_INPUTS, RULES, _agrees, _sheet_rows, unit_quarter_frames


@pytest.fixture
def catalog(make_catalog: Callable[..., Catalog]) -> Catalog:
    return make_catalog(
        indicator_toml(1),  # persen(a, b): flows
        indicator_toml(2, formula="persen(stok, stok_total)", inputs=["stok", "stok_total"]),
        extra=RULES,  # stok and stok_total: stocks
    )


QUARTERLY = {
    "unit": ["X"] * 4 + ["Y"] * 4,
    "period": ["TW1", "TW2", "TW3", "TW4"] * 2,
    "a": [1, 2, 3, 4, 0, 1, 1, 1],
    "b": [2, 2, 4, 4, 1, 1, 2, 2],
    "stok": [5, 6, 7, 8, 1, 1, 2, 3],
    "stok_total": [10, 10, 10, 10, 4, 4, 4, 4],
}


def _rows(frame: Any) -> list[SheetRow]:
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


@pytest.mark.parametrize(
    ("until", "a", "b", "stok", "stok_total"),
    [
        ("TW1", 1, 3, 6, 14),
        ("TW3", 8, 12, 9, 14),  # flows: TW1..TW3 added; stocks: TW3's
        ("TW4", 13, 18, 11, 14),
        ("Juni", 4, 6, 7, 14),  # TW2 ends in Juni: TW1 and TW2
        ("Mei", 1, 3, 6, 14),  # TW2 ends after Mei: TW1 only
        ("S1", 4, 6, 7, 14),
        ("2024", 13, 18, 11, 14),
        (Period(MONTH, 9), 8, 12, 9, 14),
    ],
)
def test_until_in_every_entry_point(
    catalog: Catalog, until: object, a: int, b: int, stok: int, stok_total: int
) -> None:
    frame = pd.DataFrame(QUARTERLY)
    rolled = roll_up_rows(catalog, _rows(frame), until=until)
    expected = {"a": a, "b": b, "stok": stok, "stok_total": stok_total}
    assert rolled.values == expected
    assert rolled.until is not None
    aggregated = catalog.aggregate(frame, until=until).iloc[0]
    assert {name: aggregated[name] for name in expected} == expected
    results = evaluate_rolled_up(catalog, rolled)
    rolled_up = catalog.roll_up(frame, until=until)
    for number in (1, 2):
        assert float(results[number].value) == pytest.approx(rolled_up[number].item())


def test_without_until_every_row_counts(catalog: Catalog) -> None:
    frame = pd.DataFrame(QUARTERLY)
    assert (
        roll_up_rows(catalog, _rows(frame)).values
        == roll_up_rows(catalog, _rows(frame), until="TW4").values
    )
    assert roll_up_rows(catalog, _rows(frame)).until is None


@pytest.mark.parametrize("until", ["TW5", "13", "Semester 3", ""])
def test_until_that_is_no_period_is_refused(catalog: Catalog, until: str) -> None:
    frame = pd.DataFrame(QUARTERLY)
    with pytest.raises(PeriodError, match="is not a quarter"):
        roll_up_rows(catalog, _rows(frame), until=until)
    with pytest.raises(PeriodError, match="is not a quarter"):
        catalog.aggregate(frame, until=until)


def test_until_needs_the_period_column(catalog: Catalog) -> None:
    frame = pd.DataFrame(QUARTERLY).drop(columns="period").iloc[:1]
    with pytest.raises(InputError, match="give the period column"):
        catalog.aggregate(frame, period=None, until="TW2")


@pytest.mark.parametrize(
    ("period", "until", "kept"),
    [
        ("TW2", "TW3", True),
        ("TW4", "TW3", False),
        ("Maret", "TW1", True),
        ("April", "TW1", False),
        ("Juni", "S1", True),
        ("S1", "Juni", True),
        ("S1", "Mei", False),
        ("TW2", "Mei", False),
        ("2024", "TW4", True),
        ("2024", "TW3", False),
        ("2024-03", "TW1", True),
        (None, "TW3", False),  # a row without a period is no part of the year
        (None, "2024", True),
        ("hand-made", "TW3", False),
    ],
)
def test_the_one_rule(period: str | None, until: str, kept: bool) -> None:
    assert up_to(until)(period) is kept
    assert up_to(None)(period) is True


# --- properties: to date at the last period is the year ---------------------------------------


@pytest.fixture
def rules_catalog(make_catalog: Callable[..., Catalog]) -> Catalog:
    """Flows, stocks, means, weighted means; indicators on the inputs and as means of units."""
    return make_catalog(
        indicator_toml(1),
        indicator_toml(2, formula="persen(stok, stok_total)", inputs=["stok", "stok_total"]),
        indicator_toml(3, formula="nilai", inputs=["nilai"], target="3 Indeks"),
        indicator_toml(4, formula="rata_rata(i1, i3)", inputs=["i1", "i3"], target="83 Indeks"),
        indicator_toml(5, formula="persen(a, b)", roll_up="mean_of_units"),
        extra=RULES,
    )


def _last_period(frame: Any) -> Period:
    periods = [parse_period(label) for label in frame["period"]]
    return max(period for period in periods if period is not None)


def _same_results(first: dict[int, Any], second: dict[int, Any]) -> None:
    assert first.keys() == second.keys()
    for number, result in first.items():
        assert (result.value, result.achievement, result.status) == (
            second[number].value,
            second[number].achievement,
            second[number].status,
        )


PROPERTY = settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY
@given(frame=unit_quarter_frames())
def test_to_date_at_the_last_period_is_the_yearly_roll_up(
    rules_catalog: Catalog, frame: Any
) -> None:
    """Realisasi and capaian to date at the sheet's last period = the roll-up of every row."""
    rows = _sheet_rows(frame)
    last = _last_period(frame)
    whole, to_date = (
        roll_up_rows(rules_catalog, rows),
        roll_up_rows(rules_catalog, rows, until=last),
    )
    assert to_date.values == whole.values
    assert to_date.units == whole.units
    _same_results(
        evaluate_rolled_up(rules_catalog, to_date), evaluate_rolled_up(rules_catalog, whole)
    )
    pd.testing.assert_frame_equal(
        rules_catalog.roll_up(frame, until=last), rules_catalog.roll_up(frame)
    )


@pytest.mark.filterwarnings("ignore:indicator 5 rolls up as the mean")
@PROPERTY
@given(frame=unit_quarter_frames())
def test_to_date_up_to_tw4_is_the_year_for_every_indicator(
    rules_catalog: Catalog, frame: Any
) -> None:
    rows = _sheet_rows(frame)
    year = evaluate_rolled_up(rules_catalog, roll_up_rows(rules_catalog, rows))
    for until in ("TW4", "Desember", "S2", "2024"):
        rolled = roll_up_rows(rules_catalog, rows, until=until)
        _same_results(evaluate_rolled_up(rules_catalog, rolled), year)
    pd.testing.assert_frame_equal(
        rules_catalog.aggregate(frame, until="TW4"), rules_catalog.aggregate(frame)
    )


@pytest.mark.filterwarnings("ignore:indicator 5 rolls up as the mean")
@PROPERTY
@given(frame=unit_quarter_frames(), data=st.data())
def test_to_date_is_the_same_in_both_engines(rules_catalog: Catalog, frame: Any, data: Any) -> None:
    """At any period: the exact roll-up of the rows kept = pandas' = the rows filtered by hand."""
    until = data.draw(st.sampled_from([*QUARTERS, *MONTHS, *SEMESTERS]))
    rows = _sheet_rows(frame)
    keeps = up_to(until)
    kept = [row for row in rows if keeps(row.period)]
    assume(kept)
    rolled = roll_up_rows(rules_catalog, rows, until=until)
    assert rolled.values == roll_up_rows(rules_catalog, kept).values
    whole = rules_catalog.aggregate(frame, until=until).iloc[0]
    for name in PROPERTY_INPUTS:
        _agrees(rolled.values.get(name), whole[name], name)
    results = evaluate_rolled_up(rules_catalog, rolled)
    frame_results = rules_catalog.roll_up(frame, until=until)
    for indicator in rules_catalog:
        result = results.get(indicator.number)
        _agrees(
            None if result is None else result.value,
            frame_results[indicator.number].item(),
            indicator.number,
        )
