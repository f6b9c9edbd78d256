"""Running the views: which DuckDB columns are combined in their own exact type."""

from __future__ import annotations

import pandas as pd
import pytest

from iku_formula import load_catalog
from iku_formula.sql.run import exact_columns

from .conftest import Database


@pytest.mark.parametrize(
    ("kind", "exact"),
    [
        ("INTEGER", True),
        ("BIGINT", True),
        ("UTINYINT", True),
        ("DECIMAL(18,4)", True),
        ("DECIMAL(38, 10)", True),
        ("DECIMAL(38,12)", False),  # finer than the stored DECIMAL(38, 10): converted per row
        ("HUGEINT", False),
        ("DOUBLE", False),
        ("FLOAT", False),
        ("VARCHAR", False),
        ("", False),  # a server that says nothing of its types
    ],
)
def test_exact_columns(kind: str, exact: bool) -> None:
    assert exact_columns({"x": kind}) == (("x",) if exact else ())


@pytest.mark.parametrize("kind", ["INTEGER", "DECIMAL(18, 4)", "DOUBLE"])
def test_each_column_type_gives_the_roll_up(kind: str, duck: Database) -> None:
    """A flow, a stock (last triwulan) and a weighted score, stored in each type."""
    catalog = load_catalog()
    names = [
        "pengaduan_notaris_diperiksa",  # sum
        "pengaduan_notaris_masuk",
        "anggota_jdih_aktif",  # last
        "anggota_jdih",
        "nilai_ipk_internal",  # mean over time, weighted over units
        "responden_ipk_internal",
        "nilai_ipk_eksternal",
        "responden_ipk_eksternal",
    ]
    rows = []
    for unit in range(5):
        for period in (1, 2, 3, 4):
            row: dict[str, object] = {"unit": f"U{unit}", "period": period}
            for position, name in enumerate(names):
                row[name] = float((unit * 7 + period * 3 + position) % 4 + 1)
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame.loc[(frame["unit"] == "U1") & (frame["period"] == 4), "anggota_jdih"] = float("nan")
    frame.loc[frame["unit"] == "U2", "pengaduan_notaris_masuk"] = float("nan")  # silent
    columns = ", ".join(f'CAST("{name}" AS {kind}) AS "{name}"' for name in names)
    connection = duck.connection
    connection.register("loaded", frame)
    connection.execute(
        f"CREATE OR REPLACE TABLE typed AS SELECT unit, period, {columns} FROM loaded"
    )
    connection.unregister("loaded")
    got = catalog.evaluate_sql(connection, "typed")
    assert list(got.columns) == [3, 15, 21]
    pd.testing.assert_frame_equal(got, catalog.roll_up(frame)[[3, 15, 21]], rtol=1e-12)
