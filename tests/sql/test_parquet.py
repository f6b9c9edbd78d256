"""Catalog.evaluate_sql over Parquet files (DuckDB reads them as a stream), and its benchmark."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from iku_formula import Catalog, InputError, load_catalog

from ..conftest import REPO
from .conftest import Database

pytest.importorskip("pyarrow")

BENCHMARK = REPO / "benchmarks" / "sql_parquet.py"


def _frame(catalog: Catalog) -> pd.DataFrame:
    rows = []
    for unit in ("A", "B", "C"):
        for period in (1, 2, 3, 4):
            row: dict[str, object] = {"unit": unit, "period": period}
            for position, (name, spec) in enumerate(catalog.inputs.items()):
                if spec.minimum is not None and spec.maximum is not None:
                    row[name] = float(spec.minimum + (spec.maximum - spec.minimum) / 2)
                else:
                    row[name] = float((position + period + len(unit) * 3) % 4)
            rows.append(row)
    frame = pd.DataFrame(rows)
    frame.loc[frame["unit"] == "B", "pengaduan_notaris_masuk"] = float("nan")  # silent
    return frame


def test_evaluate_sql_reads_parquet_files(tmp_path: Path, duck: Database) -> None:
    catalog = load_catalog()
    frame = _frame(catalog)
    for half, part in enumerate((frame.iloc[:6], frame.iloc[6:])):
        part.to_parquet(tmp_path / f"realisasi-{half}.parquet")
    got = catalog.evaluate_sql(duck.connection, tmp_path / "realisasi-*.parquet")
    pd.testing.assert_frame_equal(got, catalog.roll_up(frame), rtol=1e-9)


def test_parquet_is_for_duckdb(tmp_path: Path) -> None:
    from iku_formula.sql.views import build_views

    with pytest.raises(InputError, match="Parquet files are read by DuckDB"):
        build_views(load_catalog(), "postgres", tmp_path / "x.parquet")


@pytest.mark.skipif(not BENCHMARK.is_file(), reason="the benchmarks are not in this tree")
def test_the_parquet_benchmark_runs_small() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARK), "--rows", "24000", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr  # 1: the two sides disagreed
    assert "hand-written SQL" in done.stdout
    assert "ratio" in done.stdout
