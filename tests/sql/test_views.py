"""The SQL views held to the exact Python path, on DuckDB, PostgreSQL and MariaDB.

Random valid data (hypothesis): zero denominators, gaps, silent units, stocks, weighted
scores, ``mean_of_units``, a capped and a minimised capaian, a target of 0 and a target
of two parts. Each row is held to :meth:`Catalog.evaluate_exact` (realisasi and capaian
within the engine's tolerance of the exact Fraction, status and reason equal); the units
and the Kanwil to :meth:`Catalog.roll_up` (the frame :meth:`Catalog.evaluate_sql` returns).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iku_formula import Catalog, InputError, load_catalog
from iku_formula.model import InputKind
from iku_formula.sql.views import VIEWS, build_views, output_columns, predikat_column

from ..conftest import HEADER, indicator_toml
from .conftest import TOLERANCE, Database

EXTRA = """
[catalog.achievement]
cap = 120
minimize = "{minimize}"

[predikat.cap]
basis = "capaian"

[[predikat.cap.bands]]
code = "A"
label = "Baik"
colour = "#1a9850"
lower = 100

[[predikat.cap.bands]]
code = "B"
label = "Cukup"
colour = "#fee08b"
lower = 50
upper = 100

[[predikat.cap.bands]]
code = "C"
label = "Kurang"
colour = "#d73027"
upper = 50

[predikat.skala]
basis = "realisasi"

[[predikat.skala.bands]]
code = "R"
label = "Rendah"
colour = "#d73027"
lower = 0
upper = 2

[[predikat.skala.bands]]
code = "T"
label = "Tinggi"
colour = "#1a9850"
lower = 2
upper = 4

[inputs.stok]
label = "Tahanan"
unit = "orang"
kind = "count"
over_time = "last"

[inputs.stok_total]
label = "Kapasitas"
unit = "orang"
kind = "count"
over_time = "last"

[inputs.nilai]
label = "Nilai"
unit = "indeks"
kind = "score"
minimum = 0
maximum = 4
over_time = "mean"
over_units = "mean"

[inputs.responden]
label = "Responden"
unit = "orang"
kind = "count"

[inputs.i3]
label = "Indeks 3"
unit = "indeks"
kind = "score"
minimum = 0
maximum = 100
over_time = "mean"
over_units = "weighted_mean"
weight = "responden"
"""

INDICATORS = (
    indicator_toml(1, predikat="cap"),
    indicator_toml(2, formula="persen(stok, stok_total)", inputs=["stok", "stok_total"]),
    indicator_toml(3, formula="pertumbuhan(a, c)", inputs=["a", "c"], target="5%"),
    indicator_toml(
        4,
        formula="rata_rata(a / b, c / d)",
        inputs=["a", "b", "c", "d"],
        target="1 Indeks",
        undefined_parts="skip",
    ),
    indicator_toml(
        5, formula="rata_rata(a / b, c / d)", inputs=["a", "b", "c", "d"], target="1 Indeks"
    ),
    indicator_toml(
        6,
        formula="rata_rata_tertimbang(nilai, responden, skor, d)",
        inputs=["nilai", "responden", "skor", "d"],
        target="3 Indeks",
        predikat="skala",
    ),
    indicator_toml(7, polarity="minimize", target="10%", predikat="cap"),
    indicator_toml(8, roll_up="mean_of_units"),
    indicator_toml(
        9,
        formula="rata_rata(a / b, c / d)",
        inputs=["a", "b", "c", "d"],
        target="1 Indeks",
        undefined_parts="skip",
        roll_up="mean_of_units",
    ),
    indicator_toml(
        10,
        formula="i3 / 3 + rupiah / 7 - 2 * skor",
        inputs=["i3", "rupiah", "skor"],
        target="10 Indeks",
    ),
    indicator_toml(11, formula="d", inputs=["d"], polarity="minimize", target="0 orang"),
    indicator_toml(
        12,
        formula="a",
        inputs=["a", "c"],
        target="1 Kegiatan / 1 Rekomendasi",
        target_part_formulas=["c"],
    ),
)


@pytest.fixture(scope="module", params=["two_minus_ratio", "inverse_ratio"])
def rules_catalog(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Catalog:
    """Every rule; capaian of "lower is better" by each formula a catalog may choose."""
    path = tmp_path_factory.mktemp("sql") / "uji.toml"
    extra = EXTRA.replace("{minimize}", request.param)
    path.write_text(HEADER + extra + "".join(INDICATORS), encoding="utf-8")
    return load_catalog(path)


@pytest.fixture(scope="module")
def bundled() -> Catalog:
    return load_catalog()


# --- random valid data -------------------------------------------------------------------


def _value(draw: Callable[..., Any], catalog: Catalog, name: str) -> Fraction:
    spec = catalog.inputs[name]
    if spec.kind is InputKind.SCORE:
        assert spec.minimum is not None
        assert spec.maximum is not None
        step = draw(st.integers(0, 8))
        return spec.minimum + (spec.maximum - spec.minimum) * Fraction(step, 8)
    if spec.kind is InputKind.AMOUNT:
        return Fraction(draw(st.integers(0, 40)), 4)
    return Fraction(draw(st.integers(0, 3)))


@st.composite
def realisasi(draw: Callable[..., Any], catalog: Catalog) -> list[dict[str, Any]]:
    """Rows of 1 to 3 units over some triwulan, with gaps and silent units."""
    rows: list[dict[str, Any]] = []
    for unit in ("A", "B", "C")[: draw(st.integers(1, 3))]:
        periods = sorted(draw(st.sets(st.integers(1, 4), min_size=1)))
        silent = {name for name in catalog.inputs if draw(st.integers(0, 9)) == 0}
        for period in periods:
            row: dict[str, Any] = {"unit": unit, "period": period}
            for name in catalog.inputs:
                gap = draw(st.integers(0, 19)) == 0
                row[name] = None if name in silent or gap else _value(draw, catalog, name)
            rows.append(row)
    return rows


def _frame(rows: list[dict[str, Any]], catalog: Catalog) -> pd.DataFrame:
    columns = ["unit", "period", *catalog.inputs]
    return pd.DataFrame(
        [
            [
                row[column]
                if column in ("unit", "period")
                else (math.nan if row[column] is None else float(row[column]))
                for column in columns
            ]
            for row in rows
        ],
        columns=columns,
    )


# --- comparing ---------------------------------------------------------------------------


def _close(got: object, expected: Fraction | None, dialect: str) -> bool:
    if expected is None or got is None:
        return got is None and expected is None
    exact = Fraction(got)  # type: ignore[arg-type]
    return abs(exact - expected) <= TOLERANCE[dialect] * max(abs(expected), Fraction(1))


def _check_rows(catalog: Catalog, database: Database, rows: list[dict[str, Any]]) -> None:
    views = build_views(catalog, database.dialect, "realisasi")
    names, found = database.query(views.query("rows"))
    by_key = {(record[0], record[1]): dict(zip(names, record, strict=True)) for record in found}
    assert len(by_key) == len(rows)
    for row in rows:
        got = by_key[row["unit"], row["period"]]
        given = {name: value for name, value in row.items() if name in catalog.inputs}
        values = {name: value for name, value in given.items() if value is not None}
        results = catalog.evaluate_exact(values)
        for indicator in catalog.indicators:
            realisasi_, capaian, status, reason = (got[c] for c in output_columns(indicator.number))
            where = f"indicator {indicator.number}, row {row['unit']} {row['period']}"
            if indicator.number not in results:
                absent = next(name for name in indicator.inputs if name not in values)
                assert realisasi_ is None, where
                assert reason == f"missing input {absent}", where
                continue
            result = results[indicator.number]
            assert _close(realisasi_, result.value, database.dialect), where
            assert _close(capaian, result.achievement, database.dialect), where
            assert status == result.status.value, where
            assert reason == result.reason, where
            if indicator.predikat is not None:
                band = result.predikat
                assert got[predikat_column(indicator.number)] == (band and band.code), where


def _check_roll_up(catalog: Catalog, database: Database, rows: list[dict[str, Any]]) -> None:
    frame = _frame(rows, catalog)
    expected = catalog.roll_up(frame)
    got = catalog.evaluate_sql(database.connection, "realisasi")
    pd.testing.assert_frame_equal(got, expected, rtol=1e-9)
    long = catalog.roll_up(frame, layout="long").reset_index(drop=True)
    got_long = catalog.evaluate_sql(database.connection, "realisasi", layout="long")
    assert got_long["reason"].tolist() == long["reason"].tolist()
    met = long["met"].tolist()
    defined = long["realisasi"].notna().tolist()
    status = [
        ("met" if reached else "not_met") if known else "undefined"
        for reached, known in zip(met, defined, strict=True)
    ]
    assert got_long["status"].tolist() == status
    bands = [None if pd.isna(code) else code for code in long["predikat"]]
    assert [None if pd.isna(code) else code for code in got_long["predikat"]] == bands
    per_unit = catalog.roll_up(frame, over="time")
    views = build_views(catalog, database.dialect, "realisasi")
    names, found = database.query(views.query("units"))
    units = pd.DataFrame(found, columns=names).set_index("unit").sort_index()
    for number in per_unit.columns:
        column = units[output_columns(number)[0]].astype(float)
        pd.testing.assert_series_equal(
            column, per_unit[number], rtol=1e-9, check_names=False, check_index_type=False
        )


SETTINGS = settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(data=st.data())
def test_every_rule_in_sql_equals_the_exact_path(
    rules_catalog: Catalog, database: Database, data: st.DataObject
) -> None:
    rows = data.draw(realisasi(rules_catalog))
    database.load(rows, list(rules_catalog.inputs))
    _check_rows(rules_catalog, database, rows)
    _check_roll_up(rules_catalog, database, rows)


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_the_bundled_catalog_in_sql_equals_the_exact_path(
    bundled: Catalog, database: Database, data: st.DataObject
) -> None:
    rows = data.draw(realisasi(bundled))
    database.load(rows, list(bundled.inputs))
    _check_rows(bundled, database, rows)
    _check_roll_up(bundled, database, rows)


def test_a_table_with_some_inputs_gives_the_indicators_it_can(
    bundled: Catalog, duck: Database
) -> None:
    duck.load(
        [
            {
                "unit": "A",
                "period": 1,
                "pengaduan_notaris_diperiksa": 3,
                "pengaduan_notaris_masuk": 4,
            }
        ],
        ["pengaduan_notaris_diperiksa", "pengaduan_notaris_masuk"],
    )
    frame = bundled.evaluate_sql(duck.connection, "realisasi")
    assert list(frame.columns) == [3]
    assert frame[3].item() == 75.0


def test_to_sql_writes_one_create_view_per_view(rules_catalog: Catalog) -> None:
    import sqlglot

    for dialect in ("duckdb", "postgres", "mysql"):
        statements = rules_catalog.to_sql(dialect)
        assert len(statements) == len(VIEWS)
        for statement, view in zip(statements, VIEWS, strict=True):
            (tree,) = sqlglot.parse(statement, read=dialect)
            assert isinstance(tree, sqlglot.exp.Create)
            assert tree.this.name == f"iku_{view}"


HOSTILE = ('real"isasi; DROP TABLE x; --', "u`nit';", 'per"iod`', "pre'fix\\;")


def test_hostile_names_stay_quoted_identifiers(rules_catalog: Catalog) -> None:
    """A table, column or view name with quotes, backticks and semicolons is one identifier."""
    import duckdb
    import sqlglot

    duck = Database("duckdb", duckdb.connect())  # its own: the hostile table stays there

    table, unit, period, prefix = HOSTILE
    for dialect in ("duckdb", "postgres", "mysql"):
        statements = rules_catalog.to_sql(dialect, table, unit=unit, period=period, prefix=prefix)
        for statement, view in zip(statements, VIEWS, strict=True):
            (tree,) = sqlglot.parse(statement, read=dialect)  # one statement, no more
            assert tree.this.name == f"{prefix}_{view}"
            tables = {t.name for t in tree.find_all(sqlglot.exp.Table)}
            assert tables <= {table, *(f"{prefix}_{v}" for v in VIEWS)}
            columns = {c.name for c in tree.find_all(sqlglot.exp.Column)}
            assert unit in columns or view.startswith("kanwil")
    rows = [{"unit": "A", "period": 1, "a": 1, "b": 4}, {"unit": "A", "period": 2, "a": 2, "b": 4}]
    duck.execute(
        f'CREATE TABLE "{table.replace(chr(34), chr(34) * 2)}" ('
        f'"{unit}" VARCHAR, "{period.replace(chr(34), chr(34) * 2)}" INTEGER, '
        '"a" INTEGER, "b" INTEGER)'
    )
    duck.connection.executemany(
        f'INSERT INTO "{table.replace(chr(34), chr(34) * 2)}" VALUES (?, ?, ?, ?)',
        [[row["unit"], row["period"], row["a"], row["b"]] for row in rows],
    )
    for statement in rules_catalog.to_sql(
        "duckdb", table, unit=unit, period=period, columns=["a", "b"], prefix=prefix
    ):
        duck.execute(statement)
    found = duck.connection.execute(
        f'SELECT "realisasi_1", "status_1" FROM "{prefix}_kanwil"'
    ).fetchall()
    assert found == [(37.5, "not_met")]  # 3 / 8
    frame = rules_catalog.evaluate_sql(duck.connection, table, unit=unit, period=period)
    assert frame[1].item() == 37.5


def test_an_unknown_dialect_is_named(rules_catalog: Catalog) -> None:
    with pytest.raises(InputError, match="no SQL dialect 'oracle'"):
        rules_catalog.to_sql("oracle")
