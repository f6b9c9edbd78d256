"""The benchmark suite still runs: once, at its small size. Timings are never asserted."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO

SUITE = REPO / "benchmarks" / "run.py"


@pytest.mark.skipif(not SUITE.is_file(), reason="the benchmarks are not in this tree")
def test_the_suite_runs_at_its_small_size() -> None:
    done = subprocess.run(
        [sys.executable, str(SUITE), "--size", "small"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr  # 1: a result disagreed with its baseline
    for figure in ("1 start-up", "2 one record", "3 evaluate_frame", "4 aggregate"):
        assert figure in done.stdout, done.stdout
    assert "goals of figures 3 and 4 are for 1,000,000 rows" in done.stdout


@pytest.mark.skipif(not SUITE.is_file(), reason="the benchmarks are not in this tree")
@pytest.mark.parametrize("seed", range(3))
def test_the_pandas_peer_of_figure_4_applies_the_same_rules(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gaps, silent units, units weighing 0 and missing weights: the peer agrees input by input."""
    import numpy as np

    import iku_formula

    monkeypatch.syspath_prepend(str(SUITE.parent))
    import baselines  # type: ignore[import-not-found]
    from run import quarterly_frame  # type: ignore[import-not-found]

    catalog = iku_formula.load_catalog()
    frame = quarterly_frame(catalog, 600 * 4 * 2)
    rng = np.random.default_rng(seed)
    names = list(catalog.inputs)
    for name in rng.choice(names, 30):
        frame.loc[rng.choice(len(frame), 5), name] = np.nan
    for name in rng.choice(names, 30):
        frame.loc[frame["unit"] == f"UPT {rng.integers(600):03d}", name] = np.nan
    for spec in catalog.inputs.values():
        if spec.weight:
            frame.loc[frame["unit"] == f"UPT {rng.integers(600):03d}", spec.weight] = 0
            last = (frame["unit"] == f"UPT {rng.integers(600):03d}") & (frame["period"] == "TW4")
            frame.loc[last, spec.weight] = np.nan
    frame = frame.sample(frac=1, random_state=seed)
    theirs = baselines.pandas_rules_aggregate(catalog, frame, ["year"])
    ours = catalog.aggregate(frame, by="year")
    assert int(ours.isna().sum().sum()) > 0  # the holes reached the year
    for name in names:
        np.testing.assert_allclose(
            ours[name].to_numpy(dtype=float), theirs[name].to_numpy(dtype=float), rtol=1e-12
        )


@pytest.mark.skipif(not SUITE.is_file(), reason="the benchmarks are not in this tree")
@pytest.mark.parametrize("seed", range(4))
def test_the_hand_written_duckdb_peer_applies_the_same_rules(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Gaps, a gap at the last triwulan, silent units, units weighing 0, missing weights:
    the hand-written DuckDB query gives the realisasi, capaian and status of evaluate_sql."""
    import duckdb
    import numpy as np
    import pandas as pd

    import iku_formula

    monkeypatch.syspath_prepend(str(SUITE.parent))
    import baselines
    from run import one_year_frame  # type: ignore[import-not-found]

    catalog = iku_formula.load_catalog()
    frame = one_year_frame(catalog, 4 * 40)[["unit", "period", *baselines.duckdb_inputs(catalog)]]
    rng = np.random.default_rng(seed)
    names = baselines.duckdb_inputs(catalog)
    units = frame["unit"].unique()
    if seed % 2:  # a gap somewhere voids a figure; with even seeds only silent units
        frame.loc[rng.choice(len(frame), 2), rng.choice(names)] = np.nan
    for name in rng.choice(names, 3):
        frame.loc[frame["unit"] == rng.choice(units), name] = np.nan  # silent
    frame.loc[frame["unit"] == rng.choice(units), "responden_ipk_internal"] = 0
    connection = duckdb.connect()
    connection.register("realisasi", frame)
    query = baselines.duckdb_rules_query(catalog, "realisasi", outcomes=True)
    cursor = connection.execute(query)
    row = dict(zip([c[0] for c in cursor.description], cursor.fetchone() or (), strict=True))
    ours = catalog.evaluate_sql(connection, "realisasi", layout="long").set_index("indicator")
    for number in baselines.DUCKDB_FORMULAS:
        for column in ("realisasi", "capaian", "status", "predikat"):
            theirs, mine = row[f"{column}_{number}"], ours.loc[number, column]
            if pd.isna(mine) or theirs is None:
                assert (theirs is None, bool(pd.isna(mine))) == (True, True), (number, column)
            elif isinstance(mine, str):
                assert theirs == mine, (number, column, theirs, mine)
            else:
                assert float(theirs) == pytest.approx(float(mine), rel=1e-9), (number, column)
        assert (row[f"reason_{number}"] is None) == pd.isna(ours.loc[number, "reason"])
