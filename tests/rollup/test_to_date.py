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

from iku_formula import Catalog
from iku_formula.errors import InputError, PeriodError
from iku_formula.periods import MONTH, Period, normalise_period, up_to
from iku_formula.rollup.exact import evaluate_rolled_up, roll_up_rows
from iku_formula.sheets import SheetRow

from ..conftest import indicator_toml

STOCKS = """
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
"""


@pytest.fixture
def catalog(make_catalog: Callable[..., Catalog]) -> Catalog:
    return make_catalog(
        indicator_toml(1),  # persen(a, b): flows
        indicator_toml(2, formula="persen(stok, stok_total)", inputs=["stok", "stok_total"]),
        extra=STOCKS,
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
